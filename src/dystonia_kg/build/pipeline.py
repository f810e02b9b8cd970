"""The build pipeline: load -> reason -> validate -> export, each step timed and reported.

Only a graph that passed every step is written, so the release in the output folder is always one
that is consistent, has no unsatisfiable class, and conforms to the shapes and QC rules.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from ..core.atomic import write_text_atomically
from ..core.errors import DystoniaKGError, SourceError, ValidationFailedError
from ..core.prefixes import ProjectIdentity
from ..core.release import RELEASE_BASENAME
from ..core.resources import SourceLayout, default_layout
from ..core.vocabulary import DCTERMS, OWL, RDF, RDFS
from ..mapping.sssom import SSSOM_SUFFIX, mapping_set_metadata, sssom_text
from .bridge import BRIDGE_SUFFIX, mondo_bridge_graph
from .canonical import canonical_graph
from .export import write_release
from .kgx import BiolinkMapping
from .layer import LAYER_BASENAME_SUFFIX, Layer, build_layer, check_layer, curated_labels, layer_available
from .loading import LoadedSources, load_sources
from .rdfxml import rdfxml_text
from .reasoning import ReasoningResult, classify, require_satisfiable
from .validation import ValidationReport, Validator, Violation, declare_prefixes

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
    layer: Layer | None = None


def release_date_default() -> date:
    """SOURCE_DATE_EPOCH (the reproducible-builds convention) if set, else today's date in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return datetime.now(tz=timezone.utc).date()


def stamp_version(graph: Graph, ontology_iri: URIRef, release_date: date, identity: ProjectIdentity) -> str:
    """Set the dated owl:versionIRI and owl:versionInfo of the ontology header; returns the version."""
    version = release_date.isoformat()
    graph.remove((ontology_iri, OWL.versionIRI, None))
    graph.remove((ontology_iri, OWL.versionInfo, None))
    graph.add((ontology_iri, OWL.versionIRI, URIRef(identity.version_iri(version))))
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
                    progress: ProgressCallback | None = None,
                    while_reasoning: Callable[[LoadedSources], None] | None = None,
                    ) -> tuple[LoadedSources, ReasoningResult, _Steps]:
    """Steps 1 and 2: the merged sources, version-stamped, and what HermiT inferred from them.

    `while_reasoning`, if given, runs in a thread while HermiT (a Java process) classifies: work that needs
    the loaded sources but not the reasoner's answer (the imported layer) costs no wall-clock time there."""
    layout = layout or default_layout()
    steps = _Steps(progress)
    with steps.step("load"):
        sources = load_sources(layout)
        stamp_version(sources.graph, sources.ontology_iri, release_date or release_date_default(),
                      sources.prefixes.identity)
        # The header publishes the prefix map, so SPARQL users know what every CURIE expands to.
        declare_prefixes(sources.graph, sources.ontology_iri, sources.prefixes)
        describe_layer_in_header(sources.graph, sources.ontology_iri, layout)
    if while_reasoning is not None:
        while_reasoning(sources)
    with steps.step("reason"):
        reasoning = classify(sources.graph, str(sources.ontology_iri))
    return sources, reasoning, steps


