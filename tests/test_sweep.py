"""A bad-input sweep over every command: each case ends with the exit code the README documents
(0 success, 1 a check failed, 2 bad input or endpoint error, 3 the environment lacks something) and no
traceback. Every row of the exit-code table is exercised here or in the command's own tests."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from dystonia_kg.cli import main

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def places(release_dir, tmp_path_factory) -> dict[str, str]:
    """Files and folders the cases refer to as {name}."""
    root = tmp_path_factory.mktemp("sweep")
    release = root / "dist"
    shutil.copytree(release_dir, release)
    (root / "notrdf.ttl").write_text("this is not RDF\n")
    (root / "empty.ttl").write_text("")
    (root / "bad.nt").write_text('<urn:a> <urn:b> "unterminated .\n')
    (root / "bad.rq").write_text("# title: broken\nSELECT ?x WHERE { ?x \n")
    (root / "badparam.rq").write_text("# title: t\n# param: x (colour) a colour\nSELECT ?x WHERE { ?x ?p ?o }\n")
    (root / "construct.rq").write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }\n")
    (root / "notes.md").write_text("# notes\n")
    (root / "bad.obo").write_text("format-version: 1.2\n\n[Term]\nid: X:1\nname: \"unclosed\n[Term\n")
    (root / "no-sources").mkdir()
    (root / "a-file").write_text("x")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    return {"release": str(release / "dystonia.ttl"), "sssom": str(release / "dystonia.sssom.tsv"),
            "dist": str(release), "root": str(root), "notrdf": str(root / "notrdf.ttl"),
            "empty": str(root / "empty.ttl"), "badnt": str(root / "bad.nt"), "badrq": str(root / "bad.rq"),
            "badparam": str(root / "badparam.rq"), "construct": str(root / "construct.rq"),
            "notes": str(root / "notes.md"), "badobo": str(root / "bad.obo"), "nosources": str(root / "no-sources"),
            "afile": str(root / "a-file"), "mondo": str(DATA / "mondo-extract.obo"),
            "hp": str(DATA / "hp-extract.ttl"), "missing": str(root / "missing.ttl"),
            "closed": f"http://127.0.0.1:{closed_port}/query"}


CASES = [
    # the happy path of the commands that need no reasoner (row 0 of the table)
    (0, "queries"),
    (0, "query find-by-name -p text=torticollis --release {release}"),
    (2, "query {construct} --release {release} --format csv"),  # only SELECT queries can be run
    (0, "stats --release {release}"),
    # query: bad input (row 2)
    (2, "query no-such-query --release {release}"),
    (2, "query treatmnts-for-type --release {release}"),
    (2, "query find-by-name --release {release}"),
    (2, "query find-by-name -p text --release {release}"),
    (2, "query find-by-name -p text=a -p text=b --release {release}"),
    (2, "query find-by-name -p text=a -p colour=blue --release {release}"),
    (2, "query types-by-region -p region=nowhere-at-all --release {release}"),
    (2, "query types-by-region -p region=GCH1 --release {release}"),
    (2, "query describe-entity -p entity=DYKG:9999999 --release {release}"),
    (2, "query describe-entity -p entity=DYKG:12 --release {release}"),
    (2, "query describe-entity -p entity=http://exa<mple --release {release}"),
    (2, "query {badrq} --release {release}"),
    (2, "query {badparam} --release {release}"),
    (2, "query {root}/nowhere.rq --release {release}"),
    (2, "query find-by-name -p text=x --release {notrdf}"),
    (2, "query find-by-name -p text=x --release {missing}"),
    (2, "query find-by-name -p text=x --release {dist}"),
    (2, "query find-by-name -p text=x --engine rdflib --release {notrdf}"),
    (2, "query find-by-name -p text=x --engine nosuch --release {release}"),
    (2, "query find-by-name -p text=x --format xml --release {release}"),
    (2, "query find-by-name -p text=x --endpoint ftp://example.org/sparql"),
    (2, "query find-by-name -p text=x --endpoint http://[::1"),
    (2, "query find-by-name -p text=x --endpoint http://127.0.0.1:99999/query"),
    (2, "query find-by-name -p text=x --endpoint {closed}"),
    (2, "query find-by-name -p text=x --endpoint {closed} --timeout 0"),
    (2, "query find-by-name -p text=x --graph https://example.org/g --release {release}"),
    # load
    (2, "load {notes} --release {release}"),
    (2, "load {missing} --release {release}"),
    (2, "load {badnt} --release {release}"),
    (2, "load {badobo} --release {release}"),
    (2, "load {hp} --release {missing}"),
    (2, "load"),
    # publish
    (2, "publish --endpoint {closed} --release {release}"),
    (2, "publish --endpoint not-a-url --release {release}"),
    (2, "publish --endpoint {closed} --release {missing}"),
    (2, "publish --endpoint {closed} --graph not-an-iri --release {release}"),
    (2, "publish --release {release}"),
    # serve
    (2, "serve --release {missing}"),
    (2, "serve --port 65536 --release {release}"),
    (2, "serve --host bad..host --release {release}"),
    # stats, validate
    (2, "stats --release {notrdf}"),
    (2, "stats --release {missing}"),
    (2, "validate {badnt} --release {release}"),
    (2, "validate {missing} --release {release}"),
    (2, "validate {hp} --release {notrdf}"),
    (2, "validate {hp} --release {release} --report {nosources}"),
    (2, "validate {hp} --release {release} --report {root}/no/such/report.json"),
    (2, "validate"),
    # docs, diagram
    (2, "docs --out {dist} --release {release}"),
    (2, "docs --out {root} --release {release}"),
    (2, "docs --out {afile} --release {release}"),
    (2, "docs --release {missing} --out {root}/site-never"),
    (2, "diagram --out {afile} --release {release}"),
    (2, "diagram --release {notrdf} --out {root}/diagrams-never"),
    # map
    (1, "map check {mondo} --release {release}"),
    (2, "map check {missing} --release {release}"),
    (2, "map check {mondo} --release {missing}"),
    (2, "map check {notes} --release {release}"),
    (2, "map check {mondo} --mappings {missing}"),
    (2, "map suggest {missing} --release {release}"),
    (2, "map suggest {mondo} --release {notrdf}"),
    (2, "map suggest {mondo} --release {release} --out {root}/no/such/out.tsv"),
    (2, "map nosuch"),
    # build and reason fail before the reasoner runs
    (2, "build --sources {nosources} --out {root}/never"),
    (2, "build --sources {missing}"),
    (2, "build --out {afile}"),
    (2, "build --out {root}/no/such/deeper/dist"),
    (2, "build --release-date 2026-13-45 --out {root}/never"),
    (2, "build --out {root}/never --report {root}/no/such/report.json"),
    (2, "reason --sources {nosources}"),
    (2, "nosuchcommand"),
]


@pytest.mark.parametrize(("expected", "command"), CASES, ids=[c for _, c in CASES])
def test_bad_input_ends_with_the_documented_exit_code_and_no_traceback(places, expected, command, monkeypatch,
                                                                       tmp_path):
    monkeypatch.chdir(tmp_path)  # nothing may land in the folder the command runs from
    args = [part.format(**places) for part in command.split()]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == expected, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if expected:
        assert result.output.strip(), "a failure must say why"
    assert list(tmp_path.iterdir()) == []
    for never in ("never", "site-never", "diagrams-never"):
        assert not (Path(places["root"]) / never).exists()


def test_the_sweep_is_at_least_40_cases_over_every_command():
    commands = {command.split()[0] for _, command in CASES}
    assert len(CASES) >= 40
    assert {"build", "validate", "reason", "query", "load", "publish", "serve", "queries", "stats", "docs",
            "diagram", "map"} <= commands
