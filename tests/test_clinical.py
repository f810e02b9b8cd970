"""Clinical knowledge: types, Axis I/II, signs, triggers, complications, diagnostics, conditions.

Each competency query is asked as a clinician would, and the answer is the one the seeds and the
2013 consensus give. The reasoner's classifications are checked on the release.
"""

from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.namespace import RDFS

from dystonia_kg import query
from helpers import DYKG, answer, failures_of


def labels(result, column: str) -> set[str]:
    return {str(value) for value in result.column(column)}




def test_cervical_types_are_the_dystonias_of_the_neck(release_store):
    found = labels(query("types-by-region", {"region": "neck"}, graph=release_store), "typeLabel")
    assert {"cervical dystonia", "rotational cervical dystonia", "laterocollis", "retrocollis", "anterocollis"} <= found
    assert "blepharospasm" not in found and "writer's cramp" not in found


def test_the_eyelid_region_gives_blepharospasm_and_meige_syndrome(release_store):
    found = labels(query("types-by-region", {"region": "eyelid"}, graph=release_store), "typeLabel")
    assert {"blepharospasm", "Meige syndrome"} <= found


def test_focal_dystonias_carry_their_region_and_typical_onset(release_store):
    rows = {row["typeLabel"]: row for row in answer(release_store, "focal-dystonias")}
    assert "neck" in rows["cervical dystonia"]["regions"] and "adult onset" in rows["cervical dystonia"]["onset"]
    assert "eyelid" in rows["blepharospasm"]["regions"]
    assert "late adulthood onset" in rows["blepharospasm"]["onset"]
    assert "larynx" in rows["laryngeal dystonia"]["regions"]
    assert "jaw" in rows["oromandibular dystonia"]["regions"]
    assert "hand" in rows["writer's cramp"]["regions"]
    # Meige syndrome is segmental and generalized dystonia is not focal: neither is listed.
    assert "Meige syndrome" not in rows and "generalized dystonia" not in rows


@pytest.mark.parametrize("dystonia_type, sign", [
    ("writer's cramp", "handwriting that worsens while writing"),
    ("blepharospasm", "uncontrollable blinking"),
    ("torticollis", "involuntary pulling of the neck"),
    ("spasmodic dysphonia", "trouble speaking"),
    ("lower limb dystonia", "dragging leg"),
    ("lower limb dystonia", "foot cramping"),
    ("cervical dystonia", "tremor"),  # stated for all dystonia, so it holds for every type
])
def test_early_signs_of_a_type(release_store, dystonia_type, sign):
    assert sign in labels(query("early-signs-of-type", {"type": dystonia_type}, graph=release_store), "itemLabel")


def test_signs_of_a_broader_type_say_where_they_are_stated(release_store):
    rows = answer(release_store, "early-signs-of-type", type="writer's cramp")
    stated = {(row["itemLabel"], row["statedForLabel"]) for row in rows}
    assert ("handwriting that worsens while writing", "writer's cramp") in stated
    assert ("pain", "dystonia") in stated


@pytest.mark.parametrize("dystonia_type, triggers", [
    ("blepharospasm", {"bright light", "emotional stress"}),
    ("dopa-responsive dystonia", {"physical exertion", "later time of day"}),
    ("cervical dystonia", {"emotional stress", "fatigue", "caffeine intake"}),
    ("writer's cramp", {"heavy writing"}),
])
def test_triggers_of_a_type(release_store, dystonia_type, triggers):
    assert triggers <= labels(query("triggers-of-type", {"type": dystonia_type}, graph=release_store), "itemLabel")


@pytest.mark.parametrize("dystonia_type, complications", [
    ("blepharospasm", {"functional blindness"}),
    ("oromandibular dystonia", {"difficulty moving the jaw", "difficulty swallowing", "trouble speaking"}),
    ("cervical dystonia", {"pain", "fatigue", "depression", "anxiety", "social withdrawal"}),
])
def test_complications_of_a_type(release_store, dystonia_type, complications):
    found = labels(query("complications-of-type", {"type": dystonia_type}, graph=release_store), "itemLabel")
    assert complications <= found
    if dystonia_type == "cervical dystonia":
        assert "functional blindness" not in found


