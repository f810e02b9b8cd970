"""BENCHMARKS.md is shared: each benchmark owns one section between two markers and rewrites only that.

Why: `make bench` runs several benchmarks one after another (and some are run on their own); a benchmark
that rewrote the whole file would erase the figures of the others.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_section(path: Path, start: str, end: str, text: str) -> None:
    """Put `text` (which begins with `start` and ends with `end`) in place of the section between those
    markers, or append it when the file has none; everything else is kept. Written atomically."""
    current = path.read_text(encoding="utf-8") if path.is_file() else "# Benchmarks\n"
    if start in current and end in current:
        before, rest = current.split(start, 1)
        after = rest.split(end, 1)[1].lstrip("\n")
        updated = before + text + ("\n\n" + after if after else "\n")
    else:
        updated = current.rstrip("\n") + "\n\n" + text + "\n"
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(updated, encoding="utf-8")
    os.replace(temporary, path)
