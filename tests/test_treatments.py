"""Treatments: drugs placed in their classes by the reasoner, mechanisms, indications, procedures, therapies.

Each competency query is asked as a clinician would, and the answer is the one the seeds, the EFNS and
AAN guidelines and GeneReviews give. The reasoner's placement of drugs is checked on the release.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDFS

from dystonia_kg import query, validate_graph
from dystonia_kg.build.loading import load_sources
from dystonia_kg.core.resources import default_layout
from helpers import DYKG, PREFIXES, REPOSITORY, answer, ask

DRUG = URIRef(DYKG + "0000005")
SKOS_EXACT = URIRef("http://www.w3.org/2004/02/skos/core#exactMatch")
HAS_DBXREF = URIRef("http://www.geneontology.org/formats/oboInOwl#hasDbXref")




def entity(release_graph: Graph, label: str) -> URIRef:
    found = [s for s, text in release_graph.subject_objects(RDFS.label) if str(text) == label and isinstance(s, URIRef)]
    assert len(found) == 1, f"{label!r} names {len(found)} entities"
    return found[0]


def ancestors(release_graph: Graph, label: str) -> set[str]:
    """Labels of every named class above the entity in the release (inferred hierarchy, by transitivity)."""
    start = entity(release_graph, label)
    return {str(release_graph.value(c, RDFS.label)) for c in release_graph.transitive_objects(start, RDFS.subClassOf)
            if isinstance(c, URIRef) and c != start and release_graph.value(c, RDFS.label) is not None}


# --- the reasoner places every drug in its class by mechanism -----------------------------------------

CAUSES_DYSTONIA = "drug that can cause dystonia"
DRUG_CLASSES = {
    "levodopa": {"dopamine precursor agent", "dopaminergic agent", CAUSES_DYSTONIA},  # levodopa-induced dystonia
    "carbidopa": {"peripheral decarboxylase inhibitor", "dopaminergic agent"},
    "carbidopa-levodopa": {"dopamine precursor agent", "peripheral decarboxylase inhibitor", "dopaminergic agent"},
    "tetrabenazine": {"dopamine-depleting agent", "dopaminergic agent"},
    "deutetrabenazine": {"dopamine-depleting agent", "dopaminergic agent"},
    "valbenazine": {"dopamine-depleting agent", "dopaminergic agent"},
    "benztropine": {"anticholinergic agent"},
    "procyclidine": {"anticholinergic agent"},
    "trihexyphenidyl": {"anticholinergic agent"},
    "baclofen": {"GABA-B receptor agonist", "GABAergic agent"},
    "clonazepam": {"benzodiazepine-type GABA-A receptor modulator", "GABAergic agent"},
    "diazepam": {"benzodiazepine-type GABA-A receptor modulator", "GABAergic agent"},
    "lorazepam": {"benzodiazepine-type GABA-A receptor modulator", "GABAergic agent"},
    "botulinum toxin type A": {"botulinum neurotoxin"},
    "botulinum toxin type B": {"botulinum neurotoxin"},
    "onabotulinumtoxinA": {"botulinum neurotoxin"},
    "abobotulinumtoxinA": {"botulinum neurotoxin"},
    "incobotulinumtoxinA": {"botulinum neurotoxin"},
    "rimabotulinumtoxinB": {"botulinum neurotoxin"},
    # every drug stated (on itself or its class) to cause a drug-induced dystonia is a 'drug that can cause dystonia'
    "haloperidol": {"dopamine receptor antagonist", "dopaminergic agent", CAUSES_DYSTONIA},
    "metoclopramide": {"dopamine receptor antagonist", "dopaminergic agent", CAUSES_DYSTONIA},
    "prochlorperazine": {"dopamine receptor antagonist", "dopaminergic agent", CAUSES_DYSTONIA},
    "chlorpromazine": {"dopamine receptor antagonist", "dopaminergic agent", CAUSES_DYSTONIA},
    # DrugBank names only 'Dopamine Antagonists' for these (no receptor subtype), so they are dopaminergic agents
    # but not filed under the D2-defined 'dopamine receptor antagonist' (terms/adverse-effects.tsv)
    "amisulpride": {"dopaminergic agent", CAUSES_DYSTONIA},
    "loxapine": {"dopaminergic agent", CAUSES_DYSTONIA},
    "thioridazine": {"dopaminergic agent", CAUSES_DYSTONIA},
    # DrugBank's targets name the D2 receptor with the action 'antagonist' for these (axioms/adverse-effects.tsv)
    "domperidone": {"dopamine receptor antagonist", "dopaminergic agent", CAUSES_DYSTONIA},
    "lurasidone": {"dopamine receptor antagonist", "dopaminergic agent", CAUSES_DYSTONIA},
    "paliperidone": {"dopamine receptor antagonist", "dopaminergic agent", CAUSES_DYSTONIA},
}
ALL_CLASSES = {"dopaminergic agent", "dopamine precursor agent", "peripheral decarboxylase inhibitor",
               "dopamine-depleting agent", "dopamine receptor antagonist", "anticholinergic agent", "GABAergic agent",
               "GABA-B receptor agonist", "benzodiazepine-type GABA-A receptor modulator", "botulinum neurotoxin",
               CAUSES_DYSTONIA}


@pytest.mark.parametrize("drug, classes", sorted(DRUG_CLASSES.items()))
def test_the_reasoner_places_every_drug_in_its_class_by_mechanism(release_graph, drug, classes):
    # Exactly its classes: trihexyphenidyl is not GABAergic, botulinum toxins (which also act on acetylcholine)
    # are not anticholinergic agents, levodopa does not block dopamine receptors.
    assert ancestors(release_graph, drug) & ALL_CLASSES == classes


def test_no_drug_is_asserted_under_a_drug_class_in_the_sources():
    sources = load_sources(default_layout()).graph
    defined = set(sources.subjects(OWL.equivalentClass, None))
    drugs = [c for c in sources.transitive_subjects(RDFS.subClassOf, DRUG) if c != DRUG and c not in defined]
    assert len(drugs) == len(DRUG_CLASSES)
    for drug in drugs:
        for parent in sources.objects(drug, RDFS.subClassOf):
            assert parent not in defined, f"{sources.value(drug, RDFS.label)} is asserted under a drug class"


def test_every_drug_lands_in_a_drug_class(release_graph):
    for drug in DRUG_CLASSES:
        assert ancestors(release_graph, drug) & ALL_CLASSES, drug


@pytest.mark.parametrize("narrow, broad", [
    ("GABA-B receptor agonist", "GABAergic agent"),
    ("benzodiazepine-type GABA-A receptor modulator", "GABAergic agent"),
    ("dopamine receptor antagonist", "dopaminergic agent"),
    ("dopamine-depleting agent", "dopaminergic agent"),
    ("dopamine precursor agent", "dopaminergic agent"),
])
def test_the_reasoner_orders_the_drug_classes_by_the_system_their_mechanism_acts_on(release_graph, narrow, broad):
    assert broad in ancestors(release_graph, narrow)


def test_anticholinergic_and_gabaergic_classes_do_not_overlap(release_graph):
    assert "GABAergic agent" not in ancestors(release_graph, "anticholinergic agent")
    assert "anticholinergic agent" not in ancestors(release_graph, "botulinum neurotoxin")


# --- drugs by mechanism -----------------------------------------------------------------------------------

@pytest.mark.parametrize("system, drugs", [
    ("GABA system", {"baclofen", "clonazepam", "diazepam", "lorazepam"}),
    ("acetylcholine system", {"benztropine", "procyclidine", "trihexyphenidyl", "botulinum toxin type A",
                              "botulinum toxin type B", "onabotulinumtoxinA", "abobotulinumtoxinA",
                              "incobotulinumtoxinA", "rimabotulinumtoxinB"}),
    ("dopamine system", {"levodopa", "carbidopa", "carbidopa-levodopa", "tetrabenazine", "deutetrabenazine",
                         "valbenazine", "haloperidol", "metoclopramide", "prochlorperazine", "chlorpromazine",
                         "amisulpride", "loxapine", "thioridazine", "domperidone", "lurasidone", "paliperidone"}),
])
def test_drugs_by_the_neurotransmitter_system_they_act_on(release_store, system, drugs):
    rows = answer(release_store, "drugs-by-mechanism", system=system)
    assert {row["drugLabel"] for row in rows} == drugs


@pytest.mark.parametrize("drug, mechanism, targets", [
    ("trihexyphenidyl", "muscarinic acetylcholine receptor antagonism", {"CHRM1"}),
    ("baclofen", "GABA-B receptor agonism", {"GABBR1", "GABBR2"}),
    ("clonazepam", "GABA-A receptor positive allosteric modulation", {"GABRA1", "GABRG2"}),
    ("tetrabenazine", "vesicular monoamine transporter 2 inhibition", {"SLC18A2"}),
    ("carbidopa", "peripheral aromatic L-amino acid decarboxylase inhibition", {"DDC"}),
    ("onabotulinumtoxinA", "cleavage of SNAP25", {"SNAP25"}),  # inherited from botulinum toxin type A
    ("rimabotulinumtoxinB", "cleavage of VAMP2", {"VAMP2"}),
    ("haloperidol", "dopamine D2 receptor antagonism", {"DRD2"}),
])
def test_each_drug_has_its_mechanism_and_the_gene_it_targets(release_store, drug, mechanism, targets):
    rows = [row for row in answer(release_store, "drugs-by-mechanism") if row["drugLabel"] == drug]
    assert [row["mechanismLabel"] for row in rows] == [mechanism]
    assert set(rows[0]["targets"].split(", ")) == targets


def test_carbidopa_levodopa_has_both_mechanisms(release_store):
    rows = [row for row in answer(release_store, "drugs-by-mechanism") if row["drugLabel"] == "carbidopa-levodopa"]
    assert {row["mechanismLabel"] for row in rows} == {
        "dopamine precursor supplementation", "peripheral aromatic L-amino acid decarboxylase inhibition"}


def test_every_drug_appears_with_a_mechanism_and_a_system(release_store):
    rows = answer(release_store, "drugs-by-mechanism")
    assert {row["drugLabel"] for row in rows} == set(DRUG_CLASSES)
    assert all(row["systemLabel"] for row in rows)


# --- treatments for a type ----------------------------------------------------------------------------------

def facts(rows: list[dict[str, str]]) -> set[tuple[str, str, str]]:
    return {(row["treatmentLabel"], row["relation"], row["level"]) for row in rows}


def by_treatment(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["treatmentLabel"]: row for row in rows}


def test_treatments_for_cervical_dystonia_by_its_synonym_torticollis(release_store):
    rows = answer(release_store, "treatments-for-type", type="torticollis")
    found = facts(rows)
    assert ("botulinum toxin type A", "is first-line substance that treats", "this type") in found
    assert ("onabotulinumtoxinA", "is first-line substance that treats", "this type") in found  # a preparation of A
    assert ("botulinum toxin type B", "is substance that treats", "this type") in found
    assert ("selective peripheral denervation", "is treatment for", "this type") in found
    assert ("pallidal deep brain stimulation", "is treatment for", "this type") in found
    assert ("deep brain stimulation", "is treatment for", "general") in found
    assert ("physical therapy", "is treatment for", "general") in found
    assert ("trihexyphenidyl", "is substance that treats", "general") in found
    # Voice therapy is for laryngeal dystonia; drugs that cause dystonia treat nothing.
    labels = {row["treatmentLabel"] for row in rows}
    assert "speech and voice therapy" not in labels and "haloperidol" not in labels
    assert all(row["sources"] or row["generalSources"] for row in rows)
    toxin = by_treatment(rows)["botulinum toxin type A"]
    assert "PMID:20482602" in toxin["sources"].split(" | ")  # the first-line recommendation
    assert toxin["via"] == "botulinum neurotoxin"


def test_one_row_per_treatment_the_specific_ones_first_the_inherited_ones_marked_general(release_graph):
    rows = answer(release_graph, "treatments-for-type", type="blepharospasm")
    labels = [row["treatmentLabel"] for row in rows]
    assert len(labels) == len(set(labels))
    levels = [row["level"] for row in rows]
    assert levels == sorted(levels, key=lambda level: level != "this type")  # this type, then general
    assert set(levels) == {"this type", "general"}
    rows_by_label = by_treatment(rows)
    assert rows_by_label["botulinum toxin type A"]["level"] == "this type"
    assert rows_by_label["botulinum toxin type A"]["statedFor"] == "blepharospasm | dystonia | focal dystonia"
    assert rows_by_label["trihexyphenidyl"]["level"] == "general"
    assert rows_by_label["trihexyphenidyl"]["statedFor"] == "dystonia"
    assert rows_by_label["trihexyphenidyl"]["sources"] == "" and rows_by_label["trihexyphenidyl"]["generalSources"]


def test_each_kind_of_treatment_is_named(release_store):
    kinds = {row["treatmentLabel"]: row["kind"] for row in answer(release_store, "treatments-for-type", type="dystonia")}
    assert kinds["levodopa"] == "drug" and kinds["anticholinergic agent"] == "drug class"
    assert kinds["pallidotomy"] == "surgical procedure" and kinds["thalamotomy"] == "surgical procedure"
    assert kinds["occupational therapy"] == "rehabilitation therapy"
    assert kinds["yoga"] == "complementary therapy" and kinds["biofeedback"] == "complementary therapy"
    assert kinds["avoiding caffeine"] == "self-care measure" and kinds["using a sensory trick"] == "self-care measure"


def test_levodopa_treats_dopa_responsive_dystonia_and_its_genetic_forms(release_store):
    for dystonia in ("dopa-responsive dystonia", "Segawa disease"):
        rows = by_treatment(answer(release_store, "treatments-for-type", type=dystonia))
        assert rows["levodopa"]["level"] == "this type" and rows["carbidopa-levodopa"]["level"] == "this type"
        assert "PMID:20301681" in rows["levodopa"]["sources"] and "PMID:20301681" in rows["carbidopa-levodopa"]["sources"]
    levodopa = by_treatment(answer(release_store, "treatments-for-type", type="DYT-GCH1"))["levodopa"]
    assert (levodopa["relation"], levodopa["level"]) == ("is substance that treats", "general")
    assert "dopa-responsive dystonia" in levodopa["statedFor"].split(" | ")


def test_anticholinergics_for_generalized_and_early_onset_dystonia(release_store):
    rows = by_treatment(answer(release_store, "treatments-for-type", type="generalized dystonia"))
    assert rows["anticholinergic agent"]["level"] == "this type" and rows["anticholinergic agent"]["via"] == ""
    assert rows["trihexyphenidyl"]["level"] == "this type"  # a member of the class
    assert rows["trihexyphenidyl"]["via"] == "anticholinergic agent"
    assert rows["pallidal deep brain stimulation"]["level"] == "this type"
    rows = by_treatment(answer(release_store, "treatments-for-type", type="childhood-onset dystonia"))
    assert rows["anticholinergic agent"]["level"] == "general"
    assert "early-onset dystonia" in rows["anticholinergic agent"]["statedFor"].split(" | ")


def test_voice_therapy_for_laryngeal_dystonia(release_store):
    found = facts(answer(release_store, "treatments-for-type", type="spasmodic dysphonia"))
    assert ("speech and voice therapy", "is treatment for", "this type") in found
    assert ("botulinum neurotoxin", "is substance that treats", "general") in found


def test_blepharospasm_first_line_and_writer_s_cramp_not_first_line(release_store):
    found = facts(answer(release_store, "treatments-for-type", type="blepharospasm"))
    assert ("botulinum toxin type A", "is first-line substance that treats", "this type") in found
    found = facts(answer(release_store, "treatments-for-type", type="writer's cramp"))
    assert ("botulinum toxin type A", "is substance that treats", "this type") in found
    assert not {fact for fact in found if fact[1] == "is first-line substance that treats"}


# --- drugs that cause dystonia ---------------------------------------------------------------------------------

# The drugs the reasoner files under 'dopamine receptor antagonist' (D2 antagonism as their mechanism), which the
# class-level facts of the review (DOI:10.1016/j.jns.2018.02.005) reach; and the drugs whose label lists dystonia
# (SIDER 4.1), each fact stated on the drug itself.
BLOCKERS = {"haloperidol", "metoclopramide", "prochlorperazine", "chlorpromazine", "domperidone", "lurasidone",
            "paliperidone"}
LABEL_LISTED = {"amisulpride", "loxapine", "thioridazine", "levodopa", "domperidone", "lurasidone", "paliperidone"}


def test_dopamine_receptor_antagonists_cause_tardive_and_acute_dystonia(release_store):
    rows = [row for row in answer(release_store, "drugs-causing-dystonia")
            if row["statedOnLabel"] == "dopamine receptor antagonist"]
    assert {(row["drugLabel"], row["conditionLabel"]) for row in rows} == {
        (drug, condition) for drug in BLOCKERS for condition in ("tardive dystonia", "acute dystonic reaction")}
    assert {row["statedOnLabel"] for row in rows} == {"dopamine receptor antagonist"}  # found through the class
    assert {row["mechanisms"] for row in rows} == {"dopamine D2 receptor antagonism"}
    assert {row["sources"] for row in rows} == {"DOI:10.1016/j.jns.2018.02.005"}


def test_drugs_causing_a_given_dystonia(release_store):
    assert {row["drugLabel"] for row in answer(release_store, "drugs-causing-dystonia", dystonia="tardive dystonia")} == BLOCKERS
    by_broader = answer(release_store, "drugs-causing-dystonia", dystonia="drug-induced dystonia")
    assert {row["conditionLabel"] for row in by_broader} == {"tardive dystonia", "acute dystonic reaction",
                                                             "drug-induced dystonia"}


def test_drugs_whose_label_lists_dystonia_cause_drug_induced_dystonia_with_their_source(release_store):
    """SIDER 4.1 (drug labels): antipsychotics, domperidone, and levodopa (levodopa-induced dystonia)."""
    rows = [row for row in answer(release_store, "drugs-causing-dystonia")
            if row["statedOnLabel"] != "dopamine receptor antagonist"]
    assert {(row["drugLabel"], row["conditionLabel"]) for row in rows} == {
        (drug, "drug-induced dystonia") for drug in LABEL_LISTED}
    assert all("DOI:10.1093/nar/gkv1075" in row["sources"] for row in rows)
    assert {row["statedOnLabel"] for row in rows} == {row["drugLabel"] for row in rows}  # stated on each drug


def test_each_botulinum_toxin_product_has_its_substance_as_active_ingredient(release_graph, release_store):
    query = """SELECT ?productLabel ?substanceLabel WHERE {
        ?product rdfs:subClassOf [ owl:onProperty <http://purl.obolibrary.org/obo/RO_0002248> ; owl:someValuesFrom ?substance ] ;
                 rdfs:label ?productLabel . ?substance rdfs:label ?substanceLabel }"""
    found = {(str(a), str(b)) for a, b in release_graph.query(query)}
    assert found == {("onabotulinumtoxinA", "botulinum toxin type A"), ("abobotulinumtoxinA", "botulinum toxin type A"),
                     ("incobotulinumtoxinA", "botulinum toxin type A"), ("rimabotulinumtoxinB", "botulinum toxin type B")}
    assert answer(release_store, "drugs-causing-dystonia", dystonia="blepharospasm") == []


# --- genetic dystonias and the drug classes that act on their pathway -------------------------------------------

def test_drug_classes_for_the_dopamine_synthesis_defects(release_store):
    rows = answer(release_store, "drug-classes-for-genetic-pathway", disease="dopa-responsive dystonia")
    found = {(row["geneticDystoniaLabel"], row["geneLabel"], row["pathwayLabel"], row["drugClassLabel"]) for row in rows}
    assert found == {(form, gene, "dopamine biosynthetic process", "dopamine precursor agent")
                     for form, gene in (("DYT-GCH1", "GCH1"), ("DYT-TH", "TH"), ("DYT-SPR", "SPR"))}
    assert all(set(row["drugs"].split(", ")) == {"levodopa", "carbidopa-levodopa"} for row in rows)


def test_the_pathway_query_needs_no_treatment_knowledge_of_the_disease(release_graph):
    """A new genetic dystonia whose gene joins dopamine synthesis is matched to levodopa by the pathway alone."""
    graph = Graph()
    for triple in release_graph:
        graph.add(triple)
    graph.parse(data=PREFIXES + """
DYKG:0009301 a owl:Class ; rdfs:subClassOf DYKG:0000004 ; rdfs:label "TESTGENE"@en ;
    rdfs:subClassOf [ a owl:Restriction ; owl:onProperty RO:0002331 ; owl:someValuesFrom DYKG:0004060 ] .
DYKG:0009302 a owl:Class ; rdfs:subClassOf DYKG:0000001 ; rdfs:label "test genetic dystonia"@en ;
    rdfs:subClassOf [ a owl:Restriction ; owl:onProperty RO:0004003 ; owl:someValuesFrom DYKG:0009301 ] .
""", format="turtle")
    rows = answer(graph, "drug-classes-for-genetic-pathway", disease="test genetic dystonia")
    assert [(row["geneLabel"], row["mechanismLabel"], row["drugClassLabel"]) for row in rows] == [
        ("TESTGENE", "dopamine precursor supplementation", "dopamine precursor agent")]


# --- first-line treatment by region -------------------------------------------------------------------------------

def test_first_line_treatment_of_the_neck_and_the_eyelid(release_store):
    rows = answer(release_store, "first-line-treatment-by-region", region="neck")
    by_type = {row["typeLabel"]: row for row in rows}
    assert by_type["cervical dystonia"]["treatmentLabel"] == "botulinum toxin type A"
    assert set(by_type["cervical dystonia"]["preparations"].split(", ")) == {
        "onabotulinumtoxinA", "abobotulinumtoxinA", "incobotulinumtoxinA"}
    assert by_type["cervical dystonia"]["sources"] == "PMID:20482602"
    assert by_type["laterocollis"]["statedForLabel"] == "cervical dystonia"  # a subtype inherits it
    rows = answer(release_store, "first-line-treatment-by-region", region="eyelid")
    assert {(row["typeLabel"], row["treatmentLabel"]) for row in rows} == {("blepharospasm", "botulinum toxin type A")}


def test_first_line_treatments_are_all_for_focal_types_with_a_region(release_store):
    rows = answer(release_store, "first-line-treatment-by-region")
    assert {row["typeLabel"] for row in rows} >= {"cervical dystonia", "blepharospasm"}
    assert {row["siteLabel"] for row in rows} >= {"neck", "eyelid", "orbicularis oculi muscle"}
    assert "oromandibular dystonia" not in {row["typeLabel"] for row in rows}  # the EFNS guideline excludes it
    assert answer(release_store, "first-line-treatment-by-region", region="hand") == []


# --- procedures, therapies, self-care and the seeds ---------------------------------------------------------------

@pytest.mark.parametrize("procedure, site", [
    ("pallidal deep brain stimulation", "globus pallidus internus"),
    ("pallidotomy", "globus pallidus internus"),
    ("thalamotomy", "thalamus"),
    ("selective peripheral denervation", "peripheral nerve"),
    ("botulinum toxin injection", "neuromuscular junction"),
])
def test_procedures_name_their_target_site(release_graph, release_store, procedure, site):
    rows = ask(release_store, """
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        SELECT ?procedure ?siteLabel WHERE {
          ?procedure rdfs:subClassOf [ owl:onProperty <https://w3id.org/dystonia-kg/DYKG_0000119> ; owl:someValuesFrom ?site ] .
          ?site rdfs:label ?siteLabel .
        }""", procedure=entity(release_graph, procedure))
    assert site in {row["siteLabel"] for row in rows}


SEED_NAMES = [
    # guide seed: drugs and brands, surgery, therapies, complementary therapies, home care
    "levodopa", "Sinemet", "tetrabenazine", "Nitoman", "benztropine", "Cogentin", "procyclidine hydrochloride",
    "Kemadrin", "trihexyphenidyl", "Artane", "baclofen", "ED Baclofen", "clonazepam", "Klonopin", "diazepam",
    "Valium", "lorazepam", "Ativan", "botulinum toxin", "Botox", "Xeomin", "anticholinergic", "GABAergic",
    "dopamine system", "deep brain stimulation", "speech therapy", "voice therapy", "physical therapy",
    "occupational therapy", "stress management", "yoga", "Pilates", "massage", "meditation", "deep breathing",
    "relaxation", "biofeedback", "heat or ice", "sensory trick", "caffeine",
    # overview seed
    "carbidopa-levodopa", "physiotherapy", "stretching", "selective denervation surgery",
]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_treatment_the_seeds_name_is_findable(release_store, name):
    assert query("find-by-name", {"text": name}, graph=release_store).rows, name


def test_the_self_care_sensory_trick_is_not_the_sign(release_graph):
    assert "self-care measure" in ancestors(release_graph, "using a sensory trick")
    assert "sign or symptom" in ancestors(release_graph, "sensory trick")


def test_botulinum_toxin_facts_from_the_seeds(release_graph):
    definition = str(release_graph.value(entity(release_graph, "botulinum neurotoxin"), URIRef(
        "http://purl.obolibrary.org/obo/IAO_0000115")))
    for fact in ("injects", "three to four months", "weakness", "dry mouth", "voice"):
        assert fact in definition


# --- cross-references ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("label, xref", [
    ("levodopa", "CHEBI:15765"), ("levodopa", "DRUGBANK:DB01235"), ("levodopa", "ATC:N04BA01"),
    ("levodopa", "RXNORM:6375"), ("levodopa", "MESH:D007980"), ("haloperidol", "CHEBI:5613"),
    ("botulinum toxin type A", "DRUGBANK:DB00083"), ("SLC18A2", "HGNC:10935"), ("CHRM1", "NCBIGene:1128"),
    ("dopamine biosynthetic process", "GO:0042416"), ("dopaminergic agent", "CHEBI:48560"),
    ("anticholinergic agent", "CHEBI:48876"), ("deep brain stimulation", "MAXO:0000943"),
])
def test_cross_references(release_graph, label, xref):
    assert xref in {str(x) for x in release_graph.objects(entity(release_graph, label), HAS_DBXREF)}


def test_identifiers_left_out_on_purpose(release_graph):
    # Tetrabenazine has two ChEBI records: the named drug (9467) and a structural one without stereochemistry
    # (64028, where DrugBank points); only the named one is ours. CHRM1's HGNC identifier is unverified.
    chebi = {str(x) for x in release_graph.objects(entity(release_graph, "tetrabenazine"), HAS_DBXREF)
             if str(x).startswith("CHEBI:")}
    assert chebi == {"CHEBI:9467"}
    lorazepam = {str(x) for x in release_graph.objects(entity(release_graph, "lorazepam"), HAS_DBXREF)}
    assert "CHEBI:6539" in lorazepam and "CHEBI:52993" not in lorazepam  # 52993 is lormetazepam
    assert not [x for x in release_graph.objects(entity(release_graph, "CHRM1"), HAS_DBXREF) if str(x).startswith("HGNC:")]
    # A neurotransmitter system is close to, not the same as, its transmitter molecule.
    system = entity(release_graph, "GABAergic system")
    assert (system, SKOS_EXACT, URIRef("http://purl.obolibrary.org/obo/CHEBI_16865")) not in release_graph


def test_treatment_identifiers_stay_in_the_module_range():
    sources = Graph().parse(REPOSITORY / "ontology" / "treatments.ttl")
    ours = {str(s) for s in sources.subjects(RDFS.label, None) if str(s).startswith(DYKG)}
    table = (REPOSITORY / "ontology" / "terms" / "treatments.tsv").read_text(encoding="utf-8").splitlines()
    ours |= {DYKG + line.split("\t", 1)[0].removeprefix("DYKG:") for line in table if line.startswith("DYKG:")}
    assert ours and all(4001 <= int(iri.rsplit("_", 1)[1]) <= 4999 for iri in ours)


# --- shapes: a failing example for each ------------------------------------------------------------------------------

BROKEN = """
DYKG:0009401 a owl:Class ; rdfs:subClassOf DYKG:0000005 ; rdfs:label "test drug without mechanism"@en ;
    IAO:0000115 "A drug with no mechanism of action."@en ; IAO:0000119 "dykg.seed:guide" .
DYKG:0009402 a owl:Class ; rdfs:subClassOf DYKG:0000006 ; rdfs:label "test mechanism without system"@en ;
    IAO:0000115 "A mechanism naming no neurotransmitter system."@en ; IAO:0000119 "dykg.seed:guide" .
DYKG:0009403 a owl:Class ; rdfs:subClassOf DYKG:0004200 ; rdfs:label "test levodopa tablet"@en ;
    IAO:0000115 "A levodopa product with an indication that has no source."@en ; IAO:0000119 "dykg.seed:guide" ;
    rdfs:subClassOf [ a owl:Restriction ; owl:onProperty RO:0002606 ; owl:someValuesFrom DYKG:0001200 ] .
DYKG:0009404 a owl:Class ; rdfs:subClassOf DYKG:0000016 ; rdfs:label "test therapy treating nothing"@en ;
    IAO:0000115 "A complementary therapy that says nothing about what it treats."@en ; IAO:0000119 "dykg.seed:guide" .
"""


@pytest.fixture(scope="module")
def shape_failures(release_graph) -> dict[str, dict[str, str]]:
    graph = Graph().parse(data=PREFIXES + BROKEN, format="turtle")
    failures: dict[str, dict[str, str]] = {}
    for violation in validate_graph(graph, context=release_graph).failures:
        failures.setdefault(violation.rule, {})[violation.label] = violation.message
    return failures


@pytest.mark.parametrize("rule, label, words", [
    ("dykgsh:DrugMechanismShape", "test drug without mechanism", "no mechanism of action"),
    ("dykgsh:MechanismSystemShape", "test mechanism without system", "names no neurotransmitter system"),
    ("dykgsh:IndicationSourceShape", "test levodopa tablet", "has no source"),
    ("dykgsh:InterventionTreatsShape", "test therapy treating nothing", "treats nothing"),
])
def test_each_treatment_shape_reports_its_defect(shape_failures, rule, label, words):
    assert set(shape_failures.get(rule, {})) == {label}
    assert words in shape_failures[rule][label] and "ontology/axioms" in shape_failures[rule][label]


def test_only_the_broken_examples_fail_so_the_release_conforms(shape_failures):
    broken = {"test drug without mechanism", "test mechanism without system", "test levodopa tablet",
              "test therapy treating nothing"}
    assert {label for by_label in shape_failures.values() for label in by_label} == broken
