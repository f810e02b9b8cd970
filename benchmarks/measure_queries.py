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
from dystonia_kg.core.release import LAYER_GRAPH_IRI, LAYER_OPT_IN
from dystonia_kg.query.catalogue import QueryCatalogue, run_query
from dystonia_kg.query.store import EmbeddedStore


def load(engine: str, release: Path, extra: Path | None, store_dir: Path,
         with_layer: bool = False) -> tuple[Engine, int]:
    """The engine as `dystonia-kg query` builds it (api.py): on Oxigraph the HPO layer sits in its own graph,
    hidden from queries that do not opt in; rdflib holds it only when `with_layer` (the layer queries)."""
    embedded = EmbeddedStore(release, store_dir / "store")  # the product's own load path
    if engine == "rdflib":
        from rdflib import Graph

        graph = Graph()
        graph.parse(release, format="turtle")
        if extra:
            graph.parse(extra, format="nt")
        layer = embedded.layer_file()
        if with_layer and layer is not None:
            graph.parse(layer, format="nt")
        return RdflibEngine(graph), len(graph)
    embedded.ensure_current()
    if extra:
        embedded.load([extra])
    store = embedded.open_read_only()
    return OxigraphEngine(store, hidden_graphs=(LAYER_GRAPH_IRI,)), len(store)


def main(engine_name: str, release: str, extra: str, store_dir: str, slow: str) -> None:
    started = time.perf_counter()
    engine, triples = load(engine_name, Path(release), Path(extra) if extra else None, Path(store_dir))
    layer_engine: Engine | None = None  # rdflib: a second graph with the layer, built when a query asks for it
    result: dict[str, object] = {"engine": engine_name, "triples": triples,
                                 "load_seconds": time.perf_counter() - started}
    prefixes = prefix_map()
    timings = {}
    for sparql in QueryCatalogue().all():
        parameters = sparql.example_parameters()
        runs_on = engine
        if engine_name == "rdflib" and LAYER_OPT_IN in sparql.text:
            if layer_engine is None:
                layer_engine, _ = load(engine_name, Path(release), Path(extra) if extra else None,
                                       Path(store_dir), with_layer=True)
            runs_on = layer_engine
        runs: list[float] = []
        for _attempt in range(11 if engine_name == "oxigraph" else 5):
            t0 = time.perf_counter()
            run_query(runs_on, sparql, parameters, prefixes)
            runs.append(time.perf_counter() - t0)
            if runs[-1] > float(slow):
                break
        timings[sparql.name] = {"median": statistics.median(runs), "runs": len(runs)}
    result["queries"] = timings
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:6])
