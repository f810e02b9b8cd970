"""Reading RDF files with errors that name the file, line and column.

rdflib's parsers raise a different exception per format, some with a position and some without;
this module turns each into one SourceError so every command reports bad input the same way.
"""

from __future__ import annotations

import json
import xml.sax
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import SourceError

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.plugins.parsers.notation3 import BadSyntax


@dataclass(frozen=True)
class RdfFileType:
    """What a file suffix means: the rdflib parser and the pyoxigraph RdfFormat (by attribute name) that read it;
    no rdflib parser for the dataset formats (N-Quads, TriG), which only the store loads."""

    suffix: str
    rdflib_format: str | None
    oxigraph_format: str


RDF_FILE_TYPES: tuple[RdfFileType, ...] = (
    RdfFileType(".ttl", "turtle", "TURTLE"),
    RdfFileType(".turtle", "turtle", "TURTLE"),
    RdfFileType(".nt", "nt", "N_TRIPLES"),
    RdfFileType(".ntriples", "nt", "N_TRIPLES"),
    RdfFileType(".owl", "xml", "RDF_XML"),
    RdfFileType(".rdf", "xml", "RDF_XML"),
    RdfFileType(".xml", "xml", "RDF_XML"),
    RdfFileType(".jsonld", "json-ld", "JSON_LD"),
    RdfFileType(".json", "json-ld", "JSON_LD"),
    RdfFileType(".n3", "n3", "N3"),
    RdfFileType(".nq", None, "N_QUADS"),
    RdfFileType(".trig", None, "TRIG"),
)
"""The one suffix -> format table of the project (graphs read by rdflib, graphs and datasets read by Oxigraph)."""

FORMATS_BY_SUFFIX: dict[str, str] = {t.suffix: t.rdflib_format for t in RDF_FILE_TYPES if t.rdflib_format}
"""Suffix -> rdflib parser name, for the files rdflib reads."""


def rdf_format_of(path: Path) -> str:
    """The rdflib parser name for a file, from its suffix (RDF/XML for .owl)."""
    try:
        return FORMATS_BY_SUFFIX[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise SourceError(path, f"unknown RDF file type '{path.suffix}' (known: {known})") from None


def oxigraph_format_of(path: Path) -> Any:
    """The pyoxigraph RdfFormat for a file, from its suffix (datasets included)."""
    import pyoxigraph

    by_suffix = {t.suffix: t.oxigraph_format for t in RDF_FILE_TYPES}
    name = by_suffix.get(path.suffix.lower())
    if name is None:
        known = ", ".join(sorted(by_suffix))
        raise SourceError(path, f"cannot load '{path.suffix}' files into the store (known: {known})")
    return getattr(pyoxigraph.RdfFormat, name)


def parse_rdf_file(path: Path, into: Graph | None = None, rdf_format: str | None = None) -> Graph:
    """Parse one RDF file into a graph (a new one unless `into` is given).

    When parsing fails, the triples already added to `into` may be incomplete; callers that merge
    parse each file into its own graph first when they must not leave a half-merged graph behind.
    """

    from rdflib import Graph
    from rdflib.plugins.parsers.notation3 import BadSyntax

    graph = into if into is not None else Graph()
    rdf_format = rdf_format or rdf_format_of(path)
    if not path.is_file():
        raise SourceError(path, "no such file" if not path.exists() else "not a file")
    try:
        graph.parse(path, format=rdf_format)
    except BadSyntax as error:
        raise _from_bad_syntax(path, error) from error
    except xml.sax.SAXParseException as error:
        raise SourceError(path, f"invalid RDF/XML: {error.getMessage()}", error.getLineNumber(),
                          error.getColumnNumber()) from error
    except json.JSONDecodeError as error:
        raise SourceError(path, f"invalid JSON-LD: {error.msg}", error.lineno, error.colno) from error
    except UnicodeDecodeError as error:
        raise SourceError(path, f"not UTF-8 text: {error.reason} at byte {error.start}") from error
    except PermissionError as error:
        raise SourceError(path, f"cannot be read: {error.strerror}") from error
    except Exception as error:  # rdflib's other parsers raise assorted exception types
        line = _first_bad_ntriples_line(path) if rdf_format == "nt" else None
        raise SourceError(path, f"cannot be parsed as {rdf_format}: {error}", line) from error
    return graph


def _from_bad_syntax(path: Path, error: BadSyntax) -> SourceError:
    """Line and column of a Turtle/N3 syntax error, recovered from rdflib's parser state."""
    document: bytes | str = error._str  # the document as the parser saw it
    offset: int = error._i
    line = error.lines + 1
    line_start = (document.rfind(b"\n", 0, offset) if isinstance(document, bytes)
                  else document.rfind("\n", 0, offset)) + 1
    column = offset - line_start + 1
    return SourceError(path, f"Turtle syntax error: {error._why}", line, column)


def _first_bad_ntriples_line(path: Path) -> int | None:
    """rdflib's N-Triples parser names the bad text but not its line: find the line by re-parsing."""
    from rdflib import Graph

    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                Graph().parse(data=line, format="nt")
            except Exception:
                return number
    return None
