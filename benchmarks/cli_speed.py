"""How much a command-line query costs beside the least a query can cost, both as fresh processes.

Measures the CPU time (user + system, of the child process) of
  dystonia-kg query find-by-name --param text=torticollis      (private cache folder, nothing loaded)
and of benchmarks/store_baseline.py, a 5-line script that parses the release into an in-memory
Oxigraph store and runs the same query file. The query and its parameter are read from the query's
own `# example:` header, as the tests do. Reports medians and their ratio (target: at most 2x), and
with --out writes them into that Markdown file's "Command line vs. the store" section (the rest of
the file is kept).

    python -m benchmarks.cli_speed --release dist/dystonia.ttl --out BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.sections import write_section

REPOSITORY = Path(__file__).resolve().parent.parent
QUERY = "find-by-name"
SECTION_START = "<!-- cli-speed: start (written by python -m benchmarks.cli_speed) -->"
SECTION_END = "<!-- cli-speed: end -->"
TARGET_RATIO = 2.0


def example_of(query_name: str) -> tuple[str, str]:
    """(parameter, value) of the first --param in the query's `# example:` header."""
    text = (REPOSITORY / "queries" / f"{query_name}.rq").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("# example:"):
            words = shlex.split(line.split(":", 1)[1])
            for index, word in enumerate(words):
                if word in ("--param", "-p") and index + 1 < len(words):
                    name, _, value = words[index + 1].partition("=")
                    return name, value
    raise SystemExit(f"{query_name}.rq has no '# example:' with a --param")


def cpu_seconds(command: list[str], environment: dict[str, str]) -> float:
    """User + system CPU seconds of one run of a command in a fresh process (it must succeed)."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment,
                               cwd=REPOSITORY)
    _pid, status, usage = os.wait4(process.pid, 0)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed: {stderr}")
    return usage.ru_utime + usage.ru_stime


def measure(release: Path, repeats: int) -> dict[str, object]:
    name, value = example_of(QUERY)
    cli = Path(sys.executable).with_name("dystonia-kg")
    cli_command = [str(cli), "query", QUERY, "--param", f"{name}={value}", "--release", str(release)]
    baseline_command = [sys.executable, "-m", "benchmarks.store_baseline", str(release),
                        str(REPOSITORY / "queries" / f"{QUERY}.rq"), name, value]
    with tempfile.TemporaryDirectory(prefix="dkg-bench-cache-") as cache:
        environment = dict(os.environ, DYSTONIA_KG_CACHE=cache, PYTHONPATH=str(REPOSITORY))
        # As installed: pip writes the bytecode of a package, so the runs measured here load it too
        # (a setting that forbids writing bytecode would have every run compile the package again).
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        cold = cpu_seconds(cli_command, environment)  # writes the bytecode; not counted in the medians
        cli_times, baseline_times = [], []
        for _ in range(repeats):  # interleaved, so a busy moment of the machine hits both alike
            cli_times.append(cpu_seconds(cli_command, environment))
            baseline_times.append(cpu_seconds(baseline_command, environment))
    cli_median, baseline_median = statistics.median(cli_times), statistics.median(baseline_times)
    return {"command": " ".join(["dystonia-kg", *cli_command[1:5]]), "repeats": repeats, "cold": cold,
            "cli": cli_median, "cli_min": min(cli_times), "baseline": baseline_median,
            "baseline_min": min(baseline_times), "ratio": cli_median / baseline_median}


def section(result: dict[str, object]) -> str:
    ratio = float(result["ratio"])  # type: ignore[arg-type]
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    return "\n".join([
        SECTION_START,
        "## Command line vs. the store",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} with `python -m benchmarks.cli_speed` on {os.cpu_count()} cores,"
        f" Python {platform.python_version()}: CPU time (user + system) of a fresh process, median of"
        f" {result['repeats']} interleaved runs, with the package's bytecode written (as pip installs it).",
        "",
        "| what | median CPU (s) | fastest (s) |",
        "| --- | ---: | ---: |",
        f"| `{result['command']}` (release alone: parsed in memory) | {result['cli']:.3f} | {result['cli_min']:.3f} |",
        f"| 5-line script: parse the release into an in-memory Oxigraph store, run the same query file"
        f" (`benchmarks/store_baseline.py`) | {result['baseline']:.3f} | {result['baseline_min']:.3f} |",
        "",
        f"Ratio **{ratio:.2f}x** ({verdict} the target of at most {TARGET_RATIO:g}x). The first run (bytecode"
        f" written, caches cold) took {result['cold']:.3f} s CPU.",
        SECTION_END,
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--release", type=Path, default=REPOSITORY / "dist" / "dystonia.ttl")
    parser.add_argument("--repeats", type=int, default=11)
    parser.add_argument("--out", type=Path, default=None, help="Markdown file to write the section into.")
    arguments = parser.parse_args()
    if not arguments.release.is_file():
        raise SystemExit(f"no release at {arguments.release}: run 'dystonia-kg build' first")
    result = measure(arguments.release.resolve(), arguments.repeats)
    text = section(result)
    print(text)
    if arguments.out:
        write_section(arguments.out, SECTION_START, SECTION_END, text)


if __name__ == "__main__":
    main()
