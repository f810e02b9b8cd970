"""Stable blank-node labels, so that the same triples always serialize to the same bytes.

rdflib gives blank nodes random labels at each parse, so two builds of the same sources would differ.
OWL's blank nodes (restrictions, lists, axiom annotations) form trees and DAGs hanging from named
nodes, so each blank node can be named by a hash of what it contains (its outgoing triples, recursively)
and of where it hangs (the subjects and predicates pointing at it, recursively). Two blank nodes that
get the same name are identical copies under identical parents (an OWL axiom stated twice), and
become one: the same axiom once.
A graph whose blank nodes form a cycle (not produced by OWL's RDF mapping) falls back to rdflib's
general canonicalisation, which is correct but slow.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

_LABEL_LENGTH = 20


class _Cycle(Exception):
    pass


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def canonical_triples(graph: Graph) -> list[tuple[Node, Node, Node]]:
    """The graph's triples with stable blank-node labels, sorted."""
    try:
        relabel = _tree_labels(graph)
    except _Cycle:
        canonical = to_canonical_graph(graph)
        return sorted(canonical, key=_sort_key)

    def term(node: Node) -> Node:
        return relabel[node] if isinstance(node, BNode) else node

    return sorted({(term(s), p, term(o)) for s, p, o in graph}, key=_sort_key)


def canonical_graph(graph: Graph) -> Graph:
    """A new graph holding the canonical triples in sorted order, with the same namespace bindings."""
    result = Graph()
    for prefix, namespace in graph.namespaces():
        result.bind(prefix, namespace, override=True, replace=True)
    for triple in canonical_triples(graph):
        result.add(triple)
    return result


def _sort_key(triple: tuple[Node, Node, Node]) -> tuple[str, str, str]:
    return tuple(node.n3() for node in triple)  # type: ignore[return-value]


def _tree_labels(graph: Graph) -> dict[BNode, BNode]:
    outgoing: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    incoming: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    blank_nodes: set[BNode] = set()
    for s, p, o in graph:
        if isinstance(s, BNode):
            blank_nodes.add(s)
            outgoing[s].append((p, o))
        if isinstance(o, BNode):
            blank_nodes.add(o)
            incoming[o].append((s, p))

    content: dict[BNode, str] = {}
    visiting: set[BNode] = set()  # cycle detection downwards (content)

    def content_of(node: BNode) -> str:
        """Hash of what hangs below a blank node."""
        if node in content:
            return content[node]
        if node in visiting:
            raise _Cycle()
        visiting.add(node)
        parts = sorted(
            f"{p.n3()} {('_:' + content_of(o)) if isinstance(o, BNode) else o.n3()}" for p, o in outgoing[node]
        )
        visiting.discard(node)
        content[node] = _digest(parts)
        return content[node]

    position: dict[BNode, str] = {}
    climbing: set[BNode] = set()  # cycle detection upwards (position), apart from the downward walk

    def position_of(node: BNode) -> str:
        """Hash of what a blank node contains and of every path from a named node down to it."""
        if node in position:
            return position[node]
        if node in climbing:
            raise _Cycle()
        climbing.add(node)
        parents = sorted(
            f"{('_:' + position_of(s)) if isinstance(s, BNode) else s.n3()} {p.n3()}" for s, p in incoming[node]
        )
        climbing.discard(node)
        position[node] = _digest([content_of(node), *parents])
        return position[node]

    return {node: BNode(f"b{position_of(node)[:_LABEL_LENGTH]}") for node in blank_nodes}
