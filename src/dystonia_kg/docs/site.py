"""A browsable HTML reference of the release: overview, one page per entity, queries, mappings.

Built from the release graph (never the sources) with Jinja2 templates kept in templates/. Every page
is static, so the site can be served by any web server or opened from disk; the search box works
client-side from a small index of labels and synonyms (search-index.js).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..core.engines import Engine, OxigraphEngine
from ..core.errors import DystoniaKGError, OutputError
from ..core.prefixes import PrefixMap
from ..core.vocabulary import (
    AXIOM_SOURCE,
    DEFINITION,
    DEFINITION_SOURCE,
    HAS_DBXREF,
    MAPPING_PREDICATES,
    OWL,
    RDF,
    RDFS,
    SYNONYM_PROPERTIES,
    TERM_REPLACED_BY,
)
from ..mapping.sssom import read_sssom
from ..query.catalogue import QueryCatalogue, run_query
from ..query.stats import compute_statistics
from .diagrams import write_diagrams
from .pages import page_file_name

TEMPLATES = Path(__file__).resolve().parent / "templates"
SITE_MARKER = ".dystonia-kg-site"
"""A file every generated site holds: the one sign that a folder is ours to replace."""


def check_site_folder(out_dir: Path) -> None:
    """Refuse (OutputError, nothing touched) a folder that is not ours to replace: one that exists,
    is not empty and does not hold the marker of a site written by `docs` (the user's files, a release,
    the current folder). A folder that does not exist yet, or is empty, is fine."""
    if not out_dir.exists():
        return
    here = Path.cwd().resolve()
    if out_dir.resolve() == here or out_dir.resolve() in here.parents:
        raise OutputError(out_dir, "is the current folder (or holds it); refusing to replace it"
                                   " (choose a new or empty folder, e.g. --out site)")
    if not out_dir.is_dir():
        raise OutputError(out_dir, "is a file, not a folder")
    if (out_dir / SITE_MARKER).is_file():
        return
    if any(out_dir.iterdir()):
        raise OutputError(out_dir, "holds files that 'dystonia-kg docs' did not write; refusing to replace it"
                                   " (choose a new or empty folder, e.g. --out site)")


@dataclass
class Link:
    text: str
    href: str
    note: str = ""


@dataclass
class Fact:
    """One restriction in plain words: subject property object, with its sources."""

    property_label: str
    target: Link
    sources: list[Link] = field(default_factory=list)
    inherited_from: Link | None = None


@dataclass
class EntityPage:
    curie: str
    iri: str
    label: str
    kind: str
    definition: str = ""
    sources: list[Link] = field(default_factory=list)
    synonyms: list[tuple[str, str]] = field(default_factory=list)
    matches: list[tuple[str, Link]] = field(default_factory=list)
    parents: list[Link] = field(default_factory=list)
    children: list[Link] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    incoming: list[Fact] = field(default_factory=list)
    """Facts stated on other entities that point here ('levodopa is substance that treats <this>');
    `target` is the entity the fact is stated on."""
    comments: list[str] = field(default_factory=list)
    annotations: list[tuple[str, str]] = field(default_factory=list)
    deprecated: bool = False
    replaced_by: list[Link] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return page_file_name(self.curie)


class SiteBuilder:
    """Collects what each page shows from the release graph, then renders the templates."""

    def __init__(self, graph: Graph, prefixes: PrefixMap):
        self.graph = graph
        self.prefixes = prefixes
        self.labels: dict[Node, str] = {
            s: str(o) for s, o in graph.subject_objects(RDFS.label) if isinstance(s, URIRef)}
        self._incoming: dict[URIRef, list[tuple[URIRef, URIRef, BNode]]] | None = None

    # -- links ----------------------------------------------------------------------------------

    def curie(self, node: Node) -> str:
        return self.prefixes.contract(str(node)) or str(node)

    def is_ours(self, node: Node) -> bool:
        return isinstance(node, URIRef) and self.prefixes.is_ours(str(node))

    def link(self, node: Node) -> Link:
        curie = self.curie(node)
        label = self.labels.get(node, curie)
        if self.is_ours(node):
            return Link(label, f"{page_file_name(curie)}", curie)
        return Link(label, str(node), curie)

    def source_link(self, value: str) -> Link:
        """A source CURIE (PMID:…, DOI:…, dykg.seed:…) as a link to where a reader can look it up."""
        try:
            iri = self.prefixes.expand(value)
        except ValueError:
            return Link(value, "", "")
        if self.is_ours(iri):
            return Link(self.labels.get(iri, value), page_file_name(value), value)
        return Link(value, str(iri))

    # -- pages ----------------------------------------------------------------------------------

    def entities(self) -> list[EntityPage]:
        kinds = {OWL.Class: "class", OWL.ObjectProperty: "object property", OWL.NamedIndividual: "individual",
                 OWL.AnnotationProperty: "annotation property"}
        pages: dict[Node, EntityPage] = {}
        for rdf_type, kind in kinds.items():
            for subject in self.graph.subjects(RDF.type, rdf_type):
                if isinstance(subject, URIRef) and self.is_ours(subject) and subject not in pages:
                    pages[subject] = self.entity(subject, kind)
        return sorted(pages.values(), key=lambda p: p.curie)

    def entity(self, iri: URIRef, kind: str) -> EntityPage:
        g = self.graph
        page = EntityPage(self.curie(iri), str(iri), self.labels.get(iri, self.curie(iri)), kind)
        page.definition = str(g.value(iri, DEFINITION) or "")
        page.sources = [self.source_link(str(s)) for s in sorted(g.objects(iri, DEFINITION_SOURCE), key=str)]
        page.sources += [self.source_link(str(s)) for s in sorted(g.objects(iri, AXIOM_SOURCE), key=str)]
        for synonym_property in SYNONYM_PROPERTIES:
            kind_name = str(synonym_property).rsplit("#has", 1)[-1].replace("Synonym", "").lower()
            page.synonyms += [(str(s), kind_name) for s in sorted(g.objects(iri, synonym_property), key=str)]
        for curie, predicate in MAPPING_PREDICATES.items():
            for target in sorted(g.objects(iri, predicate), key=str):
                page.matches.append((curie.split(":")[1], Link(self.curie(target), str(target))))
        page.parents = sorted((self.link(p) for p in g.objects(iri, RDFS.subClassOf) if isinstance(p, URIRef)),
                              key=lambda literal: literal.text.lower())
        page.children = sorted((self.link(c) for c in g.subjects(RDFS.subClassOf, iri) if isinstance(c, URIRef)),
                               key=lambda literal: literal.text.lower())
        page.facts = self.facts(iri)
        page.incoming = self.incoming(iri)
        page.comments = [str(c) for c in g.objects(iri, RDFS.comment)]
        page.deprecated = (iri, OWL.deprecated, Literal(True)) in g
        page.replaced_by = [self.link(r) for r in g.objects(iri, TERM_REPLACED_BY) if isinstance(r, URIRef)]
        skip = {RDF.type, RDFS.label, RDFS.comment, RDFS.subClassOf, DEFINITION, DEFINITION_SOURCE, AXIOM_SOURCE,
                HAS_DBXREF, OWL.deprecated, TERM_REPLACED_BY, OWL.equivalentClass, *SYNONYM_PROPERTIES,
                *MAPPING_PREDICATES.values()}
        for annotation, value in sorted(g.predicate_objects(iri), key=lambda pv: (str(pv[0]), str(pv[1]))):
            if annotation in skip or isinstance(value, BNode):
                continue
            name = self.labels.get(annotation, self.curie(annotation))
            shown = self.labels.get(value, str(value)) if isinstance(value, URIRef) else str(value)
            page.annotations.append((name, shown))
        return page

    def incoming(self, iri: URIRef) -> list[Fact]:
        """The facts (existential restrictions) of other named classes whose value is this entity, in
        the words of their relation: a disease page lists its treatments and genes, a gene page its
        diseases, a drug page the conditions it causes when the fact is stated on the condition."""
        if self._incoming is None:
            g = self.graph
            self._incoming = defaultdict(list)
            for restriction, value in g.subject_objects(OWL.someValuesFrom):
                prop = g.value(restriction, OWL.onProperty)
                if not isinstance(value, URIRef) or not isinstance(restriction, BNode) or prop is None:
                    continue
                for holder in g.subjects(RDFS.subClassOf, restriction):
                    if isinstance(holder, URIRef) and holder != value:
                        self._incoming[value].append((holder, prop, restriction))  # type: ignore[arg-type]
        facts = []
        seen: set[tuple[URIRef, URIRef]] = set()
        for holder, prop, restriction in self._incoming.get(iri, []):
            if (holder, prop) in seen or (holder, OWL.deprecated, Literal(True)) in self.graph:
                continue
            seen.add((holder, prop))
            sources = [self.source_link(str(s)) for axiom in self.graph.subjects(OWL.annotatedTarget, restriction)
                       for s in self.graph.objects(axiom, AXIOM_SOURCE)]
            facts.append(Fact(self.labels.get(prop, self.curie(prop)), self.link(holder),
                              sorted(sources, key=lambda link: link.text)))
        return sorted(facts, key=lambda f: (f.property_label, f.target.text.lower()))

    def facts(self, iri: URIRef) -> list[Fact]:
        """Existential restrictions on the class and on its named ancestors (inherited ones say from where)."""
        g = self.graph
        facts: list[Fact] = []
        seen: set[tuple[str, str]] = set()
        for holder in [iri, *sorted(set(g.transitive_objects(iri, RDFS.subClassOf)) - {iri}, key=str)]:
            if not isinstance(holder, URIRef):
                continue
            for restriction in g.objects(holder, RDFS.subClassOf):
                if not isinstance(restriction, BNode):
                    continue
                prop, value = g.value(restriction, OWL.onProperty), g.value(restriction, OWL.someValuesFrom)
                if prop is None or not isinstance(value, URIRef):
                    continue
                key = (str(prop), str(value))
                if key in seen:
                    continue
                seen.add(key)
                sources = [self.source_link(str(s)) for axiom in g.subjects(OWL.annotatedTarget, restriction)
                           for s in g.objects(axiom, AXIOM_SOURCE)]
                facts.append(Fact(self.labels.get(prop, self.curie(prop)), self.link(value),
                                  sorted(sources, key=lambda literal: literal.text),
                                  None if holder == iri else self.link(holder)))
        return sorted(facts, key=lambda f: (f.inherited_from is not None, f.property_label, f.target.text.lower()))


def build_site(graph: Graph, out_dir: Path, prefixes: PrefixMap, mapping_set: Path | None = None,
               catalogue: QueryCatalogue | None = None, dot: str = "dot",
               engine: Engine | None = None, audit: Any = None) -> dict[str, int]:
    """Write the whole site into out_dir (replacing an earlier one); returns counts of what was written.

    The pages walk `graph`; the queries, statistics and diagrams run on `engine` (default: an in-memory
    Oxigraph copy of the graph), which answers them tens of times faster than rdflib."""
    try:
        import jinja2
    except ImportError as error:  # pragma: no cover - jinja2 is a dependency
        raise DystoniaKGError("the documentation needs jinja2: pip install jinja2") from error
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                                     autoescape=jinja2.select_autoescape(["html"]), trim_blocks=True,
                                     lstrip_blocks=True)
    out_dir = Path(os.path.abspath(out_dir))
    check_site_folder(out_dir)
    builder = SiteBuilder(graph, prefixes)
    catalogue = catalogue or QueryCatalogue()
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".building", dir=out_dir.parent))
    except OSError as error:
        raise OutputError(out_dir, f"cannot be written: {error.strerror or error}") from None
    try:
        counts = _write_site(staging, graph, builder, prefixes, mapping_set, catalogue, dot, environment, engine,
                             audit)
        (staging / SITE_MARKER).write_text("Written by 'dystonia-kg docs'; the next run may replace this folder.\n",
                                           encoding="utf-8")
        os.chmod(staging, 0o777 & ~_umask())
        _replace_folder(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return counts


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _replace_folder(staging: Path, out_dir: Path) -> None:
    """Put the finished site in place; the previous site (checked to be ours) is removed only after."""
    check_site_folder(out_dir)  # again: the folder may have changed while the site was written
    if not out_dir.exists() or not any(out_dir.iterdir()):
        os.replace(staging, out_dir)  # renaming onto an empty folder replaces it
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".old", dir=out_dir.parent))
    os.rmdir(old)
    os.replace(out_dir, old)
    os.replace(staging, out_dir)
    shutil.rmtree(old, ignore_errors=True)


def _write_site(staging: Path, graph: Graph, builder: SiteBuilder, prefixes: PrefixMap, mapping_set: Path | None,
                catalogue: QueryCatalogue, dot: str, environment: Any, engine: Engine | None = None,
                audit: Any = None) -> dict[str, int]:
    (staging / "classes").mkdir(parents=True)
    shutil.copytree(TEMPLATES / "static", staging / "static")

    ontology = next(iter(graph.subjects(RDF.type, OWL.Ontology)), None)
    header = {
        "title": str(graph.value(ontology, URIRef("http://purl.org/dc/terms/title")) or "dystonia-kg"),
        "description": str(graph.value(ontology, URIRef("http://purl.org/dc/terms/description")) or ""),
        "license": str(graph.value(ontology, URIRef("http://purl.org/dc/terms/license")) or ""),
        "version": str(graph.value(ontology, OWL.versionInfo) or ""),
        "version_iri": str(graph.value(ontology, OWL.versionIRI) or ""),
        "iri": str(ontology or ""),
        # e.g. the HPO release of the imported layer, which HPO's licence asks us to show
        "sources": sorted(str(s) for s in graph.objects(ontology, URIRef("http://purl.org/dc/terms/source")))
        if ontology is not None else [],
    }
    engine = engine or OxigraphEngine.copy_of(graph)
    statistics = compute_statistics(graph, catalogue, prefixes, engine)
    diagrams = write_diagrams(engine, catalogue, prefixes, staging / "diagrams", dot=dot, link_prefix="../classes/")

    pages = builder.entities()
    search_index = [{"label": p.label, "curie": p.curie, "href": f"classes/{p.file_name}",
                     "names": [p.label] + [s for s, _ in p.synonyms], "kind": p.kind}
                    for p in pages if not p.deprecated]
    (staging / "search-index.js").write_text(
        "window.DYSTONIA_KG_INDEX = " + json.dumps(search_index, ensure_ascii=False) + ";\n", encoding="utf-8")

    common = {"header": header}
    for page in pages:
        (staging / "classes" / page.file_name).write_text(
            environment.get_template("entity.html").render(page=page, root="../", **common), encoding="utf-8")

    queries = []
    for sparql in catalogue.all():
        example = sparql.example_parameters()
        try:
            result = run_query(engine, sparql, example, prefixes)
            rows = [[builder.link(term) if isinstance(term, URIRef) else (str(term) if term is not None else "")
                     for term in row] for row in result.rows]
            queries.append({"file": sparql, "parameters": example, "variables": result.variables, "rows": rows,
                            "error": ""})
        except DystoniaKGError as error:
            queries.append({"file": sparql, "parameters": example, "variables": (), "rows": [], "error": str(error)})
    (staging / "queries.html").write_text(
        environment.get_template("queries.html").render(queries=queries, root="", **common), encoding="utf-8")

    mappings = read_sssom(mapping_set)[1] if mapping_set and mapping_set.is_file() else []
    mapping_rows = [{"subject": Link(m.subject_label, f"classes/{page_file_name(m.subject_id)}", m.subject_id),
                     "predicate": m.predicate_id,
                     "object": Link(m.object_id, _expand_or_empty(prefixes, m.object_id), m.object_label)}
                    for m in mappings]
    (staging / "mappings.html").write_text(
        environment.get_template("mappings.html").render(mappings=mapping_rows, root="", **common), encoding="utf-8")

    # The last run of the audit (curated facts against HPO), when the caller ran one.
    (staging / "audit.html").write_text(
        environment.get_template("audit.html").render(audit=audit, root="", **common), encoding="utf-8")
    (staging / "classify.html").write_text(  # the worked example of `dystonia-kg classify` (issue 16)
        environment.get_template("classify.html").render(root="", **common), encoding="utf-8")

    kinds = defaultdict(list)
    for page in pages:
        kinds[page.kind].append(page)
    (staging / "classes.html").write_text(
        environment.get_template("classes.html").render(kinds=dict(sorted(kinds.items())), root="", **common),
        encoding="utf-8")
    (staging / "index.html").write_text(
        environment.get_template("index.html").render(statistics=statistics, diagrams=diagrams,
                                                      entity_count=len(pages), query_count=len(queries),
                                                      mapping_count=len(mapping_rows), root="", **common),
        encoding="utf-8")

    return {"pages": len(pages) + 5, "entities": len(pages), "queries": len(queries), "mappings": len(mapping_rows)}


def _expand_or_empty(prefixes: PrefixMap, curie: str) -> str:
    try:
        return str(prefixes.expand(curie))
    except ValueError:
        return ""
