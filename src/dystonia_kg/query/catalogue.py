"""Competency queries: find them by name, bind their parameters as RDF terms, run, format.

Parameter values never enter the query text: they are bound as RDF terms by the engine that runs
the query (engines.py), so a value full of quotes and braces is just a literal (or an IRI) and
cannot change the query. An `iri`
parameter accepts an IRI, a CURIE of the prefix map, or a label/synonym that resolves to exactly one
entity ("neck", "torticollis").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..core.engines import Engine, QueryResult, RdflibEngine
from ..core.errors import QueryError
from ..core.prefixes import PrefixMap
from ..core.resources import SourceLayout, default_layout
from ..core.sparql_files import Parameter, SparqlFile, load_sparql_files, read_sparql_file
from ..core.terms import XSD_BOOLEAN, XSD_DECIMAL, XSD_INTEGER, Term, iri, literal

OUTPUT_FORMATS = ("table", "csv", "tsv", "json")
OUR_NAMESPACE = "https://w3id.org/dystonia-kg/"
TABLE_WIDTH = 100
"""A table on the terminal fits this many columns; longer cells are cut (--format csv/tsv/json: full text)."""


class QueryCatalogue:
    """The competency queries shipped in queries/ (top level only; internal ones live in subfolders)."""

    def __init__(self, layout: SourceLayout | None = None):
        self.folder = (layout or default_layout()).queries_dir

    def all(self) -> list[SparqlFile]:
        return load_sparql_files(self.folder)

    def names(self) -> list[str]:
        return sorted(path.stem for path in self.folder.glob("*.rq"))

    def find(self, name_or_path: str) -> SparqlFile:
        """A query by file stem ('types-by-region') or by a path to a .rq file."""
        candidate = Path(name_or_path)
        if candidate.suffix == ".rq":
            if candidate.is_file():
                return read_sparql_file(candidate)
            if candidate.parent != Path("."):
                raise QueryError(f"no such query file: {name_or_path}")
        path = self.folder / f"{candidate.stem if candidate.suffix == '.rq' else name_or_path}.rq"
        if "/" not in name_or_path and path.is_file():
            return read_sparql_file(path)
        import difflib

        names = self.names()
        close = difflib.get_close_matches(name_or_path, names, n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise QueryError(f"unknown query '{name_or_path}': {hint}not a .rq file and not one of:"
                         f" {', '.join(names) or 'none'} (list them with: dystonia-kg queries)")

    def internal(self, name: str) -> SparqlFile:
        """A query the library itself uses (queries/internal/NAME.rq)."""
        return read_sparql_file(self.folder / "internal" / f"{name}.rq")


def as_engine(target: Any) -> Engine:
    """An rdflib Graph is queried by the reference engine; anything with `select` already is an engine."""
    return target if hasattr(target, "select") else RdflibEngine(target)


class BoundParameter:
    """What a parameter was given, the RDF term it became and, for an entity, that entity's label.
    (A plain class: a dataclass costs half a millisecond to create on the command line's query path.)"""

    __slots__ = ("name", "given", "term", "label")

    def __init__(self, name: str, given: str, term: Term, label: str = ""):
        self.name, self.given, self.term, self.label = name, given, term, label

    def __repr__(self) -> str:
        return f"BoundParameter({self.name!r}, {self.given!r}, {self.term!r}, {self.label!r})"


def run_query(target: Any, query: SparqlFile, parameters: Mapping[str, str] | None = None,
              prefixes: PrefixMap | None = None, catalogue: QueryCatalogue | None = None) -> QueryResult:
    """Run a SELECT query on a graph or an engine, with its parameters bound as RDF terms.

    List-valued cells (GROUP_CONCAT) have their items sorted, so every engine gives the same bytes.
    The bound parameters, with the labels of the entities they resolved to, are in `result.parameters`.
    """
    engine = as_engine(target)
    bound = bind_parameters_with_labels(engine, query, parameters or {}, prefixes, catalogue)
    result = engine.select(query.text, {b.name: b.term for b in bound}, str(query.path))
    result = canonical_numbers(sort_list_cells(result, list_separators(query.text)))
    result.parameters = bound  # type: ignore[attr-defined]
    return result


_SEPARATOR = r"(?i);\s*SEPARATOR\s*=\s*(?P<quote>[\"'])(?P<separator>.*?)(?P=quote)"  # compiled on first use
_ALIAS = r"(?i)\s*AS\s+[?$](?P<variable>\w+)"


def list_separators(text: str) -> dict[str, str]:
    """variable -> separator of each GROUP_CONCAT of a query (a space when none is given)."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    separators = {}
    for match in re.finditer(r"GROUP_CONCAT\s*\(", body, re.IGNORECASE):
        depth, position = 1, match.end()
        while depth and position < len(body):  # find the closing parenthesis (nesting, quoted text)
            character = body[position]
            if character in "\"'":
                closing = body.find(character, position + 1)
                position = closing if closing != -1 else len(body)
            elif character == "(":
                depth += 1
            elif character == ")":
                depth -= 1
            position += 1
        alias = re.compile(_ALIAS).match(body, position)
        if alias:
            separator = re.search(_SEPARATOR, body[match.end():position - 1])
            separators[alias["variable"]] = separator["separator"] if separator else " "
    return separators


def sort_list_cells(result: QueryResult, separators: Mapping[str, str]) -> QueryResult:
    """The same result with the items of each list-valued cell in sorted order (engines differ)."""
    columns = {result.variables.index(v): sep for v, sep in separators.items() if v in result.variables and sep}
    if not columns:
        return result

    def sort_cell(term: Term | None, separator: str) -> Term | None:
        if term is None or term.kind != "literal":
            return term
        # Empty items carry nothing (a query may concatenate "" for facts a column does not cover).
        items = sorted((item for item in term.value.split(separator) if item.strip()),
                       key=lambda item: (item.casefold(), item))
        # A simple literal, as SPARQL 1.1 defines GROUP_CONCAT's result (Oxigraph keeps a shared language tag).
        return Term("literal", separator.join(items))

    rows = [tuple(sort_cell(term, columns[i]) if i in columns else term for i, term in enumerate(row))
            for row in result.cells]
    return QueryResult(result.variables, rows)


def canonical_numbers(result: QueryResult) -> QueryResult:
    """The same result with xsd:decimal and xsd:integer values in their canonical lexical form
    ('41.0', '7'): engines write a computed or stored number differently ('41' or '41.0')."""

    def canonical(term: Term | None) -> Term | None:
        if term is None or term.kind != "literal" or term.datatype not in (XSD_DECIMAL, XSD_INTEGER):
            return term
        from decimal import Decimal, InvalidOperation

        try:
            number = Decimal(term.value.strip())
        except InvalidOperation:
            return term
        if not number.is_finite():
            return term
        if term.datatype == XSD_INTEGER:
            if number != number.to_integral_value():
                return term
            text = str(int(number))
        else:
            text = format(number.normalize(), "f")
            text = text if "." in text else text + ".0"
        return term if text == term.value else Term("literal", text, term.datatype, term.language)

    if not any(t is not None and t.datatype in (XSD_DECIMAL, XSD_INTEGER) for row in result.cells for t in row):
        return result
    return QueryResult(result.variables, [tuple(canonical(t) for t in row) for row in result.cells])


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


def bind_parameters(engine: Any, query: SparqlFile, values: Mapping[str, str],
                    prefixes: PrefixMap | None = None) -> dict[str, Term]:
    """RDF terms for the query's declared parameters; unknown, missing or ill-typed ones are errors."""
    return {b.name: b.term for b in bind_parameters_with_labels(as_engine(engine), query, values, prefixes)}


def bind_parameters_with_labels(engine: Engine, query: SparqlFile, values: Mapping[str, str],
                                prefixes: PrefixMap | None = None,
                                catalogue: QueryCatalogue | None = None) -> list[BoundParameter]:
    declared = {p.name: p for p in query.parameters}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        accepted = ", ".join(declared) or "none"
        raise QueryError(f"query '{query.name}' has no parameter {', '.join(unknown)} (it takes: {accepted})")
    bound: list[BoundParameter] = []
    for parameter in query.parameters:
        if parameter.name not in values:
            if parameter.optional:
                continue
            raise QueryError(f"query '{query.name}' needs --param {parameter.name}=VALUE ({parameter.description})")
        value = values[parameter.name]
        if parameter.type == "iri":
            entity, label = resolve_entity_with_label(engine, value, prefixes, parameter.name,
                                                      query.kinds.get(parameter.name, ()), catalogue)
            bound.append(BoundParameter(parameter.name, value, entity, label))
        else:
            bound.append(BoundParameter(parameter.name, value, to_rdf_term(engine, parameter, value, prefixes)))
    return bound


def to_rdf_term(engine: Any, parameter: Parameter, value: str, prefixes: PrefixMap | None = None) -> Term:
    """Turn a command-line value into the RDF term its declared type asks for."""
    if parameter.type == "string":
        return literal(value)
    if parameter.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise QueryError(f"parameter '{parameter.name}' must be an integer, got '{value}'")
        return literal(str(int(value)), XSD_INTEGER)
    if parameter.type == "decimal":
        from decimal import Decimal, InvalidOperation

        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise QueryError(f"parameter '{parameter.name}' must be a decimal number, got '{value}'")
        return literal(str(number), XSD_DECIMAL)
    if parameter.type == "boolean":
        lowered = value.strip().lower()
        if lowered not in ("true", "false"):
            raise QueryError(f"parameter '{parameter.name}' must be true or false, got '{value}'")
        return literal(lowered, XSD_BOOLEAN)
    return resolve_entity_with_label(as_engine(engine), value, prefixes, parameter.name)[0]


def resolve_entity(target: Any, value: str, prefixes: PrefixMap | None, name: str = "value",
                   kinds: Sequence[str] = ()) -> Any:
    """The rdflib IRI an entity parameter names (see resolve_entity_with_label)."""
    return resolve_entity_with_label(as_engine(target), value, prefixes, name, kinds)[0].to_rdflib()


def name_key(text: str) -> str:
    """A name folded for comparison: lower case, only letters a-z and digits ('DYT 1' -> 'dyt1',
    "writers cramp" and "writer's cramp" -> 'writerscramp'); the SPARQL side folds the same way."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def resolve_entity_with_label(engine: Engine, value: str, prefixes: PrefixMap | None, name: str = "value",
                              kinds: Sequence[str] = (),
                              catalogue: QueryCatalogue | None = None) -> tuple[Term, str]:
    """An IRI from '<iri>', 'http...', a CURIE, or a name (label, else exact synonym, else other synonym,
    compared without case, spaces or punctuation) and that entity's label.

    Our entities come first: when a merged vocabulary shares a name, the parameter means ours. A
    parameter may declare the kinds it accepts (`# kind: NAME CURIE...` in the query header): then a
    value naming something else (a gene where a dystonia type is expected) is an error, and so is an
    IRI or CURIE that names nothing in the graph.
    """
    catalogue = catalogue or QueryCatalogue()
    kinds = [k if "://" in k or prefixes is None else prefixes.expand_to_string(k) for k in kinds]
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    expanded: str | None = None
    if re.match(r"^[a-z][a-z0-9+.-]*://\S+$", text):
        if re.search(r'[<>"{}|^`\\]', text):
            raise QueryError(f"parameter '{name}': '{value}' is not a valid IRI"
                             " (it contains <, >, \", {, }, |, ^, ` or \\)")
        expanded = text
    elif prefixes is not None and re.match(r"^[A-Za-z][A-Za-z0-9_.]*:\S+$", text) and text.split(":")[0] in prefixes:
        problem = prefixes.problem_with_curie(text)
        if problem:
            raise QueryError(f"parameter '{name}': {problem}")
        expanded = prefixes.expand_to_string(text)
    if expanded is not None:
        described = _describe(engine, catalogue, expanded)
        if described is None:
            raise QueryError(f"parameter '{name}': '{value}' names nothing in the graph")
        _check_kind(engine, catalogue, name, value, expanded, described, kinds, prefixes)
        return iri(expanded), described
    if not text:
        raise QueryError(f"parameter '{name}' is empty: give a label, a CURIE or an IRI")
    candidates = _name_candidates(engine, catalogue, text)
    if not candidates:
        raise QueryError(f"parameter '{name}': no entity has the label or synonym '{value}' "
                         "(give an IRI, a CURIE such as DYKG:0000001, or an exact label; "
                         "find names with: dystonia-kg query find-by-name --param text=...)")
    if kinds:
        fitting = [c for c in candidates if _is_of_kind(engine, catalogue, c[1], kinds)]
        if not fitting:
            shown = "; ".join(f"{label} <{entity}>" for _, entity, label in candidates[:5])
            raise QueryError(f"parameter '{name}': '{value}' names {shown}, which is not of the kind"
                             f" {_kind_labels(engine, catalogue, kinds, prefixes)}")
        candidates = fitting
    ours = [c for c in candidates if c[1].startswith(OUR_NAMESPACE)]
    pool = ours or candidates
    best = min(rank for rank, _, _ in pool)
    chosen = sorted({(entity, label) for rank, entity, label in pool if rank == best})
    if len(chosen) == 1:
        return iri(chosen[0][0]), chosen[0][1]
    listed = "; ".join(f"{label} <{entity}>" for entity, label in chosen[:10])
    raise QueryError(f"parameter '{name}': '{value}' names {len(chosen)} entities ({listed});"
                     " give the IRI or CURIE")


def _name_candidates(engine: Engine, catalogue: QueryCatalogue, text: str) -> list[tuple[int, str, str]]:
    """(kind, IRI, label) of the entities a name may mean: exact literals first (index lookups, instant
    even on millions of triples), then the scan that ignores case, spaces and punctuation."""
    exact = catalogue.internal("resolve-name-exact")
    rows: list[tuple[int, str, str]] = []
    for spelling in _spellings(text):
        for cells in engine.select(exact.text, {"name": spelling}, str(exact.path)).cells:
            rows.append(_candidate(exact, cells, ("entity", "kind", "label")))
    if not rows and name_key(text):
        scan = catalogue.internal("resolve-name")
        for cells in engine.select(scan.text, {"wanted": literal(name_key(text))}, str(scan.path)).cells:
            rows.append(_candidate(scan, cells, ("entity", "kind", "label")))
    return sorted(set(rows))


def _candidate(query: SparqlFile, cells: tuple[Term | None, ...], names: tuple[str, str, str]):
    variables = _variables_of(query)
    entity, kind, label = (cells[variables.index(n)] for n in names)
    return (int(kind.value) if kind else 3, entity.value if entity else "", label.value if label else "")


def _variables_of(query: SparqlFile) -> list[str]:
    projection = re.search(r"SELECT\s+(?:DISTINCT\s+)?(?P<vars>(?:[?$]\w+\s*)+)", query.text, re.IGNORECASE)
    assert projection is not None, query.path
    return re.findall(r"[?$](\w+)", projection["vars"])


def _describe(engine: Engine, catalogue: QueryCatalogue, entity: str) -> str | None:
    """The label of an entity that occurs in the graph ('' without a label), None when it does not occur."""
    query = catalogue.internal("entity-exists")
    cells = engine.select(query.text, {"entity": iri(entity)}, str(query.path)).cells
    if not cells:
        return None
    labels = sorted(c[1].value for c in cells if c[1] is not None)
    return labels[0] if labels else ""


def _is_of_kind(engine: Engine, catalogue: QueryCatalogue, entity: str, kinds: Sequence[str]) -> bool:
    query = catalogue.internal("entity-is-a")
    return any(engine.select(query.text, {"entity": iri(entity), "kind": iri(kind)}, str(query.path)).cells
               for kind in kinds)


def _kind_labels(engine: Engine, catalogue: QueryCatalogue, kinds: Sequence[str], prefixes: PrefixMap | None) -> str:
    names = []
    for kind in kinds:
        label = _describe(engine, catalogue, kind)
        names.append(label or (prefixes.contract(kind) if prefixes else None) or kind)
    return " or ".join(f"'{n}'" for n in names)


def _check_kind(engine: Engine, catalogue: QueryCatalogue, name: str, value: str, entity: str, label: str,
                kinds: Sequence[str], prefixes: PrefixMap | None) -> None:
    if kinds and not _is_of_kind(engine, catalogue, entity, kinds):
        shown = f"{label} <{entity}>" if label else f"<{entity}>"
        raise QueryError(f"parameter '{name}': '{value}' names {shown}, which is not of the kind"
                         f" {_kind_labels(engine, catalogue, kinds, prefixes)}")


def _spellings(text: str) -> list[Term]:
    """The literals a typed name most likely is in the graph: as typed, lower-cased and capitalised
    (HPO capitalises its labels), each plain and tagged @en."""
    folded = " ".join(text.split())
    forms = dict.fromkeys([folded, folded.lower(), folded.capitalize()])
    return [term for form in forms for term in (literal(form), literal(form, language="en"))]


def format_result(result: QueryResult, output_format: str, prefixes: PrefixMap | None = None,
                  width: int | None = TABLE_WIDTH) -> str:
    """Render a result as an aligned table (CURIEs, cut to `width` columns), CSV/TSV (full IRIs) or
    SPARQL 1.1 JSON results."""
    if output_format == "json":
        import json

        return json.dumps(_sparql_json(result), indent=2, ensure_ascii=False)
    if output_format in ("csv", "tsv"):
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if output_format == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.variables)
        for row in result.cells:
            writer.writerow(["" if term is None else term.value for term in row])
        return buffer.getvalue().rstrip("\n")
    if output_format != "table":
        raise QueryError(f"unknown output format '{output_format}' (choose from {', '.join(OUTPUT_FORMATS)})")
    shown = [[" ".join(_short(term, prefixes).split()) for term in row] for row in result.cells]
    widths = [max([len(v)] + [len(row[i]) for row in shown]) for i, v in enumerate(result.variables)]
    cut = width is not None and _fit(widths, [len(v) for v in result.variables], width)
    lines = ["  ".join(_cell(v, w) for v, w in zip(result.variables, widths, strict=False)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_cell(c, w) for c, w in zip(row, widths, strict=False)).rstrip() for row in shown]
    footer = f"({len(result.cells)} row{'s' if len(result.cells) != 1 else ''}"
    footer += "; long cells cut to fit, --format tsv shows them in full)" if cut else ")"
    lines.append(footer)
    return "\n".join(lines)


def _fit(widths: list[int], minimums: list[int], total: int) -> bool:
    """Narrow the widest columns (in place) until the table fits `total` characters; True when cut."""
    gaps = 2 * (len(widths) - 1)
    floor = [max(6, min(m, 12)) for m in minimums]
    cut = False
    while sum(widths) + gaps > total:
        widest = max(range(len(widths)), key=lambda i: widths[i] - floor[i])
        if widths[widest] <= floor[widest]:
            break  # too many columns to fit: keep them readable rather than unreadably narrow
        widths[widest] -= 1
        cut = True
    return cut


def _cell(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"


def _short(term: Term | None, prefixes: PrefixMap | None) -> str:
    if term is None:
        return ""
    if term.kind == "iri" and prefixes is not None:
        return prefixes.contract(term.value) or term.value
    return term.value


def describe_parameters(result: QueryResult, prefixes: PrefixMap | None = None) -> list[str]:
    """One line per bound parameter: what was given and what it became ('type = torticollis ->
    DYKG:0001200 cervical dystonia'), so a user sees which entity a name resolved to."""
    lines = []
    for bound in getattr(result, "parameters", []):
        if bound.term.kind == "iri":
            curie = (prefixes.contract(bound.term.value) if prefixes else None) or f"<{bound.term.value}>"
            lines.append(f"{bound.name} = {bound.given} -> {curie}" + (f" {bound.label}" if bound.label else ""))
        else:
            lines.append(f"{bound.name} = {bound.term.value}")
    return lines


def _sparql_json(result: QueryResult) -> dict:
    def encode(term: Term) -> dict[str, str]:
        if term.kind == "iri":
            return {"type": "uri", "value": term.value}
        if term.kind == "bnode":
            return {"type": "bnode", "value": term.value}
        encoded = {"type": "literal", "value": term.value}
        if term.language:
            encoded["xml:lang"] = term.language
        elif term.datatype is not None:
            encoded["datatype"] = term.datatype
        return encoded

    return {
        "head": {"vars": list(result.variables)},
        "results": {"bindings": [
            {v: encode(t) for v, t in zip(result.variables, row, strict=False) if t is not None}
            for row in result.cells
        ]},
    }


__all__ = ["QueryCatalogue", "QueryResult", "run_query", "format_result", "parse_parameter_arguments",
           "bind_parameters", "resolve_entity", "describe_parameters", "OUTPUT_FORMATS"]
