"""Shared fixtures: a private copy of the sources to break on purpose, and one real build."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph

from dystonia_kg import build
from dystonia_kg.core.resources import SourceLayout

REPOSITORY = Path(__file__).resolve().parent.parent
RELEASE_DATE = date(2026, 11, 22)
PREFIXES = """\
@prefix DYKG: <https://w3id.org/dystonia-kg/DYKG_> .
@prefix IAO: <http://purl.obolibrary.org/obo/IAO_> .
@prefix RO: <http://purl.obolibrary.org/obo/RO_> .
@prefix oboInOwl: <http://www.geneontology.org/formats/oboInOwl#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""


@pytest.fixture(autouse=True, scope="session")
def private_store_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Query stores go to a cache folder of the test session, never the user's own cache."""
    folder = tmp_path_factory.mktemp("store-cache")
    patch = pytest.MonkeyPatch()
    patch.setenv("DYSTONIA_KG_CACHE", str(folder))
    yield folder
    patch.undo()


@pytest.fixture
def sources(tmp_path: Path) -> SourceLayout:
    """A private copy of ontology/, shapes/ and queries/ that a test may edit or break."""
    root = tmp_path / "sources"
    for folder in ("ontology", "shapes", "queries"):
        shutil.copytree(REPOSITORY / folder, root / folder)
    return SourceLayout.at(root)


def add_module(layout: SourceLayout, name: str, turtle: str) -> Path:
    """Add a Turtle module (prefixes included) to a layout's ontology folder."""
    path = layout.ontology_dir / name
    path.write_text(PREFIXES + turtle, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def release_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real ontology, built once for the whole session."""
    out = tmp_path_factory.mktemp("release")
    build(out, release_date=RELEASE_DATE)
    return out


@pytest.fixture(scope="session")
def release_graph(release_dir: Path) -> Graph:
    return Graph().parse(release_dir / "dystonia.ttl")
