"""The committed prefix map: one place that says what every CURIE prefix expands to.

It feeds the release's namespace declarations, the SSSOM curie_map, the validation of
cross-references and the CLI's parsing of CURIE arguments. It is never fetched at run time.
Expansions follow MONDO's (OBO PURLs for OBO ontologies, identifiers.org for HGNC, omim.org for OMIM).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import SourceError

if TYPE_CHECKING:
    from rdflib import Graph, URIRef

_CURIE = re.compile(r"^(?P<prefix>[A-Za-z][A-Za-z0-9_.]*):(?P<local>\S+)$")


@dataclass(frozen=True)
class Prefix:
    """One prefix: its expansion, the shape of its local identifiers, and what it names."""

    prefix: str
    uri_prefix: str
    pattern_text: str
    name: str
    curie_only: bool
    """True for prefixes used only in CURIE strings (sources such as PMID), never bound in RDF."""
    ours: bool = False
    """True for the prefixes this project mints (its terms, seed documents, shapes)."""

    @property
    def pattern(self) -> re.Pattern[str]:
        """The shape of local identifiers, compiled when first needed (re caches it): a command that
        only shortens IRIs to CURIEs need not compile a pattern per prefix."""
        return re.compile(self.pattern_text)


@dataclass(frozen=True)
class ProjectIdentity:
    """Who we are, as the prefix map's "$project" record says (written nowhere else): our namespace, the prefix
    of our terms, the ontology's IRI, where dated releases and mapping suggestions are published."""

    namespace: str
    term_prefix: str
    ontology_iri: str
    releases_base: str
    suggestions_base: str

    @property
    def ontology_file_name(self) -> str:
        return self.ontology_iri.rstrip("/").rsplit("/", 1)[-1]

    def version_iri(self, version: str) -> str:
        """The owl:versionIRI of a dated release: RELEASES_BASE/VERSION/dystonia.owl."""
        return f"{self.releases_base}{version}/{self.ontology_file_name}"

    def release_file_iri(self, version: str, file_name: str) -> str:
        """Where a file of a dated release (e.g. its SSSOM mapping set) is published."""
        return f"{self.releases_base}{version}/{file_name}"


def _checked_pattern(text: str) -> str:
    """The pattern itself, once it is known to be text (compiled lazily, see Prefix.pattern)."""
    if not isinstance(text, str):
        raise TypeError(f"pattern {text!r} is not a string")
    return text


