"""The build pipeline: load -> reason -> validate -> export, each step timed and reported.

Only a graph that passed every step is written, so the release in the output folder is always one
that is consistent, has no unsatisfiable class, and conforms to the shapes and QC rules.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from ..core.atomic import write_text_atomically
from ..core.errors import DystoniaKGError, ValidationFailedError
from ..core.resources import SourceLayout, default_layout
from ..core.vocabulary import OWL, RDF
from ..mapping.sssom import SSSOM_SUFFIX, sssom_text
from .bridge import BRIDGE_SUFFIX, mondo_bridge_graph
from .canonical import canonical_graph
from .export import write_release
from .kgx import BiolinkMapping
from .loading import LoadedSources, load_sources
from .rdfxml import rdfxml_text
from .reasoning import ReasoningResult, classify, require_satisfiable
from .validation import ValidationReport, Validator, declare_prefixes

RELEASES_BASE = "https://w3id.org/dystonia-kg/releases/"
ProgressCallback = Callable[[str], None]


@dataclass
class StepTiming:
    step: str
    seconds: float


@dataclass
class BuildResult:
    """What a build produced and measured."""

    graph: Graph
    reasoning: ReasoningResult
    report: ValidationReport
    files: dict[str, Path]
    version: str
    timings: list[StepTiming] = field(default_factory=list)


def release_date_default() -> date:
    """SOURCE_DATE_EPOCH (the reproducible-builds convention) if set, else today's date in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return datetime.now(tz=timezone.utc).date()


def stamp_version(graph: Graph, ontology_iri: URIRef, release_date: date) -> str:
    """Set the dated owl:versionIRI and owl:versionInfo of the ontology header; returns the version."""
    version = release_date.isoformat()
    file_name = str(ontology_iri).rstrip("/").rsplit("/", 1)[-1]
    graph.remove((ontology_iri, OWL.versionIRI, None))
    graph.remove((ontology_iri, OWL.versionInfo, None))
    graph.add((ontology_iri, OWL.versionIRI, URIRef(f"{RELEASES_BASE}{version}/{file_name}")))
    graph.add((ontology_iri, OWL.versionInfo, Literal(version)))
    return version


def add_inferences(graph: Graph, reasoning: ReasoningResult) -> None:
    """Materialise the inferred hierarchy and memberships, so SPARQL sees what the reasoner saw."""
    for inference in reasoning.inferred:
        graph.add((inference.subject, inference.predicate, inference.object))


class _Steps:
    """Times each step and reports progress through the callback."""

    def __init__(self, progress: ProgressCallback | None):
        self.progress = progress or (lambda message: None)
        self.timings: list[StepTiming] = []

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        self.progress(f"{name} ...")
        started = time.perf_counter()
        try:
            yield
        except DystoniaKGError:
            self.progress(f"{name} failed after {time.perf_counter() - started:.2f} s")
            raise
        elapsed = time.perf_counter() - started
        self.timings.append(StepTiming(name, elapsed))
        self.progress(f"{name} done in {elapsed:.2f} s")


def load_and_reason(layout: SourceLayout | None = None, release_date: date | None = None,
                    progress: ProgressCallback | None = None) -> tuple[LoadedSources, ReasoningResult, _Steps]:
    """Steps 1 and 2: the merged sources, version-stamped, and what HermiT inferred from them."""
    layout = layout or default_layout()
    steps = _Steps(progress)
    with steps.step("load"):
        sources = load_sources(layout)
        stamp_version(sources.graph, sources.ontology_iri, release_date or release_date_default())
        # The header publishes the prefix map, so SPARQL users know what every CURIE expands to.
        declare_prefixes(sources.graph, sources.ontology_iri, sources.prefixes)
    with steps.step("reason"):
        reasoning = classify(sources.graph, str(sources.ontology_iri))
    return sources, reasoning, steps


def build_release(out_dir: Path, layout: SourceLayout | None = None, release_date: date | None = None,
                  report_file: Path | None = None, progress: ProgressCallback | None = None) -> BuildResult:
    """Run the whole pipeline and write the release into out_dir (only if every check passed)."""
    layout = layout or default_layout()
    sources, reasoning, steps = load_and_reason(layout, release_date, progress)
    require_satisfiable(reasoning)
    graph = sources.graph
    add_inferences(graph, reasoning)
    with steps.step("validate"):
        report = Validator(layout, sources.prefixes).validate(graph)
    if report_file is not None:
        write_text_atomically(report_file, report.to_json())
    if not report.conforms:
        raise ValidationFailedError(report)
    version = str(graph.value(sources.ontology_iri, OWL.versionInfo))
    with steps.step("export"):
        mapping_set = sssom_text(sources.mappings, sources.prefixes, version)
        biolink = BiolinkMapping.from_folder(layout.ontology_dir, sources.prefixes)
        inferred = {(i.subject, i.predicate, i.object) for i in reasoning.inferred}
        bridge = mondo_bridge_graph(graph, sources.mappings, sources.prefixes, version)
        companions = {SSSOM_SUFFIX: mapping_set,
                      BRIDGE_SUFFIX: rdfxml_text(canonical_graph(bridge), sources.prefixes)}
        files = write_release(graph, out_dir, sources.prefixes, companions, biolink, inferred)
    return BuildResult(graph, reasoning, report, files, version, steps.timings)


def count_summary(graph: Graph, reasoning: ReasoningResult) -> dict[str, int]:
    """The closing summary of a build: sizes of what was released."""
    named = lambda kind: {s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef)}  # noqa: E731
    return {
        "classes": len(named(OWL.Class)),
        "object properties": len(named(OWL.ObjectProperty)),
        "annotation properties": len(named(OWL.AnnotationProperty)),
        "individuals": len(named(OWL.NamedIndividual)),
        "triples": len(graph),
        "inferred subsumptions": len(reasoning.subsumptions),
        "inferred axioms in all": len(reasoning.inferred),
    }
