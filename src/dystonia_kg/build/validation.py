"""Step 3 of the build: SHACL shapes (pyshacl) and QC rules (one SPARQL file per rule).

Validation runs on the reasoned graph (the inferred hierarchy already added) with pyshacl's
inference switched off: the reasoner did that work once, and pyshacl's RDFS inference is an order of
magnitude slower. Every finding becomes a Violation that names the entity (IRI and label), the rule,
the property path, the offending value and a message a curator understands.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..core.compat import sparql_parses_reused
from ..core.engines import OxigraphEngine
from ..core.errors import SourceError
from ..core.labels import label_of
from ..core.prefixes import PrefixMap
from ..core.rdfio import parse_rdf_file
from ..core.resources import SourceLayout
from ..core.sparql_files import SparqlFile, load_sparql_files
from ..core.vocabulary import RDF, SH, XSD
from .shacl_sparql import evaluate, split_sparql_constraints

VIOLATION = "Violation"
WARNING = "Warning"
INFO = "Info"


@dataclass(frozen=True)
class Violation:
    """One finding: which rule, about which entity, on which path and value, and why."""

    rule: str
    entity: str
    label: str
    message: str
    path: str = ""
    value: str = ""
    severity: str = VIOLATION
    origin: str = "shacl"
    """'shacl' for a shape, 'qc' for a QC SPARQL rule."""

    def describe(self) -> str:
        who = f"{self.label} <{self.entity}>" if self.label else f"<{self.entity}>"
        where = f" [{self.path}]" if self.path else ""
        what = f" value {self.value!r}:" if self.value else ""
        return f"{self.severity} {self.rule}: {who}{where}{what} {self.message}"


@dataclass
class ValidationReport:
    """All findings of shapes and QC rules; a graph conforms when none is a Violation."""

    violations: list[Violation] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(v.severity == VIOLATION for v in self.violations)

    @property
    def failures(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == VIOLATION]

    def to_json(self) -> str:
        return json.dumps(
            {"conforms": self.conforms, "violation_count": len(self.failures),
             "results": [asdict(v) for v in self.violations]},
            indent=2, ensure_ascii=False,
        )

    def to_text(self) -> str:
        if not self.violations:
            return "conforms: no violations"
        lines = [v.describe() for v in self.violations]
        lines.append(f"{len(self.failures)} violation(s), {len(self.violations) - len(self.failures)} warning(s)")
        return "\n".join(lines)

    def extend(self, other: ValidationReport) -> None:
        self.violations.extend(other.violations)
        self.violations.sort(key=lambda v: (v.severity != VIOLATION, v.rule, v.entity, v.path, v.value))


class Validator:
    """The project's shapes and QC rules, loaded once and applied to any graph."""

    def __init__(self, layout: SourceLayout, prefixes: PrefixMap):
        self.prefixes = prefixes
        self.shapes_dir = layout.shapes_dir
        self.shapes = Graph()
        shape_files = sorted(layout.shapes_dir.glob("*.ttl"))
        if not shape_files:
            raise SourceError(layout.shapes_dir, "no SHACL shapes (*.ttl) found")
        for path in shape_files:
            parse_rdf_file(path, into=self.shapes, rdf_format="turtle")
        # Two tiers, as in MONDO's QC: a row of a *-violation rule fails the build, a *-warning row is reported.
        self.qc_rules: list[SparqlFile] = (load_sparql_files(layout.qc_dir, pattern="*-violation.rq")
                                           + load_sparql_files(layout.qc_dir, pattern="*-warning.rq"))
        # SHACL-SPARQL constraints run on Oxigraph (shacl_sparql.py); pyshacl gets the other shapes.
        self.sparql_constraints, self.pyshacl_shapes = split_sparql_constraints(self.shapes)

    def validate(self, graph: Graph, context: Graph | None = None) -> ValidationReport:
        """Check a graph against the shapes and the QC rules.

        `context` (e.g. the release) is mixed in for shapes that follow the class hierarchy, so a
        user's extension that subclasses our terms is checked as part of the whole.
        """
        if context is None and self._declares_our_prefixes(graph):
            data = graph  # the build's own graph: read as it is, not copied
        else:
            data = Graph()
            for source in (context, graph):
                for triple in source or ():
                    data.add(triple)
            declare_prefixes(data, BNode(), self.prefixes)  # what the invalid-xref rule checks CURIEs against
        engine = OxigraphEngine.copy_of(data)
        report = ValidationReport()
        report.extend(self._run_shapes(data))
        report.extend(self._run_sparql_constraints(engine, data))
        report.extend(self._run_qc(engine, data))
        return report

    def _declares_our_prefixes(self, graph: Graph) -> bool:
        """Whether the graph already states our whole prefix map as sh:declare (a release, or the build's graph)."""
        declared = {str(p) for p in graph.objects(None, SH.prefix)}
        return all(prefix.prefix in declared for prefix in self.prefixes)

    def _run_sparql_constraints(self, engine: OxigraphEngine, data: Graph) -> ValidationReport:
        report = ValidationReport()
        for constraint in self.sparql_constraints:
            for finding in evaluate(constraint, engine):
                report.violations.append(Violation(
                    rule=self._shape_name(finding.shape),
                    entity=str(finding.focus),
                    label=label_of(data, finding.focus),
                    message=" ".join(sorted(finding.messages)) or "does not conform to the shape",
                    path=self._show(finding.path),
                    value=self._show(finding.value),
                    severity=str(finding.severity).rsplit("#", 1)[-1],
                    origin="shacl",
                ))
        return report

    def _run_shapes(self, data: Graph, shapes: Graph | None = None) -> ValidationReport:
        """pyshacl with the shapes it evaluates (by default those left after the SPARQL constraints moved to
        Oxigraph; the tests pass all shapes to check that both ways find the same)."""
        import pyshacl

        with sparql_parses_reused():
            _conforms, results, text = pyshacl.validate(
                data, shacl_graph=self.pyshacl_shapes if shapes is None else shapes, inference="none",
                advanced=True, allow_warnings=True, inplace=True,
            )
        if not isinstance(results, Graph):  # pyshacl's ValidationFailure: the shapes themselves are broken
            raise SourceError(self.shapes_dir, f"the SHACL shapes cannot be applied: {text.strip()}")
        report = ValidationReport()
        for result in results.subjects(RDF.type, SH.ValidationResult):
            focus = results.value(result, SH.focusNode)
            path = results.value(result, SH.resultPath)
            value = results.value(result, SH.value)
            severity = results.value(result, SH.resultSeverity)
            messages = [str(m) for m in results.objects(result, SH.resultMessage)]
            report.violations.append(Violation(
                rule=self._shape_name(results.value(result, SH.sourceShape)),
                entity=str(focus),
                label=label_of(data, focus),
                message=" ".join(sorted(messages)) or "does not conform to the shape",
                path=self._show(path),
                value=self._show(value),
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else VIOLATION,
                origin="shacl",
            ))
        return report

    def _run_qc(self, engine: OxigraphEngine, data: Graph) -> ValidationReport:
        """Every QC rule, on an in-memory Oxigraph copy of the graph: the rules scan the whole graph,
        which Oxigraph does many times faster than rdflib (measured: 4.7 s -> 0.3 s on the release)."""
        report = ValidationReport()
        for rule in self.qc_rules:
            tier = WARNING if rule.name.endswith("-warning") else VIOLATION
            name = rule.name.removesuffix("-violation").removesuffix("-warning")
            for bindings in engine.select(rule.text, {}, str(rule.path)).as_dicts():
                entity = bindings.get("entity")
                message = bindings.get("message")
                report.violations.append(Violation(
                    rule=name,
                    entity=str(entity) if entity is not None else "",
                    label=label_of(data, entity) if entity is not None else "",
                    message=str(message) if message is not None else rule.title,
                    path=self._show(bindings.get("property")),
                    value=self._show(bindings.get("value")),
                    severity=str(bindings.get("severity") or tier),
                    origin="qc",
                ))
        return report

    def _shape_name(self, shape: Node | None) -> str:
        """A readable name for a shape: its CURIE, or for an anonymous property shape, parent/path."""
        if shape is None:
            return "shape"
        if isinstance(shape, URIRef):
            return self._show(shape)
        parent = next(self.shapes.subjects(SH.property, shape), None)
        path = self.shapes.value(shape, SH.path)
        parent_name = self._shape_name(parent) if parent is not None else "shape"
        return f"{parent_name}/{self._show(path)}" if path is not None else parent_name

    def _show(self, node: Node | None) -> str:
        """A node as a curator reads it: a CURIE, the literal's text, '(anonymous node)'; '' for none."""
        if node is None:
            return ""
        if isinstance(node, URIRef):
            return self.prefixes.contract(str(node)) or str(node)
        if isinstance(node, BNode):
            return "(anonymous node)"
        if isinstance(node, Literal):
            return str(node)
        return str(node)


def declare_prefixes(graph: Graph, declarer: Node, prefixes: PrefixMap) -> None:
    """State the prefix map as SHACL prefix declarations (sh:declare) on a node of the graph."""
    for prefix in prefixes:
        declaration = BNode()
        graph.add((declarer, SH.declare, declaration))
        graph.add((declaration, SH.prefix, Literal(prefix.prefix)))
        graph.add((declaration, SH.namespace, Literal(prefix.uri_prefix, datatype=XSD.anyURI)))


def load_rdf_for_validation(paths: list[Path]) -> Graph:
    """Parse the user's files into one graph; the first unreadable one raises SourceError."""
    graph = Graph()
    for path in paths:
        parse_rdf_file(Path(path), into=graph)
    return graph
