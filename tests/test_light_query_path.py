"""A query from the command line stays light: it parses the release into Oxigraph and never imports the heavy
libraries of the build (rdflib alone costs a fresh `dystonia-kg query` about 0.1 s of its 0.2 s; BENCHMARKS.md,
'Command line vs. the store')."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("rdflib", "pyshacl", "owlready2", "jinja2", "numpy")

PROBE = """
import json, sys
from click.testing import CliRunner
from dystonia_kg.cli import main
result = CliRunner().invoke(main, ["query", "find-by-name", "--param", "text=torticollis", "--release", sys.argv[1]])
print(json.dumps({"exit": result.exit_code, "output": result.output,
                  "heavy": sorted(m for m in sys.modules if m.split(".")[0] in sys.argv[2].split(","))}))
"""


def test_a_query_from_the_command_line_imports_none_of_the_build_libraries(release_dir: Path):
    probe = subprocess.run([sys.executable, "-c", PROBE, str(release_dir / "dystonia.ttl"), ",".join(HEAVY)],
                           capture_output=True, text=True, check=True)
    found = json.loads(probe.stdout.strip().splitlines()[-1])
    assert found["exit"] == 0 and "cervical dystonia" in found["output"]
    assert found["heavy"] == []
