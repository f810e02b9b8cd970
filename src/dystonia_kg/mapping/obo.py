"""OBO flat files (HPO, MONDO, ... as their projects ship them) turned into RDF the store can load.

The file is parsed with fastobo (the Rust OBO parser behind pronto, installed with the `obo` extra:
pip install 'dystonia-kg[obo]'), and each term becomes the triples the OBO-to-OWL mapping gives it:
the OBO PURL of its identifier (HP:0001332 -> http://purl.obolibrary.org/obo/HP_0001332), rdf:type
owl:Class, rdfs:label, the definition (IAO:0000115), synonyms by scope (oboInOwl:has*Synonym),
rdfs:subClassOf for is_a, oboInOwl:hasDbXref, owl:deprecated and IAO:0100001 'term replaced by'.
That is what our queries, name resolution and mapping checks read; other clauses are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..core.errors import EnvironmentProblemError, SourceError
from ..core.terms import Term, iri, literal

OBO_PURL = "http://purl.obolibrary.org/obo/"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"
_OWL_DEPRECATED = "http://www.w3.org/2002/07/owl#deprecated"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
_DEFINITION = OBO_PURL + "IAO_0000115"
_REPLACED_BY = OBO_PURL + "IAO_0100001"
_OBO_IN_OWL = "http://www.geneontology.org/formats/oboInOwl#"
_SYNONYM_BY_SCOPE = {"EXACT": "hasExactSynonym", "RELATED": "hasRelatedSynonym", "NARROW": "hasNarrowSynonym",
                     "BROAD": "hasBroadSynonym"}
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def _fastobo() -> Any:
    try:
        import fastobo
    except ImportError:
        raise EnvironmentProblemError("loading OBO files needs fastobo (with pronto):"
                                      " pip install 'dystonia-kg[obo]'") from None
    return fastobo


def term_iri(identifier: Any) -> str | None:
    """The OBO PURL of a prefixed identifier (HP:0001332); None for an unprefixed or URL identifier."""
    prefix, local = getattr(identifier, "prefix", None), getattr(identifier, "local", None)
    if prefix is None or local is None or prefix in ("http", "https"):
        return None
    return f"{OBO_PURL}{prefix}_{local}"


def obo_triples(path: Path) -> Iterator[tuple[Term, Term, Term]]:
    """The triples of every term of an OBO file (see the module docstring for what is kept)."""
    fastobo = _fastobo()
    try:
        # Whole-line '!' comments are common in hand-made files and refused by fastobo: drop them.
        text = "".join(line for line in path.open(encoding="utf-8") if not line.startswith("!"))
        document = fastobo.loads(text)
    except UnicodeDecodeError as error:
        raise SourceError(path, f"not UTF-8 text: {error.reason} at byte {error.start}") from None
    except (SyntaxError, ValueError, OSError) as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise SourceError(path, f"cannot be parsed as OBO: {message}") from None
    for frame in document:
        if type(frame).__name__ != "TermFrame":
            continue
        subject_iri = term_iri(frame.id)
        if subject_iri is None:
            continue
        subject = iri(subject_iri)
        yield subject, iri(_RDF_TYPE), iri(_OWL_CLASS)
        for clause in frame:
            yield from _clause_triples(subject, clause)


def _clause_triples(subject: Term, clause: Any) -> Iterator[tuple[Term, Term, Term]]:
    kind = type(clause).__name__
    if kind == "NameClause":
        yield subject, iri(_RDFS_LABEL), literal(str(clause.name))
    elif kind == "DefClause":
        yield subject, iri(_DEFINITION), literal(str(clause.definition))
    elif kind == "SynonymClause":
        scope = _SYNONYM_BY_SCOPE.get(str(clause.synonym.scope).upper(), "hasRelatedSynonym")
        yield subject, iri(_OBO_IN_OWL + scope), literal(str(clause.synonym.desc))
    elif kind == "IsAClause":
        parent = term_iri(clause.term)
        if parent:
            yield subject, iri(_RDFS_SUBCLASS), iri(parent)
    elif kind == "XrefClause":
        yield subject, iri(_OBO_IN_OWL + "hasDbXref"), literal(str(clause.xref.id))
    elif kind == "IsObsoleteClause" and clause.obsolete:
        yield subject, iri(_OWL_DEPRECATED), literal("true", _BOOLEAN)
    elif kind == "ReplacedByClause":
        replacement = term_iri(clause.term)
        if replacement:
            yield subject, iri(_REPLACED_BY), iri(replacement)
    elif kind == "ConsiderClause":
        other = term_iri(clause.term)
        if other:
            yield subject, iri(_OBO_IN_OWL + "consider"), iri(other)
    elif kind == "CommentClause":
        yield subject, iri(_RDFS_COMMENT), literal(str(clause.raw_value()))


def write_obo_as_ntriples(path: Path, target: Path) -> int:
    """Write the triples of an OBO file as N-Triples into `target`; returns how many."""
    count = 0
    with target.open("w", encoding="utf-8") as out:
        for subject, predicate, obj in obo_triples(path):
            out.write(f"{subject.n3()} {predicate.n3()} {obj.n3()} .\n")
            count += 1
    return count
