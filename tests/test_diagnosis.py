"""Specifications of `diagnose`: a patient's findings in, ranked diseases and genes out, each explained."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from dystonia_kg.cli import main
from dystonia_kg.clinic.curated import COMBINING_MOVEMENT_DISORDERS, DOPA_RESPONSE, load_curated_facts
from dystonia_kg.clinic.diagnosis import ONSET_BANDS, Diagnoser, onset_classes_for_age, rank, score
from dystonia_kg.clinic.hpo_index import HpoIndex, load_index
from dystonia_kg.clinic.phenopacket import CaseError, case_from_phenopacket, quick_case, read_phenopacket
from dystonia_kg.mapping.hpo import HpoRelease

CASES = Path(__file__).resolve().parent.parent / "benchmarks" / "phenopackets-dev" / "cases"
EYE_OF_THE_TIGER = "HP:0002454"
DYSTONIA = "HP:0001332"
CHOREOATHETOSIS = "HP:0001266"
# the sign alone also fits COASY's COPAN, the other NBIA that shows it; choreoathetosis (95% in PKAN's
# annotations, absent from COPAN's) tells them apart
PKAN_PICTURE = [EYE_OF_THE_TIGER, DYSTONIA, CHOREOATHETOSIS]
PKAN = "OMIM:234200"  # pantothenate kinase-associated neurodegeneration (NBIA1)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def diagnoser(cache: Path) -> Diagnoser:
    """HPO alone: no release (a path that does not exist)."""
    return Diagnoser(release_file=cache / "no-release.ttl", cache_dir=cache)


@pytest.fixture(scope="module")
def index(diagnoser: Diagnoser) -> HpoIndex:
    return diagnoser.index


def test_the_eye_of_the_tiger_sign_with_dystonia_and_choreoathetosis_points_to_pkan(diagnoser: Diagnoser) -> None:
    ranking = diagnoser.diagnose(quick_case(PKAN_PICTURE), "all", top=5)
    assert ranking.diseases[0].id == PKAN
    assert "PANK2" in [g.symbol for g in ranking.diseases[0].genes]
    assert ranking.genes[0].symbol == "PANK2" and ranking.genes[0].id.startswith("NCBIGene:")


def test_a_genes_odds_are_the_sum_of_its_candidate_diseases_odds(diagnoser: Diagnoser) -> None:
    case = diagnoser.resolve(quick_case([DYSTONIA, "HP:0001300"]))[0]
    ranking = rank(diagnoser.model, case, "all", 10, None)
    everything = np.arange(diagnoser.index.disease_count)
    log_ratio = score(diagnoser.model, case, everything).log10_ratio
    odds_prior = diagnoser.index.disease_count - 1
    for gene in ranking.genes:
        diseases = [d for d in everything.tolist() if gene.id in {g for g, _ in diagnoser.index.genes_of(d)}]
        odds = sum(10 ** log_ratio[d] for d in diseases) / odds_prior
        assert math.isclose(gene.score, odds / (1 + odds), rel_tol=1e-9)
        assert gene.disease == diagnoser.index.disease_ids[max(diseases, key=lambda d: log_ratio[d])]


def test_a_finding_excluded_in_the_patient_and_annotated_not_in_the_disease_counts_for_it(
        diagnoser: Diagnoser, index: HpoIndex) -> None:
    term = next(t for t in range(len(index.term_ids)) if index.negated(t).size)
    disease = int(index.negated(term)[0])
    evidence = diagnoser.model.excluded_evidence(
        quick_case([DYSTONIA], excluded=[index.term_ids[term]]).findings[-1], term)
    assert evidence.ratio[disease] > 1 and evidence.via[disease] == -2


def _specific_features(diagnoser: Diagnoser, disease_id: str) -> list[int]:
    disease = diagnoser.index.disease_number(disease_id)
    model = diagnoser.model
    return [int(t) for t in model.feature_term[model.feature_disease == disease]]


def test_a_report_that_covers_the_whole_picture_of_a_disease_costs_it_nothing(diagnoser: Diagnoser) -> None:
    index, model = diagnoser.index, diagnoser.model
    features = _specific_features(diagnoser, PKAN)
    everything = np.arange(index.disease_count)
    covered = score(model, quick_case([index.term_ids[t] for t in features]), everything)
    assert covered.unreported is not None and covered.unreported.count[index.disease_number(PKAN)] == 0
    partial = score(model, quick_case(PKAN_PICTURE), everything)
    assert partial.unreported is not None and partial.unreported.log10_ratio[index.disease_number(PKAN)] < 0
    top = diagnoser.diagnose(quick_case(PKAN_PICTURE), "all", top=1).diseases[0]
    assert [c.kind for c in top.explanation].count("unreported") == 1


def test_features_above_or_below_a_reported_finding_count_as_reported(diagnoser: Diagnoser) -> None:
    index, model = diagnoser.index, diagnoser.model
    pkan = index.disease_number(PKAN)
    rigidity = index.term_number("HP:0002063")  # one of PKAN's specific features
    assert rigidity in _specific_features(diagnoser, PKAN)
    feature = np.flatnonzero((model.feature_disease == pkan) & (model.feature_term == rigidity))
    below = [t for t in range(len(index.term_ids)) if rigidity in index.ancestors(t) and t != rigidity][0]
    above = [a for a in index.ancestors(rigidity).tolist() if a != rigidity and a not in model._above_root][0]
    for reported in (below, above):
        evidence = model.unreported_evidence([reported], [reported])
        assert evidence is not None and not evidence.untouched[feature].any()
    evidence = model.unreported_evidence([index.term_number(DYSTONIA)], [index.term_number(DYSTONIA)])
    assert evidence is not None and evidence.untouched[feature].all()


def test_the_cost_of_unreported_features_is_bounded_by_the_findings_not_the_annotation_list(
        diagnoser: Diagnoser) -> None:
    """With r = m / E_D, each untouched feature costs at most r F (-ln miss) / (1 - miss) nats, so a disease
    pays at most m times that constant however many features HPO lists for it."""
    model = diagnoser.model
    miss = model.parameters.miss
    bound_per_finding = math.log10(math.e) * -math.log(miss) / (1 - miss)
    for path in sorted(CASES.glob("*.json"))[:5]:
        case = diagnoser.resolve(read_phenopacket(path))[0]
        evidence = score(model, case, np.arange(diagnoser.index.disease_count))
        observed = sum(1 for f in case.findings if not f.excluded and f.term in diagnoser.index)
        assert evidence.unreported is not None
        assert evidence.unreported.log10_ratio.min() >= -observed * bound_per_finding - 1e-9


def test_every_ranked_disease_explains_its_score_term_by_term(diagnoser: Diagnoser) -> None:
    case = quick_case([EYE_OF_THE_TIGER, DYSTONIA], excluded=["HP:0001250"], onset="P8Y")
    for disease in diagnoser.diagnose(case, "dystonia", top=5).diseases:
        terms = {c.term for c in disease.explanation}
        assert {EYE_OF_THE_TIGER, DYSTONIA, "HP:0001250"} <= terms
        assert all(c.explanation for c in disease.explanation)
        assert math.isclose(sum(c.contribution for c in disease.explanation), disease.log10_ratio, abs_tol=1e-6)


def test_an_excluded_finding_counts_against_the_diseases_that_have_it(diagnoser: Diagnoser) -> None:
    with_it = diagnoser.diagnose(quick_case(PKAN_PICTURE), "all", top=1).diseases[0]
    without = diagnoser.diagnose(quick_case([DYSTONIA], excluded=[EYE_OF_THE_TIGER]), "all", top=50)
    assert with_it.id == PKAN
    assert PKAN not in [d.id for d in without.diseases[:10]]


def test_removing_the_answer_from_a_phenopacket_changes_nothing(diagnoser: Diagnoser) -> None:
    path = sorted(CASES.glob("*.json"))[0]
    document = json.loads(path.read_text(encoding="utf-8"))
    stripped = {k: v for k, v in document.items() if k not in ("diseases", "interpretations")}
    full = diagnoser.diagnose(case_from_phenopacket(document, str(path)), "all")
    bare = diagnoser.diagnose(case_from_phenopacket(stripped, str(path)), "all")
    assert full.to_dict() == bare.to_dict()


def test_obsolete_ids_are_replaced_and_unknown_ids_skipped_with_warnings(diagnoser: Diagnoser, index: HpoIndex) -> None:
    obsolete, (current, _) = next((k, v) for k, v in index.replacements.items() if v[0] and "obsolete" in v[1])
    ranking = diagnoser.diagnose(quick_case([DYSTONIA, obsolete, "HP:9999999"]))
    assert any(obsolete in w and current in w for w in ranking.warnings)
    assert any("HP:9999999" in w and "skipped" in w for w in ranking.warnings)


def test_a_case_with_no_usable_observed_term_is_bad_input(diagnoser: Diagnoser) -> None:
    with pytest.raises(CaseError, match="no observed phenotypic feature"):
        diagnoser.diagnose(quick_case(["HP:9999999"]))


def test_dystonia_candidates_are_the_diseases_annotated_with_dystonia(index: HpoIndex) -> None:
    release = HpoRelease.locate()
    from dystonia_kg.mapping.hpo import diseases_annotated_with

    expected = diseases_annotated_with(release.annotations(), release.read_ontology())
    chosen = {index.disease_ids[d] for d in range(index.disease_count) if index.dystonia_candidates[d]}
    assert chosen == expected


def test_onset_bands_and_curated_evidence_terms_are_the_hpo_terms_they_say(index: HpoIndex) -> None:
    labels = [index.label(band) for band, _, _ in ONSET_BANDS]
    assert labels == ["Neonatal onset", "Infantile onset", "Childhood onset", "Juvenile onset",
                      "Young adult onset", "Middle age onset", "Late onset"]
    assert [index.label(t) for t in COMBINING_MOVEMENT_DISORDERS] == ["Parkinsonism", "Chorea", "Myoclonus",
                                                                      "Athetosis"]
    assert index.label(DOPA_RESPONSE) == "Parkinsonism with favorable response to dopaminergic medication"
    assert onset_classes_for_age(8, 1.0) == {"HP:0003621"}
    assert onset_classes_for_age(5, 1.25) == {"HP:0011463", "HP:0003621"}


def test_an_unwritable_cache_does_not_break_loading(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    index = load_index(cache_dir=blocker / "cache")  # cannot be created: built in memory instead
    assert index.disease_count > 10000


def test_a_built_release_adds_curated_facts_and_treatments(release_dir: Path, cache: Path) -> None:
    facts = load_curated_facts(release_dir / "dystonia.ttl", cache)
    assert facts is not None
    drd = facts.disease("OMIM:128230")  # dopa-responsive dystonia, GCH1
    assert drd is not None and drd.dopa_responsive
    assert any(t.label == "levodopa" and t.sources for t in facts.treatments_for("OMIM:128230"))
    diagnoser = Diagnoser(release_file=release_dir / "dystonia.ttl", cache_dir=cache)
    ranking = diagnoser.diagnose(quick_case([DYSTONIA, DOPA_RESPONSE], onset="P6Y"), "dystonia", top=3)
    top = ranking.diseases[0]
    assert top.curated_class and "dopa-responsive" in top.curated_class
    assert any(c.kind == "curated" for c in top.explanation)
    assert any(t.label == "levodopa" for t in top.treatments)


def test_cli_quick_form_json_has_the_documented_shape() -> None:
    result = CliRunner().invoke(main, ["diagnose", "--hpo", ",".join(PKAN_PICTURE), "--top", "3",
                                       "--candidates", "all", "--format", "json", "--release", "none.ttl"])
    assert result.exit_code == 0, result.output
    [ranking] = json.loads(result.stdout)
    assert ranking["diseases"][0]["id"] == PKAN
    assert {"rank", "id", "label", "score", "genes", "explanation"} <= set(ranking["diseases"][0])
    assert {"term", "label", "contribution"} <= set(ranking["diseases"][0]["explanation"][0])
    assert {"rank", "symbol", "id", "score"} <= set(ranking["genes"][0])


def test_cli_jsonl_gives_one_line_per_case(tmp_path: Path) -> None:
    for path in sorted(CASES.glob("*.json"))[:2]:
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["diagnose", str(tmp_path), "--format", "jsonl", "--release", "none.ttl"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2 and all(json.loads(line)["file"].startswith(str(tmp_path)) for line in lines)


def test_cli_bad_cases_exit_2_naming_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json", encoding="utf-8")
    result = CliRunner().invoke(main, ["diagnose", str(broken)])
    assert result.exit_code == 2 and "broken.json" in result.stderr and "invalid JSON" in result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(main, ["diagnose", str(empty)])
    assert result.exit_code == 2 and "empty" in result.stderr
    result = CliRunner().invoke(main, ["diagnose", "--hpo", "HP:9999999"])
    assert result.exit_code == 2 and "quick form" in result.stderr and "Traceback" not in result.output
