"""Competency queries: find them by name, bind their parameters as RDF terms, run, format.

Parameter values never enter the query text: they are bound as RDF terms by the engine that runs
the query (engines.py), so a value full of quotes and braces is just a literal (or an IRI) and
cannot change the query. An `iri`
parameter accepts an IRI, a CURIE of the prefix map, or a label/synonym that resolves to exactly one
entity ("neck", "torticollis").
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.term import Node

from ..core.engines import Engine, QueryResult, RdflibEngine
from ..core.errors import QueryError
from ..core.prefixes import PrefixMap
from ..core.resources import SourceLayout, default_layout
from ..core.sparql_files import Parameter, SparqlFile, load_sparql_files, read_sparql_file
from ..core.vocabulary import XSD

OUTPUT_FORMATS = ("table", "csv", "tsv", "json")
OUR_NAMESPACE = "https://w3id.org/dystonia-kg/"


class QueryCatalogue:
    """The competency queries shipped in queries/ (top level only; internal ones live in subfolders)."""

    def __init__(self, layout: SourceLayout | None = None):
        self.folder = (layout or default_layout()).queries_dir

    def all(self) -> list[SparqlFile]:
        return load_sparql_files(self.folder)

    def find(self, name_or_path: str) -> SparqlFile:
        """A query by file stem ('types-by-region') or by a path to a .rq file."""
        candidate = Path(name_or_path)
        if candidate.suffix == ".rq" and candidate.is_file():
            return read_sparql_file(candidate)
        path = self.folder / f"{name_or_path}.rq"
        if path.is_file():
            return read_sparql_file(path)
        known = ", ".join(q.name for q in self.all()) or "none"
        raise QueryError(f"unknown query '{name_or_path}': not a .rq file and not one of: {known}")

    def internal(self, name: str) -> SparqlFile:
        """A query the library itself uses (queries/internal/NAME.rq)."""
        return read_sparql_file(self.folder / "internal" / f"{name}.rq")


def as_engine(target: Graph | Engine) -> Engine:
    """An rdflib Graph is queried by the reference engine; anything else already is an engine."""
    return RdflibEngine(target) if isinstance(target, Graph) else target


def run_query(target: Graph | Engine, query: SparqlFile, parameters: Mapping[str, str] | None = None,
              prefixes: PrefixMap | None = None) -> QueryResult:
    """Run a SELECT query on a graph or an engine, with its parameters bound as RDF terms."""
    engine = as_engine(target)
    bindings = bind_parameters(engine, query, parameters or {}, prefixes)
    return engine.select(query.text, bindings, str(query.path))


def parse_parameter_arguments(arguments: Sequence[str]) -> dict[str, str]:
    """NAME=VALUE strings from the command line into a dict; the value may contain '='."""
    values: dict[str, str] = {}
    for argument in arguments:
        name, separator, value = argument.partition("=")
        if not separator or not name.strip():
            raise QueryError(f"parameter '{argument}' is not of the form NAME=VALUE")
        if name.strip() in values:
            raise QueryError(f"parameter '{name.strip()}' is given twice")
        values[name.strip()] = value
    return values


def bind_parameters(engine: Engine, query: SparqlFile, values: Mapping[str, str],
                    prefixes: PrefixMap | None = None) -> dict[Variable, Node]:
    """RDF terms for the query's declared parameters; unknown, missing or ill-typed ones are errors."""
    declared = {p.name: p for p in query.parameters}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        accepted = ", ".join(declared) or "none"
        raise QueryError(f"query '{query.name}' has no parameter {', '.join(unknown)} (it takes: {accepted})")
    bindings: dict[Variable, Node] = {}
    for parameter in query.parameters:
        if parameter.name not in values:
            if parameter.optional:
                continue
            raise QueryError(f"query '{query.name}' needs --param {parameter.name}=VALUE ({parameter.description})")
        bindings[Variable(parameter.name)] = to_rdf_term(engine, parameter, values[parameter.name], prefixes)
    return bindings


def to_rdf_term(engine: Engine, parameter: Parameter, value: str, prefixes: PrefixMap | None = None) -> Node:
    """Turn a command-line value into the RDF term its declared type asks for."""
    if parameter.type == "string":
        return Literal(value)
    if parameter.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise QueryError(f"parameter '{parameter.name}' must be an integer, got '{value}'")
        return Literal(int(value), datatype=XSD.integer)
    if parameter.type == "decimal":
        try:
            return Literal(Decimal(value.strip()), datatype=XSD.decimal)
        except InvalidOperation:
            raise QueryError(f"parameter '{parameter.name}' must be a decimal number, got '{value}'") from None
    if parameter.type == "boolean":
        lowered = value.strip().lower()
        if lowered not in ("true", "false"):
            raise QueryError(f"parameter '{parameter.name}' must be true or false, got '{value}'")
        return Literal(lowered == "true", datatype=XSD.boolean)
    return resolve_entity(engine, value, prefixes, parameter.name)


