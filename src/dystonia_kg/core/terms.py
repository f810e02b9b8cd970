"""RDF terms that cost nothing to import: what the query path passes between engines and the terminal.

rdflib takes a tenth of a second to import, more than a whole query on the embedded store, so the
command line's query path (bind parameters, ask Oxigraph, print rows) uses these small values and
turns them into rdflib terms only when a caller asks for them (`QueryResult.rows`, the rdflib engine).
"""

from __future__ import annotations

from typing import Any

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class Term:
    """An IRI, a blank node or a literal (with its datatype IRI or its language tag); immutable.

    A plain class rather than a dataclass: creating a dataclass costs half a millisecond at import,
    and this module is on the command line's query path."""

    __slots__ = ("kind", "value", "datatype", "language")
    kind: str  # "iri", "bnode" or "literal"
    value: str
    datatype: str | None
    language: str | None

    def __init__(self, kind: str, value: str, datatype: str | None = None, language: str | None = None):
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "datatype", datatype)
        object.__setattr__(self, "language", language)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Term is immutable (cannot set {name})")

    def _key(self) -> tuple[str, str, str | None, str | None]:
        return (self.kind, self.value, self.datatype, self.language)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Term) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Term({self.kind!r}, {self.value!r}, {self.datatype!r}, {self.language!r})"

    def __str__(self) -> str:
        return self.value

    @property
    def is_iri(self) -> bool:
        return self.kind == "iri"

    def n3(self) -> str:
        """The term in N-Triples syntax, escaped so it can sit in a query text without changing it."""
        if self.kind == "iri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        escaped = (self.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                   .replace("\r", "\\r"))
        if self.language:
            return f'"{escaped}"@{self.language}'
        if self.datatype and self.datatype != XSD_STRING:
            return f'"{escaped}"^^<{self.datatype}>'
        return f'"{escaped}"'

    def to_rdflib(self) -> Any:
        from rdflib import BNode, Literal, URIRef

        if self.kind == "iri":
            return URIRef(self.value)
        if self.kind == "bnode":
            return BNode(self.value)
        if self.language:
            return Literal(self.value, lang=self.language)
        if self.datatype and self.datatype != XSD_STRING:
            return Literal(self.value, datatype=URIRef(self.datatype))
        return Literal(self.value)


def iri(value: str) -> Term:
    return Term("iri", value)


def literal(value: str, datatype: str | None = None, language: str | None = None) -> Term:
    return Term("literal", value, None if datatype == XSD_STRING else datatype, language)


def as_term(node: Any) -> Term | None:
    """A Term from a Term, an rdflib term or a pyoxigraph term (None stays None)."""
    if node is None or isinstance(node, Term):
        return node
    module = type(node).__module__.split(".", 1)[0]
    if module == "pyoxigraph":
        return from_oxigraph(node)
    from rdflib import BNode, Literal, URIRef

    if isinstance(node, URIRef):
        return Term("iri", str(node))
    if isinstance(node, BNode):
        return Term("bnode", str(node))
    if isinstance(node, Literal):
        datatype = str(node.datatype) if node.datatype is not None else None
        return literal(str(node), datatype, node.language)
    raise TypeError(f"not an RDF term: {node!r}")


def to_rdflib(node: Any) -> Any:
    """An rdflib term from a Term (rdflib terms pass through)."""
    return node.to_rdflib() if isinstance(node, Term) else node


def from_oxigraph(node: Any) -> Term | None:
    import pyoxigraph

    if node is None:
        return None
    if isinstance(node, pyoxigraph.NamedNode):
        return Term("iri", node.value)
    if isinstance(node, pyoxigraph.BlankNode):
        return Term("bnode", node.value)
    if isinstance(node, pyoxigraph.Literal):
        if node.language:
            return Term("literal", node.value, None, node.language)
        return literal(node.value, node.datatype.value)
    raise TypeError(f"unexpected term from Oxigraph: {node!r}")


def to_oxigraph(node: Any) -> Any:
    """A pyoxigraph term from a Term or an rdflib term."""
    import pyoxigraph

    term = as_term(node)
    if term is None:
        raise TypeError("cannot turn None into an Oxigraph term")
    if term.kind == "iri":
        return pyoxigraph.NamedNode(term.value)
    if term.kind == "bnode":
        return pyoxigraph.BlankNode(term.value)
    if term.language:
        return pyoxigraph.Literal(term.value, language=term.language)
    if term.datatype:
        return pyoxigraph.Literal(term.value, datatype=pyoxigraph.NamedNode(term.datatype))
    return pyoxigraph.Literal(term.value)
