"""Query engines: the embedded store gives rdflib's answers, persists, follows the release, joins loaded
vocabularies; a real Oxigraph server answers the same, and endpoint failures are clear messages."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from dystonia_kg import api, prefix_map
from dystonia_kg.cli import main
from dystonia_kg.core.engines import OxigraphEngine, RdflibEngine, RemoteEngine, inline_values
from dystonia_kg.core.errors import QueryError
from dystonia_kg.query.catalogue import QueryCatalogue, run_query
from dystonia_kg.query.store import EmbeddedStore

DATA = Path(__file__).parent / "data"
EXAMPLE_PARAMETERS = {  # a value for every parameter name the shipped queries use
    "text": "dystonia", "entity": "dystonia", "region": "neck", "type": "cervical dystonia",
    "cause": "stroke", "inheritance": "autosomal dominant inheritance", "symbol": "GCH1", "gene": "GCH1",
    "system": "dopamine system", "mechanism": "muscarinic acetylcholine receptor antagonism",
}


def comparable(result) -> list[tuple]:
    """Rows as sorted tuples; concatenated values are sorted part by part, since GROUP_CONCAT order is free."""
    def cell(term):
        if term is None:
            return ""
        if isinstance(term, Literal) and isinstance(term.toPython(), (int, float, Decimal)):
            return str(Decimal(str(term.toPython())).normalize())  # 1000 and 1000.0 are one xsd:decimal value
        text = str(term)
        for separator in (" | ", ", "):
            if separator in text:
                return separator.join(sorted(text.split(separator)))
        return text
    return sorted(tuple(cell(term) for term in row) for row in result.rows)


@pytest.fixture(scope="module")
def release_copy(release_dir, tmp_path_factory) -> Path:
    """A private copy of the release, so store tests do not disturb other tests."""
    folder = tmp_path_factory.mktemp("release-copy")
    target = folder / "dystonia.ttl"
    target.write_bytes((release_dir / "dystonia.ttl").read_bytes())
    return target


def parameters_for(sparql) -> dict[str, str]:
    return {p.name: EXAMPLE_PARAMETERS[p.name] for p in sparql.parameters if not p.optional}


def test_every_query_gives_the_same_rows_on_the_embedded_store_and_on_rdflib(release_graph, release_copy):
    store = EmbeddedStore(release_copy)
    store.ensure_current()
    oxigraph = OxigraphEngine(store.open_read_only())
    reference = RdflibEngine(release_graph)
    catalogue = QueryCatalogue()
    for sparql in catalogue.all():
        parameters = parameters_for(sparql)
        expected = run_query(reference, sparql, parameters, prefix_map())
        actual = run_query(oxigraph, sparql, parameters, prefix_map())
        assert actual.variables == expected.variables, sparql.name
        assert comparable(actual) == comparable(expected), sparql.name


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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(base: str, seconds: float = 10.0) -> bool:
    """Poll a SPARQL server's query endpoint until it answers (True) or the time is up (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
            return True
        except OSError:
            time.sleep(0.1)
    return False


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph SPARQL server on loopback, stopped after the tests."""
    from dystonia_kg.query.serving import oxigraph_executable

    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen([oxigraph_executable(), "serve", "--location", str(location), "--bind",
                                f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    if not wait_until_serving(base):
        process.kill()
        pytest.fail("the Oxigraph server did not start")
    yield base
    process.terminate()
    process.wait(timeout=10)


def test_publish_then_every_query_remotely_matches_the_embedded_answers(oxigraph_server, release_dir, release_graph):
    published = CliRunner().invoke(main, ["publish", "--endpoint", f"{oxigraph_server}/store",
                                          "--release", str(release_dir / "dystonia.ttl")])
    assert published.exit_code == 0, published.output
    assert "published" in published.output
    remote = RemoteEngine(f"{oxigraph_server}/query", timeout=60)
    reference = RdflibEngine(release_graph)
    for sparql in QueryCatalogue().all():
        parameters = parameters_for(sparql)
        expected = run_query(reference, sparql, parameters, prefix_map())
        actual = run_query(remote, sparql, parameters, prefix_map())
        assert comparable(actual) == comparable(expected), sparql.name


def test_the_query_command_reaches_an_endpoint(oxigraph_server, release_dir):
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
