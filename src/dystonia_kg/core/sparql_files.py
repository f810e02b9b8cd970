"""SPARQL files with a documented header: the form shared by competency queries and QC rules.

A file starts with comment lines of the form ``# key: value``::

    # title: Dystonia types by body region
    # description: The dystonia types that affect a given body region, with their distribution.
    # param: region (iri) The body region: an IRI, a CURIE or a label such as "neck".
    # example: dystonia-kg query types-by-region --param region=neck
    # kind: region DYKG:0000019

A parameter is ``NAME (TYPE) description`` or ``NAME (TYPE, optional) description``; TYPE is one of
iri, string, integer, decimal, boolean. Parameters are bound as RDF terms at run time, never pasted
into the query text. ``# kind: NAME CURIE...`` says what an iri parameter must name (the entity or a
subclass or member of one of the listed classes); a value naming something else is refused. The
title is optional (a user's own query works without one; its file name stands in). The query must
select the parameter's variable, because Oxigraph binds by SEP-0007 substitution, which keeps it in
the projection (so each row also says what was asked); the tests check it for every shipped query with
`unprojected_parameters`, which reads the projection from rdflib's algebra.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SourceError

PARAMETER_TYPES = ("iri", "string", "integer", "decimal", "boolean")
_EXAMPLE_PARAMETER = r"(?:--param|-p)\s+(?P<name>\w+)=(?P<value>\"[^\"]*\"|'[^']*'|\S+)"
_HEADER_LINE = r"^#\s*(?P<key>[A-Za-z_-]+)\s*:\s*(?P<value>.*)$"  # compiled on first use (re caches)
_PARAMETER = (
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<type>[a-z]+)(?P<optional>\s*,\s*optional)?\)\s*(?P<description>.*)$"
)


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    description: str
    optional: bool = False


@dataclass(frozen=True)
class SparqlFile:
    """A query or QC rule and its documented header."""

    path: Path
    text: str
    title: str
    description: str = ""
    parameters: tuple[Parameter, ...] = ()
    examples: tuple[str, ...] = field(default_factory=tuple)
    kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """parameter name -> the CURIEs (or IRIs) of the classes its value must fall under."""

    @property
    def name(self) -> str:
        return self.path.stem

    def example_parameters(self) -> dict[str, str]:
        """Parameter values of the documented examples (`--param name=value`), the first one of each name:
        what the site shows live results for, what the tests and benchmarks run."""
        values: dict[str, str] = {}
        for example in self.examples:
            for match in re.finditer(_EXAMPLE_PARAMETER, example):
                values.setdefault(match["name"], match["value"].strip("\"'"))
        return {p.name: values[p.name] for p in self.parameters if p.name in values}


def read_sparql_file(path: Path) -> SparqlFile:
    """Parse one .rq file's header; a malformed header names the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(path, "no such query file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(path, f"cannot be read as a UTF-8 query file: {error}") from None
    header: dict[str, list[str]] = {}
    parameters: list[Parameter] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        match = re.match(_HEADER_LINE, line)
        if not match:
            continue
        key, value = match["key"].lower(), match["value"].strip()
        if key == "param":
            parameter = re.match(_PARAMETER, value)
            if not parameter or parameter["type"] not in PARAMETER_TYPES:
                raise SourceError(path, f"malformed parameter '{value}'; expected NAME (TYPE) description, "
                                        f"TYPE one of {', '.join(PARAMETER_TYPES)}", number)
            if not re.search(r"[?$]" + re.escape(parameter["name"]) + r"\b", text):
                raise SourceError(path, f"parameter '{parameter['name']}' is not a variable of the query", number)
            parameters.append(Parameter(parameter["name"], parameter["type"], parameter["description"],
                                        bool(parameter["optional"])))
        else:
            header.setdefault(key, []).append(value)
    title = " ".join(header.get("title", [])) or path.stem
    kinds: dict[str, tuple[str, ...]] = {}
    declared = {p.name: p for p in parameters}
    for value in header.get("kind", []):
        name, *classes = value.split()
        if name not in declared or declared[name].type != "iri" or not classes:
            raise SourceError(path, f"malformed '# kind: {value}': expected the name of an iri parameter and"
                                    " one or more CURIEs of classes")
        kinds[name] = tuple(classes)
    return SparqlFile(path, text, title, " ".join(header.get("description", [])), tuple(parameters),
                      tuple(header.get("example", [])), kinds)


def projection_of(text: str) -> tuple[str, ...] | None:
    """The variables a SELECT query projects, in order, read from rdflib's algebra of the query (SELECT * gives
    every variable in scope); None when the text is not a SELECT query rdflib can parse (the engine that runs it
    reports why). Parsing costs tens of milliseconds, so this serves checks, not every run of a query."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        algebra = translateQuery(parseQuery(text)).algebra
    except Exception:  # pyparsing's ParseException and rdflib's translation errors
        return None
    if algebra.name != "SelectQuery":
        return None
    return tuple(str(variable) for variable in algebra["PV"])


def unprojected_parameters(sparql: SparqlFile) -> list[str]:
    """The parameters a query declares but does not select. Engines bind parameters by substitution (Oxigraph)
    or a VALUES block (a remote endpoint), which keep the variable in the projection, so a query must select its
    parameters for every engine to give the same columns (and each row then says what was asked)."""
    projection = projection_of(sparql.text)
    if projection is None:
        return []
    return [p.name for p in sparql.parameters if p.name not in projection]


def load_sparql_files(folder: Path, pattern: str = "*.rq") -> list[SparqlFile]:
    """Every SPARQL file of a folder (not its subfolders), sorted by name."""
    return [read_sparql_file(path) for path in sorted(folder.glob(pattern))]
