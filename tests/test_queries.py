"""Queries: found by name or path, parameters bound as RDF terms, errors that say what is wrong."""

from __future__ import annotations

import json

import pytest
from rdflib import Literal, URIRef

from dystonia_kg import prefix_map, query
from dystonia_kg.core.errors import QueryError, SourceError
from dystonia_kg.query.catalogue import QueryCatalogue, format_result, parse_parameter_arguments

DYSTONIA = URIRef("https://w3id.org/dystonia-kg/DYKG_0000001")
INJECTION = '"} } UNION { ?entity ?p ?matched . BIND("label" AS ?nameKind) ?entity <http://www.w3.org/2000/01/rdf-schema#label> ?label } #'


def test_every_shipped_query_has_a_title_and_parses(release_graph):
    catalogue = QueryCatalogue()
    names = [q.name for q in catalogue.all()]
    assert "find-by-name" in names and "describe-entity" in names
    for sparql in catalogue.all():
        assert sparql.title
        if not sparql.parameters:
            query(sparql.name, graph=release_graph)


def test_a_text_parameter_full_of_quotes_and_braces_is_only_a_literal(release_graph):
    hostile = query("find-by-name", {"text": INJECTION}, graph=release_graph)
    assert hostile.rows == ()
    honest = query("find-by-name", {"text": "dystonia"}, graph=release_graph)
    assert DYSTONIA in honest.column("entity")


def test_an_iri_parameter_accepts_a_label_a_synonym_a_curie_or_an_iri(release_graph):
    for value in ("dystonia", "  Dystonia ", "torsion dystonia", "DYKG:0000001", str(DYSTONIA), f"<{DYSTONIA}>"):
        result = query("describe-entity", {"entity": value}, graph=release_graph)
        assert result.column("entity") == [DYSTONIA], value


def test_an_iri_parameter_that_names_nothing_is_a_clear_error(release_graph):
    with pytest.raises(QueryError, match="no entity has the label or synonym"):
        query("describe-entity", {"entity": INJECTION}, graph=release_graph)


def test_an_unknown_query_lists_the_known_ones():
    with pytest.raises(QueryError, match="unknown query 'no-such-query'.*find-by-name"):
        QueryCatalogue().find("no-such-query")


def test_a_missing_parameter_says_which_and_what_it_means(release_graph):
    with pytest.raises(QueryError, match="needs --param text=VALUE"):
        query("find-by-name", {}, graph=release_graph)


def test_an_undeclared_parameter_is_refused(release_graph):
    with pytest.raises(QueryError, match="has no parameter colour"):
        query("find-by-name", {"text": "x", "colour": "blue"}, graph=release_graph)


def test_a_sparql_syntax_error_names_the_file(release_graph, tmp_path):
    broken = tmp_path / "broken.rq"
    broken.write_text("# title: Broken\nSELECT ?x WHERE { ?x ?y }\n")
    with pytest.raises(QueryError, match=r"broken\.rq: SPARQL error"):
        query(str(broken), graph=release_graph)


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


def test_results_render_as_table_csv_tsv_and_sparql_json(release_graph):
    result = query("describe-entity", {"entity": "dystonia"}, graph=release_graph)
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
