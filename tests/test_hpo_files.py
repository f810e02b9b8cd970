"""Reading an HPO release's files: terms as HPO wrote them, obsolete ids followed, the release named."""

from __future__ import annotations

from pathlib import Path

import pytest

from dystonia_kg.core.errors import SourceError
from dystonia_kg.mapping.hpo import FREQUENCY_TERMS, HpoRelease, diseases_annotated_with, frequency_as_fraction

EXTRACT = Path(__file__).parent / "data" / "hpo"


@pytest.fixture(scope="module")
def release() -> HpoRelease:
    return HpoRelease.locate(EXTRACT)


def test_the_release_is_named_by_the_version_in_hp_obo(release):
    assert release.version == "2099-01-01"


def test_terms_keep_label_definition_synonyms_and_parents(release):
    dystonia = release.read_ontology().terms["HP:0001332"]
    assert dystonia.label == "Dystonia"
    assert dystonia.definition == 'A test definition with an "escaped" quote.'
    assert ("Dystonic movements", "EXACT") in dystonia.synonyms
    assert dystonia.parents == ("HP:0100022",)


def test_ancestors_include_the_term_itself_and_everything_above(release):
    ontology = release.read_ontology()
    assert ontology.ancestors("HP:0000473") == {"HP:0000473", "HP:0001332", "HP:0100022", "HP:0000118", "HP:0000001"}
    assert ontology.descendants("HP:0001332") == {"HP:0001332", "HP:0000473"}


@pytest.mark.parametrize("given, current, note", [
    ("HP:0000473", "HP:0000473", None),
    ("HP:0002328", "HP:0001332", "alternative id of HP:0001332"),
    ("HP:0009999", "HP:0000473", "obsolete, replaced by HP:0000473"),
    ("HP:0009998", None, "obsolete with no replacement; HPO suggests considering HP:0001300"),
    ("HP:1234567", None, "unknown in HPO 2099-01-01"),
])
def test_ids_are_resolved_to_the_term_the_release_uses(release, given, current, note):
    resolved = release.read_ontology().resolve(given)
    assert resolved.current == current
    assert (resolved.note or "").startswith(note or "")


def test_annotations_keep_negation_frequency_and_evidence_as_written(release):
    rows = list(release.annotations())
    assert len(rows) == 4
    negated = [r for r in rows if r.negated]
    assert [(r.disease_id, r.hpo_id) for r in negated] == [("TEST:1", "HP:0001300")]
    assert {r.frequency for r in rows} == {"3/4", "", "HP:0040281", "25%"}


def test_diseases_with_dystonia_are_those_annotated_to_it_or_below_and_not_negated(release):
    ontology = release.read_ontology()
    assert diseases_annotated_with(release.annotations(), ontology) == {"TEST:1", "TEST:3"}


def test_gene_links_are_distinct_pairs_with_ncbi_gene_curies(release):
    links = release.gene_links()
    assert [(g.disease_id, g.symbol, g.ncbi_gene_id) for g in links] == [
        ("TEST:1", "TOR1A", "NCBIGene:1861"), ("TEST:2", "GCH1", "NCBIGene:2643")]


@pytest.mark.parametrize("text, fraction", [
    ("3/4", 0.75), ("0/5", 0.0), ("25%", 0.25), ("HP:0040280", 1.0), ("HP:0040285", 0.0), ("", None), ("often", None),
])
def test_frequencies_become_fractions(text, fraction):
    assert frequency_as_fraction(text) == fraction


def test_a_folder_without_the_three_files_is_bad_input_naming_what_is_missing(tmp_path):
    (tmp_path / "hp.obo").write_text("format-version: 1.2\n")
    with pytest.raises(SourceError, match="missing phenotype.hpoa, genes_to_phenotype.txt"):
        HpoRelease.locate(tmp_path)


def test_the_shipped_release_is_2025_01_16_and_its_frequency_terms_are_the_ones_we_use():
    release = HpoRelease.locate()
    assert release.version == "2025-01-16"
    ontology = release.read_ontology()
    for term_id, (label, _fraction) in FREQUENCY_TERMS.items():
        assert ontology.terms[term_id].label == label
