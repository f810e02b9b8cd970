"""A query from the command line stays light: it parses the release into Oxigraph and never imports the heavy
libraries of the build (rdflib alone costs a fresh `dystonia-kg query` about 0.1 s of its 0.2 s; BENCHMARKS.md,
'Command line vs. the store')."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = {"rdflib", "pyshacl", "owlready2", "jinja2", "numpy"}


def test_a_query_from_the_command_line_imports_none_of_the_build_libraries(release_dir: Path):
    # -X importtime lists every module the real entry point imports, one line each, on stderr
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "dystonia_kg", "query", "find-by-name",
                           "--param", "text=torticollis", "--release", str(release_dir / "dystonia.ttl")],
                          capture_output=True, text=True)
    assert done.returncode == 0 and "cervical dystonia" in done.stdout
    imported = {line.rsplit("|", 1)[1].strip().split(".")[0] for line in done.stderr.splitlines()
                if line.startswith("import time:") and "|" in line}
    assert "dystonia_kg" in imported  # the listing is real
    assert imported & HEAVY == set()
