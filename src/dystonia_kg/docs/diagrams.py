"""Diagrams of the release as SVG, drawn by Graphviz: the dystonia type hierarchy, and the network
from genes through genetic dystonias and pathways to the drug classes and mechanisms that treat them.

The DOT text is generated from the release graph; Graphviz's `dot` (Debian: apt-get install graphviz)
lays it out. Every node links to its page of the HTML reference.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ..core.atomic import write_bytes_atomically
from ..core.engines import Engine
from ..core.errors import DystoniaKGError, EnvironmentProblemError, OutputError
from ..core.prefixes import PrefixMap
from ..query.catalogue import QueryCatalogue, run_query
from .pages import page_file_name

DIAGRAMS = {"dystonia-types": "The dystonia type hierarchy (after reasoning)",
            "gene-treatment-network": "Genes, genetic dystonias, pathways, drug classes and mechanisms"}
"""Diagram name -> title. What each diagram shows (roots, relations) is its SPARQL file in queries/internal/,
whose rows are edges: tail, tailLabel, tailKind, relation, head, headLabel, headKind."""
QUERY_OF_DIAGRAM = {"dystonia-types": "diagram-type-hierarchy", "gene-treatment-network": "diagram-gene-network"}
STYLE_OF_KIND = {"type": ("box", "#f4f6fb"), "disease": ("ellipse", "#fef3c7"), "gene": ("box", "#e0f2fe"),
                 "drug": ("hexagon", "#dcfce7"), "mechanism": ("diamond", "#fae8ff"), "pathway": ("note", "#f1f5f9")}
"""How a node kind named by a diagram query is drawn (shape, fill colour)."""


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Dot:
    def __init__(self, name: str, prefixes: PrefixMap, link_prefix: str, rankdir: str = "LR"):
        self.prefixes, self.link_prefix = prefixes, link_prefix
        self.lines = [f"digraph {_quote(name)} {{", f"  rankdir={rankdir};",
                      '  node [fontname="Helvetica", fontsize=10, style=filled, fillcolor="#f4f6fb"];',
                      '  edge [fontname="Helvetica", fontsize=8, color="#667085"];']
        self.nodes: set[str] = set()

    def node(self, iri: str, label: str, kind: str) -> str:
        curie = self.prefixes.contract(iri) or iri
        key = _quote(curie)
        if iri not in self.nodes:
            self.nodes.add(iri)
            shape, color = STYLE_OF_KIND.get(kind, STYLE_OF_KIND["type"])
            href = self.link_prefix + page_file_name(curie)
            self.lines.append(f"  {key} [label={_quote(label or curie)}, shape={shape}, fillcolor={_quote(color)}, "
                              f"URL={_quote(href)}, target=\"_top\", tooltip={_quote(curie)}];")
        return key

    def edge(self, tail: str, head: str, label: str = "") -> None:
        attribute = f" [label={_quote(label)}]" if label else ""
        self.lines.append(f"  {tail} -> {head}{attribute};")

    def text(self) -> str:
        return "\n".join(self.lines + ["}"]) + "\n"


def diagram_dot(name: str, engine: Engine, catalogue: QueryCatalogue, prefixes: PrefixMap, link_prefix: str) -> str:
    """The DOT text of one diagram: the rows of its query as edges (each edge once, in the query's order)."""
    result = run_query(engine, catalogue.internal(QUERY_OF_DIAGRAM[name]), {}, prefixes)
    dot = _Dot(name, prefixes, link_prefix)
    seen: set[tuple[str, str, str]] = set()
    for row in result.as_dicts():
        tail, head, relation = str(row["tail"]), str(row["head"]), str(row["relation"] or "")
        if (tail, head, relation) in seen:
            continue  # a node with two labels gives two rows
        seen.add((tail, head, relation))
        tail_key = dot.node(tail, str(row["tailLabel"] or ""), str(row["tailKind"]))
        head_key = dot.node(head, str(row["headLabel"] or ""), str(row["headKind"]))
        dot.edge(tail_key, head_key, relation)
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


def write_diagrams(engine: Engine, catalogue: QueryCatalogue, prefixes: PrefixMap, out_dir: Path, dot: str = "dot",
                   link_prefix: str = "../classes/") -> dict[str, str]:
    """Write each diagram as NAME.svg (and its NAME.dot) into out_dir; returns name -> title.

    Every drawing is made before anything is written, and each file is written atomically, so a
    missing or failing Graphviz leaves no half-written file (and no new folder) behind."""
    require_graphviz(dot)
    texts = {name: diagram_dot(name, engine, catalogue, prefixes, link_prefix) for name in DIAGRAMS}
    drawings = {name: render_svg(text, out_dir / f"{name}.svg", dot) for name, text in texts.items()}
    try:
        out_dir.mkdir(exist_ok=True)
        for name, text in texts.items():
            write_bytes_atomically(out_dir / f"{name}.dot", text.encode("utf-8"))
            write_bytes_atomically(out_dir / f"{name}.svg", drawings[name])
    except OSError as error:
        raise OutputError(out_dir, f"cannot be written: {error.strerror or error}") from None
    return dict(DIAGRAMS)
