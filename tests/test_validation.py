"""Step 3, validate: SHACL shapes and QC rules; violations fail the build with a readable report."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS

from dystonia_kg import build, prefix_map, validate_graph
from dystonia_kg.build.validation import Validator
from dystonia_kg.core.engines import OxigraphEngine
from dystonia_kg.core.errors import ValidationFailedError
from dystonia_kg.core.resources import default_layout
from dystonia_kg.core.vocabulary import AXIOM_SOURCE, HAS_DBXREF
from helpers import DYKG, HEADER, PREFIXES, RELEASE_DATE, add_module, failures_of


def rules_broken_by(turtle: str) -> set[str]:
    return {violation.rule for violation in failures_of(turtle)}


def test_a_clean_class_breaks_no_rule():
    assert rules_broken_by("""
DYKG:0009001 a owl:Class ; rdfs:label "test class"@en ;
    IAO:0000115 "A test class."@en ; IAO:0000119 "PMID:23649720" .
""") == set()


@pytest.mark.parametrize("turtle, rule", [
    ('DYKG:0009001 a owl:Class ; IAO:0000115 "d" ; IAO:0000119 "dykg.seed:guide" .', "missing-label"),
    ('DYKG:0009001 a owl:Class ; rdfs:label "a", "b" ; IAO:0000115 "d" ; IAO:0000119 "dykg.seed:guide" .', "multiple-labels"),
    ('DYKG:0009001 a owl:Class ; rdfs:label "same" ; IAO:0000115 "d" ; IAO:0000119 "dykg.seed:guide" .\n'
     'DYKG:0009002 a owl:Class ; rdfs:label "Same" ; IAO:0000115 "d" ; IAO:0000119 "dykg.seed:guide" .', "duplicate-label"),
    ('DYKG:0009001 a owl:Class ; rdfs:label "two  spaces" ; IAO:0000115 "d" ; IAO:0000119 "dykg.seed:guide" .', "label-whitespace"),
    ('DYKG:0009001 a owl:Class ; rdfs:label "x" ; IAO:0000119 "dykg.seed:guide" .', "missing-definition"),
    ('DYKG:0009001 a owl:Class ; rdfs:label "x" ; IAO:0000115 "d", "e" ; IAO:0000119 "dykg.seed:guide" .', "multiple-definitions"),
    ('DYKG:0009001 a owl:Class ; rdfs:label "x" ; IAO:0000115 "d" .', "definition-without-source"),
    ('DYKG:0009001 a owl:Class ; rdfs:label "x" ; IAO:0000115 "d" ; IAO:0000119 "dykg.seed:guide" ;'
     ' oboInOwl:hasDbXref "not a curie" .', "invalid-xref"),
    ('DYKG:0009001 a owl:Class ; rdfs:label "old" ; IAO:0000115 "d" ; IAO:0000119 "dykg.seed:guide" ; owl:deprecated true .\n'
     'DYKG:0009002 a owl:Class ; rdfs:label "new" ; IAO:0000115 "d" ; IAO:0000119 "dykg.seed:guide" ;'
     ' rdfs:subClassOf DYKG:0009001 .', "deprecated-reference"),
])
def test_each_qc_rule_catches_its_defect(turtle, rule):
    assert rule in rules_broken_by(turtle)


def test_a_cross_reference_with_an_undeclared_prefix_is_invalid_in_a_release(release_graph):
    graph = Graph()
    for triple in release_graph:
        graph.add(triple)
    graph.parse(data=PREFIXES + 'DYKG:0000001 oboInOwl:hasDbXref "WIKI:Dystonia" .', format="turtle")
    report = validate_graph(graph)
    assert [(v.rule, v.label, v.value) for v in report.failures] == [("invalid-xref", "dystonia", "WIKI:Dystonia")]


@pytest.mark.parametrize("missing", ["title", "description", "license"])
def test_the_ontology_header_must_carry_title_description_and_license(missing):
    header = HEADER.replace(f"<http://purl.org/dc/terms/{missing}>", "rdfs:comment")
    graph = Graph().parse(data=PREFIXES + header, format="turtle")
    assert f"ontology-missing-{missing}" in {v.rule for v in validate_graph(graph).failures}


def test_the_ontology_header_must_carry_a_dated_version_iri():
    header = HEADER.replace("owl:versionIRI <https://example.org/2026-01-01/ext.owl> ;", "")
    graph = Graph().parse(data=PREFIXES + header, format="turtle")
    assert "ontology-missing-version-iri" in {v.rule for v in validate_graph(graph).failures}


def test_a_shape_violation_fails_the_build_and_the_report_names_entity_rule_and_message(sources, tmp_path):
    add_module(sources, "bad-property.ttl", """