class PrefixMap:
    """A read-only prefix map with CURIE expansion, contraction and validation."""

    def __init__(self, prefixes: Mapping[str, Prefix], identity: ProjectIdentity | None = None):
        self._prefixes = dict(prefixes)
        self._identity = identity
        # Longest expansion first, so contraction picks the most specific namespace.
        self._by_expansion = sorted(self._prefixes.values(), key=lambda p: len(p.uri_prefix), reverse=True)

    @classmethod
    def from_file(cls, path: Path) -> PrefixMap:
        try:
            records = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise SourceError(path, f"invalid JSON: {error.msg}", error.lineno, error.colno) from error
        prefixes: dict[str, Prefix] = {}
        identity = None
        if "$project" in records:
            try:
                fields = {k: v for k, v in records["$project"].items() if not k.startswith("$")}
                identity = ProjectIdentity(**fields)
            except (AttributeError, TypeError) as error:
                raise SourceError(path, f"the $project record is malformed: {error}") from error
        for prefix, record in records.items():
            if prefix.startswith("$"):
                continue  # "$comment", "$project"
            try:
                prefixes[prefix] = Prefix(
                    prefix=prefix,
                    uri_prefix=record["uri_prefix"],
                    pattern_text=_checked_pattern(record.get("pattern", r"^\S+$")),
                    name=record.get("name", prefix),
                    curie_only=bool(record.get("curie_only", False)),
                    ours=bool(record.get("ours", False)),
                )
            except (KeyError, TypeError, re.error) as error:
                raise SourceError(path, f"prefix '{prefix}' is malformed: {error}") from error
        return cls(prefixes, identity)

    @property
    def identity(self) -> ProjectIdentity:
        """The project's identity; a prefix map without a "$project" record (a user's own) has none."""
        if self._identity is None:
            raise ValueError("this prefix map has no \"$project\" record naming the project's namespace and IRIs")
        return self._identity

    @property
    def ours(self) -> tuple[Prefix, ...]:
        """The prefixes this project mints, sorted by prefix."""
        return tuple(p for p in self if p.ours)

    def is_ours(self, iri: str) -> bool:
        """Whether an IRI is in one of the namespaces this project mints."""
        return any(iri.startswith(p.uri_prefix) for p in self.ours)

    def as_declared(self, declarations: Mapping[str, str]) -> PrefixMap:
        """The prefix map a release declares (prefix -> namespace, from its sh:declare), so the read side expands
        and shows CURIEs exactly as the release it reads was built. A prefix this map also knows with the same
        namespace keeps what a declaration cannot say (identifier pattern, name, ours); the identity is this map's."""
        prefixes: dict[str, Prefix] = {}
        for prefix, namespace in declarations.items():
            known = self._prefixes.get(prefix)
            if known is not None and known.uri_prefix == namespace:
                prefixes[prefix] = known
            else:
                prefixes[prefix] = Prefix(prefix, namespace, r"^\S+$", prefix, curie_only=False)
        return PrefixMap(prefixes, self._identity)

    def __contains__(self, prefix: str) -> bool:
        return prefix in self._prefixes

    def __iter__(self) -> Iterator[Prefix]:
        return iter(sorted(self._prefixes.values(), key=lambda p: p.prefix))

    def __getitem__(self, prefix: str) -> Prefix:
        return self._prefixes[prefix]

    def as_dict(self) -> dict[str, str]:
        """prefix -> expansion, sorted by prefix (for curie_maps and JSON-LD contexts)."""
        return {p.prefix: p.uri_prefix for p in self}

    def problem_with_curie(self, curie: str) -> str | None:
        """Why a CURIE is not a valid reference (unknown prefix, malformed local id), or None."""
        match = _CURIE.match(curie)
        if not match:
            return f"'{curie}' is not a CURIE of the form PREFIX:ID"
        prefix = self._prefixes.get(match["prefix"])
        if prefix is None:
            return f"'{curie}' uses the prefix '{match['prefix']}', which is not in the prefix map"
        try:
            shape = prefix.pattern
        except re.error as error:
            return f"the pattern of {prefix.prefix} identifiers in the prefix map is not a regular expression: {error}"
        if not shape.match(match["local"]):
            return f"'{curie}' does not match the pattern {prefix.pattern.pattern} of {prefix.prefix} identifiers"
        return None

    def expand(self, curie: str) -> URIRef:
        """The IRI of a valid CURIE; ValueError says why when it is not valid."""
        from rdflib import URIRef

        return URIRef(self.expand_to_string(curie))

    def expand_to_string(self, curie: str) -> str:
        """The IRI of a valid CURIE as a plain string (no rdflib needed); ValueError when not valid."""
        problem = self.problem_with_curie(curie)
        if problem:
            raise ValueError(problem)
        prefix, local = curie.split(":", 1)
        return self._prefixes[prefix].uri_prefix + local

    def contract(self, iri: str) -> str | None:
        """The CURIE of an IRI under the most specific known namespace, or None."""
        for prefix in self._by_expansion:
            if iri.startswith(prefix.uri_prefix) and len(iri) > len(prefix.uri_prefix):
                return f"{prefix.prefix}:{iri[len(prefix.uri_prefix):]}"
        return None

    def bind_to(self, graph: Graph) -> None:
        """Declare the RDF prefixes on a graph so its serializations use them."""
        for prefix in self:
            if not prefix.curie_only:
                graph.bind(prefix.prefix, prefix.uri_prefix, override=True, replace=True)