def resolve_entity(target: Graph | Engine, value: str, prefixes: PrefixMap | None, name: str = "value") -> URIRef:
    """An IRI from '<iri>', 'http...', a CURIE, or a label (else exact synonym, else other synonym)
    naming exactly one entity (one of ours, when a merged vocabulary shares the name)."""
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if re.match(r"^[a-z][a-z0-9+.-]*://\S+$", text):
        if re.search(r'[<>"{}|^`\\]', text):
            raise QueryError(f"parameter '{name}': '{value}' is not a valid IRI"
                             " (it contains <, >, \", {, }, |, ^, ` or \\)")
        return URIRef(text)
    if prefixes is not None and ":" in text and prefixes.problem_with_curie(text) is None:
        return prefixes.expand(text)
    engine = as_engine(target)
    internal = default_layout().queries_dir / "internal"
    exact = read_sparql_file(internal / "resolve-name-exact.rq")
    rows: list[dict] = []
    for spelling in _spellings(text):  # index lookups first: instant even on a store of millions of triples
        rows += engine.select(exact.text, {Variable("name"): spelling}, str(exact.path)).as_dicts()
    if not rows:  # then the case-insensitive scan, for names typed in another case or spacing
        scan = read_sparql_file(internal / "resolve-name.rq")
        wanted = Literal(" ".join(text.casefold().split()))
        rows = engine.select(scan.text, {Variable("wanted"): wanted}, str(scan.path)).as_dicts()
    by_kind: dict[int, dict[URIRef, str]] = {}
    for row in rows:
        by_kind.setdefault(int(row["kind"]), {})[row["entity"]] = str(row["label"] or "")  # type: ignore[arg-type, index]
    # Our entity wins over an imported reference that shares the name (HP 'Torticollis' vs our synonym).
    for kind in sorted(by_kind):
        ours_only = [iri for iri in by_kind[kind] if str(iri).startswith(OUR_NAMESPACE)]
        if len(ours_only) == 1:
            return ours_only[0]
        if ours_only:
            break
    candidates: dict[URIRef, str] = {}
    for kind in sorted(by_kind):
        candidates = by_kind[kind]
        ours = {iri: label for iri, label in candidates.items() if str(iri).startswith(OUR_NAMESPACE)}
        if len(candidates) == 1:
            return next(iter(candidates))
        if len(ours) == 1:  # a merged vocabulary may share the name; the parameter means our entity
            return next(iter(ours))
        if candidates:
            break
    if not candidates:
        raise QueryError(f"parameter '{name}': no entity has the label or synonym '{value}' "
                         "(give an IRI, a CURIE such as DYKG:0000001, or an exact label)")
    listed = "; ".join(f"{label} <{iri}>" for iri, label in sorted(candidates.items())[:10])
    raise QueryError(f"parameter '{name}': '{value}' names {len(candidates)} entities ({listed});"
                     " give the IRI or CURIE")


def _spellings(text: str) -> list[Literal]:
    """The literals a typed name most likely is in the graph: as typed, lower-cased and capitalised
    (HPO capitalises its labels), each plain and tagged @en."""
    forms = dict.fromkeys([" ".join(text.split()), " ".join(text.split()).lower(),
                           " ".join(text.split()).capitalize()])
    return [literal for form in forms for literal in (Literal(form), Literal(form, lang="en"))]


def format_result(result: QueryResult, output_format: str, prefixes: PrefixMap | None = None) -> str:
    """Render a result as an aligned table (CURIEs), CSV/TSV (full IRIs) or SPARQL 1.1 JSON results."""
    if output_format == "json":
        return json.dumps(_sparql_json(result), indent=2, ensure_ascii=False)
    if output_format in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if output_format == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow(["" if term is None else str(term) for term in row])
        return buffer.getvalue().rstrip("\n")
    if output_format != "table":
        raise QueryError(f"unknown output format '{output_format}' (choose from {', '.join(OUTPUT_FORMATS)})")
    shown = [[_short(term, prefixes) for term in row] for row in result.rows]
    widths = [max([len(v)] + [len(row[i]) for row in shown]) for i, v in enumerate(result.variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=False)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip() for row in shown]
    lines.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
    return "\n".join(lines)


def _short(term: Node | None, prefixes: PrefixMap | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef) and prefixes is not None:
        return prefixes.contract(str(term)) or str(term)
    return str(term)


def _sparql_json(result: QueryResult) -> dict:
    def encode(term: Node) -> dict[str, str]:
        if isinstance(term, URIRef):
            return {"type": "uri", "value": str(term)}
        if isinstance(term, BNode):
            return {"type": "bnode", "value": str(term)}
        assert isinstance(term, Literal)
        encoded = {"type": "literal", "value": str(term)}
        if term.language:
            encoded["xml:lang"] = term.language
        elif term.datatype is not None:
            encoded["datatype"] = str(term.datatype)
        return encoded

    return {
        "head": {"vars": list(result.variables)},
        "results": {"bindings": [
            {v: encode(t) for v, t in zip(result.variables, row, strict=False) if t is not None} for row in result.rows
        ]},
    }


__all__ = ["QueryCatalogue", "QueryResult", "run_query", "format_result", "parse_parameter_arguments",
           "bind_parameters", "resolve_entity", "OUTPUT_FORMATS"]
