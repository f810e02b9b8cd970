"""Drugs that cause dystonia (issue 14): each fact a user would act on names the label it was read on and the
DrugBank record of the drug, and each drug is linked to DrugBank, so a clinician can check it and a tool can join it.

The facts come from SIDER 4.1 (DOI:10.1093/nar/gkv1075): the side effects printed on drug labels. The module's
sources are ontology/terms/adverse-effects.tsv, axioms/adverse-effects.tsv and mappings/adverse-effects.tsv.
"""

from __future__ import annotations

import re

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDFS

from conftest import REPOSITORY
from helpers import DYKG

SIDER = "DOI:10.1093/nar/gkv1075"
DRUG_INDUCED_DYSTONIA = URIRef(DYKG + "0003200")
CAUSES = URIRef("http://purl.obolibrary.org/obo/RO_0003303")
SOURCE = URIRef("http://www.geneontology.org/formats/oboInOwl#source")
HAS_EVIDENCE = URIRef(DYKG + "0011007")
AUTHOR_STATEMENT = URIRef("http://purl.obolibrary.org/obo/ECO_0000304")
EXACT_MATCH = URIRef("http://www.w3.org/2004/02/skos/core#exactMatch")
DRUGBANK = "http://identifiers.org/drugbank/"
ATC = "http://identifiers.org/atc/"
MODULE_TERMS = REPOSITORY / "ontology" / "terms" / "adverse-effects.tsv"

# A drug stated, on itself, to cause drug-induced dystonia: the class, the restriction and its axiom annotation.
STATED_CAUSES = """
SELECT ?drug ?axiom WHERE {
  ?drug rdfs:subClassOf ?restriction .
  ?restriction owl:onProperty ?causes ; owl:someValuesFrom ?condition .
  FILTER(isIRI(?drug))
  ?axiom owl:annotatedSource ?drug ; owl:annotatedTarget ?restriction .
}"""


def stated_causes(release_graph: Graph) -> dict[URIRef, list]:
    """drug -> the axiom annotations of its own 'causes drug-induced dystonia' statements."""
    found: dict[URIRef, list] = {}
    rows = release_graph.query(STATED_CAUSES, initNs={"rdfs": RDFS, "owl": OWL},
                               initBindings={"causes": CAUSES, "condition": DRUG_INDUCED_DYSTONIA})
    for drug, axiom in rows:
        found.setdefault(drug, []).append(axiom)
    return found


def label(graph: Graph, term: URIRef) -> str:
    return str(graph.value(term, RDFS.label))


def test_the_label_listed_drugs_are_the_ones_curated(release_graph):
    # The drugs whose label lists dystonia (or oromandibular dystonia) in SIDER 4.1 and that DrugBank calls an
    # antipsychotic, antiemetic or dopamine antagonist, plus levodopa (levodopa-induced dystonia).
    assert {label(release_graph, drug) for drug in stated_causes(release_graph)} == {
        "amisulpride", "loxapine", "thioridazine", "levodopa", "domperidone", "lurasidone", "paliperidone"}


def test_every_drug_that_causes_drug_induced_dystonia_has_a_drugbank_mapping_and_a_source(release_graph):
    causes = stated_causes(release_graph)
    assert causes
    for drug, axioms in causes.items():
        name = label(release_graph, drug)
        mapped = {str(match).removeprefix(DRUGBANK) for match in release_graph.objects(drug, EXACT_MATCH)
                  if str(match).startswith(DRUGBANK)}
        assert len(mapped) == 1, f"{name} has {len(mapped)} DrugBank mappings"
        for axiom in axioms:
            sources = {str(source) for source in release_graph.objects(axiom, SOURCE)}
            # the label the fact was read on, and the DrugBank record the label was matched to
            assert SIDER in sources, f"{name}: no SIDER source"
            assert {f"DRUGBANK:{record}" for record in mapped} <= sources, f"{name}: the source names another record"
            assert release_graph.value(axiom, HAS_EVIDENCE) == AUTHOR_STATEMENT, name
            # the provenance comment names the label entry read: SIDER's preferred term and its compound id
            comment = str(release_graph.value(axiom, RDFS.comment))
            assert "SIDER 4.1" in comment and re.search(r"PT '[^']*ystonia' on the label of CID1\d{8}", comment), \
                f"{name}: the comment does not say which label entry was read"


def test_every_drug_of_the_module_is_linked_to_drugbank_and_atc(release_graph):
    drugs = [URIRef(DYKG + line.split("\t", 1)[0].removeprefix("DYKG:"))
             for line in MODULE_TERMS.read_text(encoding="utf-8").splitlines() if line.startswith("DYKG:")]
    # the drugs themselves, not the mechanism or the defined class 'drug that can cause dystonia'
    drugs = [term for term in drugs if (term, RDFS.subClassOf, URIRef(DYKG + "0000005")) in release_graph
             and (term, OWL.equivalentClass, None) not in release_graph]
    assert {label(release_graph, drug) for drug in drugs} == {
        "amisulpride", "loxapine", "thioridazine", "domperidone", "lurasidone", "paliperidone"}
    for drug in drugs:
        matches = [str(match) for match in release_graph.objects(drug, EXACT_MATCH)]
        assert any(match.startswith(DRUGBANK) for match in matches), label(release_graph, drug)
        assert any(match.startswith(ATC) for match in matches), label(release_graph, drug)
        assert any(str(source).startswith("DRUGBANK:") for source in
                   release_graph.objects(drug, URIRef("http://purl.obolibrary.org/obo/IAO_0000119"))), \
            label(release_graph, drug)
