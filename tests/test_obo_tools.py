"""The release is whole in the OBO tools users run: pronto and py-horned-owl read every relationship of
dystonia.owl, and dystonia.obo parses with fastobo and pronto with its relationships and definition xrefs."""

from __future__ import annotations

import json
import warnings

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDFS

from dystonia_kg.build.canonical import canonical_graph, canonical_triples
from dystonia_kg.build.obo import obo_text
from dystonia_kg.build.rdfxml import rdfxml_text
from dystonia_kg.core.prefixes import PrefixMap
from dystonia_kg.core.resources import default_layout
from helpers import PREFIXES

DYKG = "https://w3id.org/dystonia-kg/DYKG_"


def existential_relationships(graph: Graph) -> set[tuple[str, str, str]]:
    """(class, property, filler) of every `class SubClassOf: property some filler` between named classes."""
    found = set()
    for subject, restriction in graph.subject_objects(RDFS.subClassOf):
        prop, filler = graph.value(restriction, OWL.onProperty), graph.value(restriction, OWL.someValuesFrom)
        if isinstance(subject, URIRef) and isinstance(restriction, BNode) and isinstance(filler, URIRef):
            found.add((str(subject), str(prop), str(filler)))
    return found


def pronto_relationships(ontology) -> set[tuple[str, str, str]]:
    return {(term.id, relation.id, target.id) for term in ontology.terms()
            for relation, targets in term.relationships.items() for target in targets}


def as_curies(triples: set[tuple[str, str, str]]) -> set[tuple[str, ...]]:
    prefixes = PrefixMap.from_file(default_layout().prefix_map_file)
    return {tuple(prefixes.contract(part) or part for part in triple) for triple in triples}


@pytest.fixture(scope="module")
def expected(release_graph) -> set[tuple[str, str, str]]:
    relationships = existential_relationships(release_graph)
    assert len(relationships) > 400  # genes, onset, distribution, symptoms, drugs, ... of every class
    return relationships


def test_pronto_reads_every_relationship_of_the_owl_file(release_dir, expected):
    pronto = pytest.importorskip("pronto")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pronto warns on every axiom annotation it does not keep (sources)
        ontology = pronto.Ontology(str(release_dir / "dystonia.owl"))
    read = {(t, r, f) for t, r, f in pronto_relationships(ontology)}
    # pronto names our terms by IRI (it compacts only OBO PURLs), RO terms by CURIE.
    prefixes = PrefixMap.from_file(default_layout().prefix_map_file)
    normalised = {tuple(prefixes.contract(part) or part for part in triple) for triple in read}
    assert normalised == as_curies(expected)


def test_py_horned_owl_reads_every_relationship_of_the_owl_file(release_dir, expected):
    pyhornedowl = pytest.importorskip("pyhornedowl")
    from pyhornedowl import model

    ontology = pyhornedowl.open_ontology(str(release_dir / "dystonia.owl"), "rdf")
    read = set()
    for annotated in ontology.get_axioms():
        axiom = annotated.component
        if (isinstance(axiom, model.SubClassOf) and isinstance(axiom.sub, model.Class)
                and isinstance(axiom.sup, model.ObjectSomeValuesFrom) and isinstance(axiom.sup.bce, model.Class)):
            read.add((str(axiom.sub.first), str(axiom.sup.ope.first), str(axiom.sup.bce.first)))
    assert read == expected


def test_the_owl_file_holds_exactly_the_triples_of_the_turtle_file(release_dir, release_graph):
    reparsed = Graph().parse(release_dir / "dystonia.owl", format="xml")
    assert canonical_triples(reparsed) == canonical_triples(release_graph)


def test_the_owl_file_declares_our_prefix_and_nests_each_restriction_in_its_class(release_dir):
    text = (release_dir / "dystonia.owl").read_text(encoding="utf-8")
    assert 'xmlns:DYKG="https://w3id.org/dystonia-kg/DYKG_"' in text
    assert "<rdfs:subClassOf rdf:nodeID=" not in text  # a restriction is never a detached node


def test_a_restriction_with_an_axiom_annotation_is_nested_and_the_axiom_refers_to_it():
    graph = Graph().parse(data=PREFIXES + """
        DYKG:0000001 a owl:Class ; rdfs:label "a"@en ; rdfs:subClassOf _:r .
        _:r a owl:Restriction ; owl:onProperty RO:0004003 ; owl:someValuesFrom DYKG:0000004 .
        [] a owl:Axiom ; owl:annotatedSource DYKG:0000001 ; owl:annotatedProperty rdfs:subClassOf ;
           owl:annotatedTarget _:r ; oboInOwl:source "PMID:1" .
    """, format="turtle")
    text = rdfxml_text(canonical_graph(graph), PrefixMap.from_file(default_layout().prefix_map_file))
    class_element = text[text.index("<owl:Class "):text.index("</owl:Class>")]
    assert "<owl:Restriction rdf:nodeID=" in class_element
    axiom_element = text[text.index("<owl:Axiom"):text.index("</owl:Axiom>")]
    assert "<owl:annotatedTarget rdf:nodeID=" in axiom_element
    assert canonical_triples(Graph().parse(data=text, format="xml")) == canonical_triples(graph)


def test_the_obo_file_parses_with_fastobo_and_keeps_relationships_and_definition_xrefs(release_dir, expected):
    fastobo = pytest.importorskip("fastobo")
    pronto = pytest.importorskip("pronto")
    document = fastobo.load(str(release_dir / "dystonia.obo"))
    assert len([frame for frame in document if isinstance(frame, fastobo.term.TermFrame)]) >= 364
    ontology = pronto.Ontology(str(release_dir / "dystonia.obo"))
    assert pronto_relationships(ontology) == as_curies(expected)
    tor1a = ontology["DYKG:0002001"]
    assert tor1a.name == "DYT-TOR1A"
    assert {"PMID:27079681", "OMIM:128100"} <= {xref.id for xref in tor1a.definition.xrefs}
    assert "DYKG:0000001" in {parent.id for parent in tor1a.superclasses(distance=1, with_self=False)}


def test_obo_escapes_what_obo_would_read_as_syntax():
    graph = Graph().parse(data=PREFIXES + """
        DYKG:0000001 a owl:Class ; rdfs:label "odd {name} ! here"@en ;
            IAO:0000115 "A \\"quoted\\" definition."@en ; IAO:0000119 "PMID:1" .
    """, format="turtle")
    text = obo_text(graph, PrefixMap.from_file(default_layout().prefix_map_file))
    assert "name: odd \\{name\\} \\! here" in text
    assert 'def: "A \\"quoted\\" definition." [PMID:1]' in text
    fastobo = pytest.importorskip("fastobo")
    assert fastobo.loads(text)[0].id == fastobo.id.PrefixedIdent("DYKG", "0000001")


def test_the_release_ships_a_jsonld_context_of_every_prefix(release_dir):
    context = json.loads((release_dir / "dystonia.context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert context["DYKG"] == "https://w3id.org/dystonia-kg/DYKG_"
    assert context["HGNC"] == "http://identifiers.org/hgnc/"
    assert context["MONDO"] == "http://purl.obolibrary.org/obo/MONDO_"
