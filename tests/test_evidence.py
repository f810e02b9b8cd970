"""Evidence: every curated fact row carries an ECO class beside its source, and the release annotates the axiom
with it; a row without one, or with something that is not an ECO class, is refused with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from dystonia_kg.build.loading import load_sources
from dystonia_kg.build.tables import read_rows
from dystonia_kg.core.errors import SourceError

REPOSITORY = Path(__file__).resolve().parent.parent
# Each read in eco.obo (evidenceontology/evidenceontology@28e39bd, release 2024-07-19) with this name.
VERIFIED_ECO = {
    "ECO:0000303": "author statement without traceable support used in manual assertion",
    "ECO:0000304": "author statement supported by traceable reference used in manual assertion",
    "ECO:0000312": "imported information used in manual assertion",
    "ECO:0007759": "curator inference from database used in manual assertion",
}
HAS_EVIDENCE = URIRef("https://w3id.org/dystonia-kg/DYKG_0011007")


def test_every_curated_axiom_row_has_a_verified_eco_class():
    tables = sorted((REPOSITORY / "ontology" / "axioms").glob("*.tsv"))
    assert tables
    for table in tables:
        for row in read_rows(table, ("source", "evidence")):
            assert row["evidence"] in VERIFIED_ECO, f"{table.name}:{row.line}"


def test_the_release_annotates_each_fact_with_its_evidence(release_graph):
    from rdflib.namespace import OWL
    axioms = set(release_graph.subjects(HAS_EVIDENCE, None))
    assert axioms and all((axiom, OWL.annotatedSource, None) in release_graph for axiom in axioms)


def test_a_row_without_an_eco_class_is_refused_with_file_and_line(sources):
    table = sources.ontology_dir / "axioms" / "etiology.tsv"
    lines = table.read_text(encoding="utf-8").splitlines()
    data = next(i for i, line in enumerate(lines) if line.startswith("DYKG:"))
    cells = lines[data].split("\t")
    header = next(line for line in lines if line.startswith("subject_id")).split("\t")
    cells[header.index("evidence")] = "TAS"
    lines[data] = "\t".join(cells)
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SourceError) as error:
        load_sources(sources)
    assert f"etiology.tsv:{data + 1}" in str(error.value) and "not an ECO class" in str(error.value)


def test_every_sourced_fact_of_the_release_carries_a_verified_eco_class(release_graph):
    """Facts written in Turtle (the five whose filler is a union) carry evidence as table rows do."""
    from rdflib.namespace import OWL, RDFS

    from dystonia_kg.core.vocabulary import AXIOM_SOURCE

    eco = "http://purl.obolibrary.org/obo/ECO_"
    facts = [axiom for axiom in release_graph.subjects(OWL.annotatedProperty, RDFS.subClassOf)
             if (axiom, AXIOM_SOURCE, None) in release_graph]
    assert len(facts) > 400
    for axiom in facts:
        evidence = {str(e).replace(eco, "ECO:") for e in release_graph.objects(axiom, HAS_EVIDENCE)}
        assert len(evidence) == 1 and evidence <= set(VERIFIED_ECO), (
            release_graph.value(axiom, OWL.annotatedSource), evidence)
