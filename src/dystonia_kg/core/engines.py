"""Where a SPARQL query runs: rdflib (reference), the embedded Oxigraph store, or a remote endpoint.

All three take the same query text and the same parameter bindings (RDF terms) and return the same
QueryResult of rdflib terms, so formatting, tests and callers do not care which engine answered.
Bindings never enter the query text locally: rdflib uses initBindings, Oxigraph SEP-0007
substitutions. A remote endpoint has no binding mechanism in the SPARQL protocol, so there each
term is serialised in N-Triples syntax (which escapes quotes and braces) into a VALUES block at the
top of the outer WHERE clause.
"""

from __future__ import annotations

import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import ResultRow
from rdflib.term import Identifier, Node

from .errors import QueryError, SourceError
from .rdfio import oxigraph_format_of
from .release import LAYER_OPT_IN
from .vocabulary import XSD


@dataclass(frozen=True)
class QueryResult:
    """Variables in their query order and rows of RDF terms (None where unbound)."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]

    def column(self, name: str) -> list[Node | None]:
        index = self.variables.index(name)
        return [row[index] for row in self.rows]

    def as_dicts(self) -> list[dict[str, Node | None]]:
        return [dict(zip(self.variables, row, strict=False)) for row in self.rows]


class Engine(Protocol):
    """Anything that answers a SELECT query with bindings."""

    name: str

    def select(self, text: str, bindings: Mapping[Variable, Node], origin: str) -> QueryResult: ...


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class RdflibEngine:
    """The reference engine: an in-memory rdflib Graph."""

    name = "rdflib"

    def __init__(self, graph: Graph):
        self.graph = graph

    def select(self, text: str, bindings: Mapping[Variable, Node], origin: str) -> QueryResult:
        initial: dict[str, Identifier] = {}
        for name, term in bindings.items():
            if not isinstance(term, Identifier):
                raise QueryError(f"{origin}: parameter ?{name} is bound to {term!r}, which is not an RDF term")
            initial[str(name)] = term
        try:
            result = self.graph.query(text, initBindings=initial)
        except Exception as error:  # pyparsing.ParseException and rdflib's evaluation errors
            raise QueryError(f"{origin}: SPARQL error: {_first_line(error)}") from error
        if result.type != "SELECT":
            raise QueryError(f"{origin}: only SELECT queries can be run (got {result.type})")
        names = list(result.vars or ())
        rows: list[tuple[Node | None, ...]] = []
        for row in result:
            assert isinstance(row, ResultRow)  # a SELECT result iterates over ResultRows
            rows.append(tuple(row[name] for name in names))
        return QueryResult(tuple(str(name) for name in names), tuple(rows))


# --- Oxigraph ------------------------------------------------------------------------------------

def to_oxigraph(term: Node):  # -> pyoxigraph term
    import pyoxigraph

    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
        return pyoxigraph.Literal(str(term))
    raise TypeError(f"cannot turn {term!r} into an Oxigraph term")


def from_oxigraph(term) -> Node | None:
    import pyoxigraph

    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unexpected term from Oxigraph: {term!r}")


class OxigraphEngine:
    """The embedded default: a pyoxigraph Store, queried with the default graph as the union of all graphs,
    so the release and vocabularies loaded into named graphs can be joined without GRAPH clauses."""

    name = "oxigraph"

    def __init__(self, store: Any, hidden_graphs: tuple[str, ...] = ()):
        self.store = store
        self.hidden_graphs = hidden_graphs
        """Named graphs left out of the union unless a query opts in (the imported HPO layer)."""

    def _dataset(self, text: str) -> dict:
        """All graphs as the default graph; without the hidden ones unless the query names them in its header."""
        import pyoxigraph

        if not self.hidden_graphs or LAYER_OPT_IN in text:
            return {"use_default_graph_as_union": True}
        graphs = list(self.store.named_graphs())
        hidden = {pyoxigraph.NamedNode(iri) for iri in self.hidden_graphs}
        if not hidden & set(graphs):
            return {"use_default_graph_as_union": True}
        return {"default_graph": [pyoxigraph.DefaultGraph(), *[g for g in graphs if g not in hidden]]}

    @classmethod
    def copy_of(cls, graph: Graph) -> OxigraphEngine:
        """An engine over an in-memory Oxigraph copy of an rdflib graph (for code that must also walk the graph)."""
        import pyoxigraph

        converted: dict[Node, Any] = {}  # terms repeat (predicates, classes): convert each once

        def term(node: Node) -> Any:
            found = converted.get(node)
            if found is None:
                found = converted[node] = to_oxigraph(node)
            return found

        store = pyoxigraph.Store()
        store.bulk_extend([pyoxigraph.Quad(term(s), term(p), term(o)) for s, p, o in graph])
        return cls(store)

    @classmethod
    def of_file(cls, path: Path) -> OxigraphEngine:
        """An engine over an in-memory Oxigraph store holding one RDF file (parsed by Oxigraph, not rdflib)."""
        import pyoxigraph

        store = pyoxigraph.Store()
        try:
            store.bulk_load(path=str(path), format=oxigraph_format_of(path))
        except SyntaxError as error:
            raise SourceError(path, f"cannot be parsed: {_first_line(error)}") from error
        return cls(store)

    def select(self, text: str, bindings: Mapping[Variable, Node], origin: str) -> QueryResult:
        import pyoxigraph

        substitutions = {pyoxigraph.Variable(str(k)): to_oxigraph(v) for k, v in bindings.items()}
        try:
            solutions = self.store.query(text, substitutions=substitutions, **self._dataset(text))
            if not isinstance(solutions, pyoxigraph.QuerySolutions):
                raise QueryError(f"{origin}: only SELECT queries can be run")
            variables = tuple(v.value for v in solutions.variables)
            rows = tuple(tuple(from_oxigraph(solution[v]) for v in variables) for solution in solutions)
        except (SyntaxError, RuntimeError) as error:  # a parse error; an evaluation error (e.g. a bound variable
            # that is not selected: substitution keeps it in the projection), raised while solutions are read
            raise QueryError(f"{origin}: SPARQL error: {_first_line(error)}") from error
        return QueryResult(variables, rows)


# --- Remote SPARQL 1.1 endpoint ----------------------------------------------------------------

_SKIPPED = re.compile(
    r"#[^\n]*"  # a comment
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"  # long strings
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n]|\\.)*'"  # strings
    r'|"(?:[^"\\\n]|\\.)*"'
    r'|<[^<>"{}|^`\\\s]*>'  # IRIs (a '<' comparison is followed by a space or a digit, never an IRI's '>')
)


def outer_group_start(text: str) -> int:
    """The offset just after the '{' that opens a query's outer group (its WHERE clause, the keyword WHERE being
    optional in SPARQL): the first brace that is not inside a comment, a string or an IRI."""
    position = 0
    while position < len(text):
        skipped = _SKIPPED.match(text, position)
        if skipped:
            position = skipped.end()
        elif text[position] == "{":
            return position + 1
        else:
            position += 1
    raise QueryError("cannot bind parameters for a remote endpoint: the query has no group pattern { ... }")


def inline_values(text: str, bindings: Mapping[Variable, Node]) -> str:
    """Put the bindings as a VALUES block at the top of the outer group, as N-Triples terms (which escape
    quotes and braces), so a remote endpoint binds them where rdflib and Oxigraph would."""
    if not bindings:
        return text
    names = list(bindings)
    block = "VALUES (" + " ".join(f"?{name}" for name in names) + ") { (" + " ".join(
        bindings[name].n3() for name in names) + ") }"
    position = outer_group_start(text)
    return text[:position] + "\n  " + block + "\n" + text[position:]


class RemoteEngine:
    """A SPARQL 1.1 endpoint over HTTP (Oxigraph, Fuseki, Virtuoso, GraphDB, QLever...)."""

    name = "remote"

    def __init__(self, url: str, timeout: float = 60.0):
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise QueryError(f"endpoint '{url}' is not an http(s) URL")
        self.url = url
        self.timeout = timeout

    def select(self, text: str, bindings: Mapping[Variable, Node], origin: str) -> QueryResult:
        body = inline_values(text, bindings).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/sparql-query; charset=utf-8",
            "Accept": "application/sparql-results+json",
        })
        payload = http_call(request, self.timeout, f"{origin} at {self.url}")
        try:
            document = json.loads(payload)
            variables = tuple(document["head"]["vars"])
            rows = tuple(tuple(_from_json(binding.get(v)) for v in variables)
                         for binding in document["results"]["bindings"])
        except (ValueError, KeyError, TypeError) as error:
            raise QueryError(f"{self.url} did not answer with SPARQL JSON results: {error}") from error
        return QueryResult(variables, rows)


def http_call(request: urllib.request.Request, timeout: float, what: str) -> bytes:
    """Send an HTTP request; refusals, timeouts and HTTP errors become one clear QueryError."""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        detail = error.read(500).decode("utf-8", errors="replace").strip()
        raise QueryError(f"{what}: HTTP {error.code} {error.reason}" + (f": {detail}" if detail else "")) from error
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise QueryError(f"{what}: no answer within {timeout:g} s (timeout)") from error
        if isinstance(reason, ConnectionRefusedError):
            raise QueryError(f"{what}: connection refused (is the endpoint running?)") from error
        raise QueryError(f"{what}: cannot connect: {reason}") from error
    except TimeoutError as error:
        raise QueryError(f"{what}: no answer within {timeout:g} s (timeout)") from error


def _from_json(value: dict | None) -> Node | None:
    if value is None:
        return None
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    if datatype and datatype != str(XSD.string):
        return Literal(value["value"], datatype=URIRef(datatype))
    return Literal(value["value"])
