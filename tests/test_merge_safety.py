"""Merge-safe with MONDO: a user who merges the release with MONDO (or RO, HPO) and reasons gets no MONDO
class under ours, no disease equated with a phenotype, no broad or close match read as an xref, and can join
our gene and inheritance facts to MONDO's by the same IRIs."""

from __future__ import annotations

import csv

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from conftest import REPOSITORY
from dystonia_kg.build.reasoning import classify
from dystonia_kg.core.vocabulary import DEFINITION, HAS_DBXREF, OBO

DYKG = "https://w3id.org/dystonia-kg/DYKG_"
HP = "http://purl.obolibrary.org/obo/HP_"
EXTRACT = REPOSITORY / "tests" / "data" / "mondo-bridge-extract.ttl"
ONTOLOGY = URIRef("https://w3id.org/dystonia-kg/dystonia.owl")
RO_REFERENCES = ["RO_0004003", "RO_0002452", "RO_0002200", "RO_0004026", "RO_0002606", "RO_0003303", "RO_0002331",
                 "RO_0000053"]
DISEASE = URIRef(DYKG + "0000002")
OBO_IN_OWL_SOURCE = URIRef("http://www.geneontology.org/formats/oboInOwl#source")


@pytest.fixture(scope="module")
def bridge(release_dir) -> Graph:
    return Graph().parse(release_dir / "dystonia-mondo-bridge.owl", format="xml")


@pytest.fixture(scope="module")
def merged(release_dir) -> Graph:
    """What a MONDO user loads: our release, its MONDO bridge module, and MONDO."""
    graph = Graph().parse(release_dir / "dystonia.nt")
    graph.parse(release_dir / "dystonia-mondo-bridge.owl", format="xml")
    graph.parse(EXTRACT)
    return graph


@pytest.mark.parametrize("local", RO_REFERENCES)
def test_relation_ontology_properties_are_references_without_definitions_domains_or_ranges(release_graph, local):
    prop = OBO[local]
    assert (prop, RDF.type, OWL.ObjectProperty) in release_graph
    assert len(list(release_graph.objects(prop, RDFS.label))) == 1
    for predicate in (DEFINITION, RDFS.domain, RDFS.range, OBO["IAO_0000119"]):
        assert list(release_graph.objects(prop, predicate)) == [], f"{local} has {predicate} of ours"


def test_merged_with_a_mondo_extract_and_reasoned_no_mondo_class_falls_under_ours(merged):
    result = classify(merged, str(ONTOLOGY))
    misfiled = [(str(i.subject), str(i.object)) for i in result.inferred
                if not str(i.subject).startswith(DYKG) and str(i.object).startswith(DYKG)]
    assert misfiled == []


def test_an_hgnc_iri_reaches_our_genetic_dystonia_and_joins_the_mondo_disease(merged):
    rows = merged.query("""
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?ours ?mondo WHERE {
          ?ours rdfs:subClassOf [ owl:onProperty <http://purl.obolibrary.org/obo/RO_0004003> ;
                                  owl:someValuesFrom <http://identifiers.org/hgnc/3098> ] .
          ?mondo rdfs:subClassOf [ owl:onProperty <http://purl.obolibrary.org/obo/RO_0004003> ;
                                   owl:someValuesFrom <http://identifiers.org/hgnc/3098> ] .
          FILTER(STRSTARTS(STR(?ours), "https://w3id.org/dystonia-kg/"))
          FILTER(STRSTARTS(STR(?mondo), "http://purl.obolibrary.org/obo/MONDO_"))
        }""")
    assert {(str(o), str(m)) for o, m in rows} == {
        (DYKG + "0002001", "http://purl.obolibrary.org/obo/MONDO_0007492")}  # DYT-TOR1A


def test_inheritance_is_stated_as_mondo_states_it(merged):
    rows = merged.query("""
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?mondo WHERE {
          <https://w3id.org/dystonia-kg/DYKG_0002001> rdfs:subClassOf
              [ owl:onProperty <http://purl.obolibrary.org/obo/RO_0000053> ; owl:someValuesFrom ?mode ] .
          ?mondo rdfs:subClassOf [ owl:onProperty <http://purl.obolibrary.org/obo/RO_0000053> ; owl:someValuesFrom ?mode ] .
          FILTER(STRSTARTS(STR(?mondo), "http://purl.obolibrary.org/obo/MONDO_"))
        }""")
    assert [str(row[0]) for row in rows] == ["http://purl.obolibrary.org/obo/MONDO_0007492"]


