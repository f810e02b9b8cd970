"""RDF/XML in the shape OWL-API writes it, so that every reader sees every axiom.

rdflib's pretty RDF/XML writer is correct RDF, but it writes a blank node that is referenced twice (a
restriction that an axiom annotation points at) as a node of its own, referenced by ``rdf:nodeID`` from
the class. Readers that walk the XML tree rather than the triples (pronto, and oaklib's ``pronto:``
adapter) then find no restriction under the class and drop the relationship; every fact of ours carries
an axiom annotation, so they dropped almost all of them.

This writer nests each blank node inside the element that owns it: a restriction inside the
``rdfs:subClassOf`` of its class, a class expression inside its ``owl:equivalentClass``, an OWL list as
``rdf:parseType="Collection"``. The owner of a blank node is its first reference that is not an
``owl:annotatedTarget``; the axiom annotations are top-level ``owl:Axiom`` nodes that refer to the nested
node by its ``rdf:nodeID``. The triples are exactly those of the graph (no copies), and the output is
deterministic given a canonical graph (blank-node labels derived from content, see ``canonical.py``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..core.prefixes import PrefixMap
from ..core.vocabulary import OWL, RDF, RDFS, XSD

_XML_LITERAL = RDF.XMLLiteral
_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
# The order in which named subjects are written: ontology header first, then properties, classes, individuals.
_TYPE_ORDER: tuple[URIRef, ...] = (OWL.Ontology, OWL.AnnotationProperty, OWL.ObjectProperty, OWL.DatatypeProperty,
                                   OWL.Class, OWL.NamedIndividual)
_FIXED_NAMESPACES = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "obo": "http://purl.obolibrary.org/obo/",
}


class _Namespaces:
    """XML namespace prefixes for element names; IRIs that no declared namespace splits into a valid
    XML name get a generated prefix (ns1, ns2, ...)."""

    def __init__(self, declared: dict[str, str]):
        self.by_prefix = dict(declared)
        self._by_namespace = {namespace: prefix for prefix, namespace in declared.items()}

    def qname(self, iri: URIRef) -> str:
        text = str(iri)
        best: tuple[int, str] | None = None
        for namespace, prefix in self._by_namespace.items():
            if text.startswith(namespace) and _NCNAME.match(text[len(namespace):]):
                if best is None or len(namespace) > best[0]:
                    best = (len(namespace), f"{prefix}:{text[len(namespace):]}")
        if best is not None:
            return best[1]
        cut = max(text.rfind("#"), text.rfind("/"))
        namespace, local = text[: cut + 1], text[cut + 1:]
        if not _NCNAME.match(local):
            raise ValueError(f"cannot write {text} as an XML element name")
        prefix = f"ns{len(self.by_prefix) + 1}"
        self.by_prefix[prefix] = namespace
        self._by_namespace[namespace] = prefix
        return f"{prefix}:{local}"


class _Writer:
    def __init__(self, graph: Graph, prefixes: PrefixMap):
        self.graph = graph
        declared = dict(_FIXED_NAMESPACES)
        for entry in prefixes:
            if not entry.curie_only and _NCNAME.match(entry.prefix) and entry.prefix not in declared:
                declared[entry.prefix] = entry.uri_prefix
        # Our own properties are https://w3id.org/dystonia-kg/DYKG_nnnnnnn; "DYKG:0000150" is no XML name.
        declared.setdefault("dykg", "https://w3id.org/dystonia-kg/")
        self.namespaces = _Namespaces(declared)
        self.lines: list[str] = []
        self.references: dict[Node, list[tuple[Node, URIRef]]] = defaultdict(list)
        for subject, predicate, value in graph:
            if isinstance(value, BNode) and isinstance(predicate, URIRef):
                self.references[value].append((subject, predicate))
        self.owner = {node: self._owner_of(refs) for node, refs in self.references.items()}
        self.shared = {node for node, refs in self.references.items() if len(refs) > 1}
        self.written: set[BNode] = set()

    @staticmethod
    def _owner_of(references: list[tuple[Node, URIRef]]) -> tuple[Node, URIRef]:
        ordered = sorted(references, key=lambda ref: (ref[1] == OWL.annotatedTarget, str(ref[1]), str(ref[0])))
        return ordered[0]

    # -- elements -----------------------------------------------------------------------------------------------

    def _node_type(self, node: Node) -> URIRef | None:
        types = set(self.graph.objects(node, RDF.type))
        for candidate in _TYPE_ORDER + (OWL.Restriction, OWL.Axiom, OWL.AllDisjointClasses):
            if candidate in types:
                return candidate
        named = sorted(t for t in types if isinstance(t, URIRef))
        return named[0] if named else None

    def _is_list(self, node: Node) -> bool:
        return isinstance(node, BNode) and (node, RDF.first, None) in self.graph

    def _list_items(self, node: Node | None) -> list[Node | None] | None:
        """The members of a well-formed list whose cells carry nothing but rdf:first/rdf:rest, else None."""
        items: list[Node | None] = []
        while node != RDF.nil:
            if not isinstance(node, BNode) or set(self.graph.predicates(node)) != {RDF.first, RDF.rest}:
                return None
            if len(self.references[node]) != 1:
                return None
            items.append(self.graph.value(node, RDF.first))
            node = self.graph.value(node, RDF.rest)
        return items

    def _list_cells(self, node: Node | None) -> list[BNode]:
        cells: list[BNode] = []
        while isinstance(node, BNode):
            cells.append(node)
            node = self.graph.value(node, RDF.rest)
        return cells

    def node(self, node: Node, indent: int) -> None:
        """One node element: typed by its main rdf:type, with its properties nested inside."""
        pad = "  " * indent
        element_type = self._node_type(node)
        element = self.namespaces.qname(element_type) if element_type is not None else "rdf:Description"
        if isinstance(node, URIRef):
            identity = f" rdf:about={quoteattr(str(node))}"
        elif node in self.shared:
            identity = f" rdf:nodeID={quoteattr(self._node_id(node))}"
        else:
            identity = ""
        properties = sorted(
            ((p, o) for p, o in self.graph.predicate_objects(node) if not (p == RDF.type and o == element_type)),
            key=lambda po: (str(po[0]), _sort_key(po[1])),
        )
        if isinstance(node, BNode):
            self.written.add(node)
        if not properties:
            self.lines.append(f"{pad}<{element}{identity}/>")
            return
        self.lines.append(f"{pad}<{element}{identity}>")
        for predicate, value in properties:
            self.property(node, URIRef(str(predicate)), value, indent + 1)
        self.lines.append(f"{pad}</{element}>")

    def property(self, subject: Node, predicate: URIRef, value: Node, indent: int) -> None:
        pad = "  " * indent
        name = self.namespaces.qname(predicate)
        if isinstance(value, URIRef):
            self.lines.append(f"{pad}<{name} rdf:resource={quoteattr(str(value))}/>")
        elif isinstance(value, Literal):
            attributes = ""
            if value.language:
                attributes = f" xml:lang={quoteattr(value.language)}"
            elif value.datatype is not None and value.datatype != XSD.string:
                attributes = f" rdf:datatype={quoteattr(str(value.datatype))}"
            if value.datatype == _XML_LITERAL:
                raise ValueError("rdf:XMLLiteral values are not written by this writer")
            self.lines.append(f"{pad}<{name}{attributes}>{escape(str(value))}</{name}>")
        elif self.owner.get(value) == (subject, predicate) and value not in self.written:
            items = self._list_items(value) if self._is_list(value) else None
            if items is not None:
                self.written.update(self._list_cells(value))
                self.lines.append(f'{pad}<{name} rdf:parseType="Collection">')
                for item in items:
                    if item is None:
                        continue
                    if isinstance(item, URIRef):
                        self.lines.append(f"{pad}  <rdf:Description rdf:about={quoteattr(str(item))}/>")
                    else:
                        self.node(item, indent + 1)
                self.lines.append(f"{pad}</{name}>")
            else:
                self.lines.append(f"{pad}<{name}>")
                self.node(value, indent + 1)
                self.lines.append(f"{pad}</{name}>")
        else:
            self.lines.append(f"{pad}<{name} rdf:nodeID={quoteattr(self._node_id(value))}/>")

    @staticmethod
    def _node_id(node: Node) -> str:
        text = str(node)
        return text if _NCNAME.match(text) else f"b{text}"

    # -- the document -------------------------------------------------------------------------------------------

    def document(self) -> str:
        named = sorted({s for s in self.graph.subjects() if isinstance(s, URIRef)},
                       key=lambda s: (self._rank(s), str(s)))
        body_start = len(self.lines)
        for subject in named:
            self.node(subject, 1)
        # Blank nodes nobody owns (axiom annotations, AllDisjointClasses) are top-level nodes of their own.
        for blank in sorted({s for s in self.graph.subjects() if isinstance(s, BNode)}, key=str):
            if blank not in self.references and blank not in self.written:
                self.node(blank, 1)
        unwritten = {s for s in self.graph.subjects() if isinstance(s, BNode)} - self.written
        if unwritten:
            raise ValueError(f"{len(unwritten)} blank nodes could not be placed (a cycle of blank nodes?)")
        body = self.lines[body_start:]
        declarations = [f"  xmlns:{prefix}={quoteattr(namespace)}"
                        for prefix, namespace in sorted(self.namespaces.by_prefix.items())]
        ontology = next(iter(self.graph.subjects(RDF.type, OWL.Ontology)), None)
        base = [f"  xml:base={quoteattr(str(ontology))}"] if ontology is not None else []
        header = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF", *declarations, *base]
        header[-1] += ">"
        return "\n".join([*header, *body, "</rdf:RDF>", ""])

    def _rank(self, subject: URIRef) -> int:
        types = set(self.graph.objects(subject, RDF.type))
        for rank, kind in enumerate(_TYPE_ORDER):
            if kind in types:
                return rank
        return len(_TYPE_ORDER)


def _sort_key(value: Node) -> tuple[int, str]:
    return (0 if isinstance(value, URIRef) else 1 if isinstance(value, Literal) else 2, str(value))


def rdfxml_text(graph: Graph, prefixes: PrefixMap) -> str:
    """The graph as RDF/XML with nested restrictions and separate axiom-annotation nodes (see module doc)."""
    return _Writer(graph, prefixes).document()
