"""Curated forms: every OMIM disease with 'dystonia' in its name is a curated class of the release, with its
gene, inheritance and sources, and the reasoner files the syndromes and the combined forms where they belong."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from dystonia_kg.mapping.hpo import HpoRelease

DYKG = "https://w3id.org/dystonia-kg/DYKG_"
OMIM = "https://omim.org/entry/"


def test_every_omim_disease_named_dystonia_is_a_curated_class(release_graph):
    named = {a.disease_id for a in HpoRelease.locate().annotations()
             if a.disease_id.startswith("OMIM:") and "dystonia" in a.disease_name.lower()}
    assert len(named) == 51  # HPO 2025-01-16: the OMIM entries whose own name contains "dystonia"
    curated = {str(o).removeprefix(OMIM) for s, o in release_graph.subject_objects(SKOS.exactMatch)
               if str(o).startswith(OMIM) and str(s).startswith(DYKG)}
    assert sorted(d for d in named if d.removeprefix("OMIM:") not in curated) == []


def _has(graph, subject: str, prop: str, value: str) -> bool:
    query = """SELECT ?r WHERE { ?s rdfs:subClassOf ?r . ?r owl:onProperty ?p ; owl:someValuesFrom ?v }"""
    rows = graph.query(query, initBindings={"s": URIRef(DYKG + subject), "p": URIRef(prop), "v": URIRef(DYKG + value)})
    return len(rows) > 0


def test_hypermanganesemia_with_dystonia_2_has_its_gene_and_is_filed_as_dystonia_parkinsonism(release_graph):
    form = URIRef(DYKG + "0010011")
    assert str(release_graph.value(form, RDFS.label)) == "hypermanganesemia with dystonia 2"
    assert (form, SKOS.exactMatch, URIRef(OMIM + "617013")) in release_graph
    (gene,) = release_graph.subjects(RDFS.label, Literal("SLC39A14", lang="en"))
    assert _has(release_graph, "0010011", "http://purl.obolibrary.org/obo/RO_0004003", str(gene).removeprefix(DYKG))
    assert (form, RDFS.subClassOf, URIRef(DYKG + "0001112")) in release_graph  # inferred: dystonia-parkinsonism


def test_a_syndrome_with_dystonia_is_a_condition_with_dystonia_and_not_a_dystonia(release_graph):
    syndrome = URIRef(DYKG + "0010001")  # deafness, dystonia, and cerebral hypomyelination (BCAP31)
    assert (syndrome, RDFS.subClassOf, URIRef(DYKG + "0008100")) in release_graph
    assert (syndrome, RDFS.subClassOf, URIRef(DYKG + "0000001")) not in release_graph
