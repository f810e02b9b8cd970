"""One full build (load, HermiT, SHACL + QC, export) into a folder; prints its timings as JSON.

    python -m benchmarks.measure_build OUT_DIR
"""

from __future__ import annotations

import json
import resource
import sys
import time

from dystonia_kg import build


def main(out_dir: str) -> None:
    started = time.perf_counter()
    result = build(out_dir)
    seconds = time.perf_counter() - started
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "seconds": seconds,
        "cpu_seconds": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
        "steps": {timing.step: timing.seconds for timing in result.timings},
        "peak_rss_mb": own.ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main(sys.argv[1])
