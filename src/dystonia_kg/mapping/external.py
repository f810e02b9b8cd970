"""Reading a local copy of an external vocabulary (OBO, OWL/RDF, SSSOM) as a stream of terms.

`map check` and `map suggest` need, for each term of a vocabulary such as MONDO or HPO, its label,
synonyms and obsolescence. Vocabulary releases are large (MONDO's OWL is hundreds of megabytes), so
files are read as streams: OBO line by line, RDF with pyoxigraph's streaming parsers, SSSOM row by
row; only the few properties needed are kept per term, and progress is reported as it goes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import SourceError
from ..core.prefixes import PrefixMap
from .sssom import read_sssom

ProgressCallback = Callable[[str], None]
PROGRESS_EVERY = 500_000

_OWL_DEPRECATED = "http://www.w3.org/2002/07/owl#deprecated"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_REPLACED_BY = "http://purl.obolibrary.org/obo/IAO_0100001"
_CONSIDER = "http://www.geneontology.org/formats/oboInOwl#consider"
_SYNONYMS = {
    "http://www.geneontology.org/formats/oboInOwl#hasExactSynonym": "exact",
    "http://www.geneontology.org/formats/oboInOwl#hasRelatedSynonym": "related",
    "http://www.geneontology.org/formats/oboInOwl#hasNarrowSynonym": "narrow",
    "http://www.geneontology.org/formats/oboInOwl#hasBroadSynonym": "broad",
    "http://www.w3.org/2004/02/skos/core#altLabel": "exact",
}
_OBO_SYNONYM = re.compile(r'^synonym:\s*"((?:[^"\\]|\\.)*)"\s*(EXACT|RELATED|NARROW|BROAD)?')
RDF_SUFFIXES = {".owl", ".rdf", ".xml", ".ttl", ".nt", ".jsonld", ".n3", ".nq", ".trig"}


@dataclass
class ExternalTerm:
    """What `map check` and `map suggest` need to know about one external term."""

    curie: str
    label: str = ""
    synonyms: set[str] = field(default_factory=set)
    obsolete: bool = False
    replaced_by: list[str] = field(default_factory=list)


def vocabulary_kind(path: Path) -> str:
    """'obo', 'rdf' or 'sssom', from the file name."""
    name = path.name.lower()
    if name.endswith(".obo"):
        return "obo"
    if name.endswith((".sssom.tsv", ".tsv")):
        return "sssom"
    if path.suffix.lower() in RDF_SUFFIXES:
        return "rdf"
    raise SourceError(path, "unknown vocabulary file type: expected .obo, an RDF file (.owl, .ttl, .nt, ...) "
                            "or an SSSOM .tsv")


def read_terms(path: Path, prefixes: PrefixMap, progress: ProgressCallback | None = None) -> Iterator[ExternalTerm]:
    """Every term of a vocabulary file, one at a time (RDF terms once the whole file is streamed)."""
    if not path.is_file():
        raise SourceError(path, "no such file")
    kind = vocabulary_kind(path)
    if kind == "obo":
        yield from _read_obo(path, progress)
    elif kind == "sssom":
        yield from _read_sssom_terms(path)
    else:
        yield from _read_rdf(path, prefixes, progress)


def _read_obo(path: Path, progress: ProgressCallback | None) -> Iterator[ExternalTerm]:
    term: ExternalTerm | None = None
    in_term = False
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, raw in enumerate(handle, start=1):
            if progress and number % PROGRESS_EVERY == 0:
                progress(f"{path.name}: {number:,} lines read")
            line = raw.strip()
            if line.startswith("["):
                if term is not None:
                    yield term
                term = None
                in_term = line == "[Term]"
                continue
            if not in_term or not line or line.startswith("!"):
                continue
            key, _, value = line.partition(":")
            value = value.strip()
            if key == "id":
                term = ExternalTerm(curie=value.split(" !")[0].strip())
            elif term is None:
                continue
            elif key == "name":
                term.label = value
            elif key == "synonym":
                match = _OBO_SYNONYM.match(line)
                if match:
                    term.synonyms.add(match.group(1).replace('\\"', '"'))
            elif key == "is_obsolete" and value.lower().startswith("true"):
                term.obsolete = True
            elif key in ("replaced_by", "consider"):
                if key == "replaced_by" or not term.replaced_by:
                    term.replaced_by.append(value.split(" !")[0].strip())
    if term is not None:
        yield term


def _read_sssom_terms(path: Path) -> Iterator[ExternalTerm]:
    _curie_map, rows = read_sssom(path)
    seen: dict[str, ExternalTerm] = {}
    for row in rows:
        for curie, label in ((row.subject_id, row.subject_label), (row.object_id, row.object_label)):
            term = seen.setdefault(curie, ExternalTerm(curie=curie))
            if label and not term.label:
                term.label = label
    yield from seen.values()


def _read_rdf(path: Path, prefixes: PrefixMap, progress: ProgressCallback | None) -> Iterator[ExternalTerm]:
    import pyoxigraph

    terms: dict[str, ExternalTerm] = {}

    def term_for(iri: str) -> ExternalTerm | None:
        term = terms.get(iri)
        if term is None:
            curie = prefixes.contract(iri)
            if curie is None:
                return None
            term = terms[iri] = ExternalTerm(curie=curie)
        return term

    try:
        for count, quad in enumerate(pyoxigraph.parse(path=str(path), lenient=True), start=1):
            if progress and count % PROGRESS_EVERY == 0:
                progress(f"{path.name}: {count:,} triples read")
            subject, predicate, obj = quad.subject, quad.predicate.value, quad.object
            if not isinstance(subject, pyoxigraph.NamedNode):
                continue
            if predicate == _RDFS_LABEL and isinstance(obj, pyoxigraph.Literal):
                term = term_for(subject.value)
                if term is not None and not term.label:
                    term.label = obj.value
            elif predicate in _SYNONYMS and isinstance(obj, pyoxigraph.Literal):
                term = term_for(subject.value)
                if term is not None:
                    term.synonyms.add(obj.value)
            elif predicate == _OWL_DEPRECATED and isinstance(obj, pyoxigraph.Literal) and obj.value == "true":
                term = term_for(subject.value)
                if term is not None:
                    term.obsolete = True
            elif predicate in (_REPLACED_BY, _CONSIDER):
                term = term_for(subject.value)
                if term is not None:
                    target = obj.value
                    replacement = prefixes.contract(target) if isinstance(obj, pyoxigraph.NamedNode) else target
                    if predicate == _REPLACED_BY or not term.replaced_by:
                        term.replaced_by.append(replacement or target)
    except SyntaxError as error:
        raise SourceError(path, f"cannot be parsed as RDF: {error.msg if hasattr(error, 'msg') else error}",
                          getattr(error, "lineno", None), getattr(error, "offset", None)) from error
    except ValueError as error:
        raise SourceError(path, f"cannot be parsed as RDF: {error}") from error
    yield from terms.values()
