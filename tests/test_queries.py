"""Queries: found by name or path, parameters bound as RDF terms, errors that say what is wrong."""

from __future__ import annotations

import json

import pytest
from rdflib import BNode, Graph, Literal, URIRef, Variable

from dystonia_kg import prefix_map, query
from dystonia_kg.core.engines import RdflibEngine, inline_values
from dystonia_kg.core.errors import QueryError, SourceError
from dystonia_kg.core.resources import default_layout
from dystonia_kg.core.sparql_files import load_sparql_files, projection_of, read_sparql_file, unprojected_parameters
from dystonia_kg.query.catalogue import QueryCatalogue, format_result, parse_parameter_arguments

DYSTONIA = URIRef("https://w3id.org/dystonia-kg/DYKG_0000001")
INJECTION = '"} } UNION { ?entity ?p ?matched . BIND("label" AS ?nameKind) ?entity <http://www.w3.org/2000/01/rdf-schema#label> ?label } #'


def test_every_shipped_query_has_a_title_and_parses(release_store):
    catalogue = QueryCatalogue()
    names = [q.name for q in catalogue.all()]
    assert "find-by-name" in names and "describe-entity" in names
    for sparql in catalogue.all():
        assert sparql.title
        if not sparql.parameters:
            query(sparql.name, graph=release_store)


def test_a_text_parameter_full_of_quotes_and_braces_is_only_a_literal(release_store):
    hostile = query("find-by-name", {"text": INJECTION}, graph=release_store)
    assert hostile.rows == ()
    honest = query("find-by-name", {"text": "dystonia"}, graph=release_store)
    assert DYSTONIA in honest.column("entity")


def test_an_iri_parameter_accepts_a_label_a_synonym_a_curie_or_an_iri(release_store):
    for value in ("dystonia", "  Dystonia ", "torsion dystonia", "DYKG:0000001", str(DYSTONIA), f"<{DYSTONIA}>"):
        result = query("describe-entity", {"entity": value}, graph=release_store)
        assert result.column("entity") == [DYSTONIA], value


def test_an_iri_parameter_that_names_nothing_is_a_clear_error(release_store):
    with pytest.raises(QueryError, match="no entity has the label or synonym"):
        query("describe-entity", {"entity": INJECTION}, graph=release_store)


def test_an_unknown_query_lists_the_known_ones():
    with pytest.raises(QueryError, match="unknown query 'no-such-query'.*find-by-name"):
        QueryCatalogue().find("no-such-query")


def test_a_missing_parameter_says_which_and_what_it_means(release_store):
    with pytest.raises(QueryError, match="needs --param text=VALUE"):
        query("find-by-name", {}, graph=release_store)


def test_an_undeclared_parameter_is_refused(release_store):
    with pytest.raises(QueryError, match="has no parameter colour"):
        query("find-by-name", {"text": "x", "colour": "blue"}, graph=release_store)


def test_a_sparql_syntax_error_names_the_file(release_store, tmp_path):
    broken = tmp_path / "broken.rq"
    broken.write_text("# title: Broken\nSELECT ?x WHERE { ?x ?y }\n")
    with pytest.raises(QueryError, match=r"broken\.rq: SPARQL error"):
        query(str(broken), graph=release_store)


