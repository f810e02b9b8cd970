"""Genetics (issue 4): the DYT loci, their genes, inheritance, onset and status, as a geneticist reads them.

The expected values below were written from the verified identifier table of issue 4 (genetics.tsv and
genetics.md: MONDO, OMIM, Orphanet, HGNC, NCBI Gene, HPO, each with its evidence), not copied from query
output. Where a source gives a range of onset ages, the categories of that range are expected.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS, SKOS

from dystonia_kg import query
from dystonia_kg.build.loading import load_sources
from dystonia_kg.core.resources import default_layout
from helpers import DYKG, ask, failures_of

IAO = "http://purl.obolibrary.org/obo/IAO_"
OBO_IN_OWL = "http://www.geneontology.org/formats/oboInOwl#"
SEP = " | "

AD, AR, XLR = "autosomal dominant inheritance", "autosomal recessive inheritance", "X-linked recessive inheritance"
INFANCY, CHILDHOOD, ADOLESCENT, ADULT, EARLY_ADULT = (
    "infancy onset", "childhood onset", "adolescent onset", "adult onset", "early adulthood onset")
CONFIRMED, REPORTED, NO_GENE, MERGED = (
    "gene confirmed", "gene reported, not confirmed", "no gene identified", "withdrawn or merged")


def iri(local: str) -> URIRef:
    return URIRef(DYKG + local)


def cells(value) -> set[str]:
    """A ' | '-joined cell of a query result as a set (empty when unbound or empty)."""
    return set(str(value).split(SEP)) if value else set()


# locus: (MDS name or None, genes, inheritance, onset, OMIM, status)
EXPECTED_DYT_TABLE = {
    "DYT1": ("DYT-TOR1A", {"TOR1A"}, {AD}, {CHILDHOOD}, {"OMIM:128100"}, CONFIRMED),
    "DYT2": (None, {"HPCA"}, {AR}, {CHILDHOOD}, {"OMIM:224500"}, CONFIRMED),
    "DYT3": ("DYT-TAF1", {"TAF1"}, {XLR}, {ADULT}, {"OMIM:314250"}, CONFIRMED),
    "DYT4": (None, {"TUBB4A"}, {AD}, {ADOLESCENT, EARLY_ADULT}, {"OMIM:128101"}, CONFIRMED),
    "DYT5": ("DYT-GCH1", {"GCH1"}, {AD}, {CHILDHOOD}, {"OMIM:128230"}, CONFIRMED),
    "DYT5b": ("DYT-TH", {"TH"}, {AR}, {INFANCY}, {"OMIM:605407"}, CONFIRMED),
    "DYT6": ("DYT-THAP1", {"THAP1"}, {AD}, {CHILDHOOD, ADOLESCENT}, {"OMIM:602629"}, CONFIRMED),
    "DYT7": (None, set(), {AD}, {ADULT}, {"OMIM:602124"}, NO_GENE),
    "DYT8": ("PxMD-PNKD", {"PNKD"}, {AD}, set(), {"OMIM:118800"}, CONFIRMED),
    "DYT9": (None, {"SLC2A1"}, {AD}, {CHILDHOOD}, {"OMIM:601042"}, CONFIRMED),  # live in OMIM, MONDO, Orphanet
    "DYT10": ("PxMD-PRRT2", {"PRRT2"}, {AD}, set(), {"OMIM:128200"}, CONFIRMED),
    "DYT11": ("DYT-SGCE", {"SGCE"}, {AD}, set(), {"OMIM:159900"}, CONFIRMED),
    "DYT12": ("DYT-ATP1A3", {"ATP1A3"}, {AD}, {ADOLESCENT, EARLY_ADULT}, {"OMIM:128235"}, CONFIRMED),
    "DYT13": (None, set(), {AD}, {CHILDHOOD, ADOLESCENT}, {"OMIM:607671"}, NO_GENE),
    "DYT15": (None, set(), {AD}, set(), {"OMIM:607488"}, NO_GENE),
    "DYT16": ("DYT-PRKRA", {"PRKRA"}, {AR}, {CHILDHOOD, ADOLESCENT}, {"OMIM:612067"}, CONFIRMED),
    "DYT17": (None, set(), {AR}, {ADOLESCENT, ADULT}, {"OMIM:612406"}, NO_GENE),
    "DYT18": ("PxMD-SLC2A1", {"SLC2A1"}, {AD}, {CHILDHOOD}, {"OMIM:612126"}, CONFIRMED),
    "DYT19": (None, set(), {AD}, set(), {"OMIM:611031"}, NO_GENE),
    "DYT20": (None, set(), {AD}, set(), {"OMIM:611147"}, NO_GENE),
    "DYT21": (None, set(), {AD}, {ADULT}, {"OMIM:614588"}, NO_GENE),
    "DYT22": (None, {"TSPOAP1"}, {AR}, set(), {"OMIM:620453", "OMIM:620456"}, CONFIRMED),
    "DYT23": (None, set(), {AD}, {ADULT}, {"OMIM:614860"}, REPORTED),  # reported genes are not "the" gene
    "DYT24": ("DYT-ANO3", {"ANO3"}, {AD}, set(), {"OMIM:615034"}, CONFIRMED),
    "DYT25": ("DYT-GNAL", {"GNAL"}, {AD}, {ADULT}, {"OMIM:615073"}, CONFIRMED),
    "DYT26": (None, {"KCTD17"}, {AD}, set(), {"OMIM:616398"}, CONFIRMED),
    "DYT27": (None, {"COL6A3"}, {AR}, {CHILDHOOD}, {"OMIM:616411"}, REPORTED),
    "DYT28": ("DYT-KMT2B", {"KMT2B"}, {AD}, {CHILDHOOD}, {"OMIM:617284"}, CONFIRMED),
    "DYT29": (None, {"MECR"}, {AR}, {CHILDHOOD}, {"OMIM:617282"}, CONFIRMED),
    "DYT30": (None, {"VPS16"}, {AD}, set(), {"OMIM:619291"}, CONFIRMED),
    "DYT31": (None, {"AOPEP"}, {AR}, {CHILDHOOD, ADOLESCENT, EARLY_ADULT}, {"OMIM:619565"}, CONFIRMED),
    "DYT32": (None, {"VPS11"}, {AR}, {ADULT}, {"OMIM:619637"}, CONFIRMED),
    "DYT33": (None, {"EIF2AK2"}, {AD, AR}, {CHILDHOOD, ADOLESCENT}, {"OMIM:619687"}, CONFIRMED),
    "DYT34": (None, {"KCNN2"}, {AD}, {CHILDHOOD}, {"OMIM:619724"}, CONFIRMED),
    "DYT35": (None, {"SHQ1"}, {AR}, {INFANCY, CHILDHOOD}, {"OMIM:619921"}, CONFIRMED),
}

# symbol: (HGNC, NCBI Gene), from the HGNC complete set (genetics.md)
EXPECTED_GENES = {
    "TOR1A": ("HGNC:3098", "NCBIGene:1861"), "HPCA": ("HGNC:5144", "NCBIGene:3208"),
    "TAF1": ("HGNC:11535", "NCBIGene:6872"), "TUBB4A": ("HGNC:20774", "NCBIGene:10382"),
    "GCH1": ("HGNC:4193", "NCBIGene:2643"), "THAP1": ("HGNC:20856", "NCBIGene:55145"),
    "PNKD": ("HGNC:9153", "NCBIGene:25953"), "SLC2A1": ("HGNC:11005", "NCBIGene:6513"),
    "PRRT2": ("HGNC:30500", "NCBIGene:112476"), "SGCE": ("HGNC:10808", "NCBIGene:8910"),
    "ATP1A3": ("HGNC:801", "NCBIGene:478"), "PRKRA": ("HGNC:9438", "NCBIGene:8575"),
    "TSPOAP1": ("HGNC:16831", "NCBIGene:9256"), "CACNA1B": ("HGNC:1389", "NCBIGene:774"),
    "CIZ1": ("HGNC:16744", "NCBIGene:25792"), "ANO3": ("HGNC:14004", "NCBIGene:63982"),
    "GNAL": ("HGNC:4388", "NCBIGene:2774"), "KCTD17": ("HGNC:25705", "NCBIGene:79734"),
    "COL6A3": ("HGNC:2213", "NCBIGene:1293"), "KMT2B": ("HGNC:15840", "NCBIGene:9757"),
    "MECR": ("HGNC:19691", "NCBIGene:51102"), "VPS16": ("HGNC:14584", "NCBIGene:64601"),
    "AOPEP": ("HGNC:1361", "NCBIGene:84909"), "VPS11": ("HGNC:14583", "NCBIGene:55823"),
    "EIF2AK2": ("HGNC:9437", "NCBIGene:5610"), "KCNN2": ("HGNC:6291", "NCBIGene:3781"),
    "SHQ1": ("HGNC:25543", "NCBIGene:55164"), "TH": ("HGNC:11782", "NCBIGene:7054"),
    "SPR": ("HGNC:11257", "NCBIGene:6697"),
}


def label_of(graph: Graph, node) -> str:
    return str(graph.value(node, RDFS.label))


def class_labelled(graph: Graph, label: str) -> URIRef:
    found = [s for s in graph.subjects(RDFS.label, Literal(label, lang="en")) if isinstance(s, URIRef)]
    assert len(found) == 1, f"{label!r} labels {found}"
    return found[0]


def is_a(graph: Graph, sub: URIRef, sup: URIRef) -> bool:
    """Whether the release (asserted plus inferred hierarchy) files sub under sup."""
    return sup in set(graph.transitive_objects(sub, RDFS.subClassOf))


def facts(store, subject: URIRef, prop: str) -> dict[str, set[str]]:
    """The asserted 'prop some X' facts of a class: label of X -> its axiom sources."""
    rows = ask(store, """
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>
        SELECT ?subject ?prop ?label ?source WHERE {
          ?subject rdfs:subClassOf ?r . ?r owl:onProperty ?prop ; owl:someValuesFrom ?value .
          OPTIONAL { ?value rdfs:label ?label }
          OPTIONAL { ?axiom owl:annotatedSource ?subject ; owl:annotatedTarget ?r ; oboInOwl:source ?source }
        }""", subject=subject, prop=URIRef(prop))
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["label"], set())
        if row["source"]:
            found[row["label"]].add(row["source"])
    return found


# ---------------------------------------------------------------------------------------------------
# The DYT table
# ---------------------------------------------------------------------------------------------------

def test_the_dyt_table_gives_every_locus_its_name_gene_inheritance_onset_omim_and_status(release_store):
    rows = query("dyt-table", graph=release_store).as_dicts()
    table = {str(row["locus"]): row for row in rows}
    assert set(table) == set(EXPECTED_DYT_TABLE), "DYT1-DYT35 and DYT5b, without the withdrawn DYT14"
    for locus, (mds_name, genes, inheritance, onset, omim, status) in EXPECTED_DYT_TABLE.items():
        row = table[locus]
        assert (str(row["mdsName"]) if row["mdsName"] else None) == mds_name, locus
        assert cells(row["genes"]) == genes, locus
        assert cells(row["inheritance"]) == inheritance, locus
        assert cells(row["onset"]) == onset, locus
        assert cells(row["omim"]) == omim, locus
        assert str(row["status"]) == status, locus


def test_the_dyt_table_is_in_locus_order_and_labels_carry_the_mds_name(release_store):
    rows = query("dyt-table", graph=release_store).as_dicts()
    loci = [str(row["locus"]) for row in rows]
    assert loci[:7] == ["DYT1", "DYT2", "DYT3", "DYT4", "DYT5", "DYT5b", "DYT6"]
    assert loci[-1] == "DYT35"
    for row in rows:
        if row["mdsName"]:
            assert row["mdsName"] == Literal(str(row["label"])), "the MDS name is the preferred label"


def test_locus_numbers_and_old_names_find_the_disease(release_store):
    for name, expected in [("DYT1", "DYT-TOR1A"), ("Oppenheim's dystonia", "DYT-TOR1A"), ("Lubag", "DYT-TAF1"),
                           ("DYT5a", "DYT-GCH1"), ("DYT5b", "DYT-TH"), ("autosomal dominant Segawa syndrome", "DYT-GCH1"),
                           ("rapid-onset dystonia-parkinsonism", "DYT-ATP1A3"), ("DYT29", "dystonia, childhood-onset, "
                           "with optic atrophy and basal ganglia abnormalities")]:
        found = query("describe-entity", {"entity": name}, graph=release_store).column("label")
        assert [str(label) for label in found] == [expected], name
    segawa = {str(r["label"]) for r in query("find-by-name", {"text": "Segawa"}, graph=release_store).as_dicts()}
    assert {"DYT-GCH1", "DYT-TH", "dopa-responsive dystonia"} <= segawa


# ---------------------------------------------------------------------------------------------------
# Hard cases
# ---------------------------------------------------------------------------------------------------

def test_dyt14_is_withdrawn_obsolete_and_replaced_by_dyt5(release_graph):
    dyt14 = iri("0002014")
    assert (dyt14, OWL.deprecated, Literal(True)) in release_graph
    assert label_of(release_graph, dyt14) == "obsolete dystonia 14"
    assert release_graph.value(dyt14, URIRef(IAO + "0100001")) == iri("0002005")  # DYT-GCH1
    assert release_graph.value(dyt14, URIRef(IAO + "0000231")) == URIRef(IAO + "0000227")  # terms merged
    assert "by mistake" in str(release_graph.value(dyt14, RDFS.comment))
    assert list(release_graph.objects(dyt14, RDFS.subClassOf)) == [], "an obsolete class has no logical axioms"


def test_dyt9_and_dyt18_share_slc2a1_and_both_say_so(release_graph, release_store):
    rows = query("diseases-of-gene", {"symbol": "SLC2A1"}, graph=release_store).as_dicts()
    assert {(str(r["locus"]), str(r["status"])) for r in rows} == {("DYT9", CONFIRMED), ("DYT18", CONFIRMED)}
    for row in rows:
        assert "OMIM:" in str(row["sources"])
        assert "SLC2A1" in str(release_graph.value(row["disease"], RDFS.comment))


def test_dyt23_keeps_the_gene_dispute_visible(release_graph, release_store):
    dyt23 = class_labelled(release_graph, "dystonia 23")
    assert set(facts(release_store, dyt23, "https://w3id.org/dystonia-kg/DYKG_0002950")) == {REPORTED}
    # Both reported genes carry a relation that says so; neither is 'has material basis in germline mutation in',
    # so neither the reasoner nor diseases-of-gene takes it for the established cause.
    assert set(facts(release_store, dyt23, "https://w3id.org/dystonia-kg/DYKG_0002951")) == {"CACNA1B", "CIZ1"}
    assert set(facts(release_store, dyt23, "http://purl.obolibrary.org/obo/RO_0004003")) == set()
    comment = str(release_graph.value(dyt23, RDFS.comment))
    assert "CIZ1" in comment and "CACNA1B" in comment and "disputed" in comment.lower()
    for symbol in ("CIZ1", "CACNA1B"):
        assert query("diseases-of-gene", {"symbol": symbol}, graph=release_store).rows == (), symbol
    assert is_a(release_graph, dyt23, iri("0003100")), "still an inherited dystonia (autosomal dominant family)"


def test_dyt5_is_split_into_the_gch1_th_and_spr_forms_under_dopa_responsive_dystonia(release_store):
    rows = query("dopa-responsive-forms", graph=release_store).as_dicts()
    found = {(str(r["label"]), str(r["locus"]) if r["locus"] else None, str(r["symbol"]), str(r["inheritance"]))
             for r in rows}
    assert found == {("DYT-GCH1", "DYT5", "GCH1", AD), ("DYT-TH", "DYT5b", "TH", AR), ("DYT-SPR", None, "SPR", AR)}


def test_paroxysmal_forms_are_paroxysmal_dyskinesias_kept_under_dystonia_with_a_reason(release_graph):
    paroxysmal_dyskinesia, dystonia = iri("0001305"), iri("0000001")
    for locus in ("DYT8", "DYT9", "DYT10", "DYT18", "DYT19", "DYT20"):
        disease = next(s for s in release_graph.subjects(URIRef(OBO_IN_OWL + "hasExactSynonym"), Literal(locus, lang="en")))
        parents = set(release_graph.objects(disease, RDFS.subClassOf))
        assert {paroxysmal_dyskinesia, dystonia} <= parents, locus
        assert "'paroxysmal dyskinesia'" in str(release_graph.value(disease, RDFS.comment)), locus
        assert is_a(release_graph, disease, iri("0001114")), f"{locus} is inferred a paroxysmal dystonia"


def test_loci_without_a_gene_are_inherited_by_their_etiology_and_have_no_gene(release_graph, release_store):
    for label in ("torsion dystonia 7", "torsion dystonia 13", "myoclonic dystonia 15", "torsion dystonia 17",
                  "episodic kinesigenic dyskinesia 2", "paroxysmal nonkinesigenic dyskinesia 2", "dystonia 21"):
        disease = class_labelled(release_graph, label)
        assert facts(release_store, disease, "http://purl.obolibrary.org/obo/RO_0004003") == {}, label
        etiology = facts(release_store, disease, "https://w3id.org/dystonia-kg/DYKG_0000107")
        assert set(etiology) == {"inherited etiology"} and all(etiology.values()), label
        assert is_a(release_graph, disease, iri("0003100")), f"{label} is inferred an inherited dystonia"


# ---------------------------------------------------------------------------------------------------
# The reasoner, not the sources, files genetic dystonias under the defined classes
# ---------------------------------------------------------------------------------------------------

def test_no_genetic_dystonia_is_asserted_under_a_defined_class():
    source = load_sources(default_layout()).graph
    defined = {iri("0003100"), iri("0001111"), iri("0001112"), iri("0001113"), iri("0001117")}
    assert not [(s, o) for s, o in source.subject_objects(RDFS.subClassOf) if o in defined]


@pytest.mark.parametrize("label, inferred_parent", [
    ("DYT-TOR1A", "inherited dystonia"), ("DYT-TOR1A", "isolated dystonia"), ("DYT-TOR1A", "generalized dystonia"),
    ("DYT-TAF1", "dystonia-parkinsonism"), ("DYT-ATP1A3", "dystonia-parkinsonism"), ("DYT-PRKRA", "dystonia-parkinsonism"),
    ("DYT-GCH1", "dystonia-parkinsonism"), ("DYT-SGCE", "myoclonus-dystonia"), ("myoclonic dystonia 26", "myoclonus-dystonia"),
    ("DYT-SPR", "combined dystonia"), ("torsion dystonia 7", "focal dystonia"), ("dystonia 22", "inherited dystonia"),
])
def test_the_reasoner_files_each_genetic_dystonia_from_its_facts(release_graph, label, inferred_parent):
    disease, parent = class_labelled(release_graph, label), class_labelled(release_graph, inferred_parent)
    assert is_a(release_graph, disease, parent)


# ---------------------------------------------------------------------------------------------------
# Competency queries
# ---------------------------------------------------------------------------------------------------

def test_genes_by_inheritance_recessive(release_store):
    rows = query("genes-by-inheritance", {"inheritance": AR}, graph=release_store).as_dicts()
    assert {str(r["symbol"]) for r in rows} == {"HPCA", "PRKRA", "TSPOAP1", "COL6A3", "MECR", "AOPEP", "VPS11",
                                                 "EIF2AK2", "SHQ1", "TH", "SPR",
                                                 # the curated forms (terms/forms.tsv) outside the DYT series
                                                 "TBC1D24", "SLC6A3", "SLC30A10", "SCP2", "PLEKHG2", "SLC39A14",
                                                 "SQSTM1", "SLC18A2", "KCNA4", "WARS2", "NUP54"}
    assert all(r["sources"] for r in rows), "every gene link shows its sources"


def test_genes_by_inheritance_x_linked_takes_in_x_linked_recessive(release_store):
    rows = query("genes-by-inheritance", {"inheritance": "X-linked inheritance"}, graph=release_store).as_dicts()
    assert [(str(r["symbol"]), str(r["modeLabel"])) for r in rows] == [("BCAP31", XLR), ("TAF1", XLR)]


def test_genes_by_inheritance_dominant(release_store):
    rows = query("genes-by-inheritance", {"inheritance": "HP:0000006"}, graph=release_store).as_dicts()
    symbols = {str(r["symbol"]) for r in rows}
    # CACNA1B is only a reported gene of DYT23 (not its germline cause); ACTB, ATP5MC3 and NR4A2 are curated forms
    assert {"TOR1A", "TUBB4A", "GCH1", "THAP1", "PNKD", "SLC2A1", "PRRT2", "SGCE", "ATP1A3", "ANO3",
            "GNAL", "KCTD17", "KMT2B", "VPS16", "EIF2AK2", "KCNN2", "ACTB", "ATP5MC3", "NR4A2"} == symbols
    assert not symbols & {"HPCA", "TH", "SPR", "TAF1"}


def test_childhood_onset_genetic_dystonias_use_the_inferred_hierarchy(release_store):
    rows = query("childhood-onset-genetic-dystonias", graph=release_store).as_dicts()
    assert {str(r["label"]) for r in rows} == {
        "DYT-TOR1A", "torsion dystonia 2", "DYT-GCH1", "DYT-THAP1", "dystonia 9",
        "torsion dystonia 13", "DYT-PRKRA", "PxMD-SLC2A1", "dystonia 27", "DYT-KMT2B",
        "dystonia, childhood-onset, with optic atrophy and basal ganglia abnormalities", "dystonia 31", "dystonia 33",
        "dystonia 34, myoclonic", "dystonia 35, childhood-onset",
        # curated forms outside the DYT series, with a childhood onset from the OMIM title or HPO's annotation
        "developmental malformations-deafness-dystonia syndrome", "dystonia 37, early-onset, with striatal lesions",
        "dystonia, early-onset, and/or spastic paraplegia", "parkinsonism-dystonia 3, childhood-onset"}
    by_label = {str(r["label"]): r for r in rows}
    assert str(by_label["DYT-GCH1"]["genes"]) == "GCH1"
    # The recessive TH and SPR forms begin in infancy, not childhood: dopa-responsive dystonia as a whole
    # is only 'early onset', so they do not inherit childhood onset from it.
    assert "DYT-TH" not in by_label and "DYT-SPR" not in by_label
    assert by_label["torsion dystonia 13"]["genes"] is None


def test_combined_genetic_dystonias_with_their_other_movement_disorder(release_store):
    rows = query("combined-genetic-dystonias", graph=release_store).as_dicts()
    found = {(str(r["label"]), str(r["otherDisorderLabel"]) if r["otherDisorderLabel"] else None) for r in rows}
    assert found == {
        ("DYT-TAF1", "parkinsonism"), ("DYT-GCH1", "parkinsonism"), ("DYT-TH", "parkinsonism"), ("DYT-SPR", None),
        ("DYT-ATP1A3", "parkinsonism"), ("DYT-PRKRA", "parkinsonism"), ("DYT-SGCE", "myoclonus"),
        ("myoclonic dystonia 15", "myoclonus"), ("myoclonic dystonia 26", "myoclonus"), ("dystonia 34, myoclonic", "myoclonus"),
        ("PxMD-PNKD", "chorea"), ("dystonia 9", "chorea"), ("PxMD-PRRT2", "chorea"), ("PxMD-SLC2A1", None),
        # curated forms outside the DYT series (terms/forms.tsv), combined by HPO's annotations of their OMIM entries
        ("brain dopamine-serotonin vesicular transport disease", "parkinsonism"),
        ("cirrhosis - dystonia - polycythemia - hypermanganesemia syndrome", "parkinsonism"),
        ("classic dopamine transporter deficiency syndrome", "chorea"),
        ("classic dopamine transporter deficiency syndrome", "parkinsonism"),
        ("dystonia 37, early-onset, with striatal lesions", "chorea"),
        ("hypermanganesemia with dystonia 2", "parkinsonism"),
        ("parkinsonism-dystonia 3, childhood-onset", "chorea"), ("parkinsonism-dystonia 3, childhood-onset", "parkinsonism")}


def test_diseases_of_a_gene_by_symbol_with_the_sources_of_the_link(release_store):
    rows = query("diseases-of-gene", {"symbol": "tor1a"}, graph=release_store).as_dicts()
    assert [(str(r["label"]), str(r["locus"]), str(r["status"])) for r in rows] == [("DYT-TOR1A", "DYT1", CONFIRMED)]
    assert {"Orphanet:256", "NCBIBook:NBK1492"} <= cells(rows[0]["sources"])
    tspoap1 = query("diseases-of-gene", {"symbol": "TSPOAP1"}, graph=release_store).as_dicts()
    assert {str(r["label"]) for r in tspoap1} == {"dystonia 22", "dystonia 22, juvenile-onset", "dystonia 22, adult-onset"}


def test_loci_without_a_confirmed_gene(release_store):
    rows = query("loci-without-confirmed-gene", graph=release_store).as_dicts()
    found: dict[str, tuple] = {}
    for r in rows:
        status, genes = found.get(str(r["locus"]), (str(r["statusLabel"]), None))
        if r["reportedGene"]:
            genes = tuple(sorted({*(genes or ()), str(r["reportedGene"])}))
        found[str(r["locus"])] = (status, genes)
    assert found == {
        "DYT7": (NO_GENE, None), "DYT13": (NO_GENE, None), "DYT14": (MERGED, None), "DYT15": (NO_GENE, None),
        "DYT17": (NO_GENE, None), "DYT19": (NO_GENE, None), "DYT20": (NO_GENE, None), "DYT21": (NO_GENE, None),
        "DYT23": (REPORTED, ("CACNA1B", "CIZ1")), "DYT27": (REPORTED, ("COL6A3",))}
    dyt14 = next(r for r in rows if str(r["locus"]) == "DYT14")
    assert dyt14["replacedBy"] == iri("0002005")


# ---------------------------------------------------------------------------------------------------
# Seed statements are data, with dykg.seed:guide among their sources
# ---------------------------------------------------------------------------------------------------

HAS_ONSET, HAS_SITE_OF_ONSET, COMBINED_WITH, HAS_TEMPORAL_PATTERN, HAS_LOCATION, HAS_COMPLICATION = (
    DYKG + "0000101", DYKG + "0000118", DYKG + "0000105", DYKG + "0000103",
    "http://purl.obolibrary.org/obo/RO_0004026", DYKG + "0000114")


@pytest.mark.parametrize("label, prop, value", [
    ("DYT-TOR1A", HAS_ONSET, "childhood onset"),                  # begins in childhood ...
    ("DYT-TOR1A", HAS_COMPLICATION, "physical disability"),       # ... and can disable
    ("DYT-TAF1", COMBINED_WITH, "parkinsonism"),                  # parkinsonian tremor, stiffness, slowness
    ("DYT-GCH1", HAS_TEMPORAL_PATTERN, "diurnal fluctuation"),    # worse later in the day
    ("DYT-THAP1", HAS_LOCATION, "head"), ("DYT-THAP1", HAS_LOCATION, "neck"), ("DYT-THAP1", HAS_LOCATION, "upper limb"),
    ("DYT-SGCE", COMBINED_WITH, "myoclonus"),                     # adds myoclonus
    ("DYT-ATP1A3", COMBINED_WITH, "parkinsonism"),                # rapid-onset parkinsonism
    ("DYT-KMT2B", HAS_ONSET, "childhood onset"),                  # begins in childhood
])
def test_seed_statements_are_facts_with_their_source(release_graph, release_store, label, prop, value):
    stated = facts(release_store, class_labelled(release_graph, label), prop)
    assert "dykg.seed:guide" in stated[value]


def test_dyt1_begins_in_an_arm_or_a_leg_says_the_seed(release_store):
    site = ask(release_store, """
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>
        SELECT ?label ?source WHERE {
          <https://w3id.org/dystonia-kg/DYKG_0002001> rdfs:subClassOf ?r .
          ?r owl:onProperty <https://w3id.org/dystonia-kg/DYKG_0000118> ; owl:someValuesFrom ?union .
          ?union owl:unionOf/rdf:rest*/rdf:first ?part . ?part rdfs:label ?label .
          ?axiom owl:annotatedSource <https://w3id.org/dystonia-kg/DYKG_0002001> ; owl:annotatedTarget ?r ;
                 oboInOwl:source ?source }""")
    assert {row["label"] for row in site} == {"upper limb", "lower limb"}
    assert "dykg.seed:guide" in {row["source"] for row in site}


# ---------------------------------------------------------------------------------------------------
# Genes, inheritance modes, status values and their links
# ---------------------------------------------------------------------------------------------------

def test_every_gene_is_labelled_by_its_symbol_and_mapped_to_hgnc_and_ncbi_gene(release_graph):
    gene_root = iri("0000004")
    for symbol, (hgnc, ncbi) in EXPECTED_GENES.items():
        gene = class_labelled(release_graph, symbol)
        assert (gene, RDFS.subClassOf, gene_root) in release_graph, symbol
        xrefs = {str(x) for x in release_graph.objects(gene, URIRef(OBO_IN_OWL + "hasDbXref"))}
        assert {x for x in xrefs if x.startswith(("HGNC:", "NCBIGene:"))} == {hgnc, ncbi}, symbol
        matches = set(release_graph.objects(gene, SKOS.exactMatch))
        assert URIRef("http://identifiers.org/hgnc/" + hgnc.split(":")[1]) in matches, symbol
        assert URIRef("http://identifiers.org/ncbigene/" + ncbi.split(":")[1]) in matches, symbol


def test_recently_described_genes_say_so(release_graph):
    for symbol in ("GNAL", "ANO3", "KMT2B", "VPS16", "AOPEP", "EIF2AK2"):
        comment = str(release_graph.value(class_labelled(release_graph, symbol), RDFS.comment))
        assert comment.startswith("Recently described dystonia gene"), symbol


def test_inheritance_modes_are_mapped_to_hpo(release_graph):
    for label, hp in [(AD, "HP_0000006"), (AR, "HP_0000007"), ("X-linked inheritance", "HP_0001417"),
                      (XLR, "HP_0001419"), ("X-linked dominant inheritance", "HP_0001423")]:
        mode = class_labelled(release_graph, label)
        assert (mode, SKOS.exactMatch, URIRef("http://purl.obolibrary.org/obo/" + hp)) in release_graph
        assert (mode, RDFS.subClassOf, iri("0000028")) in release_graph or label.startswith("X-linked ")


def test_diseases_map_exactly_to_mondo_omim_and_orphanet_and_broadly_to_group_terms(release_graph):
    dyt1 = iri("0002001")
    assert {URIRef("http://purl.obolibrary.org/obo/MONDO_0007492"), URIRef("https://omim.org/entry/128100"),
            URIRef("http://www.orpha.net/ORDO/Orphanet_256")} <= set(release_graph.objects(dyt1, SKOS.exactMatch))
    gch1_form = iri("0002005")
    group = URIRef("http://www.orpha.net/ORDO/Orphanet_98808")  # autosomal dominant DRD: a group in MONDO
    assert (gch1_form, SKOS.broadMatch, group) in release_graph
    assert (gch1_form, SKOS.exactMatch, group) not in release_graph


def test_the_status_property_is_declared_with_domain_range_and_one_value(release_graph):
    status = iri("0002950")
    assert label_of(release_graph, status) == "has locus status"
    assert release_graph.value(status, RDFS.domain) == iri("0000001")
    assert release_graph.value(status, RDFS.range) == iri("0002900")
    assert (status, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), OWL.FunctionalProperty) in release_graph
    values = {label_of(release_graph, v) for v in release_graph.subjects(RDFS.subClassOf, iri("0002900"))}
    assert values == {CONFIRMED, REPORTED, NO_GENE, MERGED}


def test_every_gene_link_in_the_release_carries_a_source(release_store):
    missing = ask(release_store, """
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>
        SELECT ?disease WHERE {
          ?disease rdfs:subClassOf ?r . ?r owl:onProperty <http://purl.obolibrary.org/obo/RO_0004003> .
          FILTER NOT EXISTS { ?a owl:annotatedSource ?disease ; owl:annotatedTarget ?r ; oboInOwl:source ?s } }""")
    assert missing == []


# ---------------------------------------------------------------------------------------------------
# Shapes: each catches its defect, with a message a curator can act on
# ---------------------------------------------------------------------------------------------------

LOCUS = 'DYKG:0009001 a owl:Class ; rdfs:subClassOf DYKG:0000001 ; rdfs:label "test dystonia"@en ; ' \
        'IAO:0000115 "d" ; IAO:0000119 "dykg.seed:guide" ; oboInOwl:hasExactSynonym "DYT99" .\n'
GENE = 'DYKG:0009002 a owl:Class ; rdfs:subClassOf DYKG:0000004 ; rdfs:label "TESTG"@en ; ' \
       'IAO:0000115 "d" ; IAO:0000119 "dykg.seed:guide" .\n'


def status(value: str) -> str:
    return f"DYKG:0009001 rdfs:subClassOf [ a owl:Restriction ; owl:onProperty DYKG:0002950 ; owl:someValuesFrom {value} ] .\n"


GENE_LINK = "DYKG:0009001 rdfs:subClassOf _:link .\n" \
            "_:link a owl:Restriction ; owl:onProperty RO:0004003 ; owl:someValuesFrom DYKG:0009002 .\n"
LINK_SOURCE = "[] a owl:Axiom ; owl:annotatedSource DYKG:0009001 ; owl:annotatedProperty rdfs:subClassOf ; " \
              'owl:annotatedTarget _:link ; oboInOwl:source "OMIM:128100" .\n'


def failures(turtle: str) -> set[tuple[str, str]]:
    return {(v.rule, v.message) for v in failures_of(turtle)}


def rules(turtle: str) -> set[str]:
    return {rule for rule, _message in failures(turtle)}


def test_a_well_formed_genetic_dystonia_breaks_no_genetics_rule():
    assert rules(LOCUS + status("DYKG:0002901") + GENE + GENE_LINK + LINK_SOURCE
                 + 'DYKG:0009002 oboInOwl:hasDbXref "HGNC:3098" .\n'
                 + 'DYKG:0009001 oboInOwl:hasDbXref "OMIM:128100" .\n') == set()


@pytest.mark.parametrize("turtle, rule, words", [
    (LOCUS, "dykgsh:LocusStatusShape", "has 0 locus statuses"),
    (LOCUS + status("DYKG:0002903") + status("DYKG:0002902"), "dykgsh:LocusStatusShape", "has 2 locus statuses"),
    (LOCUS + status("DYKG:0002901"), "dykgsh:ConfirmedLocusGeneShape", "says its gene is confirmed but names no gene"),
    (LOCUS + status("DYKG:0002901") + GENE + GENE_LINK + 'DYKG:0009002 oboInOwl:hasDbXref "HGNC:1" .\n',
     "dykgsh:GeneLinkSourceShape", "to the gene TESTG has no source"),
    (LOCUS + status("DYKG:0002901") + GENE + GENE_LINK + LINK_SOURCE, "dykgsh:GeneHgncShape", "has 0 HGNC cross-references"),
    (GENE + 'DYKG:0009002 oboInOwl:hasDbXref "HGNC:1" , "HGNC:2" .\n', "dykgsh:GeneHgncShape", "has 2 HGNC cross-references"),
    (GENE + 'DYKG:0009002 oboInOwl:hasDbXref "HGNC:TOR1A" .\n', "dykgsh:HgncXrefShape", "HGNC:TOR1A is malformed"),
    (LOCUS + status("DYKG:0002903") + 'DYKG:0009001 oboInOwl:hasDbXref "OMIM:12810" .\n',
     "dykgsh:OmimXrefShape", "OMIM:12810 is malformed"),
])
def test_each_genetics_shape_catches_its_defect(turtle, rule, words):
    found = failures(turtle)
    assert rule in {r for r, _ in found}
    assert any(r == rule and words in message for r, message in found), found
