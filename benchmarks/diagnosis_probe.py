"""What the diagnosis benchmark measures in a fresh interpreter (so each timing and peak memory is its own),
run as `python -m benchmarks.diagnosis_probe PROBE ARGS...`; each probe prints one JSON object.

    load RELEASE            seconds to load the HPO index (from the cache) and the curated facts
    quality CASES RELEASE   rankings of every case by the likelihood-ratio model and the Resnik baseline
    peak COMMAND...         peak memory (MB) of a command run as a child process
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from typing import Any

import numpy as np

from benchmarks.diagnosis_benchmark import answers


def load(release: str) -> dict[str, Any]:
    started = time.perf_counter()
    from dystonia_kg.clinic.diagnosis import Diagnoser

    Diagnoser(release_file=release)
    return {"seconds": time.perf_counter() - started}


def quality(cases_folder: str, release: str) -> dict[str, Any]:
    """Top-10 diseases and genes per case, by both methods, with the answer beside them for the scorer
    (the answer is read here, never by the ranking)."""
    from dystonia_kg.clinic.diagnosis import Diagnoser, rank
    from dystonia_kg.clinic.phenopacket import case_files, read_phenopacket
    from dystonia_kg.clinic.similarity import ResnikScorer

    started = time.perf_counter()
    diagnoser = Diagnoser(release_file=release)
    loaded = time.perf_counter() - started
    index = diagnoser.index
    files = case_files([cases_folder])
    cases = [diagnoser.resolve(read_phenopacket(f))[0] for f in files]
    results = {"load_seconds": loaded, "hpo_version": index.version, "cases": [], "ms_per_case": {}}
    scorer = ResnikScorer(index)
    everything = np.arange(index.disease_count)
    annotated = set(index.disease_ids)
    timings = {"all": [], "dystonia": [], "resnik": []}
    for path, case in zip(files, cases, strict=True):
        diseases, genes = answers(path)  # the scorer's side: the answer, never given to the ranking
        row = {"file": path.name, "annotated": bool(diseases & annotated)}
        for candidates in ("all", "dystonia"):
            t = time.perf_counter()
            ranking = rank(diagnoser.model, case, candidates, 10, diagnoser.curated)
            timings[candidates].append(time.perf_counter() - t)
            row[f"lr_{candidates}"] = {"diseases": [d.id for d in ranking.diseases],
                                       "genes": [g.symbol for g in ranking.genes]}
        t = time.perf_counter()
        scores = scorer.scores([index.term_number(f.term) for f in case.observed])
        order = everything[np.lexsort((everything, -scores))]
        symbols = []
        for d in order:
            for _, symbol in index.genes_of(int(d)):
                if symbol not in symbols:
                    symbols.append(symbol)
            if len(symbols) >= 10:
                break
        timings["resnik"].append(time.perf_counter() - t)
        row["resnik_all"] = {"diseases": [index.disease_ids[d] for d in order[:10]], "genes": symbols[:10]}
        row["truth"] = {"diseases": sorted(diseases), "genes": sorted(genes)}
        results["cases"].append(row)
    results["ms_per_case"] = {k: 1000 * sum(v) / len(v) for k, v in timings.items()}
    results["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return results


def peak(command: list[str]) -> dict[str, Any]:
    subprocess.run(command, capture_output=True, check=True)
    return {"peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def main() -> None:
    probe, *arguments = sys.argv[1:]
    if probe == "load":
        result = load(*arguments)
    elif probe == "quality":
        result = quality(*arguments)
    elif probe == "peak":
        result = peak(arguments)
    else:
        raise SystemExit(f"unknown probe '{probe}' (load, quality, peak)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
