"""Reading RDF files with errors that name the file, line and column.

rdflib's parsers raise a different exception per format, some with a position and some without;
this module turns each into one SourceError so every command reports bad input the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import SourceError

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.plugins.parsers.notation3 import BadSyntax

FORMATS_BY_SUFFIX: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".owl": "xml",
    ".rdf": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".n3": "n3",
}


def rdf_format_of(path: Path) -> str:
    """The rdflib parser name for a file, from its suffix (RDF/XML for .owl)."""
    try:
        return FORMATS_BY_SUFFIX[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise SourceError(path, f"unknown RDF file type '{path.suffix}' (known: {known})") from None


def parse_rdf_file(path: Path, into: Graph | None = None, rdf_format: str | None = None) -> Graph:
    """Parse one RDF file into a graph (a new one unless `into` is given).

    When parsing fails, the triples already added to `into` may be incomplete; callers that merge
    parse each file into its own graph first when they must not leave a half-merged graph behind.
    """
    import json
    import xml.sax

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
    text: bytes | str = error._str  # the document as the parser saw it
    offset: int = error._i
    line = error.lines + 1
    newline = b"\n" if isinstance(text, bytes) else "\n"
    column = offset - (text.rfind(newline, 0, offset) + 1) + 1
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
