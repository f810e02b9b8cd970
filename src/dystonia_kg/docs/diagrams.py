"""Diagrams of the release as SVG, drawn by Graphviz: the dystonia type hierarchy, and the network
from genes through genetic dystonias and pathways to the drug classes and mechanisms that treat them.

The DOT text is generated from the release graph; Graphviz's `dot` (Debian: apt-get install graphviz)
lays it out. Every node links to its page of the HTML reference.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection

from ..core.atomic import write_bytes_atomically
from ..core.errors import DystoniaKGError, EnvironmentProblemError, OutputError
from ..core.prefixes import PrefixMap
from ..core.vocabulary import OWL, RDFS

DYKG = "https://w3id.org/dystonia-kg/DYKG_"
DYSTONIA = URIRef(DYKG + "0000001")
DRUG = URIRef(DYKG + "0000005")
GENE_OF = URIRef("http://purl.obolibrary.org/obo/RO_0004003")
TREATS = URIRef("http://purl.obolibrary.org/obo/RO_0002606")
INVOLVED_IN = URIRef("http://purl.obolibrary.org/obo/RO_0002331")
HAS_MECHANISM = URIRef(DYKG + "0000109")
ACTS_ON_PATHWAY = URIRef(DYKG + "0000112")
DIAGRAMS = {"dystonia-types": "The dystonia type hierarchy (after reasoning)",
            "gene-treatment-network": "Genes, genetic dystonias, pathways, drug classes and mechanisms"}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Dot:
    def __init__(self, name: str, graph: Graph, prefixes: PrefixMap, link_prefix: str, rankdir: str = "LR"):
        self.graph, self.prefixes, self.link_prefix = graph, prefixes, link_prefix
        self.lines = [f"digraph {_quote(name)} {{", f"  rankdir={rankdir};",
                      '  node [fontname="Helvetica", fontsize=10, style=filled, fillcolor="#f4f6fb"];',
                      '  edge [fontname="Helvetica", fontsize=8, color="#667085"];']
        self.nodes: set[URIRef] = set()

    def label(self, node: URIRef) -> str:
        return str(self.graph.value(node, RDFS.label) or self.prefixes.contract(str(node)) or node)

    def node(self, node: URIRef, shape: str = "box", color: str = "#f4f6fb") -> str:
        curie = self.prefixes.contract(str(node)) or str(node)
        key = _quote(curie)
        if node not in self.nodes:
            self.nodes.add(node)
            href = self.link_prefix + curie.replace(":", "_") + ".html"
            self.lines.append(f"  {key} [label={_quote(self.label(node))}, shape={shape}, fillcolor={_quote(color)}, "
                              f"URL={_quote(href)}, target=\"_top\", tooltip={_quote(curie)}];")
        return key

    def edge(self, tail: URIRef, head: URIRef, label: str = "", tail_style: tuple[str, str] = ("box", "#f4f6fb"),
             head_style: tuple[str, str] = ("box", "#f4f6fb")) -> None:
        a = self.node(tail, *tail_style)
        b = self.node(head, *head_style)
        attribute = f" [label={_quote(label)}]" if label else ""
        self.lines.append(f"  {a} -> {b}{attribute};")

    def text(self) -> str:
        return "\n".join(self.lines + ["}"]) + "\n"


def _deprecated(graph: Graph, node: URIRef) -> bool:
    return (node, OWL.deprecated, None) in graph


def type_hierarchy_dot(graph: Graph, prefixes: PrefixMap, link_prefix: str) -> str:
    dot = _Dot("dystonia-types", graph, prefixes, link_prefix)
    members = {n for n in graph.transitive_subjects(RDFS.subClassOf, DYSTONIA)
               if isinstance(n, URIRef) and not _deprecated(graph, n)}
    for child in sorted(members):
        for parent in graph.objects(child, RDFS.subClassOf):
            if parent in members:
                dot.edge(child, parent)  # type: ignore[arg-type]
    return dot.text()


def _restriction_targets(graph: Graph, subject: URIRef, prop: URIRef) -> list[URIRef]:
    """Values of `prop some V` on the class, in subClassOf or in an equivalentClass intersection."""
    found = []
    expressions = list(graph.objects(subject, RDFS.subClassOf))
    for equivalent in graph.objects(subject, OWL.equivalentClass):
        for members in graph.objects(equivalent, OWL.intersectionOf):
            expressions += list(Collection(graph, members))
    for expression in expressions:
        if isinstance(expression, BNode) and graph.value(expression, OWL.onProperty) == prop:
            value = graph.value(expression, OWL.someValuesFrom)
            if isinstance(value, URIRef):
                found.append(value)
    return found


def gene_network_dot(graph: Graph, prefixes: PrefixMap, link_prefix: str) -> str:
    dot = _Dot("gene-treatment-network", graph, prefixes, link_prefix)
    gene_style, disease_style = ("box", "#e0f2fe"), ("ellipse", "#fef3c7")
    drug_style, mechanism_style, pathway_style = ("hexagon", "#dcfce7"), ("diamond", "#fae8ff"), ("note", "#f1f5f9")
    diseases = set()
    for disease in sorted(set(graph.transitive_subjects(RDFS.subClassOf, DYSTONIA))):
        if not isinstance(disease, URIRef) or _deprecated(graph, disease):
            continue
        for gene in _restriction_targets(graph, disease, GENE_OF):
            dot.edge(disease, gene, "gene", tail_style=disease_style, head_style=gene_style)
            diseases.add(disease)
            for pathway in _restriction_targets(graph, gene, INVOLVED_IN):
                dot.edge(gene, pathway, "involved in", tail_style=gene_style, head_style=pathway_style)
    treated = diseases | {DYSTONIA}
    for drug in sorted(set(graph.transitive_subjects(RDFS.subClassOf, DRUG))):
        if not isinstance(drug, URIRef) or not list(graph.objects(drug, OWL.equivalentClass)):
            continue  # drug classes (defined by mechanism) only, to keep the network readable
        targets = [d for d in _restriction_targets(graph, drug, TREATS)
                   if any(a in treated for a in graph.transitive_objects(d, RDFS.subClassOf))]
        mechanisms = _restriction_targets(graph, drug, HAS_MECHANISM)
        if not targets and not any(_restriction_targets(graph, m, ACTS_ON_PATHWAY) for m in mechanisms):
            continue
        for disease in targets:
            dot.edge(drug, disease, "treats", tail_style=drug_style, head_style=disease_style)
        for mechanism in mechanisms:
            dot.edge(drug, mechanism, "mechanism", tail_style=drug_style, head_style=mechanism_style)
            for pathway in _restriction_targets(graph, mechanism, ACTS_ON_PATHWAY):
                dot.edge(mechanism, pathway, "acts on", tail_style=mechanism_style, head_style=pathway_style)
    return dot.text()


def require_graphviz(dot: str = "dot") -> str:
    """The path of Graphviz's program; EnvironmentProblemError (exit 3) with the install command when absent."""
    executable = shutil.which(dot)
    if executable is None:
        raise EnvironmentProblemError(f"drawing diagrams needs Graphviz's '{dot}' program: install graphviz "
                                      "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz)")
    return executable


