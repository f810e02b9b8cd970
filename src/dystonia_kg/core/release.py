"""Finding and loading a built release, the graph that queries, stats and validation read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from .errors import ReleaseNotFoundError
from .rdfio import parse_rdf_file

DEFAULT_RELEASE_DIR = Path("dist")
RELEASE_BASENAME = "dystonia"


@dataclass(frozen=True)
class ReleaseFormat:
    suffix: str
    rdflib_format: str
    description: str


RELEASE_FORMATS: tuple[ReleaseFormat, ...] = (
    ReleaseFormat(".ttl", "turtle", "Turtle"),
    ReleaseFormat(".owl", "xml", "RDF/XML shaped like OWL-API output: owlready2, Protege, pronto, py-horned-owl"),
    ReleaseFormat(".jsonld", "json-ld", "JSON-LD"),
    ReleaseFormat(".nt", "nt", "N-Triples, sorted"),
)


def release_paths(out_dir: Path) -> dict[str, Path]:
    """suffix -> path of each release file in a folder."""
    return {f.suffix: out_dir / f"{RELEASE_BASENAME}{f.suffix}" for f in RELEASE_FORMATS}


def default_release_file(release_dir: Path = DEFAULT_RELEASE_DIR) -> Path:
    return release_paths(release_dir)[".ttl"]


def load_release(path: Path | None = None) -> Graph:
    """Parse a release file (any RDF format by suffix); the default is dist/dystonia.ttl."""
    path = Path(path) if path is not None else default_release_file()
    if not path.is_file():
        raise ReleaseNotFoundError(path)
    return parse_rdf_file(path)
