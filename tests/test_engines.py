"""Query engines: the embedded store persists, follows the release, joins loaded vocabularies; a real Oxigraph
server is reached by the CLI, and endpoint failures are clear messages. That every engine gives the reference
engine's rows is the contract test of test_engine_parity.py."""

from __future__ import annotations

import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from dystonia_kg import api
from dystonia_kg.cli import main
from dystonia_kg.core.engines import RemoteEngine, inline_values
from dystonia_kg.core.errors import QueryError
from dystonia_kg.query.store import EmbeddedStore
from helpers import free_port, wait_until_serving

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def release_copy(release_dir, tmp_path_factory) -> Path:
    """A private copy of the release, so store tests do not disturb other tests."""
    folder = tmp_path_factory.mktemp("release-copy")
    target = folder / "dystonia.ttl"
    target.write_bytes((release_dir / "dystonia.ttl").read_bytes())
    return target


def test_the_store_persists_and_is_rebuilt_only_when_the_release_changes(release_copy, tmp_path):
    release = tmp_path / "dystonia.ttl"
    release.write_bytes(release_copy.read_bytes())
    store = EmbeddedStore(release)
    assert store.ensure_current() is True
    assert store.ensure_current() is False  # the second query does not parse again
    with release.open("a", encoding="utf-8") as handle:
        handle.write('\n<https://w3id.org/dystonia-kg/DYKG_9999999> <http://www.w3.org/2000/01/rdf-schema#label> "new entity" .\n')
    assert store.ensure_current() is True
    found = api.query("find-by-name", {"text": "new entity"}, release_file=release)
    assert URIRef("https://w3id.org/dystonia-kg/DYKG_9999999") in found.column("entity")


def test_loaded_vocabularies_are_joined_and_survive_a_rebuild(release_copy, tmp_path):
    release = tmp_path / "dystonia.ttl"
    release.write_bytes(release_copy.read_bytes())
    loaded = api.load_into_store([DATA / "hp-extract.ttl"], release_file=release, named_graphs=True)
    assert loaded[0].triples > 0 and loaded[0].graph.startswith("file:")
    join = tmp_path / "join.rq"
    join.write_text("""# title: Our classes and the HPO label of their HPO match
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?ours ?theirs ?theirLabel WHERE {
  ?ours skos:exactMatch|skos:closeMatch ?theirs . ?theirs rdfs:label ?theirLabel .
  FILTER(STRSTARTS(STR(?theirs), "http://purl.obolibrary.org/obo/HP_"))
}""")
    rows = {(str(r["ours"]), str(r["theirLabel"])) for r in api.query(str(join), release_file=release).as_dicts()}
    assert ("https://w3id.org/dystonia-kg/DYKG_0005009", "Muscle spasm") in rows
    release.write_bytes(release.read_bytes() + b"\n")  # a new release: the store is rebuilt, the vocabulary reloaded
    rows_again = {(str(r["ours"]), str(r["theirLabel"])) for r in api.query(str(join), release_file=release).as_dicts()}
    assert rows_again == rows


def test_the_load_command_shows_progress_and_rejects_unknown_files(release_copy, tmp_path):
    release = tmp_path / "dystonia.ttl"
    release.write_bytes(release_copy.read_bytes())
    ok = CliRunner().invoke(main, ["load", str(DATA / "hp-extract.ttl"), "--release", str(release)])
    assert ok.exit_code == 0, ok.output
    assert "loaded" in ok.output and "hp-extract.ttl" in ok.output
    bad = CliRunner().invoke(main, ["load", str(DATA / "README.md"), "--release", str(release)])
    assert bad.exit_code == 2 and "README.md" in bad.output


def test_remote_parameters_become_a_values_block_of_escaped_terms():
    text = "# title: x\n# WHERE { in a comment }\nSELECT ?s ?text WHERE {\n  ?s ?p ?o\n}"
    from rdflib import Variable
    bound = inline_values(text, {Variable("text"): Literal('"} } DROP ALL #')})
    assert 'VALUES (?text) { ("\\"} } DROP ALL #") }' in bound
    assert bound.index("VALUES") > bound.index("SELECT")  # the comment's WHERE was skipped


def test_publish_into_a_named_graph_and_query_that_graph(oxigraph_server, release_dir):
    graph = "https://example.org/graphs/dystonia-kg"
    published = CliRunner().invoke(main, ["publish", "--endpoint", f"{oxigraph_server}/store", "--graph", graph,
                                          "--release", str(release_dir / "dystonia.ttl")])
    assert published.exit_code == 0, published.output
    assert f"--graph {graph}" in published.stderr  # says how to query it
    asked = CliRunner().invoke(main, ["query", "find-by-name", "-p", "text=torticollis", "--endpoint",
                                      f"{oxigraph_server}/query", "--graph", graph, "--format", "csv"])
    assert asked.exit_code == 0, asked.output
    assert "cervical dystonia" in asked.stdout
    empty = CliRunner().invoke(main, ["query", "find-by-name", "-p", "text=torticollis", "--endpoint",
                                      f"{oxigraph_server}/query", "--graph", "https://example.org/graphs/none"])
    assert empty.exit_code == 0 and "(0 rows)" in empty.stdout


def test_the_query_command_reaches_an_endpoint(oxigraph_server, release_dir):
    published = CliRunner().invoke(main, ["publish", "--endpoint", f"{oxigraph_server}/store",
                                          "--release", str(release_dir / "dystonia.ttl")])
    assert published.exit_code == 0, published.output
    result = CliRunner().invoke(main, ["query", "find-by-name", "-p", "text=torticollis",
                                       "--endpoint", f"{oxigraph_server}/query", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "cervical dystonia" in result.output


def test_endpoint_failures_are_clear_messages(oxigraph_server):
    refused = CliRunner().invoke(main, ["query", "find-by-name", "-p", "text=x",
                                        "--endpoint", f"http://127.0.0.1:{free_port()}/query"])
    assert refused.exit_code == 2 and "connection refused" in refused.output
    missing = CliRunner().invoke(main, ["query", "find-by-name", "-p", "text=x",
                                        "--endpoint", f"{oxigraph_server}/no-such-path"])
    assert missing.exit_code == 2 and "HTTP 404" in missing.output
    with socket.socket() as silent:  # accepts connections but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        with pytest.raises(QueryError, match="timeout"):
            RemoteEngine(f"http://127.0.0.1:{port}/query", timeout=0.5).select("SELECT * WHERE { ?s ?p ?o }", {}, "q")
    bad_url = CliRunner().invoke(main, ["query", "find-by-name", "-p", "text=x", "--endpoint", "ftp://x"])
    assert bad_url.exit_code == 2 and "not an http(s) URL" in bad_url.output


@pytest.mark.slow
def test_serve_gives_a_read_only_endpoint_with_a_timeout(release_copy):
    from dystonia_kg.query.serving import serve_command

    store = EmbeddedStore(release_copy)
    store.ensure_current()
    port = free_port()
    command = serve_command(store, "127.0.0.1", port, 5)
    assert "serve-read-only" in command and "--timeout-s" in command and f"127.0.0.1:{port}" in command
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_until_serving(base), "the read-only server did not start"
        answer = RemoteEngine(f"{base}/query").select(
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {}, "count")
        assert int(answer.rows[0][0]) > 1000
        update = urllib.request.Request(f"{base}/update", data=b"CLEAR ALL", method="POST",
                                        headers={"Content-Type": "application/sparql-update"})
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(update, timeout=5)
    finally:
        process.terminate()
        process.wait(timeout=10)