def render_svg(dot_text: str, target: Path, dot: str = "dot") -> bytes:
    """The SVG Graphviz draws from a DOT text (`target` only names it in errors)."""
    executable = require_graphviz(dot)
    result = subprocess.run([executable, "-Tsvg"], input=dot_text.encode("utf-8"), capture_output=True, timeout=300)
    if result.returncode != 0:
        raise DystoniaKGError(f"Graphviz failed on {target.name}: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def write_diagrams(graph: Graph, prefixes: PrefixMap, out_dir: Path, dot: str = "dot",
                   link_prefix: str = "../classes/") -> dict[str, str]:
    """Write each diagram as NAME.svg (and its NAME.dot) into out_dir; returns name -> title.

    Every drawing is made before anything is written, and each file is written atomically, so a
    missing or failing Graphviz leaves no half-written file (and no new folder) behind."""
    require_graphviz(dot)
    texts = {"dystonia-types": type_hierarchy_dot(graph, prefixes, link_prefix),
             "gene-treatment-network": gene_network_dot(graph, prefixes, link_prefix)}
    drawings = {name: render_svg(text, out_dir / f"{name}.svg", dot) for name, text in texts.items()}
    try:
        out_dir.mkdir(exist_ok=True)
        for name, text in texts.items():
            write_bytes_atomically(out_dir / f"{name}.dot", text.encode("utf-8"))
            write_bytes_atomically(out_dir / f"{name}.svg", drawings[name])
    except OSError as error:
        raise OutputError(out_dir, f"cannot be written: {error.strerror or error}") from None
    return dict(DIAGRAMS)
