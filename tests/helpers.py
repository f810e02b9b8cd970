"""What several test modules need, written once: the repository, our namespace, the Turtle prefixes of inline
examples, a minimal ontology header, running the command line, asking a competency query, validating a snippet."""

from __future__ import annotations

import socket
import time
import urllib.request
from datetime import date
from pathlib import Path

from click.testing import CliRunner, Result
from rdflib import Graph, Variable
from rdflib.term import Node

from dystonia_kg import query, validate_graph
from dystonia_kg.build.validation import Violation
from dystonia_kg.cli import main
from dystonia_kg.core.engines import Engine
from dystonia_kg.core.resources import SourceLayout

REPOSITORY = Path(__file__).resolve().parent.parent
RELEASE_DATE = date(2026, 11, 22)
DYKG = "https://w3id.org/dystonia-kg/DYKG_"
PREFIXES = """\
@prefix DYKG: <https://w3id.org/dystonia-kg/DYKG_> .
@prefix IAO: <http://purl.obolibrary.org/obo/IAO_> .
@prefix RO: <http://purl.obolibrary.org/obo/RO_> .
@prefix oboInOwl: <http://www.geneontology.org/formats/oboInOwl#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""
"""The Turtle prefixes every inline example may use."""
HEADER = """
<https://example.org/ext.owl> a owl:Ontology ;
    <http://purl.org/dc/terms/title> "t" ; <http://purl.org/dc/terms/description> "d" ;
    <http://purl.org/dc/terms/license> <https://creativecommons.org/licenses/by/4.0/> ;
    owl:versionIRI <https://example.org/2026-01-01/ext.owl> ; owl:versionInfo "2026-01-01" .
"""
"""An ontology header that passes the header QC rules, so a snippet is judged on its own content."""


def run(*args: str) -> Result:
    """The command line, in process, as a user types it."""
    return CliRunner().invoke(main, list(args))


def answer(engine: Engine, name: str, **parameters: str) -> list[dict[str, str]]:
    """A competency query's rows as text (unbound cells as ""), asked of the release's store."""
    return [{k: (str(v) if v is not None else "") for k, v in row.items()}
            for row in query(name, parameters, graph=engine).as_dicts()]


def snippet(turtle: str, header: bool = True) -> Graph:
    """An inline Turtle example with our prefixes (and a passing ontology header unless told not to)."""
    return Graph().parse(data=PREFIXES + (HEADER if header else "") + turtle, format="turtle")


def failures_of(turtle: str, context: Graph | None = None) -> list[Violation]:
    """The violations (not warnings) the shapes and QC rules find in a snippet."""
    return validate_graph(snippet(turtle), context=context).failures


def add_module(layout: SourceLayout, name: str, turtle: str) -> Path:
    """Add a Turtle module (prefixes included) to a layout's ontology folder."""
    path = layout.ontology_dir / name
    path.write_text(PREFIXES + turtle, encoding="utf-8")
    return path


def free_port() -> int:
    """A loopback port nobody listens on now (the OS picks it, so parallel workers get different ones)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_serving(base: str, seconds: float = 10.0) -> bool:
    """Poll a SPARQL server's query endpoint until it answers (True) or the time is up (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def ask(engine: Engine, text: str, **bindings: Node) -> list[dict[str, str]]:
    """A SELECT written in a test, asked of the release's store with its variables bound (a bound variable must
    be selected, as Oxigraph binds by substitution); cells as text ("" when unbound)."""
    result = engine.select(text, {Variable(name): term for name, term in bindings.items()}, "a test's query")
    return [{k: (str(v) if v is not None else "") for k, v in row.items()} for row in result.as_dicts()]


RELEASE_FILES = sorted([
    "dystonia-hpo.nt", "dystonia-hpo.ttl",  # the imported HPO layer
    "dystonia-mondo-bridge.owl", "dystonia.context.jsonld", "dystonia.jsonld", "dystonia.nt", "dystonia.obo",
    "dystonia.owl", "dystonia.sssom.tsv", "dystonia.ttl", "dystonia_kgx_edges.tsv", "dystonia_kgx_nodes.tsv"])
"""Every file a build writes into the release folder, and nothing else (the query store lives in the cache)."""
