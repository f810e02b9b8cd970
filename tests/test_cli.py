"""The command line: each command's output and exit codes (0 ok, 1 check failed, 2 bad input, 3 environment)."""

from __future__ import annotations

import json

import click
import pytest

from dystonia_kg.cli import main
from helpers import RELEASE_FILES, add_module, run


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command of the tree as the words a user types ('map', 'check'), groups included."""
    paths = [prefix] if prefix else []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            paths += command_paths(command, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


def test_the_command_tree_is_walked_whole():
    paths = command_paths(main)
    assert ("map", "check") in paths and ("map", "suggest") in paths and ("build",) in paths
    assert len(paths) == len(set(paths)) >= 14


@pytest.mark.parametrize("words", command_paths(main), ids=" ".join)
def test_every_command_has_help_with_an_example(words):
    result = run(*words, "--help")
    assert result.exit_code == 0, result.output
    examples = [line for line in result.output.splitlines() if line.strip().startswith("Example:")]
    assert examples, f"'dystonia-kg {' '.join(words)} --help' shows no 'Example:' line"
    assert all(f"dystonia-kg {' '.join(words)}" in line for line in examples), examples


@pytest.mark.slow
def test_build_writes_the_release_and_prints_steps_and_summary(tmp_path, monkeypatch):
    result = run("build", "--out", str(tmp_path / "out"), "--release-date", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert "release 2026-11-22 written" in result.output
    assert "reason done in" in result.output and "validate done in" in result.output
    assert "inferred subsumptions" in result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == RELEASE_FILES


def test_build_with_a_syntax_error_exits_2_naming_the_file(sources, tmp_path, monkeypatch):
    add_module(sources, "broken.ttl", "DYKG:0009999 a owl:Class , , .\n")
    result = run("build", "--out", str(tmp_path / "out"), "--sources", str(sources.ontology_dir.parent))
    assert result.exit_code == 2
    assert "broken.ttl:8:" in result.output and "Turtle syntax error" in result.output


@pytest.mark.slow
def test_build_without_java_exits_3_and_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("JAVA_EXE", "no-such-java")
    result = run("build", "--out", str(tmp_path / "out"))
    assert result.exit_code == 3
    assert "needs a Java runtime" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_validate_exit_codes_conforming_violating_unreadable(release_dir, tmp_path):
    release = str(release_dir / "dystonia.ttl")
    good = tmp_path / "good.ttl"
    good.write_text("""@prefix DYKG: <https://w3id.org/dystonia-kg/DYKG_> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix IAO: <http://purl.obolibrary.org/obo/IAO_> .
<https://example.org/MyType> a owl:Class ; rdfs:subClassOf DYKG:0000001 ; rdfs:label "my local dystonia type" ;
    IAO:0000115 "A dystonia type of a local extension." ; IAO:0000119 "PMID:23649720" .
""")
    assert run("validate", str(good), "--release", release).exit_code == 0

    bad = tmp_path / "bad.jsonld"
    bad.write_text(json.dumps({
        "@id": "https://example.org/Other", "@type": "http://www.w3.org/2002/07/owl#Class",
        "http://www.w3.org/2000/01/rdf-schema#label": "dystonia"}))
    report_file = tmp_path / "report.json"
    result = run("validate", str(bad), "--release", release, "--report", str(report_file))
    assert result.exit_code == 1
    assert "duplicate-label" in result.output and "missing-definition" in result.output
    assert json.loads(report_file.read_text())["conforms"] is False

    broken = tmp_path / "broken.nt"
    broken.write_text('<https://example.org/a> <https://example.org/b> "unterminated .\n')
    result = run("validate", str(broken), "--release", release)
    assert result.exit_code == 2 and "broken.nt:1" in result.output


def test_validate_without_a_release_says_to_build_first(tmp_path):
    target = tmp_path / "x.ttl"
    target.write_text("")
    result = run("validate", str(target), "--release", str(tmp_path / "missing.ttl"))
    assert result.exit_code == 2 and "dystonia-kg build" in result.output


@pytest.mark.slow
def test_reason_reports_consistency_and_exits_0():
    result = run("reason")
    assert result.exit_code == 0, result.output
    assert "consistent: yes" in result.output and "unsatisfiable classes: none" in result.output
    # inferred axioms name each class by CURIE and label, e.g. a condition filed under 'cause of dystonia'
    assert "subClassOf DYKG:0000029 'cause of dystonia'" in result.stdout


def test_query_exit_codes(release_dir):
    release = str(release_dir / "dystonia.ttl")
    ok = run("query", "describe-entity", "--param", "entity=dystonia", "--release", release, "--format", "csv")
    assert ok.exit_code == 0 and ok.stdout.startswith("entity,label")
    assert run("query", "nope", "--release", release).exit_code == 2
    missing = run("query", "find-by-name", "--release", release)
    assert missing.exit_code == 2 and "needs --param text" in missing.output
    assert run("query", "find-by-name", "-p", "text", "--release", release).exit_code == 2
    assert run("query", "describe-entity", "-p", "entity=no such thing", "--release", release).exit_code == 2


def test_queries_lists_titles_and_parameters():
    result = run("queries")
    assert result.exit_code == 0
    assert "find-by-name: Find entities by name" in result.output
    assert "--param text=<string>" in result.output


def test_stats_counts_kinds(release_dir):
    result = run("stats", "--release", str(release_dir / "dystonia.ttl"))
    assert result.exit_code == 0
    assert "dystonia types" in result.output and "Cross-references by vocabulary" in result.output
