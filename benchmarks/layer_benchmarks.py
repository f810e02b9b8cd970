"""Benchmarks of the imported HPO layer (issue 14): what the layer adds to the build, and query latency on the
embedded Oxigraph store holding the release and the layer. Prints a Markdown section for BENCHMARKS.md.

The build is measured on the same sources with and without the layer (a copy of the sources without
ontology/imports/hpo), alternating, in fresh processes, so the two sit side by side on the same machine load;
both wall-clock and CPU seconds (user + system of the process and its children: HermiT's Java) are reported.
Not part of the test suite: `python benchmarks/layer_benchmarks.py [--repeats 3]`.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--queries-only", type=Path, default=None, metavar="RELEASE",
                        help="Only the query latencies, on this built release (dystonia.ttl beside dystonia-hpo.nt).")
    arguments = parser.parse_args()
    if arguments.queries_only:
        for name, milliseconds in sorted(measure_queries(arguments.queries_only).items()):
            print(f"| {name} | {milliseconds:.1f} |")
        return
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        runs = measure_builds(workdir, arguments.repeats)
        layer_triples = sum(1 for _ in (workdir / "out-with" / "dystonia-hpo.nt").open(encoding="utf-8"))
        core_triples = sum(1 for _ in (workdir / "out-with" / "dystonia.nt").open(encoding="utf-8"))
        queries = measure_queries(workdir / "out-with" / "dystonia.ttl")
    print(f"Release {core_triples:,} triples; imported HPO layer {layer_triples:,} triples "
          f"({layer_triples / core_triples:.0f} times the curated graph).\n")
    print("| build | wall-clock runs (s) | median wall (s) | median CPU, with HermiT (s) |")
    print("| --- | --- | ---: | ---: |")
    for name, samples in runs.items():
        walls = ", ".join(f"{wall:.2f}" for wall, _ in samples)
        print(f"| {name} | {walls} | {statistics.median(w for w, _ in samples):.2f} | "
              f"{statistics.median(c for _, c in samples):.2f} |")
    print("\n| query (Oxigraph, release + layer, in process) | median ms | target |")
    print("| --- | ---: | --- |")
    for name, milliseconds in sorted(queries.items()):
        target = "< 100 ms (new, over the layer)" if name in LAYER_QUERIES else "< 20 ms"
        print(f"| {name} | {milliseconds:.1f} | {target} |")


if __name__ == "__main__":
    main()
