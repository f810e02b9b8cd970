"""Reading a patient's findings: only findings, never the answer a phenopacket may carry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dystonia_kg.clinic.phenopacket import (
    CaseError,
    case_files,
    case_from_phenopacket,
    duration_in_years,
    quick_case,
    read_phenopacket,
)
from dystonia_kg.mapping.hpo import HpoRelease

EXTRACT = Path(__file__).parent / "data" / "hpo"
CASES = Path(__file__).resolve().parents[1] / "benchmarks" / "phenopackets-dev" / "cases"

PACKET = {
    "id": "case-1",
    "subject": {"id": "P1", "sex": "FEMALE", "timeAtLastEncounter": {"age": {"iso8601duration": "P12Y"}}},
    "phenotypicFeatures": [
        {"type": {"id": "HP:0000473", "label": "Torticollis"}, "onset": {"age": {"iso8601duration": "P8Y6M"}},
         "modifiers": [{"id": "HP:0012832", "label": "Bilateral"}]},
        {"type": {"id": "HP:0001300", "label": "Parkinsonism"}, "excluded": True},
        {"type": {"id": "HP:0009999", "label": "obsolete Old dystonic sign"}},
        {"type": {"id": "HP:1234567", "label": "not in this release"}},
    ],
    "diseases": [{"term": {"id": "OMIM:128100", "label": "the answer"}}],
    "interpretations": [{"id": "x", "diagnosis": {"disease": {"id": "OMIM:128100"}}}],
}


def test_observed_and_excluded_findings_with_onset_modifiers_sex_and_age_are_read():
    case = case_from_phenopacket(PACKET, "case.json")
    assert case.id == "case-1" and case.sex == "female" and case.age_years == 12
    assert [f.term for f in case.observed] == ["HP:0000473", "HP:0009999", "HP:1234567"]
    assert [f.term for f in case.excluded] == ["HP:0001300"]
    assert case.observed[0].onset.years == pytest.approx(8.5)
    assert case.observed[0].modifiers == ("HP:0012832",)
    assert case.onset.years == pytest.approx(8.5)


def test_the_answer_a_phenopacket_carries_is_never_read():
    without_answer = {k: v for k, v in PACKET.items() if k not in ("diseases", "interpretations")}
    assert case_from_phenopacket(PACKET, "case.json") == case_from_phenopacket(without_answer, "case.json")


def test_obsolete_ids_are_replaced_and_unknown_ids_skipped_with_a_warning():
    ontology = HpoRelease.locate(EXTRACT).read_ontology()
    case, warnings = case_from_phenopacket(PACKET, "case.json").with_resolved_terms(ontology)
    assert [f.term for f in case.observed] == ["HP:0000473", "HP:0000473"]
    assert any("HP:0009999 read as HP:0000473" in w for w in warnings)
    assert any("HP:1234567 skipped" in w for w in warnings)


def test_a_case_with_no_usable_observed_term_is_an_error_naming_the_case():
    ontology = HpoRelease.locate(EXTRACT).read_ontology()
    packet = {"id": "empty", "phenotypicFeatures": [{"type": {"id": "HP:1234567"}}]}
    with pytest.raises(CaseError, match="case 'empty' has no observed phenotypic feature"):
        case_from_phenopacket(packet, "empty.json").with_resolved_terms(ontology)


def test_malformed_json_names_file_line_and_column(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "id": "x",\n  "phenotypicFeatures": [,]\n}\n')
    with pytest.raises(CaseError) as error:
        read_phenopacket(broken)
    assert str(error.value).startswith(f"{broken}:3:")


def test_an_empty_folder_is_an_error_naming_it(tmp_path):
    with pytest.raises(CaseError, match="holds no case file"):
        case_files([tmp_path])


@pytest.mark.parametrize("text, years", [("P8Y", 8), ("P2Y6M", 2.5), ("P0Y", 0), ("P3W", 21 / 365.25)])
def test_iso_durations_become_years(text, years):
    assert duration_in_years(text) == pytest.approx(years)


@pytest.mark.parametrize("text", ["8 years", "P", "-P3Y", "P1X"])
def test_anything_else_is_not_a_duration(text):
    with pytest.raises(ValueError):
        duration_in_years(text)


def test_the_quick_form_builds_the_same_kind_of_case():
    case = quick_case(["HP:0001332", "HP:0001300"], ["HP:0001250"], onset="P8Y", sex="Female")
    assert [f.term for f in case.observed] == ["HP:0001332", "HP:0001300"]
    assert [f.term for f in case.excluded] == ["HP:0001250"]
    assert case.onset.years == 8 and case.sex == "female"


@pytest.mark.parametrize("arguments, message", [
    ({"observed": []}, "--hpo: give at least one"),
    ({"observed": ["dystonia"]}, "--hpo: 'dystonia' is not an HPO id"),
    ({"observed": ["HP:0001332"], "excluded": ["HP:0001332"]}, "given as both observed and excluded"),
    ({"observed": ["HP:0001332"], "onset": "eight"}, "--onset: 'eight' is not an ISO 8601 duration"),
    ({"observed": ["HP:0001332"], "sex": "f"}, "--sex: 'f' is not one of"),
])
def test_bad_quick_form_input_names_the_option(arguments, message):
    with pytest.raises(CaseError, match=message):
        quick_case(**arguments)


def test_every_development_case_reads_without_error():
    if not CASES.is_dir():
        pytest.skip("the development cases are not copied into benchmarks/ in this checkout")
    for path in case_files([CASES]):
        case = read_phenopacket(path)
        assert case.observed, path
        assert json.loads(path.read_text())["id"] == case.id
