"""Finding and loading a built release, the graph that queries, stats and validation read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ReleaseNotFoundError

if TYPE_CHECKING:
    from rdflib import Graph

DEFAULT_RELEASE_DIR = Path("dist")
# The imported HPO layer, released beside the ontology (dystonia-hpo.nt) and kept in this named graph of the
# embedded store. Queries see it only when they ask for it with a header line "# dataset: with the HPO layer"
# (the competency queries of the curated graph stay as fast as they were, and keep their answers).
LAYER_GRAPH_IRI = "https://w3id.org/dystonia-kg/dystonia-hpo.owl"
LAYER_OPT_IN = "# dataset: with the HPO layer"
DEFAULT_GRAPH = "https://w3id.org/dystonia-kg/dystonia.owl"
"""The named graph a user may publish the release into (publish --graph); by default publish replaces
the server's default graph."""
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
    from .rdfio import parse_rdf_file  # only the rdflib path needs it

    return parse_rdf_file(path)
