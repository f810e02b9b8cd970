"""The operations a Python user calls, the same ones the CLI offers.

    import dystonia_kg as dkg
    dkg.build("dist")                               # load, reason, validate, export
    graph = dkg.load_release("dist/dystonia.ttl")    # an rdflib Graph
    rows = dkg.query("types-by-region", {"region": "neck"}, graph=graph).as_dicts()
    report = dkg.validate_graph(my_graph)            # a ValidationReport
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Graph

from .build.pipeline import BuildResult, ProgressCallback, build_release, count_summary, load_and_reason
from .build.reasoning import ReasoningResult
from .build.validation import ValidationReport, Validator, load_rdf_for_validation
from .core.atomic import write_text_atomically
from .core.engines import Engine, OxigraphEngine, RdflibEngine, RemoteEngine
from .core.errors import (
    DystoniaKGError,
    InconsistentOntologyError,
    JavaNotFoundError,
    MissingPackageError,
    QueryError,
    ReasonerError,
    ReleaseNotFoundError,
    SourceError,
    ValidationFailedError,
)
from .core.prefixes import PrefixMap
from .core.release import default_release_file, load_release
from .core.resources import SourceLayout, default_layout
from .core.sparql_files import SparqlFile
from .mapping import matching
from .mapping.matching import CheckReport
from .mapping.sssom import MappingRow, write_suggestions
from .query.catalogue import (
    OUTPUT_FORMATS,
    QueryCatalogue,
    QueryResult,
    format_result,
    parse_parameter_arguments,
    run_query,
)
from .query.serving import DEFAULT_GRAPH, publish, serve
from .query.stats import Statistics, compute_statistics
from .query.store import EmbeddedStore, LoadedFile


@lru_cache(maxsize=4)
def prefix_map(layout: SourceLayout | None = None) -> PrefixMap:
    """The committed prefix map (ontology/prefixes.json)."""
    return PrefixMap.from_file((layout or default_layout()).prefix_map_file)


def build(out_dir: Path | str = "dist", layout: SourceLayout | None = None, release_date: date | None = None,
          report_file: Path | str | None = None, progress: ProgressCallback | None = None) -> BuildResult:
    """Build the release into out_dir; raises a DystoniaKGError subclass when a step fails."""
    return build_release(Path(out_dir), layout, release_date, Path(report_file) if report_file else None, progress)


def summary(result: BuildResult) -> dict[str, int]:
    return count_summary(result.graph, result.reasoning)


def reason(layout: SourceLayout | None = None, progress: ProgressCallback | None = None) -> ReasoningResult:
    """Classify the sources; unsatisfiable classes are reported in the result, not raised."""
    _sources, result, _steps = load_and_reason(layout, progress=progress)
    return result


def describe_inferences(result: ReasoningResult, layout: SourceLayout | None = None) -> list[str]:
    """Each inferred axiom as 'A subClassOf B' with CURIEs, for people to read."""
    prefixes = prefix_map(layout)
    show = lambda iri: prefixes.contract(str(iri)) or str(iri)  # noqa: E731
    return [f"{show(i.subject)} {show(i.predicate)} {show(i.object)}" for i in result.inferred]


def validate_graph(graph: Graph, context: Graph | None = None, layout: SourceLayout | None = None) -> ValidationReport:
    """Check any graph against the project's shapes and QC rules."""
    layout = layout or default_layout()
    return Validator(layout, prefix_map(layout)).validate(graph, context)


def validate_files(paths: Sequence[Path | str], release_file: Path | str | None = None, standalone: bool = False,
                   layout: SourceLayout | None = None) -> ValidationReport:
    """Validate RDF files; unless standalone, the release is mixed in so our class hierarchy applies."""
    graph = load_rdf_for_validation([Path(p) for p in paths])
    context = None if standalone else load_release(Path(release_file) if release_file else None)
    return validate_graph(graph, context, layout)


def write_report(report: ValidationReport, path: Path | str) -> None:
    write_text_atomically(Path(path), report.to_json())


def write_text(path: Path | str, text: str) -> None:
    """Write a text output (a report, suggestions) atomically: a reader never sees half of it."""
    write_text_atomically(Path(path), text)


