"""What the classification knows, read once from the release: the axis values and their names, the
onset bands, the body regions with their kind and contiguity, the HPO terms that state a value, the
forms' profiles, and the work-up and treatments with their sources.

All of it is data in the ontology (ontology/classification.ttl, terms/classification.tsv,
axioms/contiguity.tsv, axioms/workup.tsv, ...) read through the SPARQL files in queries/internal/; nothing here knows a
region, a band or a drug by name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.query import ResultRow

from ..core.errors import SourceError
from ..core.prefixes import PrefixMap
from ..core.release import load_release
from ..core.resources import SourceLayout, default_layout
from ..core.sparql_files import read_sparql_file
from ..core.vocabulary import DEFINITION, RDFS

AXIS_QUERIES = "internal/classification-axis-values.rq"
ANNOTATION_QUERY = "internal/classification-annotations.rq"
REGION_QUERY = "internal/classification-region-kinds.rq"
CONTIGUITY_QUERY = "internal/classification-contiguity.rq"
RECOMMENDATION_QUERY = "internal/classification-recommendations.rq"
FORM_QUERY = "internal/classification-form-profiles.rq"
# The project's own root classes the rules start from (identifiers, not data: the data hangs off them).
DYSTONIA = "DYKG:0000001"
OTHER_NEUROLOGICAL_FEATURE = "DYKG:0001420"
SYSTEMIC_FEATURE = "DYKG:0001421"
_SPACES = re.compile(r"\s+")


def normalise_name(text: str) -> str:
    """Names compared case-insensitively, with white space, '-' and '_' folded."""
    return _SPACES.sub(" ", text.replace("_", " ").replace("-", " ")).strip().lower()


@dataclass(frozen=True)
class Value:
    """A class of the graph: its IRI, CURIE and label."""

    iri: str
    curie: str
    label: str

    def as_json(self) -> dict[str, str]:
        return {"id": self.curie, "label": self.label}


@dataclass(frozen=True)
class Region:
    value: Value
    kind: str  # midline | paired | lateral


@dataclass(frozen=True)
class Recommendation:
    """A test or treatment the graph links to a kind of dystonia, with the sources of the link."""

    use: str  # workup | treatment
    subject: Value
    relation: str
    kind: str  # IRI of the kind of dystonia
    sources: tuple[str, ...]
    comment: str


@dataclass
class ClassificationKnowledge:
    """The data the rules read, indexed for fast look-up."""

    graph: Graph
    prefixes: PrefixMap
    values: dict[str, Value] = field(default_factory=dict)  # IRI -> value
    axis_of: dict[str, str] = field(default_factory=dict)  # IRI -> axis
    property_of_axis: dict[str, str] = field(default_factory=dict)  # axis -> property IRI
    definitions: dict[str, str] = field(default_factory=dict)
    names: dict[tuple[str, str], str] = field(default_factory=dict)  # (axis, normalised name) -> IRI
    onset_bands: list[tuple[int, int | None, str]] = field(default_factory=list)  # (from, to, IRI)
    regions: dict[str, Region] = field(default_factory=dict)
    region_names: dict[str, str] = field(default_factory=dict)
    contiguous: set[frozenset[str]] = field(default_factory=set)
    hpo_states: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # HP IRI -> our IRIs
    annotations: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    recommendations: list[Recommendation] = field(default_factory=list)
    form_profiles: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    superclasses: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def dystonia_iri(self) -> str:
        """The project's root class of dystonia (a case is an instance of it)."""
        return str(self.prefixes.expand(DYSTONIA))

    @property
    def neurological_feature_iri(self) -> str:
        return str(self.prefixes.expand(OTHER_NEUROLOGICAL_FEATURE))

    @property
    def systemic_feature_iri(self) -> str:
        return str(self.prefixes.expand(SYSTEMIC_FEATURE))

    def value(self, iri: str) -> Value:
        if iri not in self.values:
            label = next((str(o) for o in self.graph.objects(URIRef(iri), RDFS.label)), iri)
            self.values[iri] = Value(iri, self.prefixes.contract(iri) or iri, label)
        return self.values[iri]

    def annotation(self, iri: str, key: str) -> list[str]:
        return self.annotations.get((iri, key), [])

    def ancestors(self, iri: str) -> frozenset[str]:
        """The class and every named superclass (the release holds the inferred hierarchy)."""
        cached = self.superclasses.get(iri)
        if cached is None:
            seen = {iri}
            stack = [iri]
            while stack:
                for parent in self.graph.objects(URIRef(stack.pop()), RDFS.subClassOf):
                    if isinstance(parent, URIRef) and str(parent) not in seen:
                        seen.add(str(parent))
                        stack.append(str(parent))
            cached = self.superclasses[iri] = frozenset(seen)
        return cached

    def hpo_iri(self, curie: str) -> str:
        return str(self.prefixes.expand(curie))


Rows = list[dict[str, str]]
QueryRunner = Callable[[str], Rows]


def rdflib_runner(graph: Graph) -> QueryRunner:
    """SPARQL on an rdflib graph (the reference engine; used for small graphs in tests)."""

    def run(text: str) -> Rows:
        return [{str(k): str(v) for k, v in row.asdict().items()}
                for row in graph.query(text) if isinstance(row, ResultRow)]

    return run