@pytest.mark.parametrize("cause, tests", [
    ("stroke", {"magnetic resonance imaging", "computed tomography"}),
    ("ischemic stroke", {"magnetic resonance imaging", "computed tomography"}),
    ("lead poisoning", {"blood test", "urine test"}),
    ("Wilson disease", {"blood test", "urine test"}),
    ("tuberculous meningitis", {"cerebrospinal fluid analysis"}),
    ("genetic dystonia", {"genetic testing", "medical and family history"}),
])
def test_tests_that_look_for_a_cause(release_store, cause, tests):
    found = labels(query("tests-for-cause", {"cause": cause}, graph=release_store), "testLabel")
    assert tests <= found
    assert "genetic testing" not in found or cause == "genetic dystonia"


def test_conditions_in_which_dystonia_appears_are_those_of_the_seeds(release_store):
    found = labels(query("conditions-with-dystonia", graph=release_store), "conditionLabel")
    assert {"Parkinson disease", "Huntington disease", "Wilson disease", "multiple sclerosis", "stroke",
            "traumatic brain injury", "perinatal asphyxia", "brain tumour", "paraneoplastic neurologic syndrome",
            "cerebral hypoxia", "carbon monoxide poisoning", "heavy metal poisoning", "tuberculosis",
            "encephalitis"} <= found
    assert "dystonia" not in found and "cervical dystonia" not in found


def test_the_reasoner_classifies_combined_dystonias(release_store):
    rows = {row["typeLabel"]: row["combinedWith"] for row in answer(release_store, "combined-dystonias")}
    assert rows["dystonia-parkinsonism"] == "parkinsonism"
    assert rows["myoclonus-dystonia"] == "myoclonus"
    assert "cervical dystonia" not in rows and "blepharospasm" not in rows


@pytest.mark.parametrize("child, parent", [
    ("0001200", "0001100"),  # cervical dystonia: focal
    ("0001210", "0001100"),  # blepharospasm: focal
    ("0001240", "0001101"),  # Meige syndrome: segmental
    ("0001260", "0001115"),  # writer's cramp: task-specific
    ("0001262", "0001115"),  # musician's hand dystonia: task-specific
    ("0001270", "0001116"),  # dopa-responsive dystonia: early onset (childhood; infancy in the TH and SPR forms)
    ("0001117", "0001116"),  # childhood onset: early onset
    ("0003210", "0003101"),  # post-stroke dystonia: acquired
    ("0003210", "0001104"),  # post-stroke dystonia: hemidystonia
    ("0003201", "0003101"),  # tardive dystonia: acquired (via drug-induced dystonia)
    ("0001200", "0003102"),  # cervical dystonia: idiopathic
    ("0008005", "0000029"),  # stroke: a cause of dystonia
    ("0008005", "0008100"),  # stroke: a condition with dystonia as a feature
])
def test_the_reasoner_files_types_under_their_defined_classes(release_graph, child, parent):
    # The release holds the direct inferred subsumptions; ancestors follow by transitivity.
    assert URIRef(DYKG + parent) in set(release_graph.transitive_objects(URIRef(DYKG + child), RDFS.subClassOf))


def test_dyskinesia_is_not_a_kind_of_dystonia(release_graph):
    ancestors = set(release_graph.transitive_objects(URIRef(DYKG + "0001304"), RDFS.subClassOf))
    assert URIRef(DYKG + "0000001") not in ancestors
    comment = str(release_graph.value(URIRef(DYKG + "0001304"), RDFS.comment))
    assert "seed" in comment and "not the current view" in comment