def list_queries(layout: SourceLayout | None = None) -> list[SparqlFile]:
    return QueryCatalogue(layout).all()


def parse_params(arguments: Iterable[str]) -> dict[str, str]:
    return parse_parameter_arguments(list(arguments))


ENGINES = ("oxigraph", "rdflib")


def engine_for(release_file: Path | str | None = None, engine: str = "oxigraph", endpoint: str | None = None,
               timeout: float = 60.0, progress: ProgressCallback | None = None) -> Engine:
    """The engine a query runs on: a remote endpoint, the embedded store (default) or rdflib."""
    if endpoint:
        return RemoteEngine(endpoint, timeout)
    release = Path(release_file) if release_file else default_release_file()
    if engine == "rdflib":
        return RdflibEngine(load_release(release))
    if engine != "oxigraph":
        raise QueryError(f"unknown engine '{engine}' (choose from {', '.join(ENGINES)})")
    store = EmbeddedStore(release)
    store.ensure_current(progress)
    return OxigraphEngine(store.open_read_only())


def query(name_or_file: str, parameters: Mapping[str, str] | None = None, graph: Graph | Engine | None = None,
          release_file: Path | str | None = None, layout: SourceLayout | None = None,
          engine: str = "oxigraph", endpoint: str | None = None, timeout: float = 60.0) -> QueryResult:
    """Run a competency query by name or path: on `graph` (an rdflib Graph or an Engine) when given,
    else on a remote `endpoint`, else on the release through the embedded store (or rdflib)."""
    sparql = QueryCatalogue(layout).find(name_or_file)
    target = graph if graph is not None else engine_for(release_file, engine, endpoint, timeout)
    return run_query(target, sparql, parameters or {}, prefix_map(layout))


def load_into_store(paths: Sequence[Path | str], release_file: Path | str | None = None, named_graphs: bool = False,
                    progress: ProgressCallback | None = None, bytes_read=None) -> list[LoadedFile]:
    """Merge external vocabularies into the embedded store, so queries can join across them."""
    store = EmbeddedStore(Path(release_file) if release_file else default_release_file())
    return store.load([Path(p) for p in paths], named_graphs, progress, bytes_read)


def statistics(graph: Graph | None = None, release_file: Path | str | None = None,
               layout: SourceLayout | None = None) -> Statistics:
    graph = graph if graph is not None else load_release(Path(release_file) if release_file else None)
    return compute_statistics(graph, QueryCatalogue(layout), prefix_map(layout))


def check_mappings(vocabulary: Path | str, mapping_set: Path | str | None = None,
                   progress: ProgressCallback | None = None, layout: SourceLayout | None = None) -> CheckReport:
    """Check the release's mappings into a local copy of an external vocabulary (OBO, OWL/RDF, SSSOM)."""
    mapping_set = Path(mapping_set) if mapping_set else default_release_file().with_name("dystonia.sssom.tsv")
    if not mapping_set.is_file():
        raise ReleaseNotFoundError(mapping_set)
    return matching.check_mappings(mapping_set, Path(vocabulary), prefix_map(layout), progress)


def suggest_mappings(vocabulary: Path | str, graph: Graph | None = None, release_file: Path | str | None = None,
                     progress: ProgressCallback | None = None, layout: SourceLayout | None = None) -> list[MappingRow]:
    """Lexical mapping candidates between the release and an external vocabulary file."""
    graph = graph if graph is not None else load_release(Path(release_file) if release_file else None)
    return matching.suggest_mappings(graph, Path(vocabulary), prefix_map(layout), progress)


def suggestions_as_sssom(rows: list[MappingRow], vocabulary: Path | str, layout: SourceLayout | None = None) -> str:
    return write_suggestions(rows, prefix_map(layout), f"https://w3id.org/dystonia-kg/suggestions/{Path(vocabulary).name}")


def build_docs(out_dir: Path | str = "site", release_file: Path | str | None = None,
               layout: SourceLayout | None = None) -> dict[str, int]:
    """Generate the HTML reference (overview, entity pages, queries, mappings, diagrams, search)."""
    from .docs.site import build_site

    release = Path(release_file) if release_file else default_release_file()
    graph = load_release(release)
    return build_site(graph, Path(out_dir), prefix_map(layout), release.with_name("dystonia.sssom.tsv"),
                      QueryCatalogue(layout))