def build_release(out_dir: Path, layout: SourceLayout | None = None, release_date: date | None = None,
                  report_file: Path | None = None, progress: ProgressCallback | None = None) -> BuildResult:
    """Run the whole pipeline and write the release into out_dir (only if every check passed)."""
    layout = layout or default_layout()
    layer_job = _LayerJob(layout) if layer_available(layout) else None
    sources, reasoning, steps = load_and_reason(layout, release_date, progress,
                                                layer_job.start if layer_job else None)
    if layer_job is not None and reasoning.unsatisfiable:
        layer_job.wait()
    require_satisfiable(reasoning)
    graph = sources.graph
    add_inferences(graph, reasoning)
    with steps.step("validate"):
        report = Validator(layout, sources.prefixes).validate(graph)
    layer = None
    if layer_job is not None:
        # The imported HPO layer: generated from the committed extract, kept out of HermiT and pyshacl,
        # checked by its own QC rules on Oxigraph (build/layer.py); built while HermiT ran.
        with steps.step("layer (rest of)"):
            layer, findings = layer_job.wait()
            for finding in findings:
                report.violations.append(Violation(rule=f"layer/{finding.rule}", entity=finding.entity, label="",
                                                   message=finding.message, origin="qc"))
    if report_file is not None:
        write_text_atomically(report_file, report.to_json())
    if not report.conforms:
        raise ValidationFailedError(report)
    version = str(graph.value(sources.ontology_iri, OWL.versionInfo))
    with steps.step("export"):
        identity = sources.prefixes.identity
        try:
            metadata = mapping_set_metadata(graph, URIRef(identity.namespace + RELEASE_BASENAME + SSSOM_SUFFIX),
                                            sources.ontology_iri)
        except ValueError as error:
            raise SourceError(layout.ontology_dir, str(error)) from error
        mapping_set = sssom_text(sources.mappings, sources.prefixes, version, metadata)
        biolink = BiolinkMapping.from_folder(layout.ontology_dir, sources.prefixes)
        inferred = {(i.subject, i.predicate, i.object) for i in reasoning.inferred}
        bridge = mondo_bridge_graph(graph, sources.mappings, sources.prefixes, version)
        companions = {SSSOM_SUFFIX: mapping_set,
                      BRIDGE_SUFFIX: rdfxml_text(canonical_graph(bridge), sources.prefixes)}
        if layer is not None:
            companions[f"{LAYER_BASENAME_SUFFIX}.ttl"] = layer.turtle()
            companions[f"{LAYER_BASENAME_SUFFIX}.nt"] = layer.ntriples
        files = write_release(graph, out_dir, sources.prefixes, companions, biolink, inferred)
    return BuildResult(graph, reasoning, report, files, version, steps.timings, layer)


class _LayerJob:
    """The imported layer, generated and checked in a thread started once the sources are loaded."""

    def __init__(self, layout: SourceLayout):
        self.layout = layout
        self._thread: threading.Thread | None = None
        self._result: tuple[Layer, list] | None = None
        self._error: BaseException | None = None

    def start(self, sources: LoadedSources) -> None:
        labels = curated_labels(sources.graph)  # read before the reasoner's answer is added to the graph

        def run() -> None:
            try:
                layer = build_layer(self.layout, sources.prefixes, sources.mappings, labels)
                findings = check_layer(layer, self.layout)
                layer.turtle()  # the release texts too, while HermiT still runs (export only writes them)
                self._result = (layer, findings)
            except BaseException as error:  # handed to the main thread by wait()
                self._error = error

        self._thread = threading.Thread(target=run, name="dystonia-kg-layer", daemon=True)
        self._thread.start()

    def wait(self) -> tuple[Layer, list]:
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result


def describe_layer_in_header(graph: Graph, ontology_iri: URIRef, layout: SourceLayout) -> None:
    """HPO's licence asks users to show the release used: the header names the HPO release of the layer and
    points at the layer's own file (released beside the ontology as dystonia-hpo.ttl / .nt)."""
    if not layer_available(layout):
        return
    from ..mapping.hpo_import import read_extract
    from .layer import LAYER_ONTOLOGY_IRI

    version = read_extract(layout.ontology_dir).version
    graph.add((ontology_iri, RDFS.seeAlso, URIRef(LAYER_ONTOLOGY_IRI)))
    graph.add((ontology_iri, DCTERMS.source, Literal(
        f"Human Phenotype Ontology (HPO) release {version}: the imported disease layer (dystonia-hpo.ttl) holds "
        "HPO's disease annotations, genes and terms from this release, unaltered; cite HPO (https://hpo.jax.org) "
        "and this release when you use them.")))


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
