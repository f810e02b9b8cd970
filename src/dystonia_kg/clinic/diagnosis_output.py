"""Rankings as text: a readable table, JSON (one array) or JSON Lines (one object per case and line)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .diagnosis import Ranking

DIAGNOSIS_FORMATS = ("table", "json", "jsonl")
EXPLAINED_TERMS = 6  # contributions shown per disease in the table (JSON carries them all)


def format_rankings(rankings: Sequence[Ranking], output_format: str = "table") -> str:
    if output_format == "json":
        return json.dumps([r.to_dict() for r in rankings], indent=2, ensure_ascii=False) + "\n"
    if output_format == "jsonl":
        return "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in rankings)
    if output_format == "table":
        return "\n".join(_table(r) for r in rankings)
    raise ValueError(f"unknown format '{output_format}' (one of {', '.join(DIAGNOSIS_FORMATS)})")


def _table(ranking: Ranking) -> str:
    lines = [f"case {ranking.case} ({ranking.source})"]
    lines += [f"  note: {note}" for note in ranking.notes]
    lines.append("")
    lines.append(f"  {'rank':>4}  {'post-test':>9}  {'log10 LR':>8}  disease")
    for disease in ranking.diseases:
        genes = ", ".join(g.symbol for g in disease.genes) or "no gene in HPO's file"
        lines.append(f"  {disease.rank:>4}  {disease.score:>9.3g}  {disease.log10_ratio:>8.2f}  "
                     f"{disease.id} {disease.label} [{genes}]")
        for item in disease.explanation[:EXPLAINED_TERMS]:
            lines.append(f"  {'':>4}  {'':>9}  {item.contribution:>+8.2f}    "
                         f"{item.label} ({item.term}): {item.explanation}")
        if len(disease.explanation) > EXPLAINED_TERMS:
            lines.append(f"  {'':>27}... {len(disease.explanation) - EXPLAINED_TERMS} more (see --format json)")
        if disease.curated_class:
            lines.append(f"  {'':>27}our graph: {disease.curated_class}")
        for treatment in disease.treatments:
            sources = f" [{'; '.join(treatment.sources)}]" if treatment.sources else ""
            lines.append(f"  {'':>27}treatment: {treatment.label} {treatment.relation}{sources}")
    lines.append("")
    lines.append(f"  {'rank':>4}  {'post-test':>9}  gene (best disease)")
    for gene in ranking.genes:
        hgnc = f", {gene.hgnc}" if gene.hgnc else ""
        lines.append(f"  {gene.rank:>4}  {gene.score:>9.3g}  {gene.symbol} ({gene.id}{hgnc}) via {gene.disease}")
    return "\n".join(lines) + "\n"
