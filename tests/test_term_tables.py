"""Terms and defined classes are curated as table rows (ontology/terms/, ontology/patterns/) and compiled
into the same OWL a curator would have written by hand; broken rows name their file and line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection

from conftest import REPOSITORY
from dystonia_kg.build.loading import load_sources
from dystonia_kg.core.errors import SourceError
from dystonia_kg.core.vocabulary import DEFINITION, DEFINITION_SOURCE, OBO_IN_OWL, OWL, RDF, RDFS

DYKG = "https://w3id.org/dystonia-kg/DYKG_"
TERM_HEADER = "id\tlabel\tparents\tdefinition\tdefinition_sources\texact_synonyms\trelated_synonyms\tcomment\n"
PATTERN_HEADER = "defined_class\tdefined_class_label\tgenus\tproperty\tfiller\tfiller_label\n"

# Each move of hand-written Turtle stanzas into tables: the last commit before it, the commit of the move, and
# the fewest lines the merged sources must have (a guard against comparing two empty graphs). The first moved
# the 364 classes of the modules of that time; the second the 44 of the forms, classification and HPO-layer
# modules, the third the adverse-effects classes (each parent had given its classes the definition axioms the
# term compiler writes, so the moves add none).
MOVES = [
    ("a89fb12745aec654f7caa7d2bc293630dec86f16", "b1f56fad4d6065598c1e9a074e88d613ab392faf", 4000),  # interop
    ("de830a587089378daf39ad422ffe2bdad33570c5", "8cb0641a6a24a928cd9a1ed342b745c115c1ebbf", 14000),  # forms
    ("4e8d1927b1cb24ca6951949df39b20d3bd1b50e8", "1ad5bb74fe116749f8fc9398667bbe2acf5d1e24", 14000),  # drugs
]

_DUMP_SOURCES = """
import sys
from pathlib import Path
from dystonia_kg.build.canonical import canonical_triples
from dystonia_kg.build.loading import load_sources
from dystonia_kg.core.resources import SourceLayout
graph = load_sources(SourceLayout.at(Path(sys.argv[1]))).graph
sys.stdout.write("".join(sorted(f"{s.n3()} {p.n3()} {o.n3()} .\\n" for s, p, o in canonical_triples(graph))))
"""


def _checkout(commit: str, into: Path) -> Path:
    """The tree of one commit (code and sources), extracted with git archive."""
    into.mkdir()
    archive = subprocess.run(["git", "-C", str(REPOSITORY), "archive", commit, "src", "ontology"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def _merged_sources(tree: Path) -> str:
    """The merged source graph of a tree, loaded by that tree's own code, as canonical N-Triples."""
    environment = {**os.environ, "PYTHONPATH": str(tree / "src")}
    return subprocess.run([sys.executable, "-c", _DUMP_SOURCES, str(tree)], capture_output=True, text=True,
                          check=True, env=environment).stdout


def _have_commit(commit: str) -> bool:
    if shutil.which("git") is None or not (REPOSITORY / ".git").exists():
        return False
    found = subprocess.run(["git", "-C", str(REPOSITORY), "cat-file", "-e", f"{commit}^{{commit}}"],
                           capture_output=True)
    return found.returncode == 0


@pytest.mark.parametrize(("before_the_move", "the_move", "at_least"), MOVES, ids=[move[1][:7] for move in MOVES])
def test_moving_terms_into_tables_left_the_ontology_isomorphic(tmp_path, before_the_move, the_move, at_least):
    if not (_have_commit(before_the_move) and _have_commit(the_move)):
        pytest.skip("needs the repository's git history")
    # Canonical blank-node labels make two isomorphic graphs the same set of lines, so equal text is isomorphism.
    before = _merged_sources(_checkout(before_the_move, tmp_path / "before"))
    after = _merged_sources(_checkout(the_move, tmp_path / "after"))
    assert before.count("\n") > at_least
    missing = set(before.splitlines()) - set(after.splitlines())
    added = set(after.splitlines()) - set(before.splitlines())
    assert (sorted(missing)[:5], sorted(added)[:5]) == ([], [])
    assert before == after