def draw_diagrams(out_dir: Path | str = "diagrams", release_file: Path | str | None = None,
                  layout: SourceLayout | None = None) -> dict[str, str]:
    """Write the SVG diagrams on their own (nodes link to ../classes/ pages of a generated site)."""
    from .docs.diagrams import write_diagrams

    graph = load_release(Path(release_file) if release_file else None)
    return write_diagrams(graph, prefix_map(layout), Path(out_dir))


# What the command line (and a Python user) reaches through this module: the operations above, and
# the errors, formats and serving functions the CLI needs, so that it imports nothing else.
__all__ = ["build", "summary", "reason", "describe_inferences", "validate_graph", "validate_files", "write_report",
           "list_queries", "parse_params", "query", "statistics", "load_release", "prefix_map", "check_mappings",
           "suggest_mappings", "suggestions_as_sssom", "engine_for", "load_into_store", "build_docs",
           "draw_diagrams", "write_text", "default_release_file", "ENGINES", "OUTPUT_FORMATS", "format_result",
           "DEFAULT_GRAPH", "publish", "serve", "SourceLayout", "DystoniaKGError", "InconsistentOntologyError",
           "JavaNotFoundError", "MissingPackageError", "QueryError", "ReasonerError", "ReleaseNotFoundError",
           "SourceError",
           "ValidationFailedError"]


# --- Classification of a patient's dystonia by the 2013 consensus axes (issue 16) -------------------------------------
CLASSIFY_FORMATS = ("table", "json", "jsonl")
CLASSIFY_REASONERS = ("fast", "hermit")


def classify(case: Any, release_file: Path | str | None = None, reasoner: str = "fast",
             rank_with_diagnose: bool = True) -> dict[str, Any]:
    """Classify one case: a mapping in our case format, a DystoniaCase, or a file holding one case.

    Returns the JSON-ready object the CLI prints (axis1, axis2, classes, compatible_forms, workup,
    treatments). `reasoner`: 'fast' (the compiled defined classes, tested equal to HermiT) or 'hermit'.
    For research and education only."""
    from .clinic.cases import DystoniaCase, case_from_mapping, read_cases

    if isinstance(case, DystoniaCase):
        cases = [case]
    elif isinstance(case, Mapping):
        cases = [case_from_mapping(dict(case), "python", str(case.get("id") or "case"))]
    else:
        cases = read_cases(Path(case))
        if len(cases) != 1:
            raise SourceError(Path(case), f"holds {len(cases)} cases; use classify_files for batches")
    return classify_cases(cases, release_file, reasoner, rank_with_diagnose)[0]


def classify_cases(cases: Sequence[Any], release_file: Path | str | None = None, reasoner: str = "fast",
                   rank_with_diagnose: bool = True) -> list[dict[str, Any]]:
    """Classify DystoniaCase objects in one reasoner pass; one JSON-ready object per case."""
    from .clinic.batch import classify_cases as run
    from .clinic.batch import knowledge_for

    if reasoner not in CLASSIFY_REASONERS:
        raise SourceError("--reasoner", f"unknown reasoner '{reasoner}' (choose from {', '.join(CLASSIFY_REASONERS)})")
    return [r.as_json() for r in run(list(cases), knowledge_for(release_file), reasoner, rank_with_diagnose)]


def classify_files(paths: Sequence[Path | str], release_file: Path | str | None = None, reasoner: str = "fast",
                   rank_with_diagnose: bool = True) -> list[dict[str, Any]]:
    """Classify every case in the given files and folders (phenopackets, our YAML/JSON format, CSV)."""
    from .clinic.cases import case_paths, read_cases

    cases = [case for path in case_paths(paths) for case in read_cases(path)]
    return classify_cases(cases, release_file, reasoner, rank_with_diagnose)


def format_classifications(objects: Sequence[Mapping[str, Any]], output_format: str = "table") -> str:
    from .clinic.report import format_classifications as render

    return render([dict(o) for o in objects], output_format)


__all__ += ["classify", "classify_cases", "classify_files", "format_classifications", "CLASSIFY_FORMATS",
            "CLASSIFY_REASONERS"]