DYKG:0009100 a owl:ObjectProperty ; rdfs:label "test relation"@en ;
    IAO:0000115 "A test relation without domain or range."@en ; IAO:0000119 "dykg.seed:guide" .
""")
    report_file = tmp_path / "report.json"
    with pytest.raises(ValidationFailedError) as raised:
        build(tmp_path / "out", layout=sources, release_date=RELEASE_DATE, report_file=report_file)
    found = {(v.rule, v.label, v.entity, v.path) for v in raised.value.report.failures}
    assert found == {
        ("dykgsh:OwnObjectPropertyShape/rdfs:domain", "test relation", DYKG + "0009100", "rdfs:domain"),
        ("dykgsh:OwnObjectPropertyShape/rdfs:range", "test relation", DYKG + "0009100", "rdfs:range"),
    }
    text = raised.value.report.to_text()
    assert "test relation <https://w3id.org/dystonia-kg/DYKG_0009100>" in text
    assert "needs exactly one named rdfs:domain" in text
    written = json.loads(report_file.read_text())
    assert written["conforms"] is False and written["violation_count"] == 2
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_synonym_repeating_the_label_is_reported():
    rules = rules_broken_by('DYKG:0009001 a owl:Class ; rdfs:label "x" ; IAO:0000115 "d" ; IAO:0000119 "dykg.seed:guide" ;'
                           ' oboInOwl:hasExactSynonym "X" .')
    assert "synonym-repeats-label" in rules


# --- SHACL-SPARQL constraints on Oxigraph find what pyshacl finds ------------------------------------------------

def broken_release(release_graph: Graph) -> Graph:
    """The release with every fifth fact-bearing triple removed (restrictions, sources, xrefs, parents) and a few
    malformed cross-references added: a broken input that fails most shapes, the same one every run."""
    fragile = {OWL.someValuesFrom, OWL.onProperty, RDFS.subClassOf, HAS_DBXREF, AXIOM_SOURCE}
    broken = Graph()
    for index, triple in enumerate(sorted(release_graph, key=lambda t: tuple(n.n3() for n in t))):
        if not (triple[1] in fragile and index % 5 == 0):
            broken.add(triple)
    for local, xref in (("0002505", "HGNC:GCH1"), ("0002001", "OMIM:12"), ("0002505", "HGNC:HGNC:4193")):
        broken.add((URIRef(DYKG + local), HAS_DBXREF, Literal(xref)))
    return broken


@pytest.mark.slow
def test_sparql_constraints_on_oxigraph_find_what_pyshacl_finds(release_graph):
    validator = Validator(default_layout(), prefix_map())
    data = broken_release(release_graph)
    engine = OxigraphEngine.copy_of(data)

    def findings(report) -> set[tuple[str, str, str, str, str]]:
        return {(v.rule, v.entity, v.path, v.value, v.message) for v in report.violations}

    ours = findings(validator._run_sparql_constraints(engine, data)) | findings(validator._run_shapes(data))
    pyshacl_alone = findings(validator._run_shapes(data, shapes=validator.shapes))
    assert len({rule for rule, *_ in pyshacl_alone}) >= 6, "the broken input must fail many shapes to prove much"
    assert ours == pyshacl_alone