def _write(layout, relative: str, text: str) -> None:
    path = layout.ontology_dir / relative
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_term_row_becomes_a_class_with_its_label_parents_definition_sources_and_synonyms(sources):
    _write(sources, "terms/zz-test.tsv", TERM_HEADER
           + "DYKG:0009990\twriter's cramp (test)\tDYKG:0000001|DYKG:0000003\tA test definition.\tPMID:23649720|"
             "dykg.seed:guide\tscrivener's palsy\tpen cramp|graphospasm\tA test comment.\n")
    graph = load_sources(sources).graph
    term = URIRef(DYKG + "0009990")
    assert (term, RDF.type, OWL.Class) in graph
    assert set(graph.objects(term, RDFS.label)) == {Literal("writer's cramp (test)", lang="en")}
    assert set(graph.objects(term, RDFS.subClassOf)) == {URIRef(DYKG + "0000001"), URIRef(DYKG + "0000003")}
    assert set(graph.objects(term, DEFINITION)) == {Literal("A test definition.", lang="en")}
    assert set(graph.objects(term, DEFINITION_SOURCE)) == {Literal("PMID:23649720"), Literal("dykg.seed:guide")}
    assert set(graph.objects(term, OBO_IN_OWL["hasExactSynonym"])) == {Literal("scrivener's palsy", lang="en")}
    assert set(graph.objects(term, OBO_IN_OWL["hasRelatedSynonym"])) == {
        Literal("pen cramp", lang="en"), Literal("graphospasm", lang="en")}
    assert set(graph.objects(term, RDFS.comment)) == {Literal("A test comment.", lang="en")}


def test_a_pattern_row_defines_its_class_as_genus_and_one_restriction(sources):
    graph = load_sources(sources).graph
    focal = URIRef(DYKG + "0001100")
    [intersection] = graph.objects(focal, OWL.equivalentClass)
    genus, restriction = Collection(graph, graph.value(intersection, OWL.intersectionOf))
    assert genus == URIRef(DYKG + "0000001")
    assert isinstance(restriction, BNode)
    assert graph.value(restriction, OWL.onProperty) == URIRef(DYKG + "0000102")
    assert graph.value(restriction, OWL.someValuesFrom) == URIRef(DYKG + "0001010")  # focal distribution


@pytest.mark.parametrize(("row", "complaint"), [
    ("DYKG:0009990\tx\tDYKG:0000001\t\tPMID:23649720\t\t\t\n", "definition is empty"),
    ("DYKG:0009990\tx\tDYKG:0000001\tA definition.\t\t\t\t\n", "definition_sources is empty"),
    ("DYKG:0009990\tx\tDYKG:0009991\tA definition.\tPMID:1\t\t\t\n", "parent DYKG:0009991 is not defined"),
    ("DYKG:0000001\tx\tDYKG:0000003\tA definition.\tPMID:1\t\t\t\n", "DYKG:0000001 is already defined"),
    ("DYKG:0009990\tx\tDYKG:0000001\tA definition.\tPMID 1\t\t\t\n", "definition_sources"),
])
def test_a_broken_term_row_is_named_by_file_and_line(sources, row, complaint):
    _write(sources, "terms/zz-test.tsv", "# a comment line\n" + TERM_HEADER + row)
    with pytest.raises(SourceError) as raised:
        load_sources(sources)
    assert raised.value.path.name == "zz-test.tsv"
    assert raised.value.line == 3
    assert complaint in str(raised.value)


def test_a_pattern_row_with_a_wrong_filler_label_is_refused(sources):
    _write(sources, "patterns/genus-and-restriction.tsv", PATTERN_HEADER
           + "DYKG:0001100\tfocal dystonia\tDYKG:0000001\tDYKG:0000102\tDYKG:0001011\tfocal distribution\n")
    with pytest.raises(SourceError, match="'focal distribution' is not the label of DYKG:0001011"):
        load_sources(sources)


def test_a_table_of_an_unknown_pattern_is_refused(sources):
    _write(sources, "patterns/genus-or-restriction.tsv", PATTERN_HEADER)
    with pytest.raises(SourceError, match="unknown pattern"):
        load_sources(sources)


@pytest.mark.parametrize("folder", ["terms", "patterns"])
def test_term_and_pattern_tables_are_sorted_by_identifier(folder):
    for path in sorted((REPOSITORY / "ontology" / folder).glob("*.tsv")):
        rows = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
        identifiers = [row.split("\t", 1)[0] for row in rows[1:]]
        assert identifiers == sorted(identifiers), path.name
        assert len(identifiers) == len(set(identifiers)), path.name
