"""Step 1 of the build: parse every edited source and merge them into one graph.

Sources are read in a fixed order (Turtle modules sorted by name, then term, pattern, axiom and mapping
tables, each folder sorted by name), so the merged graph, and everything derived from it, does not depend on the
order the file system lists files in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from ..core.errors import SourceError
from ..core.prefixes import PrefixMap
from ..core.rdfio import parse_rdf_file
from ..core.resources import SourceLayout
from ..core.vocabulary import OWL, RDF
from ..mapping.model import Mapping
from .tables import TableCompiler
from .terms import GENUS_AND_RESTRICTION_PATTERN, TermCompiler

MAPPINGS_FOLDER = "mappings"
AXIOMS_FOLDER = "axioms"
TERMS_FOLDER = "terms"
PATTERNS_FOLDER = "patterns"


@dataclass
class LoadedSources:
    """The merged source graph, the ontology's IRI and what it was made from."""

    graph: Graph
    ontology_iri: URIRef
    prefixes: PrefixMap
    mappings: list[Mapping] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def load_sources(layout: SourceLayout) -> LoadedSources:
    """Parse and merge ontology/*.ttl, then the tables: terms/, patterns/, axioms/ and mappings/ (*.tsv)."""
    prefixes = PrefixMap.from_file(layout.prefix_map_file)
    turtle_files = sorted(layout.ontology_dir.glob("*.ttl"))
    if not turtle_files:
        raise SourceError(layout.ontology_dir, "no Turtle sources (*.ttl) found")
    graph = Graph()
    prefixes.bind_to(graph)
    for path in turtle_files:
        parse_rdf_file(path, into=graph, rdf_format="turtle")
    files = list(turtle_files)

    terms = TermCompiler(graph, prefixes)
    term_tables = sorted((layout.ontology_dir / TERMS_FOLDER).glob("*.tsv"))
    for path in term_tables:
        terms.add_terms(path)
        files.append(path)
    for path in term_tables:
        terms.check_parents(path)
    pattern_dir = layout.ontology_dir / PATTERNS_FOLDER
    for path in sorted(pattern_dir.glob("*.tsv")):
        if path.stem != GENUS_AND_RESTRICTION_PATTERN:
            raise SourceError(path, f"unknown pattern; the patterns are: {GENUS_AND_RESTRICTION_PATTERN}")
        terms.add_genus_and_restriction(path)
        files.append(path)

    compiler = TableCompiler(graph, prefixes)
    for path in sorted((layout.ontology_dir / AXIOMS_FOLDER).glob("*.tsv")):
        compiler.add_axioms(path)
        files.append(path)
    mappings: list[Mapping] = []
    for path in sorted((layout.ontology_dir / MAPPINGS_FOLDER).glob("*.tsv")):
        mappings.extend(compiler.read_mappings(path))
        files.append(path)
    compiler.add_mappings(mappings)

    return LoadedSources(graph, _the_ontology_iri(graph, turtle_files), prefixes, mappings, files)


def _the_ontology_iri(graph: Graph, files: list[Path]) -> URIRef:
    """The one owl:Ontology the sources declare (the header module); modules must not declare their own."""
    ontologies = [node for node in graph.subjects(RDF.type, OWL.Ontology) if isinstance(node, URIRef)]
    if len(ontologies) != 1:
        found = ", ".join(sorted(ontologies)) or "none"
        raise SourceError(files[0].parent, f"the sources must declare exactly one owl:Ontology; found {found}")
    return ontologies[0]