def test_every_curated_gene_fact_has_its_hgnc_twin_with_the_same_sources(release_graph, bridge):
    facts = release_graph.query("""
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?disease ?gene ?hgnc WHERE {
          ?disease rdfs:subClassOf [ owl:onProperty <http://purl.obolibrary.org/obo/RO_0004003> ; owl:someValuesFrom ?gene ] .
          ?gene skos:exactMatch ?hgnc .
          FILTER(STRSTARTS(STR(?hgnc), "http://identifiers.org/hgnc/"))
        }""")
    pairs = {(d, h) for d, _, h in facts}
    assert len(pairs) > 20
    for disease, hgnc in pairs:
        twins = [r for r in bridge.objects(disease, RDFS.subClassOf) if bridge.value(r, OWL.someValuesFrom) == hgnc]
        assert len(twins) == 1, (disease, hgnc)
        [axiom] = bridge.subjects(OWL.annotatedTarget, twins[0])
        assert list(bridge.objects(axiom, OBO_IN_OWL_SOURCE)), f"{disease} -> {hgnc} has no source"
    # The main release states each fact once, with our gene: queries and OBO tools see no twin.
    assert not [o for o in release_graph.objects(None, OWL.someValuesFrom) if str(o).startswith("http://identifiers.org/hgnc/")]



def test_no_disease_is_an_exact_or_close_match_of_an_hpo_phenotype(release_graph):
    diseases = set(release_graph.transitive_subjects(RDFS.subClassOf, DISEASE))
    assert len(diseases) > 100
    for predicate in (SKOS.exactMatch, SKOS.closeMatch):
        equated = [(str(d), str(t)) for d in diseases for t in release_graph.objects(d, predicate)
                   if str(t).startswith(HP)]
        assert equated == []
    # The links are kept as has-phenotype facts instead: focal dystonia has phenotype HP:0004373 Focal dystonia.
    focal = URIRef(DYKG + "0001100")
    fillers = {release_graph.value(r, OWL.someValuesFrom) for r in release_graph.objects(focal, RDFS.subClassOf)
               if release_graph.value(r, OWL.onProperty) == OBO["RO_0002200"]}
    assert URIRef(HP + "0004373") in fillers
    assert release_graph.value(URIRef(HP + "0004373"), RDFS.label) == Literal("Focal dystonia")


def test_xrefs_are_written_for_exact_matches_only(release_graph, prefixes):
    for subject, xref in release_graph.subject_objects(HAS_DBXREF):
        if not isinstance(subject, URIRef):
            continue  # an xref on a definition axiom names a source, not a mapping
        assert (subject, SKOS.exactMatch, prefixes.expand(str(xref))) in release_graph, (subject, xref)
    close = [(s, o) for s, o in release_graph.subject_objects(SKOS.closeMatch)]
    assert close and all(Literal(prefixes.contract(str(o))) not in set(release_graph.objects(s, HAS_DBXREF))
                         for s, o in close)


def test_the_sssom_set_says_what_the_graph_says(release_dir, release_graph, prefixes):
    with (release_dir / "dystonia.sssom.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t"))
    assert len(rows) > 400
    for row in rows:
        subject, target = prefixes.expand(row["subject_id"]), prefixes.expand(row["object_id"])
        predicate = SKOS[row["predicate_id"].split(":", 1)[1]]
        assert (subject, predicate, target) in release_graph
        has_xref = (subject, HAS_DBXREF, Literal(row["object_id"])) in release_graph
        assert has_xref == (row["predicate_id"] == "skos:exactMatch"), row


def test_the_ontology_creator_is_an_iri(release_graph):
    creators = list(release_graph.objects(ONTOLOGY, DCTERMS.creator))
    assert creators and all(isinstance(c, URIRef) for c in creators)


def test_definition_sources_are_annotations_on_the_definition(release_graph):
    term = URIRef(DYKG + "0002001")
    definition = release_graph.value(term, DEFINITION)
    [axiom] = [a for a in release_graph.subjects(OWL.annotatedSource, term)
               if release_graph.value(a, OWL.annotatedProperty) == DEFINITION]
    assert release_graph.value(axiom, OWL.annotatedTarget) == definition
    assert {"PMID:27079681", "OMIM:128100"} <= {str(x) for x in release_graph.objects(axiom, HAS_DBXREF)}


def test_a_table_row_that_gives_an_external_term_two_labels_is_refused(sources):
    from dystonia_kg.build.loading import load_sources
    from dystonia_kg.core.errors import SourceError

    path = sources.ontology_dir / "axioms" / "zz-test.tsv"
    path.write_text("subject_id\tsubject_label\tproperty_id\tobject_id\tobject_label\tsource\n"
                    "DYKG:0001100\tfocal dystonia\tRO:0002200\tHP:0004373\tFocal dystonia\tHP:0004373\n"
                    "DYKG:0001101\tsegmental dystonia\tRO:0002200\tHP:0004373\tSegmental dystonia\tHP:0004373\n",
                    encoding="utf-8")
    with pytest.raises(SourceError, match="differs from the label 'Focal dystonia'"):
        load_sources(sources)


@pytest.fixture(scope="module")
def prefixes():
    from dystonia_kg.core.prefixes import PrefixMap
    return PrefixMap.from_file(REPOSITORY / "ontology" / "prefixes.json")

