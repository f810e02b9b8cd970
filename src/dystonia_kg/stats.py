"""Counts by kind (dystonia types, genes, drugs, drug classes, ...) and mappings by vocabulary.

The kinds are the ones listed in queries/internal/counts-by-kind.rq, so a curator adds a kind by
editing that query, not this code.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rdflib import Graph

from .prefixes import PrefixMap
from .queries import QueryCatalogue, run_query
from .vocabulary import HAS_DBXREF


@dataclass(frozen=True)
class Statistics:
    by_kind: dict[str, int]
    mappings_by_vocabulary: dict[str, int]
    triples: int

    def to_text(self) -> str:
        width = max([len(k) for k in self.by_kind] + [len(k) for k in self.mappings_by_vocabulary] + [7])
        lines = ["Entities by kind:"]
        lines += [f"  {kind.ljust(width)}  {count:6d}" for kind, count in self.by_kind.items()]
        lines.append("Cross-references by vocabulary:")
        lines += [f"  {prefix.ljust(width)}  {count:6d}" for prefix, count in self.mappings_by_vocabulary.items()]
        lines.append(f"  {'total'.ljust(width)}  {sum(self.mappings_by_vocabulary.values()):6d}")
        lines.append(f"Triples: {self.triples}")
        return "\n".join(lines)


def compute_statistics(graph: Graph, catalogue: QueryCatalogue | None = None,
                       prefixes: PrefixMap | None = None) -> Statistics:
    catalogue = catalogue or QueryCatalogue()
    result = run_query(graph, catalogue.internal("counts-by-kind"), prefixes=prefixes)
    by_kind = {str(row[0]): int(row[1]) for row in result.rows}  # type: ignore[arg-type]
    vocabularies = Counter(str(xref).split(":", 1)[0] for xref in graph.objects(None, HAS_DBXREF))
    return Statistics(by_kind, dict(sorted(vocabularies.items())), len(graph))
