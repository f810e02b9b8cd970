"""Load the release (plus an optional synthetic vocabulary) on one engine and time every competency query,
each with the parameters of its own `# example:` header; prints the figures as JSON.

    python -m benchmarks.measure_queries ENGINE RELEASE EXTRA_OR_EMPTY STORE_DIR SLOW_SECONDS
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

from dystonia_kg import prefix_map
from dystonia_kg.core.engines import Engine, OxigraphEngine, RdflibEngine
from dystonia_kg.query.catalogue import QueryCatalogue, run_query
from dystonia_kg.query.store import EmbeddedStore


def load(engine: str, release: Path, extra: Path | None, store_dir: Path) -> tuple[Engine, int]:
    if engine == "rdflib":
        from rdflib import Graph

        graph = Graph()
        graph.parse(release, format="turtle")
        if extra:
            graph.parse(extra, format="nt")
        return RdflibEngine(graph), len(graph)
    embedded = EmbeddedStore(release, store_dir / "store")  # the product's own load path
    embedded.ensure_current()
    if extra:
        embedded.load([extra])
    store = embedded.open_read_only()
    return OxigraphEngine(store), len(store)


def main(engine_name: str, release: str, extra: str, store_dir: str, slow: str) -> None:
    started = time.perf_counter()
    engine, triples = load(engine_name, Path(release), Path(extra) if extra else None, Path(store_dir))
    result: dict[str, object] = {"engine": engine_name, "triples": triples,
                                 "load_seconds": time.perf_counter() - started}
    prefixes = prefix_map()
    timings = {}
    for sparql in QueryCatalogue().all():
        parameters = sparql.example_parameters()
        runs: list[float] = []
        for _attempt in range(11 if engine_name == "oxigraph" else 5):
            t0 = time.perf_counter()
            run_query(engine, sparql, parameters, prefixes)
            runs.append(time.perf_counter() - t0)
            if runs[-1] > float(slow):
                break
        timings[sparql.name] = {"median": statistics.median(runs), "runs": len(runs)}
    result["queries"] = timings
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:6])
