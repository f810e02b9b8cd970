"""The curated tables stay in canonical form (sorted rows, one cell per column, no stray lines), the way
bioregistry keeps its data file: a review diff then shows only real changes, and the fix is one command."""

from __future__ import annotations

import pytest

from dystonia_kg.build.tables import canonical_table_text, curated_tables
from dystonia_kg.core.resources import SourceLayout
from helpers import REPOSITORY, run

FIX_COMMAND = "dystonia-kg tables --fix   (or: make tables)"


@pytest.mark.parametrize("table", curated_tables(REPOSITORY / "ontology"),
                         ids=lambda path: path.relative_to(REPOSITORY / "ontology").as_posix())
def test_every_curated_table_is_in_canonical_form(table):
    text = table.read_text(encoding="utf-8")
    assert text == canonical_table_text(text), (
        f"{table.relative_to(REPOSITORY)} is not in canonical form (sorted rows, one cell per column, no blank or "
        f"'#' lines among the rows); rewrite it with: {FIX_COMMAND}")


def test_there_are_tables_to_check():
    assert len(curated_tables(REPOSITORY / "ontology")) >= 8


UNSORTED = """\
# Facts about things.
subject_id\tsubject_label\tproperty_id\tobject_id\tobject_label\tsource\tcomment
DYKG:0000002\tb\tRO:0000001\tDYKG:0000009\tz\tPMID:1\t
# A section title among the rows

DYKG:0000001\ta\tRO:0000001\tDYKG:0000009\tz\tPMID:2
DYKG:0000001\ta\tRO:0000001\tDYKG:0000003\ty \tPMID:3\tsays so
"""


def test_canonical_form_sorts_rows_pads_cells_and_moves_section_lines_into_the_header_comment():
    assert canonical_table_text(UNSORTED) == """\
# Facts about things.
# A section title among the rows
subject_id\tsubject_label\tproperty_id\tobject_id\tobject_label\tsource\tcomment
DYKG:0000001\ta\tRO:0000001\tDYKG:0000003\ty\tPMID:3\tsays so
DYKG:0000001\ta\tRO:0000001\tDYKG:0000009\tz\tPMID:2\t
DYKG:0000002\tb\tRO:0000001\tDYKG:0000009\tz\tPMID:1\t
"""


def test_canonical_form_is_stable():
    once = canonical_table_text(UNSORTED)
    assert canonical_table_text(once) == once


def test_the_tables_command_names_the_tables_to_fix_then_fixes_them(tmp_path):
    layout = SourceLayout.at(tmp_path)
    (layout.ontology_dir / "axioms").mkdir(parents=True)
    table = layout.ontology_dir / "axioms" / "facts.tsv"
    table.write_text(UNSORTED, encoding="utf-8")
    checked = run("tables", "--sources", str(tmp_path))
    assert checked.exit_code == 1
    assert "facts.tsv" in checked.output and "dystonia-kg tables --fix" in checked.output
    assert table.read_text(encoding="utf-8") == UNSORTED, "checking must not rewrite anything"
    fixed = run("tables", "--fix", "--sources", str(tmp_path))
    assert fixed.exit_code == 0 and "facts.tsv" in fixed.output
    assert table.read_text(encoding="utf-8") == canonical_table_text(UNSORTED)
    assert run("tables", "--sources", str(tmp_path)).exit_code == 0