def read_release_fast(path: Path) -> tuple[Graph, QueryRunner]:
    """Parse a release with Oxigraph (about ten times faster than rdflib) and copy it into an rdflib
    graph for the reasoners; SPARQL runs on the Oxigraph store."""
    import pyoxigraph

    from ..core.engines import from_oxigraph

    store = pyoxigraph.Store()
    suffixes = {".ttl": pyoxigraph.RdfFormat.TURTLE, ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
                ".owl": pyoxigraph.RdfFormat.RDF_XML}
    if path.suffix.lower() not in suffixes:
        graph = load_release(path)
        return graph, rdflib_runner(graph)
    try:
        store.bulk_load(path=str(path), format=suffixes[path.suffix.lower()])
    except (OSError, SyntaxError, ValueError) as error:
        raise SourceError(path, f"cannot read the release: {error}") from None
    graph = Graph()
    for quad in store:
        subject, predicate, value = (from_oxigraph(quad.subject), from_oxigraph(quad.predicate),
                                     from_oxigraph(quad.object))
        if subject is not None and predicate is not None and value is not None:
            graph.add((subject, predicate, value))

    def run(text: str) -> Rows:
        solutions = store.query(text)
        if not isinstance(solutions, pyoxigraph.QuerySolutions):
            raise SourceError(path, "a classification query must be a SELECT query")
        names = [v.value for v in solutions.variables]
        rows = []
        for solution in solutions:
            row = {}
            for name in names:
                term = solution[name]
                if term is not None:
                    row[name] = term.value
            rows.append(row)
        return rows

    return graph, run


def load_knowledge(graph: Graph, prefixes: PrefixMap, layout: SourceLayout | None = None,
                   runner: QueryRunner | None = None) -> ClassificationKnowledge:
    """Read everything the classification needs from a release graph (SPARQL on `runner` when given,
    an engine holding the same triples, else on the graph with rdflib)."""
    layout = layout or default_layout()
    knowledge = ClassificationKnowledge(graph, prefixes)
    query = runner or rdflib_runner(graph)

    def _run(_graph: Graph, _layout: SourceLayout, name: str) -> Rows:
        return query(read_sparql_file(layout.queries_dir / name).text)

    for row in _run(graph, layout, AXIS_QUERIES):
        iri, axis = row["value"], row["axis"]
        knowledge.values[iri] = Value(iri, prefixes.contract(iri) or iri, row["label"])
        knowledge.axis_of.setdefault(iri, axis)
        knowledge.property_of_axis[axis] = row["property"]
        if row.get("definition"):
            knowledge.definitions[iri] = row["definition"]
        knowledge.names.setdefault((axis, normalise_name(row["name"])), iri)
        knowledge.names.setdefault((axis, normalise_name(knowledge.values[iri].curie)), iri)
    for row in _run(graph, layout, ANNOTATION_QUERY):
        knowledge.annotations[(row["entity"], row["key"])].append(row["value"])
        if row["key"] == "hpo":
            knowledge.hpo_states[row["value"]].append(row["entity"])
    for (iri, key), found in list(knowledge.annotations.items()):
        if key == "onset_from":
            upper = knowledge.annotation(iri, "onset_to")
            knowledge.onset_bands.append((int(found[0]), int(upper[0]) if upper else None, iri))
    knowledge.onset_bands.sort()
    for row in _run(graph, layout, REGION_QUERY):
        iri = row["region"]
        knowledge.regions[iri] = Region(knowledge.value(iri), row["kind"])
        knowledge.region_names.setdefault(normalise_name(row["name"]), iri)
        knowledge.region_names.setdefault(normalise_name(knowledge.value(iri).curie), iri)
    for row in _run(graph, layout, CONTIGUITY_QUERY):
        knowledge.contiguous.add(frozenset((row["region"], row["other"])))
    for row in _run(graph, layout, RECOMMENDATION_QUERY):
        sources = tuple(sorted({s for s in row.get("source", "").split("|") if s}))
        knowledge.recommendations.append(Recommendation(
            row["use"], Value(row["subject"], prefixes.contract(row["subject"]) or row["subject"], row["subjectLabel"]),
            row["relation"], row["kind"], sources, row.get("comment", "")))
    knowledge.recommendations = _merge_sources(knowledge.recommendations)
    for row in _run(graph, layout, FORM_QUERY):
        profile = knowledge.form_profiles.setdefault(row["form"], {})
        profile.setdefault(row["property"], set()).add(row["value"])
        knowledge.values.setdefault(row["form"], Value(row["form"], prefixes.contract(row["form"]) or row["form"],
                                                       row["label"]))
    for subject, definition in graph.subject_objects(DEFINITION):
        knowledge.definitions.setdefault(str(subject), str(definition))
    return knowledge


def _merge_sources(rows: list[Recommendation]) -> list[Recommendation]:
    """One recommendation per (use, subject, relation, kind), with the sources of all its rows."""
    merged: dict[tuple[str, str, str, str], Recommendation] = {}
    for row in rows:
        key = (row.use, row.subject.iri, row.relation, row.kind)
        if key in merged:
            old = merged[key]
            merged[key] = Recommendation(row.use, row.subject, row.relation, row.kind,
                                         tuple(sorted(set(old.sources) | set(row.sources))),
                                         old.comment or row.comment)
        else:
            merged[key] = row
    return sorted(merged.values(), key=lambda r: (r.use, r.subject.label.lower(), r.kind))


def release_key(path: Path) -> tuple[str, float, int]:
    """What identifies a release file's content for caching: its path, time and size."""
    stat = path.stat()
    return (str(path.resolve()), stat.st_mtime, stat.st_size)
