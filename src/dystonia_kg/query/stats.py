"""Counts by kind (dystonia types, genes, drugs, drug classes, ...) and mappings by vocabulary.

The kinds are the ones listed in queries/internal/counts-by-kind.rq, so a curator adds a kind by
editing that query, not this code.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, Literal
from rdflib.term import Node

from ..core.engines import Engine
from ..core.prefixes import PrefixMap
from ..core.vocabulary import HAS_DBXREF, SKOS
from .catalogue import QueryCatalogue, run_query


@dataclass(frozen=True)
class Statistics:
    by_kind: dict[str, int]
    mappings_by_vocabulary: dict[str, int]
    triples: int
    entities_by_vocabulary: dict[str, int] = field(default_factory=dict)
    """How many of our entities have an exact or close match into each vocabulary."""
    coverage_by_kind: dict[str, tuple[int, int]] = field(default_factory=dict)
    """kind -> (members, members with at least one exact or close match)."""

    def to_text(self) -> str:
        width = max([len(k) for k in self.by_kind] + [len(k) for k in self.mappings_by_vocabulary] + [7])
        lines = ["Entities by kind:"]
        lines += [f"  {kind.ljust(width)}  {count:6d}" for kind, count in self.by_kind.items()]
        lines.append("Cross-references by vocabulary:")
        lines += [f"  {prefix.ljust(width)}  {count:6d}" for prefix, count in self.mappings_by_vocabulary.items()]
        lines.append(f"  {'total'.ljust(width)}  {sum(self.mappings_by_vocabulary.values()):6d}")
        lines.append("Entities with an exact or close match, by vocabulary:")
        lines += [f"  {prefix.ljust(width)}  {count:6d}" for prefix, count in self.entities_by_vocabulary.items()]
        lines.append("Mapping coverage by kind (entities with at least one exact or close match):")
        for kind, (members, mapped) in self.coverage_by_kind.items():
            share = f"{100 * mapped / members:5.1f}%" if members else "    -"
            lines.append(f"  {kind.ljust(width)}  {mapped:6d} of {members:6d}  {share}")
        lines.append(f"Triples: {self.triples}")
        return "\n".join(lines)


def _count(node: Node | None) -> int:
    """A count a query returned (an integer literal; unbound counts as none)."""
    return int(node.toPython()) if isinstance(node, Literal) else 0


def compute_statistics(graph: Graph, catalogue: QueryCatalogue | None = None,
                       prefixes: PrefixMap | None = None, engine: Engine | None = None) -> Statistics:
    """The counts of the release; the queries run on `engine` when given (e.g. an Oxigraph copy), else on the graph."""
    catalogue = catalogue or QueryCatalogue()
    target: Graph | Engine = engine if engine is not None else graph
    result = run_query(target, catalogue.internal("counts-by-kind"), prefixes=prefixes)
    by_kind = {str(row[0]): _count(row[1]) for row in result.rows}
    vocabularies = Counter(str(xref).split(":", 1)[0] for xref in graph.objects(None, HAS_DBXREF))
    mapped_entities: dict[str, set[str]] = defaultdict(set)
    for predicate in (SKOS.exactMatch, SKOS.closeMatch):
        for subject, matched in graph.subject_objects(predicate):
            curie = prefixes.contract(str(matched)) if prefixes else None
            if curie:
                mapped_entities[curie.split(":", 1)[0]].add(str(subject))
    coverage = run_query(target, catalogue.internal("mapping-coverage"), prefixes=prefixes)
    return Statistics(
        by_kind, dict(sorted(vocabularies.items())), len(graph),
        {prefix: len(entities) for prefix, entities in sorted(mapped_entities.items())},
        {str(row[0]): (_count(row[1]), _count(row[2])) for row in coverage.rows},
    )
