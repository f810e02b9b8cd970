"""Mappings: one curated source feeds the release's SKOS links and its SSSOM set; check and suggest."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dystonia_kg import prefix_map
from dystonia_kg.core.vocabulary import HAS_DBXREF, MAPPING_PREDICATES
from dystonia_kg.mapping.sssom import read_sssom
from helpers import run

DATA = Path(__file__).parent / "data"
OUR_OWN_PREFIXES = {"DYKG", "dykg.seed", "dykgsh"}  # minted by this project, not registered elsewhere




def test_the_sssom_set_and_the_release_graph_hold_the_same_links(release_dir, release_graph):
    _curie_map, rows = read_sssom(release_dir / "dystonia.sssom.tsv")
    prefixes = prefix_map()
    in_file = {(row.subject_id, row.predicate_id, row.object_id) for row in rows}
    in_graph = {
        (prefixes.contract(str(s)), curie, prefixes.contract(str(o)))
        for curie, predicate in MAPPING_PREDICATES.items()
        for s, o in release_graph.subject_objects(predicate)
        if prefixes.contract(str(s)) and prefixes.contract(str(s)).startswith("DYKG:")
    }
    assert in_file == in_graph
    # An xref for each exact match only: OBO tools read an xref as near-equivalence (issue 13).
    xrefs = {(prefixes.contract(str(s)), str(x)) for s, x in release_graph.subject_objects(HAS_DBXREF)
             if prefixes.contract(str(s))}
    assert {(row.subject_id, row.object_id) for row in rows if row.predicate_id == "skos:exactMatch"} == xrefs


def test_the_sssom_header_declares_every_prefix_it_uses(release_dir):
    curie_map, rows = read_sssom(release_dir / "dystonia.sssom.tsv")
    used = {value.split(":", 1)[0] for row in rows
            for value in (row.subject_id, row.predicate_id, row.object_id, row.mapping_justification)}
    assert used <= set(curie_map)
    for prefix, expansion in curie_map.items():
        assert prefix_map()[prefix].uri_prefix == expansion
    text = (release_dir / "dystonia.sssom.tsv").read_text()
    assert "# mapping_set_id: https://w3id.org/dystonia-kg/releases/2026-11-22/dystonia.sssom.tsv" in text
    assert "# license: https://creativecommons.org/licenses/by/4.0/" in text
    assert all(row.mapping_justification == "semapv:ManualMappingCuration" for row in rows)


@pytest.mark.slow
def test_the_sssom_set_validates_with_sssom_py(release_dir):
    pytest.importorskip("sssom", reason="sssom-py is a test extra: pip install -e '.[test]'")
    command = shutil.which("sssom", path=str(Path(sys.executable).parent)) or shutil.which("sssom")
    assert command, "the sssom command line is installed with sssom-py"
    result = subprocess.run([command, "validate", str(release_dir / "dystonia.sssom.tsv")],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_prefix_of_the_prefix_map_is_registered_in_bioregistry():
    bioregistry = pytest.importorskip("bioregistry", reason="bioregistry is a test extra")
    unregistered = sorted(p.prefix for p in prefix_map()
                          if p.prefix not in OUR_OWN_PREFIXES and bioregistry.normalize_prefix(p.prefix) is None)
    assert unregistered == []
    clashes = sorted(p for p in OUR_OWN_PREFIXES & {q.prefix for q in prefix_map()}
                     if bioregistry.normalize_prefix(p) is not None)
    assert clashes == [], "our own prefixes must not collide with registered ones"


def test_map_check_reports_ok_obsolete_missing_and_changed_labels(release_dir):
    result = run("map", "check", str(DATA / "mondo-extract.obo"), "--mappings", str(release_dir / "dystonia.sssom.tsv"))
    assert result.exit_code == 1
    output = result.output
    assert "MONDO:0000481: their label 'cervical dystonia' (exact)" in output
    assert "MONDO:0000477: their label 'focal dystonic disorder' (synonym); was 'focal dystonia' when curated" in output
    assert "MONDO:0000485: obsolete, replaced by MONDO:0000481" in output
    assert "MISSING  DYKG:0001101 'segmental dystonia' skos:exactMatch MONDO:0000479: not in the file" in output


def test_map_check_reads_rdf_and_names_the_replacement_of_a_deprecated_term(release_dir):
    result = run("map", "check", str(DATA / "hp-extract.ttl"), "--mappings", str(release_dir / "dystonia.sssom.tsv"))
    assert result.exit_code == 1
    assert "OBSOLETE DYKG:0005008 'fatigue' skos:exactMatch HP:0012378: obsolete, replaced by HP:9990003" in result.output
    assert "HP:0003394: their label 'Muscle spasm' (exact)" in result.output


def test_map_check_of_a_vocabulary_we_do_not_map_into_says_so_and_passes(release_dir, tmp_path):
    other = tmp_path / "other.obo"
    other.write_text("format-version: 1.2\n\n[Term]\nid: PATO:0000001\nname: quality\n")
    result = run("map", "check", str(other), "--mappings", str(release_dir / "dystonia.sssom.tsv"))
    assert result.exit_code == 0
    assert "no mapping of ours points into this file (1 terms; prefixes: PATO (1))" in result.output


def test_map_check_of_a_broken_file_exits_2_and_names_it(release_dir, tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix x: <http://x/> .\nx:a x:b \n")
    result = run("map", "check", str(broken), "--mappings", str(release_dir / "dystonia.sssom.tsv"))
    assert result.exit_code == 2 and "broken.ttl" in result.output


def test_map_suggest_proposes_lexical_matches_with_confidence_and_never_an_existing_or_obsolete_one(release_dir):
    result = run("map", "suggest", str(DATA / "hp-extract.ttl"), "--release", str(release_dir / "dystonia.ttl"))
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.output.splitlines() if line.startswith("DYKG:")]
    by_target = {row[3]: row for row in rows}
    assert by_target["HP:9990005"][:3] == ["DYKG:0005001", "dragging leg", "skos:exactMatch"]  # a sign: a match
    assert by_target["HP:9990005"][5:7] == ["semapv:LexicalMatching", "0.95"]
    # a disease of ours and a phenotype of the same name: 'has phenotype', never an identity (merge-safety)
    assert by_target["HP:9990001"][:3] == ["DYKG:0001240", "Meige syndrome", "RO:0002200"]
    assert "disease-phenotypes.tsv" in by_target["HP:9990001"][-1]
    assert by_target["HP:9990002"][0] == "DYKG:0001200" and by_target["HP:9990002"][2] == "RO:0002200"
    assert "HP:0003394" not in by_target  # muscle spasm is mapped already
    assert "HP:9990004" not in by_target  # deprecated terms are never proposed


def test_map_suggest_writes_a_file_sssom_py_can_read(release_dir, tmp_path):
    out = tmp_path / "suggestions.sssom.tsv"
    result = run("map", "suggest", str(DATA / "hp-extract.ttl"), "--release", str(release_dir / "dystonia.ttl"),
                 "--out", str(out))
    assert result.exit_code == 0 and out.is_file()
    curie_map, rows = read_sssom(out)
    assert {"DYKG", "HP", "skos", "semapv", "RO"} <= set(curie_map)
    assert all(row.confidence for row in rows)


def test_stats_reports_mapping_coverage_per_vocabulary_and_kind(release_dir):
    result = run("stats", "--release", str(release_dir / "dystonia.ttl"))
    assert result.exit_code == 0
    assert "Entities with an exact or close match, by vocabulary:" in result.output
    assert "Mapping coverage by kind" in result.output
    line = next(row for row in result.output.splitlines() if row.strip().startswith("MONDO") and row.count(" ") > 2)
    assert int(line.split()[-1]) > 0
