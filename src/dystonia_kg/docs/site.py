"""A browsable HTML reference of the release: overview, one page per entity, queries, mappings.

Built from the release graph (never the sources) with Jinja2 templates kept in templates/. Every page
is static, so the site can be served by any web server or opened from disk; the search box works
client-side from a small index of labels and synonyms (search-index.js).
"""

from __future__ import annotations

import json
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..core.errors import DystoniaKGError
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

TEMPLATES = Path(__file__).resolve().parent / "templates"
OUR_PREFIXES = ("DYKG:", "dykg.seed:")


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
    comments: list[str] = field(default_factory=list)
    annotations: list[tuple[str, str]] = field(default_factory=list)
    deprecated: bool = False
    replaced_by: list[Link] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return page_name(self.curie)


def page_name(curie: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", curie) + ".html"


class SiteBuilder:
    """Collects what each page shows from the release graph, then renders the templates."""

    def __init__(self, graph: Graph, prefixes: PrefixMap):
        self.graph = graph
        self.prefixes = prefixes
        self.labels = {s: str(o) for s, o in graph.subject_objects(RDFS.label) if isinstance(s, URIRef)}

    # -- links ----------------------------------------------------------------------------------

    def curie(self, node: Node) -> str:
        return self.prefixes.contract(str(node)) or str(node)

    def is_ours(self, node: Node) -> bool:
        return isinstance(node, URIRef) and self.curie(node).startswith(OUR_PREFIXES)

    def link(self, node: Node) -> Link:
        curie = self.curie(node)
        label = self.labels.get(node, curie)  # type: ignore[arg-type]
        if self.is_ours(node):
            return Link(label, f"{page_name(curie)}", curie)
        return Link(label, str(node), curie)

    def source_link(self, value: str) -> Link:
        """A source CURIE (PMID:…, DOI:…, dykg.seed:…) as a link to where a reader can look it up."""
        try:
            iri = self.prefixes.expand(value)
        except ValueError:
            return Link(value, "", "")
        if self.is_ours(iri):
            return Link(self.labels.get(iri, value), page_name(value), value)
        return Link(value, str(iri))

    # -- pages ----------------------------------------------------------------------------------

    def entities(self) -> list[EntityPage]:
        kinds = {OWL.Class: "class", OWL.ObjectProperty: "object property", OWL.NamedIndividual: "individual",
                 OWL.AnnotationProperty: "annotation property"}
        pages: dict[URIRef, EntityPage] = {}
        for rdf_type, kind in kinds.items():
            for subject in self.graph.subjects(RDF.type, rdf_type):
                if self.is_ours(subject) and subject not in pages:
                    pages[subject] = self.entity(subject, kind)  # type: ignore[arg-type]
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
        page.comments = [str(c) for c in g.objects(iri, RDFS.comment)]
        page.deprecated = (iri, OWL.deprecated, Literal(True)) in g
        page.replaced_by = [self.link(r) for r in g.objects(iri, TERM_REPLACED_BY) if isinstance(r, URIRef)]
        skip = {RDF.type, RDFS.label, RDFS.comment, RDFS.subClassOf, DEFINITION, DEFINITION_SOURCE, AXIOM_SOURCE,
                HAS_DBXREF, OWL.deprecated, TERM_REPLACED_BY, OWL.equivalentClass, *SYNONYM_PROPERTIES,
                *MAPPING_PREDICATES.values()}
        for predicate, value in sorted(g.predicate_objects(iri), key=lambda pv: (str(pv[0]), str(pv[1]))):
            if predicate in skip or isinstance(value, BNode):
                continue
            name = self.labels.get(predicate, self.curie(predicate))  # type: ignore[arg-type]
            shown = self.labels.get(value, str(value)) if isinstance(value, URIRef) else str(value)
            page.annotations.append((name, shown))
        return page

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
                facts.append(Fact(self.labels.get(prop, self.curie(prop)), self.link(value),  # type: ignore[arg-type]
                                  sorted(sources, key=lambda literal: literal.text),
                                  None if holder == iri else self.link(holder)))
        return sorted(facts, key=lambda f: (f.inherited_from is not None, f.property_label, f.target.text.lower()))


def build_site(graph: Graph, out_dir: Path, prefixes: PrefixMap, mapping_set: Path | None = None,
               catalogue: QueryCatalogue | None = None, dot: str = "dot") -> dict[str, int]:
    """Write the whole site into out_dir (replacing an earlier one); returns counts of what was written."""
    try:
        import jinja2
    except ImportError as error:  # pragma: no cover - jinja2 is a dependency
        raise DystoniaKGError("the documentation needs jinja2: pip install jinja2") from error
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                                     autoescape=jinja2.select_autoescape(["html"]), trim_blocks=True,
                                     lstrip_blocks=True)
    builder = SiteBuilder(graph, prefixes)
    catalogue = catalogue or QueryCatalogue()
    staging = out_dir.with_name(out_dir.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
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
    }
    statistics = compute_statistics(graph, catalogue, prefixes)
    diagrams = write_diagrams(graph, prefixes, staging / "diagrams", dot=dot, link_prefix="../classes/")

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
        example = _example_parameters(sparql)
        try:
            result = run_query(graph, sparql, example, prefixes)
            rows = [[builder.link(term) if isinstance(term, URIRef) else (str(term) if term is not None else "")
                     for term in row] for row in result.rows]
            queries.append({"file": sparql, "parameters": example, "variables": result.variables, "rows": rows,
                            "error": ""})
        except DystoniaKGError as error:
            queries.append({"file": sparql, "parameters": example, "variables": (), "rows": [], "error": str(error)})
    (staging / "queries.html").write_text(
        environment.get_template("queries.html").render(queries=queries, root="", **common), encoding="utf-8")

    mappings = read_sssom(mapping_set)[1] if mapping_set and mapping_set.is_file() else []
    mapping_rows = [{"subject": Link(m.subject_label, f"classes/{page_name(m.subject_id)}", m.subject_id),
                     "predicate": m.predicate_id,
                     "object": Link(m.object_id, _expand_or_empty(prefixes, m.object_id), m.object_label)}
                    for m in mappings]
    (staging / "mappings.html").write_text(
        environment.get_template("mappings.html").render(mappings=mapping_rows, root="", **common), encoding="utf-8")

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

    old = out_dir.with_name(out_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if out_dir.exists():
        out_dir.rename(old)
    staging.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)
    return {"pages": len(pages) + 5, "entities": len(pages), "queries": len(queries), "mappings": len(mapping_rows)}


def _expand_or_empty(prefixes: PrefixMap, curie: str) -> str:
    try:
        return str(prefixes.expand(curie))
    except ValueError:
        return ""


def _example_parameters(sparql) -> dict[str, str]:
    """Parameter values from the query's documented example (--param name=value), for its live results."""
    values: dict[str, str] = {}
    for example in sparql.examples:
        for match in re.finditer(r"--param\s+(\w+)=(\"[^\"]*\"|'[^']*'|\S+)", example):
            values.setdefault(match.group(1), match.group(2).strip("\"'"))
    return {p.name: values[p.name] for p in sparql.parameters if p.name in values}
