"""SHACL-SPARQL constraints (sh:sparql on node shapes) evaluated on Oxigraph instead of pyshacl's rdflib.

pyshacl runs a SPARQL constraint once per focus node on rdflib, which was most of the build's validation
time. Here each constraint runs once on an in-memory Oxigraph store with its focus nodes bound by a VALUES
block at the top of its outer group, which binds $this for the whole pattern as SHACL's pre-binding does for
the patterns our shapes use (no subqueries; EXISTS sees the bound $this). Results follow SHACL 1.0 section 5:
one result per solution, sh:value from ?value (else, for a node shape, the focus node), sh:resultPath from
?path, messages from sh:message with {?var} / {$var} replaced by the solution's values. A test checks that
pyshacl and this evaluator report the same findings on broken inputs. Other shapes stay with pyshacl.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.term import Node

from ..core.engines import OxigraphEngine, outer_group_start
from ..core.vocabulary import RDF, RDFS, SH

_TARGET_PREDICATES = {SH.target, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}
_NOT_CONSTRAINTS = {RDF.type, RDFS.comment, RDFS.label, SH.severity, SH.message, SH.deactivated, SH.name,
                    SH.description, *_TARGET_PREDICATES}
"""Predicates of a node shape that are not constraints: a shape with nothing else left is not given to pyshacl."""
_TEMPLATE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class SparqlConstraint:
    """One sh:sparql constraint of a node shape, with the SELECT queries that give its focus nodes."""

    shape: Node
    select: str
    messages: tuple[str, ...]
    severity: Node
    targets: tuple[str, ...]


@dataclass(frozen=True)
class SparqlFinding:
    shape: Node
    focus: Node
    path: Node | None
    value: Node | None
    messages: tuple[str, ...]
    severity: Node


def _target_queries(shapes: Graph, shape: Node) -> tuple[str, ...]:
    queries: list[str] = []
    for target in shapes.objects(shape, SH.target):
        select = shapes.value(target, SH.select)
        if select is not None:
            queries.append(str(select))
    for cls in shapes.objects(shape, SH.targetClass):
        queries.append(f"SELECT DISTINCT ?this WHERE {{ ?this a/<{RDFS.subClassOf}>* {cls.n3()} }}")
    for node in shapes.objects(shape, SH.targetNode):
        queries.append(f"SELECT ?this WHERE {{ VALUES ?this {{ {node.n3()} }} }}")
    for predicate in shapes.objects(shape, SH.targetSubjectsOf):
        queries.append(f"SELECT DISTINCT ?this WHERE {{ ?this {predicate.n3()} ?any }}")
    for predicate in shapes.objects(shape, SH.targetObjectsOf):
        queries.append(f"SELECT DISTINCT ?this WHERE {{ ?any {predicate.n3()} ?this }}")
    return tuple(queries)


def split_sparql_constraints(shapes: Graph) -> tuple[list[SparqlConstraint], Graph]:
    """The sh:sparql constraints of node shapes, and the shapes graph without them (and without the node shapes
    left with no constraint at all), for pyshacl to evaluate the rest."""
    constraints: list[SparqlConstraint] = []
    removed: set[Node] = set()
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql), key=lambda pair: (str(pair[0]), str(pair[1]))):
        if (shape, SH.path, None) in shapes:  # a property shape's SPARQL constraint: pyshacl keeps it
            continue
        if Literal(True) in (shapes.value(shape, SH.deactivated), shapes.value(constraint, SH.deactivated)):
            continue
        select = shapes.value(constraint, SH.select)
        if select is None:
            continue
        messages = tuple(sorted(str(m) for m in shapes.objects(constraint, SH.message))) or tuple(
            sorted(str(m) for m in shapes.objects(shape, SH.message)))
        constraints.append(SparqlConstraint(shape, str(select), messages,
                                            shapes.value(shape, SH.severity) or SH.Violation,
                                            _target_queries(shapes, shape)))
        removed.add(constraint)
    emptied = {shape for shape in {c.shape for c in constraints}
               if all(p in _NOT_CONSTRAINTS or (p == SH.sparql and o in removed)
                      for p, o in shapes.predicate_objects(shape))}
    dropped = _closure(shapes, removed | emptied)
    rest = Graph()
    for prefix, namespace in shapes.namespaces():
        rest.bind(prefix, namespace)
    for triple in shapes:
        if triple[0] not in dropped and not (triple[1] == SH.sparql and triple[2] in dropped):
            rest.add(triple)
    return constraints, rest


def _closure(graph: Graph, roots: set[Node]) -> set[Node]:
    """The roots and every blank node hanging below them."""
    found, stack = set(roots), list(roots)
    while stack:
        for value in graph.objects(stack.pop(), None):
            if isinstance(value, BNode) and value not in found:
                found.add(value)
                stack.append(value)
    return found


def evaluate(constraint: SparqlConstraint, engine: OxigraphEngine) -> list[SparqlFinding]:
    """Every result of one constraint on the store (the store answers for the graph being validated)."""
    focus: dict[str, Node] = {}
    for target in constraint.targets:
        for row in engine.select(target, {}, f"target of {constraint.shape}").rows:
            if row and row[0] is not None:
                focus.setdefault(row[0].n3(), row[0])
    if not focus:
        return []
    named = [node for node in focus.values() if not isinstance(node, BNode)]
    findings: list[SparqlFinding] = []
    if named:
        position = outer_group_start(constraint.select)
        block = "\n  VALUES ?this { " + " ".join(node.n3() for node in named) + " }\n"
        text = constraint.select[:position] + block + constraint.select[position:]
        findings += _findings(constraint, engine.select(text, {}, f"constraint of {constraint.shape}").as_dicts())
    for node in focus.values():
        if isinstance(node, BNode):  # a blank node cannot be written into VALUES: bind it by substitution
            rows = engine.select(constraint.select, {Variable("this"): node}, f"constraint of {constraint.shape}")
            findings += _findings(constraint, [{**row, "this": node} for row in rows.as_dicts()])
    return findings


def _findings(constraint: SparqlConstraint, rows: list[dict[str, Node | None]]) -> list[SparqlFinding]:
    findings = []
    for row in rows:
        focus = row.get("this")
        if focus is None:
            continue
        message = row.get("message")
        messages = (str(message),) if message is not None else tuple(
            _fill(template, row) for template in constraint.messages)
        value = row.get("value")
        findings.append(SparqlFinding(constraint.shape, focus, row.get("path"),
                                      value if value is not None else focus, messages, constraint.severity))
    return findings


def _fill(template: str, row: dict[str, Node | None]) -> str:
    """A message template with each {?name} or {$name} replaced by the solution's value of that variable."""
    return _TEMPLATE.sub(lambda match: _text(row.get(match.group(1))), template)


def _text(node: Node | None) -> str:
    if node is None:
        return ""
    return str(node) if isinstance(node, (Literal, URIRef)) else node.n3()
