"""The release as OBO 1.4 (`dystonia.obo`), for the tools and pipelines that read only OBO.

MONDO and HPO ship an OBO file beside their OWL; oaklib's simpleobo adapter, obonet and many pipelines
read nothing else. This writer follows the OBO 1.4 mapping of OWL (the one OWL-API's OBO writer uses):

* a named class is a ``[Term]`` with ``name``, ``def`` (its sources as the definition's xrefs, read from
  the axiom annotations on the definition, or the class-level ``IAO:0000119`` values), ``comment``,
  ``synonym``, ``xref`` (``oboInOwl:hasDbXref``), ``is_a`` (named superclasses, asserted and inferred),
  ``intersection_of`` (a defined class ``genus and (R some F)``), ``relationship`` (``SubClassOf: R some
  F`` with a named filler, its sources as ``source`` qualifiers), ``disjoint_from``, ``is_obsolete`` and
  ``replaced_by``; SKOS mappings as ``property_value``;
* an object property is a ``[Typedef]`` with its label, definition, ``is_a``, ``domain`` and ``range``.

Named individuals (the epidemiological findings) are not written: OBO cannot hold their values, and
oaklib's simpleobo reader refuses ``[Instance]`` stanzas.

Class expressions OBO cannot say (unions, nested restrictions) stay in the OWL formats only.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ..core.prefixes import PrefixMap
from ..core.vocabulary import (
    AXIOM_SOURCE,
    DCTERMS,
    DEFINITION,
    DEFINITION_SOURCE,
    HAS_DBXREF,
    MAPPING_PREDICATES,
    OBO_IN_OWL,
    OWL,
    RDF,
    RDFS,
    TERM_REPLACED_BY,
)

OBO_PURL = "http://purl.obolibrary.org/obo/"
# Vocabularies of the RDF layer: never the idspace of a term, so no idspace line is written for them.
_NOT_IDSPACES = {"rdf", "rdfs", "owl", "xsd", "dcterms", "sh", "dykgsh", "semapv", "oboInOwl"}
_SYNONYM_SCOPES = {
    OBO_IN_OWL["hasExactSynonym"]: "EXACT",
    OBO_IN_OWL["hasRelatedSynonym"]: "RELATED",
    OBO_IN_OWL["hasNarrowSynonym"]: "NARROW",
    OBO_IN_OWL["hasBroadSynonym"]: "BROAD",
}


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _unquoted(text: str) -> str:
    """A value written bare (name, comment): escape what OBO would read as syntax."""
    escaped = text.replace("\\", "\\\\").replace("\n", "\\n")
    for special in "{}!":
        escaped = escaped.replace(special, "\\" + special)
    return escaped


class _OboWriter:
    def __init__(self, graph: Graph, prefixes: PrefixMap):
        self.graph = graph
        self.prefixes = prefixes
        self.axiom_sources: dict[tuple[Node | None, Node | None, Node | None], list[str]] = defaultdict(list)
        for axiom in graph.subjects(RDF.type, OWL.Axiom):
            key = (graph.value(axiom, OWL.annotatedSource), graph.value(axiom, OWL.annotatedProperty),
                   graph.value(axiom, OWL.annotatedTarget))
            for predicate in (AXIOM_SOURCE, HAS_DBXREF):
                self.axiom_sources[key].extend(str(value) for value in graph.objects(axiom, predicate))

    def curie(self, node: Node) -> str:
        return self.prefixes.contract(str(node)) or str(node)

    def label(self, node: Node) -> str | None:
        value = self.graph.value(node, RDFS.label)
        return str(value) if value is not None else None

    def reference(self, node: Node) -> str:
        label = self.label(node)
        return f"{self.curie(node)} ! {label}" if label else self.curie(node)

    @staticmethod
    def _qualifiers(sources: list[str]) -> str:
        if not sources:
            return ""
        return " {" + ", ".join(f"source={_quoted(source)}" for source in sorted(set(sources))) + "}"

    def header(self) -> list[str]:
        ontology = next(iter(self.graph.subjects(RDF.type, OWL.Ontology)), None)
        lines = ["format-version: 1.4"]
        if ontology is not None:
            version = self.graph.value(ontology, OWL.versionInfo)
            if version is not None:
                lines.append(f"data-version: dystonia-kg/releases/{version}")
        for entry in self.prefixes:
            if not (entry.curie_only or entry.uri_prefix.startswith(OBO_PURL) or entry.prefix in _NOT_IDSPACES):
                lines.append(f"idspace: {entry.prefix} {entry.uri_prefix} {_quoted(entry.name)}")
        lines.append("ontology: dystonia")
        if ontology is not None:
            for predicate in (DCTERMS.title, DCTERMS.description):
                value = self.graph.value(ontology, predicate)
                if value is not None:
                    lines.append(f"property_value: {predicate} {_quoted(str(value))} xsd:string")
            for predicate in (DCTERMS.license, DCTERMS.creator):
                for value in sorted(self.graph.objects(ontology, predicate), key=str):
                    if isinstance(value, URIRef):
                        lines.append(f"property_value: {predicate} {value}")
        return lines

    def _definition(self, subject: URIRef) -> list[str]:
        definition = self.graph.value(subject, DEFINITION)
        if definition is None:
            return []
        sources = self.axiom_sources.get((subject, DEFINITION, definition)) or [
            str(source) for source in self.graph.objects(subject, DEFINITION_SOURCE)]
        xrefs = ", ".join(sorted({source.replace(",", "\\,") for source in sources}))
        return [f"def: {_quoted(str(definition))} [{xrefs}]"]

    def _annotations(self, subject: URIRef) -> list[str]:
        lines: list[str] = []
        comment = self.graph.value(subject, RDFS.comment)
        if comment is not None:
            lines.append(f"comment: {_unquoted(str(comment))}")
        synonyms = sorted((scope, str(value)) for predicate, scope in _SYNONYM_SCOPES.items()
                          for value in self.graph.objects(subject, predicate))
        lines += [f"synonym: {_quoted(text)} {scope} []" for scope, text in synonyms]
        lines += [f"xref: {xref}" for xref in sorted(str(x) for x in self.graph.objects(subject, HAS_DBXREF))]
        return lines

    def _restriction(self, node: Node) -> tuple[URIRef, URIRef] | None:
        """(property, filler) of `property some filler` with a named filler, else None."""
        prop = self.graph.value(node, OWL.onProperty)
        filler = self.graph.value(node, OWL.someValuesFrom)
        if isinstance(prop, URIRef) and isinstance(filler, URIRef):
            return prop, filler
        return None

    def term(self, subject: URIRef) -> list[str]:
        graph = self.graph
        lines = ["[Term]", f"id: {self.curie(subject)}"]
        label = self.label(subject)
        if label is not None:
            lines.append(f"name: {_unquoted(label)}")
        lines += self._definition(subject)
        lines += self._annotations(subject)
        for equivalent in graph.objects(subject, OWL.equivalentClass):
            members = graph.value(equivalent, OWL.intersectionOf) if isinstance(equivalent, BNode) else None
            if members is None:
                continue
            parts: list[str] = []
            for member in Collection(graph, members):
                if isinstance(member, URIRef):
                    parts.append(f"intersection_of: {self.reference(member)}")
                elif (restriction := self._restriction(member)) is not None:
                    parts.append(f"intersection_of: {self.curie(restriction[0])} {self.reference(restriction[1])}")
                else:
                    parts = []  # a member OBO cannot say: the whole definition stays in OWL
                    break
            lines += parts
        relationships: list[str] = []
        for parent in graph.objects(subject, RDFS.subClassOf):
            if isinstance(parent, URIRef):
                lines.append(f"is_a: {self.reference(parent)}")
            elif (restriction := self._restriction(parent)) is not None:
                sources = self.axiom_sources.get((subject, RDFS.subClassOf, parent), [])
                relationships.append(f"relationship: {self.curie(restriction[0])} {self.curie(restriction[1])}"
                                     f"{self._qualifiers(sources)}")
        lines += sorted(relationships)
        lines += [f"disjoint_from: {self.reference(other)}" for other in graph.objects(subject, OWL.disjointWith)
                  if isinstance(other, URIRef)]
        for curie, predicate in MAPPING_PREDICATES.items():
            for target in graph.objects(subject, predicate):
                lines.append(f"property_value: {curie} {self.curie(target)}")
        if (subject, OWL.deprecated, Literal(True)) in graph:
            lines.append("is_obsolete: true")
            lines += [f"replaced_by: {self.curie(new)}" for new in graph.objects(subject, TERM_REPLACED_BY)]
        return _ordered(lines)

    def typedef(self, subject: URIRef) -> list[str]:
        graph = self.graph
        lines = ["[Typedef]", f"id: {self.curie(subject)}"]
        label = self.label(subject)
        if label is not None:
            lines.append(f"name: {_unquoted(label)}")
        lines += self._definition(subject)
        lines += self._annotations(subject)
        lines += [f"domain: {self.reference(d)}" for d in graph.objects(subject, RDFS.domain) if isinstance(d, URIRef)]
        lines += [f"range: {self.reference(r)}" for r in graph.objects(subject, RDFS.range) if isinstance(r, URIRef)]
        lines += [f"is_a: {self.reference(p)}" for p in graph.objects(subject, RDFS.subPropertyOf)
                  if isinstance(p, URIRef)]
        if (subject, RDF.type, OWL.FunctionalProperty) in graph:
            lines.append("is_functional: true")
        return _ordered(lines)

    def document(self) -> str:
        graph = self.graph
        named = lambda kind: sorted(  # noqa: E731
            {s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef)}, key=self.curie)
        stanzas = [self.term(c) for c in named(OWL.Class) if c != OWL.Thing]
        stanzas += [self.typedef(p) for p in named(OWL.ObjectProperty)]
        # No [Instance] stanzas: the epidemiological findings are individuals whose values OBO cannot hold,
        # and oaklib's simpleobo reader refuses the stanza (pronto skips it); they stay in the OWL formats.
        return "\n\n".join("\n".join(block) for block in [self.header(), *stanzas]) + "\n"


# The tag order OBO 1.4 recommends for a stanza (after [Term] and id).
_TAG_ORDER = ["id", "is_anonymous", "name", "namespace", "alt_id", "def", "comment", "subset", "synonym", "xref",
              "builtin", "property_value", "domain", "range", "is_functional", "instance_of", "is_a",
              "intersection_of", "union_of", "equivalent_to", "disjoint_from", "relationship", "is_obsolete",
              "replaced_by", "consider"]


def _ordered(lines: list[str]) -> list[str]:
    """The stanza's header line, then its tags in the recommended order, values sorted within a tag
    (intersection_of keeps the order written, genus first)."""
    head, tags = lines[0], lines[1:]
    rank = {tag: index for index, tag in enumerate(_TAG_ORDER)}

    def key(item: tuple[int, str]) -> tuple[int, str | int]:
        position, line = item
        tag = line.split(":", 1)[0]
        return (rank.get(tag, len(rank)), position if tag == "intersection_of" else line)

    return [head] + [line for _, line in sorted(enumerate(tags), key=key)]


def obo_text(graph: Graph, prefixes: PrefixMap) -> str:
    """The graph as an OBO 1.4 document (see the module documentation for what is written)."""
    return _OboWriter(graph, prefixes).document()
