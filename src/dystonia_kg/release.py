"""Finding and loading a built release, the graph that queries, stats and validation read."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from .errors import ReleaseNotFoundError
from .export import release_paths
from .rdfio import parse_rdf_file

DEFAULT_RELEASE_DIR = Path("dist")


def default_release_file(release_dir: Path = DEFAULT_RELEASE_DIR) -> Path:
    return release_paths(release_dir)[".ttl"]


def load_release(path: Path | None = None) -> Graph:
    """Parse a release file (any RDF format by suffix); the default is dist/dystonia.ttl."""
    path = Path(path) if path is not None else default_release_file()
    if not path.is_file():
        raise ReleaseNotFoundError(path)
    return parse_rdf_file(path)
