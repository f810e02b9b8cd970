"""Benchmarks of dystonia-kg: build time, documentation time, the command line against a five-line baseline,
the test suite, load time, query latency on rdflib and on the embedded Oxigraph store, peak memory; for the
release alone and merged with synthetic disease vocabularies of 10^4, 10^5 and 10^6 triples. Writes the figures
and the machine into BENCHMARKS.md.

Not part of the test suite: run it with `make bench` (or `python -m benchmarks.run_benchmarks`). Each
measurement runs a module of this package in a fresh process (no code in strings), so its time and peak memory
(ru_maxrss) are its own; CPU seconds (the process and the children it waited for, HermiT's Java included) are
reported beside wall seconds, since a machine shared with other work stretches wall time but not CPU time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.sections import write_section

CORE_START = "<!-- core benchmarks: start (written by python -m benchmarks.run_benchmarks) -->"
CORE_END = "<!-- core benchmarks: end -->"

REPOSITORY = Path(__file__).resolve().parent.parent
SIZES = (0, 10_000, 100_000, 1_000_000)
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
            out.write(f"{iri} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                      "<http://www.w3.org/2002/07/owl#Class> .\n")
            out.write(f'{iri} <http://www.w3.org/2000/01/rdf-schema#label> "{name}" .\n')
            out.write(f"{iri} <http://www.w3.org/2000/01/rdf-schema#subClassOf> {parent} .\n")
            out.write(f'{iri} <http://www.geneontology.org/formats/oboInOwl#hasExactSynonym> "{name} (exact)" .\n')
            out.write(f'{iri} <http://www.geneontology.org/formats/oboInOwl#hasRelatedSynonym> "{name} (related)" .\n')
            out.write(f'{iri} <http://purl.obolibrary.org/obo/IAO_0000115> "A synthetic disease number {index}." .\n')
            out.write(f'{iri} <http://www.geneontology.org/formats/oboInOwl#hasDbXref> "OMIM:{100000 + index}" .\n')
            out.write(f'{iri} <http://www.geneontology.org/formats/oboInOwl#hasDbXref> "MESH:D{index:06d}" .\n')
            out.write(f'{iri} <http://www.w3.org/2004/02/skos/core#notation> "SYN:{index:07d}" .\n')
            out.write(f'{iri} <http://www.geneontology.org/formats/oboInOwl#id> "SYN:{index:07d}" .\n')


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], check: bool = True, **options: Any) -> tuple[subprocess.CompletedProcess[str], float,
                                                                         float]:
    """Run a command to completion; its output, wall seconds and CPU seconds (it and the children it waited for)."""
    cpu, started = _cpu_of_children(), time.perf_counter()
    completed = subprocess.run(command, check=check, capture_output=True, text=True, **options)
    return completed, time.perf_counter() - started, _cpu_of_children() - cpu


def run_module(module: str, *arguments: str) -> dict:
    """Run `python -m benchmarks.MODULE ARGUMENTS` in a fresh process; the JSON it prints on its last line."""
    completed, _wall, _cpu = timed([sys.executable, "-m", f"benchmarks.{module}", *arguments], cwd=REPOSITORY)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def measure(engine: str, release: Path, extra: Path | None, workdir: Path) -> dict:
    store_dir = tempfile.mkdtemp(dir=workdir, prefix="store-")
    return run_module("measure_queries", engine, str(release), str(extra or ""), store_dir, str(SLOW_RUN_SECONDS))


def measure_build(workdir: Path, repeats: int = 3) -> dict:
    runs = [run_module("measure_build", str(workdir / "build")) for _ in range(repeats)]
    best = min(runs, key=lambda r: r["seconds"])
    return {"median_seconds": statistics.median(r["seconds"] for r in runs),
            "median_cpu_seconds": statistics.median(r["cpu_seconds"] for r in runs), "best": best,
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)}


def _dystonia_kg() -> str:
    return str(Path(sys.executable).with_name("dystonia-kg"))


def measure_docs(release: Path, workdir: Path, repeats: int = 3) -> dict:
    """`dystonia-kg docs` as a user runs it: a fresh process writing the whole site (Graphviz included)."""
    walls, cpus = [], []
    for attempt in range(repeats):
        _done, wall, cpu = timed([_dystonia_kg(), "docs", "--out", str(workdir / f"site-{attempt}"),
                                  "--release", str(release)])
        walls.append(wall)
        cpus.append(cpu)
    return {"median_seconds": statistics.median(walls), "median_cpu_seconds": statistics.median(cpus)}


def measure_cli(release: Path, repeats: int = 9) -> dict:
    """The command line against benchmarks/baseline_query.py (parse the release into Oxigraph, run the same query
    file): both answer `find-by-name` with text=torticollis, in fresh processes, alternately."""
    cli = [_dystonia_kg(), "query", "find-by-name", "--param", "text=torticollis", "--release", str(release)]
    baseline = [sys.executable, "-m", "benchmarks.baseline_query", str(release),
                str(REPOSITORY / "queries" / "find-by-name.rq"), "text=torticollis"]
    cli_output, _wall, _cpu = timed(cli, cwd=REPOSITORY)  # the first run builds the store; not timed
    baseline_output, _wall, _cpu = timed(baseline, cwd=REPOSITORY)
    if "cervical dystonia" not in cli_output.stdout or "cervical dystonia" not in baseline_output.stdout:
        raise SystemExit("the command line and the baseline must both find cervical dystonia by 'torticollis'")
    figures: dict[str, list[float]] = {"cli_wall": [], "cli_cpu": [], "baseline_wall": [], "baseline_cpu": []}
    for _ in range(repeats):
        for name, command in (("cli", cli), ("baseline", baseline)):
            _done, wall, cpu = timed(command, cwd=REPOSITORY)
            figures[f"{name}_wall"].append(wall)
            figures[f"{name}_cpu"].append(cpu)
    medians = {name: statistics.median(values) for name, values in figures.items()}
    return {**medians, "cpu_ratio": medians["cli_cpu"] / medians["baseline_cpu"],
            "wall_ratio": medians["cli_wall"] / medians["baseline_wall"], "repeats": repeats,
            "command": "dystonia-kg query find-by-name --param text=torticollis"}


def measure_suite() -> dict:
    """The test suite on 2 pytest-xdist workers: the fast part (`make check`'s tests) and the whole (`make test`'s)."""
    figures = {}
    for name, selection in (("fast", ["-m", "not slow"]), ("all", [])):
        done, wall, cpu = timed([sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-q",
                                 "-p", "no:cacheprovider", *selection], check=False, cwd=REPOSITORY)
        summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
        figures[name] = {"seconds": wall, "cpu_seconds": cpu, "exit_code": done.returncode, "summary": summary}
    return figures


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
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        kib = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    import pyoxigraph
    import rdflib
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": memory, "python": platform.python_version(),
            "os": platform.platform(), "rdflib": rdflib.__version__, "pyoxigraph": pyoxigraph.__version__}


def suite_lines(suite: dict | None) -> list[str]:
    if not suite:
        return []
    fast, every = suite["fast"], suite["all"]
    return ["## Test suite", "",
            f"On 2 pytest-xdist workers, installed: the fast tests (`make check`'s, not marked slow) "
            f"**{fast['seconds']:.0f} s** wall ({fast['cpu_seconds']:.0f} s CPU; {fast['summary']}); every test "
            f"(`make test`'s) **{every['seconds']:.0f} s** wall ({every['cpu_seconds']:.0f} s CPU; "
            f"{every['summary']}).", ""]


def report(results: dict) -> str:
    m, build, docs, cli = results["machine"], results["build"], results["docs"], results["cli"]
    lines = [
             f"Measured {results['date']} with `make bench` (python -m benchmarks.run_benchmarks), on "
             f"{m['cores']} cores "
             f"({m['cpu']}), {m['memory']} RAM, Python {m['python']}, rdflib {m['rdflib']}, pyoxigraph "
             f"{m['pyoxigraph']}, {m['os']}.", "",
             f"Load average (1 min) when the run started and ended: {results['load'][0]:.1f} and "
             f"{results['load'][1]:.1f} (other work on the machine stretches wall seconds, not CPU seconds).", "",
             "## Build", "",
             f"Full build (load, HermiT, SHACL + QC, export), median of 3: **{build['median_seconds']:.2f} s** wall, "
             f"{build['median_cpu_seconds']:.2f} s CPU (target at most 3 s); "
             f"peak memory {build['peak_rss_mb']:.0f} MB. "
             "Steps of the fastest run: " + ", ".join(f"{k} {v:.2f} s" for k, v in build["best"]["steps"].items())
             + ".", "",
             "## Documentation", "",
             f"`dystonia-kg docs` (the whole site: pages, queries with live results, diagrams), median of 3: "
             f"**{docs['median_seconds']:.2f} s** wall, {docs['median_cpu_seconds']:.2f} s CPU (target under 3 s).", "",
             "## Command line against a five-line script", "",
             f"`{cli['command']}` (warm store) against `python -m benchmarks.baseline_query` (parse the release into "
             f"an in-memory Oxigraph store, run the same query file), fresh processes, alternately, median of "
             f"{cli['repeats']}: CLI {cli['cli_wall']:.3f} s wall / {cli['cli_cpu']:.3f} s CPU, baseline "
             f"{cli['baseline_wall']:.3f} s wall / {cli['baseline_cpu']:.3f} s CPU: **CPU ratio "
             f"{cli['cpu_ratio']:.1f}x** (target at most 2x), wall ratio {cli['wall_ratio']:.1f}x.", "",
             *suite_lines(results.get("suite")),
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
              "| graph | slowest query, rdflib (ms) | slowest query, Oxigraph (ms) | "
              "median speed-up over all queries |",
              "| --- | ---: | ---: | ---: |"]
    for size in results["sizes"]:
        r, o = size["rdflib"]["queries"], size["oxigraph"]["queries"]
        ratios = [r[n]["median"] / o[n]["median"] for n in r if n in o and o[n]["median"] > 0]
        lines.append(f"| {size['label']} | {max(v['median'] for v in r.values()) * 1000:.1f} | "
                     f"{max(v['median'] for v in o.values()) * 1000:.1f} | {statistics.median(ratios):.0f}x |")
    lines += ["", f"Each query runs with the parameters of its own `# example:` header. Queries slower than "
              f"{SLOW_RUN_SECONDS:.0f} s on one run are not repeated (their figure is that one run).",
              "The synthetic vocabularies are generated by the script (about ten triples per class: label, two "
              "synonyms, definition, parent, xrefs), merged into the release's default graph.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPOSITORY / "BENCHMARKS.md")
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--json", type=Path, default=None, help="Also write the raw figures as JSON.")
    parser.add_argument("--no-suite", action="store_true", help="Do not time the test suite.")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dystonia-bench-") as scratch:
        workdir = Path(scratch)
        print("building the release ...", file=sys.stderr)
        build = measure_build(workdir)
        release = workdir / "build" / "dystonia.ttl"
        results: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "machine": machine(), "build": build,
                                   "load": [os.getloadavg()[0]], "sizes": []}
        print("measuring the documentation and the command line ...", file=sys.stderr)
        results["docs"] = measure_docs(release, workdir)
        results["cli"] = measure_cli(release)
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
    if not arguments.no_suite:
        print("timing the test suite ...", file=sys.stderr)
        results["suite"] = measure_suite()
        if any(run["exit_code"] for run in results["suite"].values()):
            print("the test suite failed: its time is reported with its summary", file=sys.stderr)
    results["load"].append(os.getloadavg()[0])
    if arguments.json:
        arguments.json.write_text(json.dumps(results, indent=2))
    write_section(arguments.out, CORE_START, CORE_END, f"{CORE_START}\n{report(results).strip()}\n{CORE_END}")
    print(f"written {arguments.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
