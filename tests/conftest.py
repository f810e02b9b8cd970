"""Shared fixtures: a private copy of the sources to break on purpose, and one real build."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from dystonia_kg import build
from dystonia_kg.core.engines import OxigraphEngine
from dystonia_kg.core.resources import SourceLayout
from helpers import RELEASE_DATE, REPOSITORY, free_port, wait_until_serving


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


@pytest.fixture(scope="session")
def release_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real ontology, built once for the whole run: under pytest-xdist the first worker builds it into
    the run's shared temporary folder while the others wait on a lock, then all read the same release."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        out = tmp_path_factory.mktemp("release")
        build(out, release_date=RELEASE_DATE)
        return out
    shared = tmp_path_factory.getbasetemp().parent / "release"
    with (shared.parent / "release.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "dystonia.ttl").is_file():
            build(shared, release_date=RELEASE_DATE)
    return shared


@pytest.fixture(scope="session")
def release_graph(release_dir: Path) -> Graph:
    """The release as an rdflib Graph: for the engine-parity tests and for walking the graph in Python."""
    return Graph().parse(release_dir / "dystonia.ttl")


@pytest.fixture(scope="session")
def release_store(release_dir: Path) -> OxigraphEngine:
    """The release in an in-memory Oxigraph store: what the domain tests ask their questions of."""
    return OxigraphEngine.of_file(release_dir / "dystonia.ttl")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A run that selected no test (a wrong -k or -m, a moved folder) fails instead of passing as exit code 5,
    which CI scripts and make would otherwise read as neither success nor a test failure."""
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph SPARQL server on loopback with its own empty store and default settings (its default graph
    is not the union of its graphs, as on Fuseki), stopped after the module's tests.
    A port another worker took between the pick and the bind makes the server exit: then another port is tried."""
    from dystonia_kg.query.serving import oxigraph_executable

    location = tmp_path_factory.mktemp("oxigraph-server")
    for _attempt in range(3):
        port = free_port()
        process = subprocess.Popen([oxigraph_executable(), "serve", "--location", str(location), "--bind",
                                    f"127.0.0.1:{port}"],  # default settings: no union default graph
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        if wait_until_serving(base):
            break
        process.kill()
        process.wait(timeout=10)
    else:
        pytest.fail("the Oxigraph server did not start")
    yield base
    process.terminate()
    process.wait(timeout=10)


SLOW_FIXTURES = {
    "sources": "builds (or starts building) a changed copy of the sources",
    "oxigraph_server": "starts a real Oxigraph server in a subprocess",
    "browser": "drives headless Chromium",
    "wheel": "builds and installs the wheel in subprocesses",
}
"""A test that uses one of these fixtures is marked `slow` (left out by `make check`, run by `make test`)."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES.keys() & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
