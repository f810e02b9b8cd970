"""Benchmarks of the imported HPO layer (issue 14): what the layer adds to the build, and query latency on the
embedded Oxigraph store holding the release and the layer. Prints a Markdown section for BENCHMARKS.md.

The build is measured on the same sources with and without the layer (a copy of the sources without
ontology/imports/hpo), alternating, in fresh processes, so the two sit side by side on the same machine load;
both wall-clock and CPU seconds (user + system of the process and its children: HermiT's Java) are reported.
Not part of the test suite: `python -m benchmarks.layer_benchmarks [--repeats 3] [--out BENCHMARKS.md]`
(run by `make bench`).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.sections import write_section

REPOSITORY = Path(__file__).resolve().parent.parent
PARAMETERS = {
    "text": "dystonia", "entity": "dystonia", "region": "neck", "type": "cervical dystonia",
    "cause": "stroke", "inheritance": "autosomal dominant inheritance", "symbol": "GCH1", "gene": "GCH1",
    "system": "dopamine system", "mechanism": "muscarinic acetylcholine receptor antagonism",
    "phenotype": "HP:0001300",
}
LAYER_QUERIES = {"hpo-diseases-with-phenotype", "hpo-diseases-of-gene", "hpo-combined-dystonia-genes"}


def build_once(sources: Path, out: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dystonia_kg", "build", "--sources", str(sources), "--out", str(out),
                    "--release-date", "2026-12-01"], check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure_builds(workdir: Path, repeats: int) -> dict[str, list[tuple[float, float]]]:
    with_layer = workdir / "with"
    without_layer = workdir / "without"
    for target in (with_layer, without_layer):
        for folder in ("ontology", "shapes", "queries"):
            shutil.copytree(REPOSITORY / folder, target / folder)
    shutil.rmtree(without_layer / "ontology" / "imports" / "hpo")
    runs: dict[str, list[tuple[float, float]]] = {"without the layer": [], "with the layer": []}
    for _ in range(repeats):
        runs["without the layer"].append(build_once(without_layer, workdir / "out-without"))
        runs["with the layer"].append(build_once(with_layer, workdir / "out-with"))
    return runs


def measure_queries(release: Path, repeats: int = 7) -> dict[str, float]:
    from dystonia_kg import api, prefix_map
    from dystonia_kg.core.release import LAYER_OPT_IN
    from dystonia_kg.query.catalogue import QueryCatalogue, run_query

    # the product path (api.query): the release parsed in memory for the curated queries, the on-disk store
    # holding the layer in its own graph for the queries that ask for it
    engines = {with_layer: api.engine_for(release, with_layer=with_layer) for with_layer in (False, True)}
    timings: dict[str, float] = {}
    for sparql in QueryCatalogue().all():
        engine = engines[LAYER_OPT_IN in sparql.text]
        parameters = {p.name: PARAMETERS[p.name] for p in sparql.parameters if not p.optional}
        answer = run_query(engine, sparql, parameters, prefix_map())  # warm
        if not answer.rows:  # an empty answer times nothing
            raise SystemExit(f"{sparql.name} answered no rows with {parameters}: choose parameters with an answer")
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            run_query(engine, sparql, parameters, prefix_map())
            samples.append((time.perf_counter() - started) * 1000)
        timings[sparql.name] = statistics.median(samples)
    return timings


START, END = "<!-- layer benchmarks: start -->", "<!-- layer benchmarks: end -->"


def section(core_triples: int, layer_triples: int, runs: dict[str, list[tuple[float, float]]],
            queries: dict[str, float], load: tuple[float, float]) -> str:
    """The Markdown section of BENCHMARKS.md, between its markers."""
    medians = {name: statistics.median(w for w, _ in samples) for name, samples in runs.items()}
    cpu = {name: statistics.median(c for _, c in samples) for name, samples in runs.items()}
    growth = medians["with the layer"] - medians["without the layer"]
    lines = [START, "## The imported HPO layer (issue 14)", "",
             f"Measured {datetime.date.today().isoformat()} with `python -m benchmarks.layer_benchmarks --out "
             f"BENCHMARKS.md` on {os.cpu_count()} cores, Python {platform.python_version()}; load average (1 min) "
             f"{load[0]:.1f} at the start and {load[1]:.1f} at the end. Both builds run alternately on the same "
             "sources, with and without `ontology/imports/hpo`, in fresh processes.", "",
             f"Release {core_triples:,} triples; imported HPO layer {layer_triples:,} triples "
             f"({layer_triples / core_triples:.0f} times the curated graph).", "",
             "| build | wall-clock runs (s) | median wall (s) | median CPU, with HermiT (s) |",
             "| --- | --- | ---: | ---: |"]
    for name, samples in runs.items():
        walls = ", ".join(f"{wall:.2f}" for wall, _ in samples)
        lines.append(f"| {name} | {walls} | {medians[name]:.2f} | {cpu[name]:.2f} |")
    verdict = "meets" if growth <= 2.0 else "misses"
    lines += ["", f"The layer adds **{growth:.2f} s** of wall-clock time (median; {verdict} the target of at most "
              f"2 s) and {cpu['with the layer'] - cpu['without the layer']:.2f} s of CPU: it is generated, checked "
              "and written out as Turtle in a thread while HermiT (a Java process) classifies the curated graph.",
              "", "Query latency on the product's path (`dystonia-kg query`: the release parsed in memory for the "
              "curated queries, the on-disk store holding the layer in its own graph for the queries that ask for "
              "it), median of 7 in process:", "",
              "| query | median ms | target |", "| --- | ---: | --- |"]
    for name, milliseconds in sorted(queries.items()):
        target = "< 100 ms (over the layer)" if name in LAYER_QUERIES else "< 20 ms"
        lines.append(f"| {name} | {milliseconds:.1f} | {target} |")
    return "\n".join(lines + [END])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None, help="Write the section into this BENCHMARKS.md.")
    parser.add_argument("--queries-only", type=Path, default=None, metavar="RELEASE",
                        help="Only the query latencies, on this built release (dystonia.ttl beside dystonia-hpo.nt).")
    arguments = parser.parse_args()
    if arguments.queries_only:
        for name, milliseconds in sorted(measure_queries(arguments.queries_only).items()):
            print(f"| {name} | {milliseconds:.1f} |")
        return
    started_load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        runs = measure_builds(workdir, arguments.repeats)
        layer_triples = sum(1 for _ in (workdir / "out-with" / "dystonia-hpo.nt").open(encoding="utf-8"))
        core_triples = sum(1 for _ in (workdir / "out-with" / "dystonia.nt").open(encoding="utf-8"))
        queries = measure_queries(workdir / "out-with" / "dystonia.ttl")
    text = section(core_triples, layer_triples, runs, queries, (started_load, os.getloadavg()[0]))
    if arguments.out:
        write_section(arguments.out, START, END, text)
        print(f"written {arguments.out}", file=sys.stderr)
    else:
        print(text)


if __name__ == "__main__":
    main()
