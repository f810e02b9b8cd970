"""Where a SPARQL query runs: rdflib (reference), the embedded Oxigraph store, or a remote endpoint.

All three take the same query text and the same parameter bindings (RDF terms) and return the same
QueryResult of rdflib terms, so formatting, tests and callers do not care which engine answered.
rdflib binds with initBindings; Oxigraph substitutes literals (SEP-0007) and takes entities as a VALUES
block (see OxigraphEngine.select for why). A remote endpoint has no binding mechanism in the SPARQL
protocol, so there each term is serialised in N-Triples syntax (which escapes quotes and braces) into a
VALUES block at the top of the outer WHERE clause.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from .errors import QueryError, SourceError
from .rdfio import oxigraph_format_of
from .release import LAYER_OPT_IN
from .terms import Term, as_term, literal, to_oxigraph, to_rdflib
from .terms import from_oxigraph as _term_from_oxigraph

if TYPE_CHECKING:
    import urllib.request
    from pathlib import Path

Bindings = Mapping[Any, Any]
"""Variable name (a str or an rdflib Variable) -> term (a Term or an rdflib term)."""


class QueryResult:
    """Variables in their query order and rows of RDF terms (None where unbound).

    The engines fill it with light Terms (`cells`); `rows` gives rdflib terms, converted on first use,
    so a caller that only prints the result never imports rdflib.
    """

    def __init__(self, variables: tuple[str, ...] | list[str], rows: Any):
        self.variables = tuple(str(v) for v in variables)
        self.cells: tuple[tuple[Term | None, ...], ...] = tuple(tuple(as_term(t) for t in row) for row in rows)
        self._rdflib_rows: tuple[tuple[Any, ...], ...] | None = None

    @property
    def rows(self) -> tuple[tuple[Any, ...], ...]:
        if self._rdflib_rows is None:
            self._rdflib_rows = tuple(tuple(None if t is None else t.to_rdflib() for t in row) for row in self.cells)
        return self._rdflib_rows

    def column(self, name: str) -> list[Any]:
        index = self.variables.index(name)
        return [row[index] for row in self.rows]

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.variables, row, strict=False)) for row in self.rows]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, QueryResult) and (self.variables, self.cells) == (other.variables, other.cells)

    def __repr__(self) -> str:
        return f"QueryResult({self.variables!r}, {len(self.cells)} rows)"


class Engine(Protocol):
    """Anything that answers a SELECT query with bindings."""

    name: str

    def select(self, text: str, bindings: Bindings, origin: str) -> QueryResult: ...


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class RdflibEngine:
    """The reference engine: an in-memory rdflib Graph."""

    name = "rdflib"

    def __init__(self, graph: Any):
        self.graph = graph

    def select(self, text: str, bindings: Bindings, origin: str) -> QueryResult:
        from rdflib import Variable

        initial = {Variable(str(name)): to_rdflib(term) for name, term in bindings.items()}
        try:
            result = self.graph.query(text, initBindings=initial)
        except Exception as error:  # pyparsing.ParseException and rdflib's evaluation errors
            raise QueryError(f"{origin}: SPARQL error: {_first_line(error)}") from error
        if result.type != "SELECT":
            raise QueryError(f"{origin}: only SELECT queries can be run (got {result.type})")
        variables = tuple(str(v) for v in result.vars or ())
        return QueryResult(variables, [tuple(row[v] for v in (result.vars or ())) for row in result])


# --- Oxigraph ------------------------------------------------------------------------------------

def from_oxigraph(term: Any) -> Any:
    """An rdflib term from a pyoxigraph term (kept for callers that want rdflib terms)."""
    converted = _term_from_oxigraph(term)
    return None if converted is None else converted.to_rdflib()


class OxigraphEngine:
    """The embedded default: a pyoxigraph Store, queried with the default graph as the union of all graphs,
    so the release and vocabularies loaded into named graphs can be joined without GRAPH clauses."""

    name = "oxigraph"

    def __init__(self, store: Any, hidden_graphs: tuple[str, ...] = ()):
        self.store = store
        self.hidden_graphs = hidden_graphs
        """Named graphs left out of the union unless a query opts in (the imported HPO layer)."""

    def _dataset(self, text: str) -> dict[str, Any]:
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
    def copy_of(cls, graph: Any) -> OxigraphEngine:
        """An engine over an in-memory Oxigraph copy of an rdflib graph (for code that must also walk the graph)."""
        import pyoxigraph

        converted: dict[Any, Any] = {}  # terms repeat (predicates, classes): convert each once

        def term(node: Any) -> Any:
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

    def select(self, text: str, bindings: Bindings, origin: str) -> QueryResult:
        import pyoxigraph

        # Entities (IRIs) are bound as a VALUES block at the top of the outer group, as a remote endpoint
        # receives them: pyoxigraph applies substitutions after the patterns are matched, so a walk down a
        # hierarchy from a bound term (skos:broader* ?phenotype) took 15 times longer with one. Literals are
        # substituted: there Oxigraph folds the expressions over them into constants (find-by-name on 10^6
        # triples: 0.16 s substituted, 0.5 s as VALUES). Blank nodes cannot be written in VALUES at all.
        values = {k: v for k, v in bindings.items() if getattr(as_term(v), "kind", None) == "iri"}
        substitutions = {pyoxigraph.Variable(str(k)): to_oxigraph(v) for k, v in bindings.items() if k not in values}
        try:
            solutions = self.store.query(inline_values(text, values), substitutions=substitutions,
                                         **self._dataset(text))
            if not isinstance(solutions, pyoxigraph.QuerySolutions):
                raise QueryError(f"{origin}: only SELECT queries can be run")
            variables = tuple(v.value for v in solutions.variables)
            rows = [tuple(_term_from_oxigraph(solution[v]) for v in variables) for solution in solutions]
        except (SyntaxError, RuntimeError) as error:  # a parse error; an evaluation error, raised while solutions
            # are read
            raise QueryError(f"{origin}: SPARQL error: {_first_line(error)}") from error
        except OSError as error:
            raise QueryError(f"{origin}: the query failed: {_first_line(error)}") from error
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


def inline_values(text: str, bindings: Bindings) -> str:
    """Put the bindings as a VALUES block at the top of the outer group, as N-Triples terms (which escape
    quotes and braces), so a remote endpoint binds them where rdflib and Oxigraph would."""
    if not bindings:
        return text
    names = list(bindings)
    block = "VALUES (" + " ".join(f"?{name}" for name in names) + ") { (" + " ".join(
        _n3(bindings[name]) for name in names) + ") }"
    position = outer_group_start(text)
    return text[:position] + "\n  " + block + "\n" + text[position:]


def check_endpoint_url(url: str) -> str:
    """The URL when it can be an HTTP(S) endpoint; a QueryError naming it otherwise."""
    import urllib.parse

    try:
        parsed = urllib.parse.urlparse(url)
        parsed.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError as error:
        raise QueryError(f"endpoint '{url}' is not a valid URL: {error}") from None
    if parsed.scheme not in ("http", "https") or not parsed.hostname or any(c.isspace() for c in url):
        raise QueryError(f"endpoint '{url}' is not an http(s) URL such as http://127.0.0.1:7878/query")
    return url


class RemoteEngine:
    """A SPARQL 1.1 endpoint over HTTP (Oxigraph, Fuseki, Virtuoso, GraphDB, QLever...).

    With `default_graph`, the query runs on that graph (the protocol's default-graph-uri parameter):
    how a query meets a release published into a named graph on a server whose default graph is not
    the union of its graphs (Oxigraph's and Fuseki's default settings).
    """

    name = "remote"

    def __init__(self, url: str, timeout: float = 60.0, default_graph: str | None = None):
        self.url = check_endpoint_url(url)
        self.timeout = timeout
        self.default_graph = default_graph

    def _request_url(self) -> str:
        import urllib.parse

        if not self.default_graph:
            return self.url
        separator = "&" if urllib.parse.urlparse(self.url).query else "?"
        return f"{self.url}{separator}default-graph-uri={urllib.parse.quote(self.default_graph, safe='')}"

    def select(self, text: str, bindings: Bindings, origin: str) -> QueryResult:
        import json
        import urllib.request

        body = inline_values(text, bindings).encode("utf-8")
        request = urllib.request.Request(self._request_url(), data=body, method="POST", headers={
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
    import http.client
    import socket
    import urllib.error
    import urllib.request

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
    except (http.client.HTTPException, ValueError, OSError) as error:
        raise QueryError(f"{what}: {type(error).__name__}: {_first_line(error)}") from error


def _n3(term: Any) -> str:
    converted = as_term(term)
    assert converted is not None
    return converted.n3()


def _from_json(value: dict | None) -> Term | None:
    if value is None:
        return None
    kind = value.get("type")
    if kind == "uri":
        return Term("iri", value["value"])
    if kind == "bnode":
        return Term("bnode", value["value"])
    if "xml:lang" in value:
        return Term("literal", value["value"], None, value["xml:lang"])
    return literal(value["value"], value.get("datatype"))
