"""The editors' guide (ontology/README.md) is a specification: its identifier-range table covers every module,
and every identifier a module defines lies in that module's range."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from conftest import REPOSITORY

ONTOLOGY = REPOSITORY / "ontology"
GUIDE = ONTOLOGY / "README.md"
DYKG = "https://w3id.org/dystonia-kg/DYKG_"
DECLARED_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.AnnotationProperty, OWL.NamedIndividual)


def range_table() -> dict[str, list[tuple[int, int]]]:
    """module -> its ranges, read from the guide's 'Identifier ranges' table."""
    section = GUIDE.read_text(encoding="utf-8").split("## Identifier ranges", 1)[1].split("\n## ", 1)[0]
    table: dict[str, list[tuple[int, int]]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("module", "---"):
            table[cells[0]] = [(int(low), int(high))
                               for low, high in re.findall(r"DYKG:(\d{7})-DYKG:(\d{7})", cells[2])]
    return table


def defined_by_module(module: str) -> set[int]:
    """The numbers of the DYKG identifiers a module defines: its term rows and its Turtle declarations."""
    numbers: set[int] = set()
    table = ONTOLOGY / "terms" / f"{module}.tsv"
    if table.is_file():
        numbers |= {int(line.split("\t", 1)[0].removeprefix("DYKG:"))
                    for line in table.read_text(encoding="utf-8").splitlines() if line.startswith("DYKG:")}
    turtle = ONTOLOGY / f"{module}.ttl"
    if turtle.is_file():
        graph = Graph().parse(turtle)
        numbers |= {int(str(s).removeprefix(DYKG)) for kind in DECLARED_KINDS for s in graph.subjects(RDF.type, kind)
                    if isinstance(s, URIRef) and str(s).startswith(DYKG)}
    return numbers


def modules() -> set[str]:
    """Every module of the sources: a term table or a Turtle file (the header module mints nothing)."""
    names = {path.stem for path in (ONTOLOGY / "terms").glob("*.tsv")}
    names |= {path.stem for path in ONTOLOGY.glob("*.ttl")}
    return names - {"dystonia-kg"}


def test_the_guide_has_a_range_for_every_module():
    assert modules() <= set(range_table())


def test_module_ranges_do_not_overlap():
    spans = sorted((low, high, module) for module, ranges in range_table().items() for low, high in ranges)
    for (_, high, first), (low, _, second) in zip(spans, spans[1:], strict=False):
        assert high < low, f"{first} and {second} overlap"


@pytest.mark.parametrize("module", sorted(modules()))
def test_every_identifier_a_module_defines_is_in_its_range(module):
    ranges = range_table()[module]
    defined = defined_by_module(module)
    assert defined, f"{module} defines nothing"
    outside = sorted(n for n in defined if not any(low <= n <= high for low, high in ranges))
    assert outside == []


def test_the_guide_says_where_the_new_forms_of_issue_14_go():
    text = GUIDE.read_text(encoding="utf-8")
    assert "ontology/imports/" in text and "DYKG:0010000" in text


def test_a_warning_rule_is_reported_without_failing_the_check(release_graph):
    from dystonia_kg.build.validation import WARNING, Validator
    from dystonia_kg.core.prefixes import PrefixMap
    from dystonia_kg.core.resources import default_layout

    layout = default_layout()
    report = Validator(layout, PrefixMap.from_file(layout.prefix_map_file)).validate(release_graph)
    warnings = [v for v in report.violations if v.rule == "disease-without-mondo-link"]
    assert warnings and all(v.severity == WARNING for v in warnings)
    # A class of our own making, such as the defined class 'adult-onset dystonia', has no MONDO counterpart:
    # it is reported for a curator to look at, and the release still conforms.
    assert "adult-onset dystonia" in {v.label for v in warnings}
    assert "DYT-TOR1A" not in {v.label for v in warnings}  # mapped to MONDO:0007492
    assert report.conforms