def test_a_parameter_declared_but_absent_from_the_query_is_a_header_error(tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("# title: Bad\n# param: region (iri) A region.\nSELECT ?x WHERE { ?x ?y ?z }\n")
    with pytest.raises(SourceError, match="'region' is not a variable"):
        QueryCatalogue().find(str(bad))


def test_command_line_parameters_split_on_the_first_equals_sign():
    assert parse_parameter_arguments(["text=a=b", "n=1"]) == {"text": "a=b", "n": "1"}
    with pytest.raises(QueryError, match="NAME=VALUE"):
        parse_parameter_arguments(["novalue"])
    with pytest.raises(QueryError, match="given twice"):
        parse_parameter_arguments(["a=1", "a=2"])


def test_results_render_as_table_csv_tsv_and_sparql_json(release_store):
    result = query("describe-entity", {"entity": "dystonia"}, graph=release_store)
    table = format_result(result, "table", prefix_map())
    assert "DYKG:0000001" in table and table.endswith("(1 row; long cells cut to fit, --format tsv shows them in full)")
    assert max(len(line) for line in table.splitlines()) <= 100
    assert format_result(result, "csv").splitlines()[0] == "entity,label,definition,sources,parents,xrefs"
    assert format_result(result, "tsv").splitlines()[1].startswith(str(DYSTONIA) + "\tdystonia\t")
    encoded = json.loads(format_result(result, "json"))
    assert encoded["head"]["vars"][0] == "entity"
    assert encoded["results"]["bindings"][0]["entity"] == {"type": "uri", "value": str(DYSTONIA)}
    assert encoded["results"]["bindings"][0]["label"]["xml:lang"] == "en"
    assert Literal("dystonia", lang="en") in result.column("label")


# --- the projection, read from rdflib's algebra; the VALUES block of a remote endpoint --------------------------

def shipped_sparql_files() -> list:
    layout = default_layout()
    return [*QueryCatalogue().all(), *load_sparql_files(layout.queries_dir / "internal"),
            *load_sparql_files(layout.qc_dir)]


def test_every_shipped_query_selects_its_parameters():
    for sparql in shipped_sparql_files():
        assert unprojected_parameters(sparql) == [], f"{sparql.path.name} must SELECT its parameters"


def test_a_parameter_left_out_of_the_projection_is_named(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("# title: t\n# param: region (iri) r\nSELECT ?type { ?type ?p ?region }\n")
    assert unprojected_parameters(read_sparql_file(path)) == ["region"]


def test_the_projection_comes_from_the_algebra_not_the_text():
    assert set(projection_of("SELECT * { ?s ?p ?o }") or ()) == {"s", "p", "o"}
    assert projection_of("SELECT ?a (COUNT(?b) AS ?n) WHERE { ?a ?x ?b } GROUP BY ?a") == ("a", "n")
    assert projection_of("# SELECT ?fake WHERE\nSELECT ?real { ?real ?p ?o }") == ("real",)
    assert projection_of("ASK { ?s ?p ?o }") is None


def test_remote_parameters_go_into_a_query_without_the_where_keyword():
    """Regression: the VALUES block was put after the keyword WHERE, which SPARQL makes optional."""
    text = '# title: no WHERE { in a comment }\nPREFIX ex: <http://example.org/>\nSELECT ?s ?text ("{" AS ?brace) {\n  ?s ?p ?text\n}'
    bound = inline_values(text, {Variable("text"): Literal("torticollis")})
    assert bound.index('VALUES (?text) { ("torticollis") }') > bound.index('AS ?brace) {')
    assert projection_of(bound) == ("s", "text", "brace")
    assert Graph().query(bound).type == "SELECT"  # still a query a SPARQL parser accepts


def test_an_oxigraph_evaluation_error_is_a_query_error_not_a_traceback(release_store):
    """Regression: Oxigraph refuses to substitute a variable the query does not select (blank nodes are still
    substituted), with a RuntimeError raised while the solutions are read; it must reach the user as one
    QueryError line."""
    with pytest.raises(QueryError, match="SPARQL error"):
        release_store.select("SELECT ?label WHERE { ?entity <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
                             {Variable("entity"): BNode("focus")}, "a query that does not select its parameter")


def test_a_parameter_binds_on_oxigraph_as_on_rdflib_even_when_the_query_does_not_select_it(release_store,
                                                                                          release_graph):
    """Parameters reach the embedded store as a VALUES block, as they reach a remote endpoint."""
    text = "SELECT ?label WHERE { ?entity <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    on_oxigraph = release_store.select(text, {Variable("entity"): DYSTONIA}, "test")
    on_rdflib = RdflibEngine(release_graph).select(text, {Variable("entity"): DYSTONIA}, "test")
    assert [str(row[0]) for row in on_oxigraph.rows] == [str(row[0]) for row in on_rdflib.rows] == ["dystonia"]
