"""Classification results as text: a readable report (the default), JSON (one array) or JSON Lines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .classification import DISCLAIMER

FORMATS = ("table", "json", "jsonl")


def _value(value: dict[str, Any] | None) -> str:
    if not value or not value.get("id"):
        note = (value or {}).get("note")
        return f"unknown ({note})" if note else "unknown"
    return f"{value['label']} [{value['id']}]"


def _report(obj: dict[str, Any]) -> str:
    axis1, axis2 = obj["axis1"], obj["axis2"]
    lines = [f"Case {obj['case']}  ({obj['file']})", "  Axis I  clinical characteristics"]
    for title, key in (("age at onset", "age_at_onset"), ("body distribution", "body_distribution"),
                       ("course", "course"), ("associated features", "associated_features")):
        lines.append(f"    {title:<22}{_value(axis1[key])}")
        for reason in axis1[key].get("decided_by", []):
            lines.append(f"    {'':<24}- {reason}")
    variability = ", ".join(_value(v) for v in axis1["variability"]) or "not given"
    lines.append(f"    {'variability':<22}{variability}")
    if axis1["combined_with"]:
        lines.append(f"    {'combined with':<22}{', '.join(v['label'] for v in axis1['combined_with'])}")
    if axis1["tremor"]:
        lines.append(f"    {'also present':<22}{', '.join(v['label'] for v in axis1['tremor'])}")
    for title, key in (("other neurological", "other_neurological_features"), ("systemic", "systemic_features")):
        if axis1[key]:
            lines.append(f"    {title:<22}{'; '.join(axis1[key])}")
    lines.append("  Axis II  etiology")
    lines.append(f"    {'nervous system':<22}{_value(axis2['nervous_system_pathology'])}")
    lines.append(f"    {'etiology':<22}{_value(axis2['etiology'])}")
    if axis2["cause"]:
        lines.append(f"    {'cause':<22}{'; '.join(axis2['cause'])}")
    lines.append("  Classes (reasoned): " + ", ".join(c["label"] for c in obj["classes"]))
    if obj["compatible_forms"]:
        lines.append("  Compatible forms:")
        for form in obj["compatible_forms"]:
            lines.append(f"    {form['label']} [{form['id']}]: {'; '.join(form['agrees_on'])}")
    for title, key in (("Work-up", "workup"), ("Treatment options", "treatments")):
        if obj[key]:
            lines.append(f"  {title}:")
            for item in obj[key]:
                lines.append(f"    {item['label']} - {item['relation']} {item['for']['label']} "
                             f"({', '.join(item['sources'])})")
    for warning in obj.get("warnings", []):
        lines.append(f"  warning: {warning}")
    return "\n".join(lines)


def format_classifications(objects: Sequence[dict[str, Any]], output_format: str = "table") -> str:
    """The results in one of FORMATS; every format ends with a newline."""
    if output_format == "json":
        return json.dumps(list(objects), indent=2, ensure_ascii=False) + "\n"
    if output_format == "jsonl":
        return "".join(json.dumps(obj, ensure_ascii=False) + "\n" for obj in objects)
    if output_format != "table":
        raise ValueError(f"unknown format '{output_format}' (choose from {', '.join(FORMATS)})")
    return "\n\n".join(_report(obj) for obj in objects) + f"\n\n{DISCLAIMER}\n"
