"""Our mapping tables agree with MONDO's published mappings (issue 13).

Read against two verbatim extracts of MONDO (commit fad2512, release 2026-08-04; see tests/data/README.md):
its exact mappings for the identifiers our tables use, and the labels of the MONDO classes we link. The rules are
the ones a merge with MONDO depends on: a class of ours that is exactMatch MONDO:X must not be exactMatch to an
identifier MONDO equates with another class, nor only close/broad/narrow to an identifier MONDO equates with X.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from dystonia_kg.build.tables import read_rows

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
MAPPING_TABLES = sorted((ROOT / "ontology" / "mappings").glob("*.tsv"))
COLUMNS = ("subject_id", "predicate_id", "object_id", "object_label")

# MONDO's label at that commit ends in a stray ';' (its OMIM object_label has none); we keep the label without it.
MONDO_LABEL_TYPOS = {"MONDO:0014766": "leukodystrophy and acquired microcephaly with or without dystonia;"}


def _curie(value: str) -> str:
    prefix, local = value.split(":", 1)
    return ("MESH" if prefix == "mesh" else prefix) + ":" + local


@pytest.fixture(scope="module")
def our_rows():
    return [row for path in MAPPING_TABLES for row in read_rows(path, COLUMNS)]


@pytest.fixture(scope="module")
def mondo_exact():
    """Identifier (our CURIE spelling) -> the MONDO classes MONDO maps it to exactly."""
    classes = defaultdict(set)
    for row in read_rows(DATA / "mondo-exactmatch-extract.sssom.tsv", ("subject_id", "predicate_id", "object_id")):
        assert row["predicate_id"] == "skos:exactMatch"
        classes[_curie(row["object_id"])].add(row["subject_id"])
    return classes


def _our_mondo_exact(rows) -> dict[str, set[str]]:
    exact = defaultdict(set)
    for row in rows:
        if row["object_id"].startswith("MONDO:") and row["predicate_id"] == "skos:exactMatch":
            exact[row["subject_id"]].add(row["object_id"])
    return exact


def test_every_mondo_class_we_link_is_live_and_carries_mondos_label(our_rows):
    labels = {row["id"]: row["label"] for row in read_rows(DATA / "mondo-labels-extract.tsv", ("id", "label"))}
    linked = [row for row in our_rows if row["object_id"].startswith("MONDO:")]
    assert linked
    for row in linked:
        mondo = row["object_id"]
        assert mondo in labels, f"{row.path.name}:{row.line}: {mondo} is not a MONDO class of the extract"
        assert not labels[mondo].startswith("obsolete"), f"{row.path.name}:{row.line}: {mondo} is obsolete"
        expected = labels[mondo] if mondo not in MONDO_LABEL_TYPOS else labels[mondo].rstrip(";")
        assert row["object_label"] == expected, f"{row.path.name}:{row.line}: MONDO calls {mondo} {labels[mondo]!r}"


def test_no_exact_match_is_an_identifier_mondo_equates_with_another_class(our_rows, mondo_exact):
    ours = _our_mondo_exact(our_rows)
    checked = 0
    for row in our_rows:
        if row["predicate_id"] != "skos:exactMatch" or row["subject_id"] not in ours:
            continue
        theirs = mondo_exact.get(row["object_id"], set())
        if theirs:
            checked += 1
            assert theirs & ours[row["subject_id"]], (
                f"{row.path.name}:{row.line}: {row['subject_id']} exactMatch {row['object_id']}, which MONDO maps "
                f"to {sorted(theirs)}, not to our MONDO exactMatch {sorted(ours[row['subject_id']])}")
    assert checked


def test_no_weaker_link_to_an_identifier_mondo_equates_with_our_own_mondo_class(our_rows, mondo_exact):
    """E.g. perinatal asphyxia: exactMatch MONDO:0006663, so DOID:11088 (MONDO's exact match of it) is exact too."""
    ours = _our_mondo_exact(our_rows)
    for row in our_rows:
        if row["predicate_id"] == "skos:exactMatch" or row["object_id"].startswith("MONDO:"):
            continue
        same = mondo_exact.get(row["object_id"], set()) & ours.get(row["subject_id"], set())
        assert not same, (f"{row.path.name}:{row.line}: {row['predicate_id']} {row['object_id']}, which MONDO maps "
                          f"exactly to {sorted(same)}, our exactMatch of {row['subject_id']}")


def test_the_named_cases_of_issue_13_are_settled(our_rows):
    links = {(row["subject_id"], row["object_id"]): row["predicate_id"] for row in our_rows}
    assert links[("DYKG:0008009", "DOID:11088")] == "skos:exactMatch"  # perinatal asphyxia / asphyxia neonatorum
    assert links[("DYKG:0008020", "NCIT:C97169")] == "skos:exactMatch"  # dyskinetic CP / Athetoid Cerebral Palsy
    assert links[("DYKG:0001210", "ICD10CM:G24.5")] == "skos:exactMatch"  # blepharospasm / Blepharospasm
    # MeSH 'Mouth' is the oral cavity (its scope note), which UBERON's mouth contains: narrower than our mouth.
    assert links[("DYKG:0007008", "MESH:D009055")] == "skos:narrowMatch"


def test_the_extract_holds_only_rows_about_identifiers_our_tables_use(our_rows):
    used = {row["object_id"] for row in our_rows}
    extract = read_rows(DATA / "mondo-exactmatch-extract.sssom.tsv", ("subject_id", "object_id"))
    assert all(_curie(row["object_id"]) in used for row in extract)


def test_no_class_of_ours_joins_an_hpo_phenotype_and_a_mondo_disease_in_one_exact_clique(our_rows, mondo_exact):
    """A class exactMatch to an HPO phenotype must not be exactMatch to anything MONDO equates with a disease
    (MONDO itself or an identifier MONDO maps exactly): clique-merging tools would make the phenotype the disease."""
    exact = defaultdict(set)
    for row in our_rows:
        if row["predicate_id"] == "skos:exactMatch":
            exact[row["subject_id"]].add(row["object_id"])
    offending = {}
    for subject, targets in exact.items():
        if not any(t.startswith("HP:") for t in targets):
            continue
        diseases = {t for t in targets if t.startswith("MONDO:")}
        diseases |= {m for t in targets for m in mondo_exact.get(t, ())}
        if diseases:
            offending[subject] = sorted(diseases)
    assert offending == {}
