"""The one way the library names a node for people: its rdfs:label, else nothing.

Reports (validation, reasoning), the site and the diagrams all show an entity by its label; one helper
keeps them agreeing on what a label is (the first rdfs:label, none for literals and missing nodes).
"""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.term import Node

from .vocabulary import RDFS


def label_of(graph: Graph, node: Node | None) -> str:
    """The node's rdfs:label as text, or "" when it has none (literals and None have none)."""
    if node is None or isinstance(node, Literal):
        return ""
    label = graph.value(node, RDFS.label)
    return str(label) if label is not None else ""
