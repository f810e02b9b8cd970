"""The audit: runs offline on the committed HPO extract (as in CI), names where curated facts and HPO disagree,
and fails with --strict only when a curated fact contradicts the source."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from dystonia_kg.cli import main

DATA = Path(__file__).parent / "data"


def run(*arguments: str):
    return CliRunner().invoke(main, list(arguments))


def test_the_audit_runs_on_the_committed_extract_and_writes_a_tsv(tmp_path):
    out = tmp_path / "audit.tsv"
    result = run("audit", "--out", str(out), "--strict")
    assert result.exit_code == 0, result.output  # no curated fact contradicts HPO 2025-01-16
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# dystonia-kg audit against HPO 2025-01-16"
    assert lines[1].split("\t") == ["check", "severity", "entity", "label", "source_id", "detail"]
    # HPO's Orphanet-derived gene file gives CIZ1 for dystonia 23, which we record as reported, not confirmed.
    assert ("gene-disease\tdifference\tDYKG:0002023\tdystonia 23\tORPHA:420492\t"
            "HPO gives CIZ1 (NCBIGene:25792); we record it as reported, not confirmed") in lines


def test_a_mapping_to_an_obsolete_hpo_term_is_a_contradiction_that_fails_strict(sources):
    table = sources.ontology_dir / "mappings" / "clinical.tsv"
    with table.open("a", encoding="utf-8") as handle:
        handle.write("DYKG:0000001\tdystonia\tskos:relatedMatch\tHP:0009999\tObsolete torticollis\t"
                     "semapv:ManualMappingCuration\ta test row\n")
    result = run("audit", "--hpo", str(DATA / "hpo"), "--sources", str(sources.ontology_dir.parent), "--strict")
    assert result.exit_code == 1
    assert "CONTRADICTION hp-mapping: DYKG:0000001 'dystonia' HP:0009999: obsolete, replaced by HP:0000473" in result.output


def test_a_dystonia_disease_neither_curated_nor_imported_is_reported_missing(sources):
    result = run("audit", "--hpo", str(DATA / "hpo"), "--sources", str(sources.ontology_dir.parent))
    assert result.exit_code == 0
    assert "MISSING       dystonia-disease:  '' TEST:1: HPO annotates 'Dystonia test 1' with dystonia" in result.output
    assert "TEST:2" not in result.output  # annotated with parkinsonism only
