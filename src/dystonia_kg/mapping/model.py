"""The mapping model: one curated link from an entity of ours to a term of an external vocabulary."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef


@dataclass(frozen=True)
class Mapping:
    """A curated link from one of our entities to a term of an external vocabulary."""

    subject: URIRef
    subject_curie: str
    subject_label: str
    predicate_curie: str
    object_curie: str
    object_label: str
    justification: str
    comment: str
