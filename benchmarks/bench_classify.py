"""Benchmark of `classify`: 1,000 cases (Axis I and II, the inferred classes, work-up and treatments;
without the diagnose ranking) against a target of 10 s on 2 cores, and the answers checked against
HermiT.

    python benchmarks/bench_classify.py [--release dist/dystonia.ttl] [--cases 1000] [--alone 25]

What is measured (wall clock, best of three for the in-process figure):
* the command line end to end: `dystonia-kg classify cases.csv --format jsonl` on a CSV of the cases
  (Python start, reading the release, reading and checking the cases, reasoning, writing);
* in process: reading the release's knowledge, reading the cases into profiles, the fast path, the
  recommendations and forms;
* HermiT on the whole batch in one call, and HermiT on a sample of cases one at a time (each alone,
  in its own World), both compared class set by class set with the fast path.

The cases are drawn with a fixed seed from the regions, sides, ages, movement disorders, courses,
variabilities and Axis II fields the case format accepts, so every distribution and band occurs.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dystonia_kg.clinic.batch import classify_cases, knowledge_for
from dystonia_kg.clinic.cases import case_from_mapping
from dystonia_kg.clinic.classification import Interpreter
from dystonia_kg.clinic.individuals import FastReasoner, HermitReasoner
from dystonia_kg.core.release import default_release_file

REGIONS = ["upper face", "lower face", "jaw", "tongue", "larynx", "neck", "trunk", "upper limb", "lower limb",
           "hand", "foot", "eyelid"]
SIDES = ["", ":left", ":right", ":bilateral"]
MOVEMENT = ["tremor", "myoclonus", "parkinsonism", "chorea"]


def synthetic_cases(count: int, seed: int = 16) -> list[dict]:
    """Random but reproducible cases in our format."""
    rng = random.Random(seed)
    cases = []
    for number in range(count):
        regions = [rng.choice(REGIONS) + rng.choice(SIDES) for _ in range(rng.choice([1, 1, 2, 2, 3, 4]))]
        case: dict = {"id": f"synthetic-{number + 1:04d}", "age_at_onset": rng.choice([1, 2, 5, 12, 13, 19, 20, 25,
                                                                                          40, 41, 55, 70]),
                      "regions": regions}
        if rng.random() < 0.5:
            case["course"] = rng.choice(["static", "progressive"])
        if rng.random() < 0.4:
            case["variability"] = [rng.choice(["persistent", "action-specific", "diurnal", "paroxysmal"])]
        if rng.random() < 0.5:
            case["movement_disorders"] = rng.sample(MOVEMENT, rng.choice([1, 2]))
        if rng.random() < 0.3:
            case["imaging"] = rng.choice(["normal", "structural lesion", "degeneration"])
        if rng.random() < 0.3:
            case["family_history"] = rng.choice(["positive", "negative"])
        if rng.random() < 0.1:
            case["exposures"] = ["haloperidol"]
        cases.append(case)
    return cases


def write_csv(cases: list[dict], path: Path) -> None:
    columns = ["id", "age_at_onset", "regions", "course", "variability", "movement_disorders", "imaging",
               "family_history", "exposures"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for case in cases:
            writer.writerow([";".join(case[c]) if isinstance(case.get(c), list) else case.get(c, "") for c in columns])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, default=default_release_file())
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--alone", type=int, default=25, help="cases to check one at a time with HermiT")
    parser.add_argument("--json", type=Path, default=None, help="write the figures as JSON here")
    args = parser.parse_args()
    documents = synthetic_cases(args.cases)
    figures: dict = {"cases": args.cases, "cpus": os.cpu_count()}

    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "cases.csv"
        write_csv(documents, csv_path)
        cli = Path(sys.executable).with_name("dystonia-kg")
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            done = subprocess.run([str(cli), "classify", str(csv_path), "--format", "jsonl", "--no-diagnose",
                                   "--release", str(args.release)], capture_output=True, text=True, check=True)
            runs.append(time.perf_counter() - start)
        figures["cli_seconds_best_of_3"] = round(min(runs), 2)
        figures["cli_objects"] = len(done.stdout.splitlines())

    start = time.perf_counter()
    knowledge = knowledge_for(args.release)
    figures["knowledge_seconds"] = round(time.perf_counter() - start, 2)
    cases = [case_from_mapping(d, "benchmark", d["id"]) for d in documents]
    best = None
    for _ in range(3):
        start = time.perf_counter()
        results = classify_cases(cases, knowledge, "fast", rank_with_diagnose=False)
        objects = [r.as_json() for r in results]
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    figures["in_process_seconds_best_of_3"] = round(best or 0.0, 2)
    figures["distributions"] = {}
    for obj in objects:
        label = obj["axis1"]["body_distribution"]["label"]
        figures["distributions"][label] = figures["distributions"].get(label, 0) + 1

    profiles = [Interpreter(knowledge).interpret(case) for case in cases]
    fast = FastReasoner(knowledge).classes(profiles)
    start = time.perf_counter()
    hermit_batch = HermitReasoner(knowledge).classes(profiles)
    figures["hermit_batch_seconds"] = round(time.perf_counter() - start, 2)
    figures["fast_equals_hermit_batch"] = sum(a == b for a, b in zip(fast, hermit_batch, strict=True))
    sample = random.Random(7).sample(range(len(profiles)), min(args.alone, len(profiles)))
    start = time.perf_counter()
    alone_equal = sum(HermitReasoner(knowledge).classes([profiles[i]])[0] == fast[i] for i in sample)
    figures["hermit_alone_checked"] = len(sample)
    figures["fast_equals_hermit_alone"] = alone_equal
    figures["hermit_alone_seconds_per_case"] = round((time.perf_counter() - start) / max(len(sample), 1), 2)
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
