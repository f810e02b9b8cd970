"""Benchmarks of dystonia-kg: build time, load time, query latency on rdflib and on the embedded
Oxigraph store, CLI latency, peak memory; for the release alone and merged with synthetic disease
vocabularies of 10^4, 10^5 and 10^6 triples. Writes the figures and the machine into BENCHMARKS.md.

Not part of the test suite: run it with `make bench` (or `python benchmarks/run_benchmarks.py`).
Each measurement runs in a fresh subprocess so peak memory (ru_maxrss) belongs to that measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
SIZES = (0, 10_000, 100_000, 1_000_000)
EXAMPLE_PARAMETERS = {
    "text": "dystonia", "entity": "dystonia", "region": "neck", "type": "cervical dystonia",
    "cause": "stroke", "inheritance": "autosomal dominant inheritance", "symbol": "GCH1", "gene": "GCH1",
    "system": "dopamine system", "mechanism": "muscarinic acetylcholine receptor antagonism",
}
SLOW_RUN_SECONDS = 5.0  # a query slower than this on one run is not repeated


def synthetic_vocabulary(path: Path, triples: int, seed: int = 7) -> None:
    """A disease vocabulary shaped like MONDO or HPO: classes with labels, synonyms, definitions,
    a tree of subclass links, and xrefs, about ten triples per class, in N-Triples."""
    rng = random.Random(seed)
    base = "http://example.org/synthetic/SYN_"
    words = ["dystonia", "tremor", "ataxia", "chorea", "myopathy", "neuropathy", "syndrome", "disorder",
             "focal", "generalized", "juvenile", "adult", "hereditary", "acquired", "paroxysmal", "type"]
    per_class = 10
    classes = max(1, triples // per_class)
    with path.open("w", encoding="utf-8") as out:
        for index in range(classes):
            iri = f"<{base}{index:07d}>"
            name = " ".join(rng.choice(words) for _ in range(3)) + f" {index}"
            parent = f"<{base}{rng.randrange(index):07d}>" if index else "<http://www.w3.org/2002/07/owl#Thing>"
            out.write(f"{iri} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2002/07/owl#Class> .\n")
            out.write(f'{iri} <http://www.w3.org/2000/01/rdf-schema#label> "{name}" .\n')
            out.write(f"{iri} <http://www.w3.org/2000/01/rdf-schema#subClassOf> {parent} .\n")
            out.write(f'{iri} <http://www.geneontology.org/formats/oboInOwl#hasExactSynonym> "{name} (exact)" .\n')
            out.write(f'{iri} <http://www.geneontology.org/formats/oboInOwl#hasRelatedSynonym> "{name} (related)" .\n')
            out.write(f'{iri} <http://purl.obolibrary.org/obo/IAO_0000115> "A synthetic disease number {index}." .\n')
            out.write(f'{iri} <http://www.geneontology.org/formats/oboInOwl#hasDbXref> "OMIM:{100000 + index}" .\n')
            out.write(f'{iri} <http://www.geneontology.org/formats/oboInOwl#hasDbXref> "MESH:D{index:06d}" .\n')
            out.write(f'{iri} <http://www.w3.org/2004/02/skos/core#notation> "SYN:{index:07d}" .\n')
            out.write(f'{iri} <http://www.geneontology.org/formats/oboInOwl#id> "SYN:{index:07d}" .\n')


MEASURE = r'''
import json, resource, statistics, sys, time
from pathlib import Path
engine, release, extra, store_dir, params_json, slow = sys.argv[1:7]
params, slow = json.loads(params_json), float(slow)
from dystonia_kg import prefix_map
from dystonia_kg.query.catalogue import QueryCatalogue, run_query
result = {"engine": engine}
started = time.perf_counter()
if engine == "rdflib":
    from rdflib import Graph
    from dystonia_kg.core.engines import RdflibEngine
    graph = Graph()
    graph.parse(release, format="turtle")
    if extra:
        graph.parse(extra, format="nt")
    target = RdflibEngine(graph)
    result["triples"] = len(graph)
else:
    import pyoxigraph
    from dystonia_kg.core.engines import OxigraphEngine
    from pathlib import Path
    from dystonia_kg.query.store import EmbeddedStore
    embedded = EmbeddedStore(Path(release), Path(store_dir) / "store")  # the product's own load path
    embedded.ensure_current()
    if extra:
        embedded.load([Path(extra)])
    store = embedded.open_read_only()
    target = OxigraphEngine(store)
    result["triples"] = len(store)
result["load_seconds"] = time.perf_counter() - started
timings = {}
for sparql in QueryCatalogue().all():
    values = {p.name: params[p.name] for p in sparql.parameters if not p.optional}
    runs = []
    for attempt in range(11 if engine == "oxigraph" else 5):
        t0 = time.perf_counter()
        run_query(target, sparql, values, prefix_map())
        runs.append(time.perf_counter() - t0)
        if runs[-1] > slow:
            break
    timings[sparql.name] = {"median": statistics.median(runs), "runs": len(runs)}
result["queries"] = timings
result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
'''


def measure(engine: str, release: Path, extra: Path | None, workdir: Path) -> dict:
    store_dir = tempfile.mkdtemp(dir=workdir, prefix="store-")
    output = subprocess.run([sys.executable, "-c", MEASURE, engine, str(release), str(extra or ""), store_dir,
                             json.dumps(EXAMPLE_PARAMETERS), str(SLOW_RUN_SECONDS)],
                            check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def measure_build(workdir: Path, repeats: int = 3) -> dict:
    script = ("import json, resource, time; from dystonia_kg import build; t=time.perf_counter(); "
              f"r=build({str(workdir / 'build')!r}); "
              "print(json.dumps({'seconds': time.perf_counter()-t, 'steps': {s.step: s.seconds for s in r.timings}, "
              "'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024}))")
    runs = [json.loads(subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                                      text=True).stdout.strip().splitlines()[-1]) for _ in range(repeats)]
    best = min(runs, key=lambda r: r["seconds"])
    return {"median_seconds": statistics.median(r["seconds"] for r in runs), "best": best,
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)}


def measure_cli(release: Path, repeats: int = 7) -> dict:
    command = [str(Path(sys.executable).with_name("dystonia-kg")), "query", "find-by-name", "-p", "text=torticollis",
               "--release", str(release)]
    subprocess.run(command, check=True, capture_output=True)  # builds the store once
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        runs.append(time.perf_counter() - t0)
    return {"median_seconds": statistics.median(runs), "command": " ".join(["dystonia-kg"] + command[1:5])}


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kib = int(next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")).split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    import pyoxigraph
    import rdflib
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": memory, "python": platform.python_version(),
            "os": platform.platform(), "rdflib": rdflib.__version__, "pyoxigraph": pyoxigraph.__version__}


def report(results: dict) -> str:
    m = results["machine"]
    lines = ["# Benchmarks", "",
             f"Measured {results['date']} with `make bench` (benchmarks/run_benchmarks.py), on {m['cores']} cores "
             f"({m['cpu']}), {m['memory']} RAM, Python {m['python']}, rdflib {m['rdflib']}, pyoxigraph "
             f"{m['pyoxigraph']}, {m['os']}.", "",
             "## Build", "",
             f"Full build (load, HermiT, SHACL + QC, export), median of 3: **{results['build']['median_seconds']:.2f} s** "
             f"(target < 10 s); peak memory {results['build']['peak_rss_mb']:.0f} MB. Steps of the fastest run: "
             + ", ".join(f"{k} {v:.2f} s" for k, v in results['build']['best']['steps'].items()) + ".", "",
             "## Command line", "",
             f"`{results['cli']['command']}` on the release (warm store), median of 7: "
             f"**{results['cli']['median_seconds']:.3f} s** (target < 0.3 s).", "",
             "## Loading and peak memory", "",
             "| graph | triples | rdflib load (s) | Oxigraph load (s) | rdflib peak (MB) | Oxigraph peak (MB) |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for size in results["sizes"]:
        r, o = size["rdflib"], size["oxigraph"]
        lines.append(f"| {size['label']} | {o['triples']:,} | {r['load_seconds']:.2f} | {o['load_seconds']:.2f} | "
                     f"{r['peak_rss_mb']:.0f} | {o['peak_rss_mb']:.0f} |")
    lines += ["", "## Query latency (median, milliseconds, in process)", ""]
    names = sorted(results["sizes"][0]["oxigraph"]["queries"])
    header = "| query | " + " | ".join(f"{s['label']} rdflib | {s['label']} Oxigraph" for s in results["sizes"]) + " |"
    lines += [header, "| --- |" + " ---: | ---: |" * len(results["sizes"])]
    for name in names:
        cells = []
        for size in results["sizes"]:
            r = size["rdflib"]["queries"].get(name, {}).get("median")
            o = size["oxigraph"]["queries"].get(name, {}).get("median")
            cells += [f"{r * 1000:.1f}" if r is not None else "-", f"{o * 1000:.1f}" if o is not None else "-"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "## Speed-up of the embedded store over rdflib", "",
              "| graph | slowest query, rdflib (ms) | slowest query, Oxigraph (ms) | median speed-up over all queries |",
              "| --- | ---: | ---: | ---: |"]
    for size in results["sizes"]:
        r, o = size["rdflib"]["queries"], size["oxigraph"]["queries"]
        ratios = [r[n]["median"] / o[n]["median"] for n in r if n in o and o[n]["median"] > 0]
        lines.append(f"| {size['label']} | {max(v['median'] for v in r.values()) * 1000:.1f} | "
                     f"{max(v['median'] for v in o.values()) * 1000:.1f} | {statistics.median(ratios):.0f}x |")
    lines += ["", "Queries slower than {:.0f} s on one run are not repeated (their figure is that one run).".format(SLOW_RUN_SECONDS), "The synthetic vocabularies are generated by the script (about ten triples per "
              "class: label, two synonyms, definition, parent, xrefs), merged into the release's default graph.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPOSITORY / "BENCHMARKS.md")
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--json", type=Path, default=None, help="Also write the raw figures as JSON.")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dystonia-bench-") as scratch:
        workdir = Path(scratch)
        print("building the release ...", file=sys.stderr)
        build = measure_build(workdir)
        release = workdir / "build" / "dystonia.ttl"
        results = {"date": time.strftime("%Y-%m-%d"), "machine": machine(), "build": build,
                   "cli": measure_cli(release), "sizes": []}
        for size in arguments.sizes:
            extra = None
            if size:
                extra = workdir / f"synthetic-{size}.nt"
                synthetic_vocabulary(extra, size)
            label = "release" if not size else f"release + 10^{len(str(size)) - 1}"
            print(f"measuring {label} ...", file=sys.stderr)
            results["sizes"].append({"label": label, "synthetic_triples": size,
                                     "rdflib": measure("rdflib", release, extra, workdir),
                                     "oxigraph": measure("oxigraph", release, extra, workdir)})
    if arguments.json:
        arguments.json.write_text(json.dumps(results, indent=2))
    arguments.out.write_text(report(results))
    print(f"written {arguments.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
