"""`classify`: a patient's dystonia by the 2013 consensus axes (Albanese et al., PMID:23649720).

The vignettes in tests/data/vignettes/ each hold a case, the Axis I answer a clinician applying the
consensus definitions would give, and the definition that decides it. The fast path must give the
same classes as HermiT on every one of them (one HermiT call for all).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from dystonia_kg import api
from dystonia_kg.cli import main
from dystonia_kg.clinic.batch import classify_cases, knowledge_for
from dystonia_kg.clinic.cases import NoDystoniaError, case_from_mapping, read_cases
from dystonia_kg.clinic.classification import Interpreter
from dystonia_kg.clinic.individuals import FastReasoner, HermitReasoner
from dystonia_kg.clinic.phenopacket import CaseError

VIGNETTES = sorted((Path(__file__).parent / "data" / "vignettes").glob("*.yaml"))


def _vignette(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def knowledge(release_dir: Path):
    return knowledge_for(release_dir / "dystonia.ttl")


def _classify(knowledge, document: dict, reasoner: str = "fast") -> dict:
    case = case_from_mapping(document, "vignette", document["id"])
    return classify_cases([case], knowledge, reasoner, rank_with_diagnose=False)[0].as_json()


def test_there_are_at_least_forty_vignettes_with_a_deciding_definition():
    assert len(VIGNETTES) >= 40
    for path in VIGNETTES:
        vignette = _vignette(path)
        assert vignette["decided_by_definition"].strip(), path.name
        assert vignette["expected"], path.name


@pytest.mark.parametrize("path", VIGNETTES, ids=lambda p: p.stem)
def test_vignette(knowledge, path: Path):
    vignette = _vignette(path)
    expected = vignette["expected"]
    result = _classify(knowledge, vignette["case"])
    axis1 = result["axis1"]
    for axis in ("age_at_onset", "body_distribution", "associated_features", "course"):
        if axis in expected:
            assert axis1[axis]["label"] == (expected[axis] or "unknown"), f"{axis}: {vignette['decided_by_definition']}"
            if expected[axis]:
                assert axis1[axis]["decided_by"], f"{axis} has no deciding findings"
    if "variability" in expected:
        assert [v["label"] for v in axis1["variability"]] == expected["variability"]
    if "combined_with" in expected:
        assert [v["label"] for v in axis1["combined_with"]] == expected["combined_with"]
    if "etiology" in expected:
        assert result["axis2"]["etiology"]["label"] == expected["etiology"]
    classes = {c["label"] for c in result["classes"]}
    assert set(expected.get("classes", [])) <= classes
    assert set(expected.get("workup", [])) <= {w["label"] for w in result["workup"]}


def test_the_fast_path_gives_hermits_classes_on_every_vignette(knowledge):
    interpreter = Interpreter(knowledge)
    profiles = [interpreter.interpret(case_from_mapping(_vignette(p)["case"], p.name, p.stem)) for p in VIGNETTES]
    by_hermit = HermitReasoner(knowledge).classes(profiles)  # one HermiT call for the whole batch
    by_fast_path = FastReasoner(knowledge).classes(profiles)
    for path, hermit, fast in zip(VIGNETTES, by_hermit, by_fast_path, strict=True):
        assert fast == hermit, path.stem
    assert any(len(classes) > 3 for classes in by_hermit)  # the reasoner did file the cases


def test_generalized_takes_precedence_and_the_other_fits_are_named(knowledge):
    result = _classify(knowledge, {"id": "g", "age_at_onset": 9,
                                   "regions": ["trunk", "upper limb:right", "lower limb:right"]})
    reasons = " ".join(result["axis1"]["body_distribution"]["decided_by"])
    assert result["axis1"]["body_distribution"]["label"] == "generalized distribution"
    assert "also fits: segmental distribution" in reasons  # the trunk joins arm and leg


def test_output_has_the_documented_shape(knowledge):
    result = _classify(knowledge, {"id": "m", "age_at_onset": 8, "regions": ["neck", "upper limb:left"],
                                   "movement_disorders": ["myoclonus"]})
    assert result["case"] == "m" and result["file"] == "vignette"
    assert result["axis1"]["age_at_onset"]["id"] == "DYKG:0001002"
    assert result["axis1"]["age_at_onset"]["label"] == "childhood onset"
    assert result["axis1"]["combined_with"] == [{"id": "DYKG:0001301", "label": "myoclonus"}]
    assert {"nervous_system_pathology", "etiology"} <= set(result["axis2"])
    assert {"id": "DYKG:0001113", "label": "myoclonus-dystonia"} in result["classes"]
    levodopa = next(w for w in result["workup"] if w["label"] == "diagnostic levodopa trial")
    assert levodopa["for"]["label"] == "early-onset dystonia" and "PMID:20482602" in levodopa["sources"]
    assert all(item["research_and_education_only"] for item in result["workup"] + result["treatments"])
    assert result["compatible_forms"][0]["label"] in {"DYT-SGCE", "dystonia 34, myoclonic"}


def test_treatments_follow_the_distribution(knowledge):
    focal = _classify(knowledge, {"id": "f", "age_at_onset": 50, "regions": ["neck"]})
    generalized = _classify(knowledge, {"id": "g", "age_at_onset": 9, "regions": ["trunk", "neck", "upper limb:left"]})
    assert "botulinum toxin injection" in {t["label"] for t in focal["treatments"]}
    dbs = [t for t in generalized["treatments"] if t["label"] == "pallidal deep brain stimulation"]
    assert dbs and dbs[0]["for"]["label"] == "generalized dystonia" and dbs[0]["sources"] == ["PMID:20482602"]


@pytest.mark.parametrize(("document", "message"), [
    ({"id": "neg", "age_at_onset": -1, "regions": ["neck"]}, "case 'neg': age_at_onset: -1 is not a possible age"),
    ({"id": "old", "age_at_onset": 121, "regions": ["neck"]}, "case 'old': age_at_onset: 121 is not a possible age"),
    ({"id": "unk", "age_at_onset": 30, "regions": ["elbowz"]}, "case 'unk': regions[0]: 'elbowz' is not a body region"),
    ({"id": "side", "regions": ["neck:up"]}, "case 'side': regions[0]: side 'up' is not one of"),
    ({"id": "both", "regions": ["neck"], "hpo": ["HP:0001336"], "excluded_hpo": ["HP:0001336"]},
     "case 'both': hpo: HP:0001336 is both observed and excluded"),
    ({"id": "md", "regions": ["neck"], "movement_disorders": ["chorea"], "excluded_movement_disorders": ["chorea"]},
     "case 'md': movement_disorders: chorea both observed and excluded"),
    ({"id": "what", "regions": ["neck"], "movement_disorders": ["hiccups"]},
     "case 'what': movement_disorders: 'hiccups' is not a movement disorder we know"),
    ({"id": "typo", "regions": ["neck"], "famly_history": "positive"}, "case 'typo': (case): Additional properties"),
])
def test_bad_input_names_the_case_and_the_field(knowledge, document, message):
    with pytest.raises(CaseError) as caught:
        _classify(knowledge, document)
    assert message in str(caught.value)


def test_a_case_without_dystonia_is_refused_with_a_clear_statement(knowledge):
    with pytest.raises(NoDystoniaError, match="case 'tremor-only' records no dystonia"):
        _classify(knowledge, {"id": "tremor-only", "age_at_onset": 60, "movement_disorders": ["tremor"]})


def test_phenopacket_with_laterality_modifiers(knowledge, tmp_path: Path):
    packet = {"id": "pp", "subject": {"id": "s"}, "phenotypicFeatures": [
        {"type": {"id": "HP:0031960", "label": "Arm dystonia"}, "modifiers": [{"id": "HP:0012834", "label": "Right"}],
         "onset": {"age": {"iso8601duration": "P40Y"}}},
        {"type": {"id": "HP:0031959", "label": "Leg dystonia"}, "modifiers": [{"id": "HP:0012834", "label": "Right"}]},
        {"type": {"id": "HP:0002322", "label": "Resting tremor"}},
        {"type": {"id": "HP:0001300", "label": "Parkinsonism"}, "excluded": True}],
        "diseases": [{"term": {"id": "OMIM:128100", "label": "the answer, never read"}}]}
    path = tmp_path / "pp.json"
    path.write_text(json.dumps(packet), encoding="utf-8")
    [case] = read_cases(path)
    result = classify_cases([case], knowledge, rank_with_diagnose=False)[0].as_json()
    assert result["axis1"]["age_at_onset"]["label"] == "early adulthood onset"
    assert result["axis1"]["body_distribution"]["label"] == "hemidystonic distribution"
    assert result["axis1"]["associated_features"]["label"] == "isolated"
    assert [t["label"] for t in result["axis1"]["tremor"]] == ["tremor"]
    bilateral = dict(packet, phenotypicFeatures=[dict(f, modifiers=[{"id": "HP:0012832"}]) for f in packet["phenotypicFeatures"][:2]])
    path.write_text(json.dumps(bilateral), encoding="utf-8")
    [case] = read_cases(path)
    result = classify_cases([case], knowledge, rank_with_diagnose=False)[0].as_json()
    assert result["axis1"]["body_distribution"]["label"] == "multifocal distribution"  # both arms + both legs


def test_cli_classifies_yaml_json_and_csv_from_a_folder(release_dir: Path, tmp_path: Path):
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "a.yaml").write_text("id: a\nage_at_onset: 34\nregions: ['hand:right']\n", encoding="utf-8")
    (folder / "b.json").write_text(json.dumps({"id": "b", "age_at_onset": 9, "regions": ["trunk", "neck", "upper limb:left"]}),
                                   encoding="utf-8")
    (folder / "c.csv").write_text("id,age_at_onset,regions,movement_disorders\nc1,12,neck;upper limb:left,myoclonus\n"
                                  "c2,2,upper limb:bilateral,\n", encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(main, ["classify", str(folder), "--format", "jsonl", "--release", str(release_dir / "dystonia.ttl")])
    assert out.exit_code == 0, out.output
    lines = [json.loads(line) for line in out.output.splitlines()]
    assert [(o["case"], o["axis1"]["body_distribution"]["label"]) for o in lines] == [
        ("a", "focal distribution"), ("b", "generalized distribution"),
        ("c1", "segmental distribution"), ("c2", "segmental distribution")]
    assert lines[2]["file"].endswith("c.csv:2")
    table = runner.invoke(main, ["classify", str(folder / "a.yaml"), "--release", str(release_dir / "dystonia.ttl")])
    assert table.exit_code == 0 and "focal distribution [DYKG:0001010]" in table.output
    assert "research and education" in table.output


def test_cli_bad_case_exits_2_without_output(release_dir: Path, tmp_path: Path):
    good, bad = tmp_path / "a.yaml", tmp_path / "b.yaml"
    good.write_text("id: fine\nregions: [neck]\n", encoding="utf-8")
    bad.write_text("id: wrong\nage_at_onset: 150\nregions: [neck]\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["classify", str(good), str(bad), "--release", str(release_dir / "dystonia.ttl")])
    assert out.exit_code == 2
    assert "fine" not in out.stdout
    assert "case 'wrong': age_at_onset: 150 is not a possible age at onset" in out.stderr


def test_api_classify_accepts_a_mapping(release_dir: Path):
    result = api.classify({"id": "x", "age_at_onset": 45, "regions": ["neck"]}, release_file=release_dir / "dystonia.ttl")
    assert result["axis1"]["body_distribution"]["label"] == "focal distribution"
    assert {"id": "DYKG:0001100", "label": "focal dystonia"} in result["classes"]


def test_the_case_schema_ships_in_the_package():
    from dystonia_kg.clinic.cases import case_schema

    schema = case_schema()
    assert schema["additionalProperties"] is False and "regions" in schema["properties"]


def test_classify_works_from_another_directory(release_dir: Path, tmp_path: Path, monkeypatch):
    case = tmp_path / "c.yaml"
    case.write_text("id: c\nregions: [larynx]\n", encoding="utf-8")
    shutil.copy(release_dir / "dystonia.ttl", tmp_path / "r.ttl")
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(main, ["classify", "c.yaml", "--release", "r.ttl", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)[0]["axis1"]["body_distribution"]["label"] == "focal distribution"


def test_the_docs_site_has_a_worked_example_whose_links_resolve(release_dir: Path, tmp_path: Path):
    import re

    site = tmp_path / "site"
    api.build_docs(site, release_file=release_dir / "dystonia.ttl")
    page = (site / "classify.html").read_text(encoding="utf-8")
    assert "worked example" in page and "research and education only" in page.lower()
    links = re.findall(r'href="(classes/[^"]+)"', page)
    assert len(links) >= 10
    assert all((site / link).is_file() for link in links)
    assert 'href="classify.html"' in (site / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("regions", "distribution"), [
    (["left arm", "left leg"], "hemidystonic distribution"),
    (["face:right", "arm:right", "leg:right"], "hemidystonic distribution"),
    (["both legs"], "segmental distribution"),
    (["arms"], "segmental distribution"),
    (["eyelids"], "focal distribution"),
    (["eyes", "mouth"], "segmental distribution"),
])
def test_regions_as_people_write_them(knowledge, regions, distribution):
    result = _classify(knowledge, {"id": "r", "age_at_onset": "30 years", "regions": regions})
    assert result["axis1"]["body_distribution"]["label"] == distribution
    assert result["axis1"]["age_at_onset"]["label"] == "early adulthood onset"


def test_a_stated_distribution_and_other_movement_disorders_by_name(knowledge):
    result = _classify(knowledge, {"id": "s", "age_at_onset": "18 months", "regions": ["arm:left", "leg:left"],
                                   "distribution": "hemidystonia", "movement_disorders": ["athetosis", "tics"]})
    assert result["axis1"]["age_at_onset"]["label"] == "infancy onset"
    assert result["axis1"]["body_distribution"]["decided_by"] == ["stated by the case: hemidystonia"]
    assert [v["label"] for v in result["axis1"]["combined_with"]] == ["athetosis", "tic"]


def test_hpo_onset_classes_decide_a_band_only_when_they_fit_inside_it(knowledge):
    infantile = _classify(knowledge, {"id": "i", "hpo": ["HP:0000473", "HP:0003593"]})  # Infantile onset
    assert infantile["axis1"]["age_at_onset"]["label"] == "infancy onset"
    assert infantile["axis1"]["systemic_features"] == []  # an onset term is not a feature
    straddling = _classify(knowledge, {"id": "c", "hpo": ["HP:0000473", "HP:0011463"]})  # HPO Childhood onset: 1-5 y
    assert straddling["axis1"]["age_at_onset"]["label"] == "unknown"


def test_an_excluded_hpo_term_excludes_only_itself(knowledge):
    # Resting tremor excluded, Tremor observed: different findings of one kind, not a contradiction.
    result = _classify(knowledge, {"id": "t", "regions": ["neck"], "hpo": ["HP:0001337"], "excluded_hpo": ["HP:0002322"]})
    assert [v["label"] for v in result["axis1"]["tremor"]] == ["tremor"]
