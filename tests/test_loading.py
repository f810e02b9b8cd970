"""Step 1, load: every source is parsed and merged; broken input names the file and place."""

from __future__ import annotations

import pytest

from dystonia_kg.build.loading import load_sources
from dystonia_kg.core.errors import SourceError
from helpers import add_module

AXIOM_HEADER = "subject_id\tsubject_label\tproperty_id\tobject_id\tobject_label\tsource\n"
MAPPING_HEADER = "subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification\n"


def write_table(layout, relative: str, header: str, *rows: str) -> None:
    """Add a TSV table (header line, then the given rows) under the layout's ontology folder."""
    path = layout.ontology_dir / relative
    path.parent.mkdir(exist_ok=True)
    path.write_text(header + "".join(rows), encoding="utf-8")


def test_sources_merge_into_one_graph_with_one_ontology_header(sources):
    loaded = load_sources(sources)
    assert str(loaded.ontology_iri) == "https://w3id.org/dystonia-kg/dystonia.owl"
    turtle = [p.name for p in loaded.files if p.suffix == ".ttl"]
    assert {"core.ttl", "dystonia-kg.ttl", "clinical.ttl"} <= set(turtle)
    assert turtle == sorted(turtle)  # a fixed order, whatever the file system lists first


def test_a_turtle_syntax_error_names_file_line_and_column(sources):
    add_module(sources, "broken.ttl", "DYKG:0009999 a owl:Class ;\n    rdfs:label \"unterminated ;\n")
    with pytest.raises(SourceError) as raised:
        load_sources(sources)
    error = raised.value
    assert error.path.name == "broken.ttl"
    assert error.line == 9  # 7 prefix lines, then the class, then the bad label
    assert error.column is not None and error.column > 1
    assert str(error).startswith(f"{error.path}:9:")
    assert "Turtle syntax error" in str(error)


def test_a_second_ontology_header_is_rejected(sources):
    add_module(sources, "other.ttl", "<https://example.org/other.owl> a owl:Ontology .\n")
    with pytest.raises(SourceError, match="exactly one owl:Ontology"):
        load_sources(sources)


def test_an_axiom_table_row_whose_label_does_not_match_its_identifier_is_rejected_with_its_line(sources):
    write_table(sources, "axioms/facts.tsv", AXIOM_HEADER,
        "DYKG:0000001\tdystonia\tDYKG:0000115\tDYKG:0000012\taggravating factor\tdykg.seed:guide\n"
        "DYKG:0000001\tdystonia\tDYKG:0000115\tDYKG:0000011\taggravating factor\tdykg.seed:guide\n")
    with pytest.raises(SourceError) as raised:
        load_sources(sources)
    assert raised.value.line == 3
    assert "not the label of DYKG:0000011" in str(raised.value)


def test_an_axiom_table_row_without_a_source_is_rejected(sources):
    write_table(sources, "axioms/facts.tsv", AXIOM_HEADER,
        "DYKG:0000001\tdystonia\tDYKG:0000115\tDYKG:0000012\taggravating factor\t\n")
    with pytest.raises(SourceError, match="source is empty"):
        load_sources(sources)


def test_an_axiom_table_row_becomes_an_existential_restriction_annotated_with_its_source(sources):
    write_table(sources, "axioms/facts.tsv", AXIOM_HEADER,
        "DYKG:0000001\tdystonia\tDYKG:0000115\tDYKG:0000012\taggravating factor\tdykg.seed:guide|PMID:23649720\n")
    graph = load_sources(sources).graph
    rows = list(graph.query("""
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>
        SELECT ?source WHERE {
          <https://w3id.org/dystonia-kg/DYKG_0000001> rdfs:subClassOf ?r .
          ?r owl:onProperty <https://w3id.org/dystonia-kg/DYKG_0000115> ;
             owl:someValuesFrom <https://w3id.org/dystonia-kg/DYKG_0000012> .
          ?axiom owl:annotatedSource <https://w3id.org/dystonia-kg/DYKG_0000001> ;
                 owl:annotatedTarget ?r ; oboInOwl:source ?source .
        }"""))
    assert sorted(str(row.source) for row in rows) == ["PMID:23649720", "dykg.seed:guide"]


def test_a_mapping_to_an_unknown_prefix_is_rejected_with_its_line(sources):
    write_table(sources, "mappings/test.tsv", MAPPING_HEADER,
        "DYKG:0000001\tdystonia\tskos:exactMatch\tNOPE:123\tdystonia\tsemapv:ManualMappingCuration\n")
    with pytest.raises(SourceError) as raised:
        load_sources(sources)
    assert raised.value.line == 2
    assert "prefix 'NOPE'" in str(raised.value)


def test_a_mapping_becomes_a_skos_match_and_only_an_exact_one_a_dbxref(sources):
    write_table(sources, "mappings/test.tsv", MAPPING_HEADER,
        "DYKG:0000001\tdystonia\tskos:closeMatch\tHP:9999999\texample phenotype (fictitious identifier)\tsemapv:ManualMappingCuration\n",
        "DYKG:0000001\tdystonia\tskos:exactMatch\tHP:9999998\texample phenotype (fictitious identifier)\tsemapv:ManualMappingCuration\n")
    from rdflib import Literal, URIRef
    from rdflib.namespace import SKOS

    from dystonia_kg.core.vocabulary import HAS_DBXREF

    graph = load_sources(sources).graph
    subject = URIRef("https://w3id.org/dystonia-kg/DYKG_0000001")
    assert (subject, SKOS.closeMatch, URIRef("http://purl.obolibrary.org/obo/HP_9999999")) in graph
    assert (subject, HAS_DBXREF, Literal("HP:9999999")) not in graph  # OBO tools read an xref as equivalence
    assert (subject, SKOS.exactMatch, URIRef("http://purl.obolibrary.org/obo/HP_9999998")) in graph
    assert (subject, HAS_DBXREF, Literal("HP:9999998")) in graph