SEED_CONCEPTS = [
    # guide seed
    "dyskinesia", "dragging leg", "cramping of the foot", "involuntary neck pulling", "blinking", "trouble speaking",
    "handwriting", "tremor", "stress", "fatigue", "pain", "basal ganglia", "genetic dystonia", "acquired dystonia",
    "idiopathic dystonia", "DYT1", "brain trauma", "stroke", "tumor", "oxygen deprivation", "infection",
    "carbon monoxide", "lead poisoning", "tardive dystonia", "blood test", "urine test", "cerebrospinal fluid",
    "genetic test", "EEG", "EMG", "cervical dystonia", "torticollis", "blepharospasm", "laryngeal dystonia",
    "spasmodic dysphonia", "oromandibular dystonia", "cranial dystonia", "Meige syndrome", "myoclonus dystonia",
    "task-specific dystonia", "writer's cramp", "musician's dystonia", "functional blindness", "swallowing", "jaw",
    "depression", "anxiety", "withdrawal", "sensory trick", "caffeine", "multiple sclerosis", "Segawa",
    "dopa-responsive dystonia",
    # overview seed
    "primary dystonia", "secondary dystonia", "generalized dystonia", "focal dystonia", "Schwalbe-Ziehen-Oppenheim",
    "retrocollis", "antecollis", "orbicularis", "bright light", "oromandibular facial dystonia", "hemidystonia",
    "iatrogenic dystonia", "Wilson", "Parkinson", "Huntington", "birth injury", "paraneoplastic", "tuberculosis",
    "encephalitis", "disabilit", "MRI", "CT scan", "physical exam",
]


@pytest.mark.parametrize("name", SEED_CONCEPTS)
def test_every_clinical_concept_of_the_seeds_is_findable_by_name(release_store, name):
    assert query("find-by-name", {"text": name}, graph=release_store).rows, name


def test_seed_and_literature_prevalence_of_cervical_dystonia_are_both_kept(release_store):
    rows = answer(release_store, "epidemiology", type="cervical dystonia")
    prevalence = {(float(row["valuePer100000"]), row["sources"]) for row in rows if row["measure"] == "prevalence"}
    assert (30.0, "dykg.seed:overview") in prevalence  # "about 3 per 10,000"
    assert (9.95, "PMID:36247920") in prevalence
    ratios = {float(row["femaleToMale"]) for row in rows if row["measure"] == "female to male ratio"}
    assert 2.0 in ratios


def test_writer_s_cramp_is_the_exception_to_female_predominance(release_store):
    statements = " ".join(row["statement"] for row in answer(release_store, "epidemiology", type="writer's cramp"))
    assert "not more frequent in women" in statements


# --- shapes: a failing example for each -------------------------------------------------------------

def shape_failures(turtle: str) -> dict[str, set[str]]:
    failures: dict[str, set[str]] = {}
    for violation in failures_of(turtle):
        failures.setdefault(violation.rule, set()).add(violation.label)
    return failures


def test_a_focal_dystonia_without_a_region_is_reported():
    failures = shape_failures("""
DYKG:0009001 a owl:Class ; rdfs:subClassOf DYKG:0001100 ; rdfs:label "test focal form" ;
    IAO:0000115 "d" ; IAO:0000119 "dykg.seed:guide" .
""")
    assert failures["dykgsh:FocalDystoniaShape"] == {"test focal form"}


def test_a_sign_no_disease_has_is_reported():
    failures = shape_failures("""
DYKG:0009002 a owl:Class ; rdfs:subClassOf DYKG:0000010 ; rdfs:label "test orphan sign" ;
    IAO:0000115 "d" ; IAO:0000119 "dykg.seed:guide" .
""")
    assert failures["dykgsh:ClinicalFeatureShape"] == {"test orphan sign"}


def test_a_symptom_fact_without_a_source_is_reported():
    failures = shape_failures("""
DYKG:0009003 a owl:Class ; rdfs:subClassOf DYKG:0000001 ,
        [ a owl:Restriction ; owl:onProperty RO:0002452 ; owl:someValuesFrom DYKG:0005009 ] ;
    rdfs:label "test unsourced form" ; IAO:0000115 "d" ; IAO:0000119 "dykg.seed:guide" .
""")
    assert failures["dykgsh:SourcedClinicalFactShape"] == {"test unsourced form"}


def test_an_epidemiological_finding_without_source_or_value_is_reported():
    failures = shape_failures("""
DYKG:0009004 a owl:NamedIndividual , DYKG:0000031 ; rdfs:label "test finding" ;
    DYKG:0000150 DYKG:0001200 ; DYKG:0000151 "prevalence" .
""")
    assert failures["dykgsh:EpidemiologicalFindingShape/oboInOwl:source"] == {"test finding"}
    assert failures["dykgsh:EpidemiologicalFindingShape"] == {"test finding"}
