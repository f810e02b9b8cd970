"""Packaging: the wheel carries the ontology, shapes and queries, and builds from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import REPOSITORY


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out),
                    str(REPOSITORY)], check=True, capture_output=True, text=True)
    (found,) = out.glob("dystonia_kg-*.whl")
    return found


def test_the_wheel_ships_every_source_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("ontology", "shapes", "queries"):
        for path in (REPOSITORY / folder).rglob("*"):
            if path.is_file():
                assert f"dystonia_kg/data/{path.relative_to(REPOSITORY).as_posix()}" in names, path


def test_an_installed_wheel_builds_the_release_from_any_directory(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(wheel)], check=True, capture_output=True, text=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    environment = {**os.environ, "PYTHONPATH": str(target)}
    run = subprocess.run([sys.executable, "-m", "dystonia_kg", "build", "--out", "release"], cwd=elsewhere,
                         env=environment, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (elsewhere / "release" / "dystonia.ttl").is_file()
    where = subprocess.run([sys.executable, "-c", "import dystonia_kg.core.resources as r; print(r.default_layout().ontology_dir)"],
                           cwd=elsewhere, env=environment, capture_output=True, text=True, check=True)
    assert where.stdout.strip().startswith(str(target))
