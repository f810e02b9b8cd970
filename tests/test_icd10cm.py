"""ICD-10-CM: every G24 code we map to exists in the code set with the description we give it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dystonia_kg.build.tables import read_rows

TABLE = Path(__file__).resolve().parent.parent / "ontology" / "mappings" / "icd10cm.tsv"


def test_every_icd10cm_code_exists_with_its_description():
    codes = pytest.importorskip("simple_icd_10_cm", reason="the ICD-10-CM code set ships in simple-icd-10-cm")
    rows = list(read_rows(TABLE, ("object_id", "object_label")))
    assert rows
    for row in rows:
        code = row["object_id"].removeprefix("ICD10CM:")
        assert codes.is_valid_item(code), code
        assert codes.get_description(code) == row["object_label"], code


def test_the_codes_mondo_maps_agree_with_our_mondo_links():
    """G24, G24.1 and G24.5 are mapped by MONDO; ours go to the classes that carry those MONDO links."""
    mapped = {row["object_id"]: row["subject_id"] for row in read_rows(TABLE, ("subject_id", "object_id"))}
    assert mapped["ICD10CM:G24"] == "DYKG:0000001"  # exactMatch MONDO:0003441 dystonic disorder
    assert mapped["ICD10CM:G24.5"] == "DYKG:0001210"  # exactMatch MONDO:0011728 benign essential blepharospasm
