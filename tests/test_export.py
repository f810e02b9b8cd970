"""Step 4, export: four formats of one graph, byte-identical across builds, written atomically."""

from __future__ import annotations

import random

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from dystonia_kg import build
from dystonia_kg.build.canonical import canonical_triples
from dystonia_kg.core.errors import SourceError, ValidationFailedError
from helpers import RELEASE_DATE, add_module

FORMATS = {"dystonia.ttl": "turtle", "dystonia.owl": "xml", "dystonia.jsonld": "json-ld", "dystonia.nt": "nt"}


def test_the_four_release_files_parse_back_to_the_same_graph(release_dir):
    graphs = {name: Graph().parse(release_dir / name, format=fmt) for name, fmt in FORMATS.items()}
    reference = graphs["dystonia.ttl"]
    assert len(reference) > 400
    expected = canonical_triples(reference)  # blank nodes named by content: equal sets mean isomorphic graphs
    for name, graph in graphs.items():
        assert len(graph) == len(reference), f"{name} has {len(graph)} triples, dystonia.ttl {len(reference)}"
        assert canonical_triples(graph) == expected, f"{name} differs from dystonia.ttl"


def test_the_owl_file_opens_in_owlready2(release_dir):
    import owlready2

    world = owlready2.World()
    ontology = world.get_ontology(f"file://{release_dir / 'dystonia.owl'}").load()
    labels = {str(c.label.first()) for c in ontology.classes()}
    assert {"dystonia", "gene", "drug", "mechanism of action"} <= labels
    world.close()


def test_two_builds_of_the_same_sources_are_byte_identical(sources, tmp_path):
    first = build(tmp_path / "a", layout=sources, release_date=RELEASE_DATE)
    second = build(tmp_path / "b", layout=sources, release_date=RELEASE_DATE)
    for suffix, path in first.files.items():
        assert path.read_bytes() == second.files[suffix].read_bytes(), f"{path.name} differs between builds"


def test_the_release_header_carries_a_dated_version(release_graph):
    ontology = URIRef("https://w3id.org/dystonia-kg/dystonia.owl")
    assert release_graph.value(ontology, OWL.versionIRI) == URIRef(
        "https://w3id.org/dystonia-kg/releases/2026-11-22/dystonia.owl")
    assert str(release_graph.value(ontology, OWL.versionInfo)) == "2026-11-22"


def test_canonical_blank_node_labels_do_not_depend_on_insertion_order():
    triples = []
    for index in range(30):
        cls = URIRef(f"https://example.org/C{index}")
        restriction, axiom = BNode(), BNode()
        triples += [
            (cls, RDFS.subClassOf, restriction), (restriction, RDF.type, OWL.Restriction),
            (restriction, OWL.onProperty, URIRef("https://example.org/p")),
            (restriction, OWL.someValuesFrom, URIRef(f"https://example.org/V{index % 3}")),
            (axiom, OWL.annotatedSource, cls), (axiom, OWL.annotatedTarget, restriction),
            (axiom, RDFS.comment, Literal("source")),
        ]
    outputs = set()
    for seed in range(5):
        random.Random(seed).shuffle(triples)
        graph = Graph()
        for s, p, o in triples:  # fresh blank nodes each time, as a new parse would give
            graph.add((s, p, o))
        relabelled = Graph()
        fresh: dict[BNode, BNode] = {}
        for s, p, o in graph:
            relabelled.add(tuple(fresh.setdefault(t, BNode()) if isinstance(t, BNode) else t for t in (s, p, o)))
        outputs.add(tuple(canonical_triples(relabelled)))
    assert len(outputs) == 1


def test_axiom_annotations_sharing_a_restriction_are_labelled_without_the_slow_fallback():
    """Regression: the upward and downward walks once shared one cycle guard, so every annotated
    axiom looked like a cycle and the build fell back to rdflib's canonicaliser (6 s instead of 0.1 s)."""
    from dystonia_kg.build.canonical import _tree_labels

    graph = Graph()
    cls, restriction, axiom = URIRef("https://example.org/C"), BNode(), BNode()
    graph.add((cls, RDFS.subClassOf, restriction))
    graph.add((restriction, OWL.someValuesFrom, URIRef("https://example.org/V")))
    graph.add((axiom, OWL.annotatedSource, cls))
    graph.add((axiom, OWL.annotatedTarget, restriction))
    assert len(_tree_labels(graph)) == 2


def test_turtle_output_of_many_unions_parses_back_to_the_same_graph():
    """Regression: rdflib's Turtle writer wrote a list's tail twice when it met the tail before the
    list's head, so the release's Turtle held two triples more than its N-Triples."""
    from rdflib.collection import Collection

    from dystonia_kg.build.canonical import canonical_graph

    graph = Graph()
    for index in range(60):  # C SubClassOf: p some (A or B), the axiom annotated with its source
        cls, restriction, union, head, axiom = URIRef(f"https://example.org/C{index}"), BNode(), BNode(), BNode(), BNode()
        Collection(graph, head, [URIRef(f"https://example.org/A{index}"), URIRef(f"https://example.org/B{index}")])
        graph.add((union, RDF.type, OWL.Class))
        graph.add((union, OWL.unionOf, head))
        graph.add((restriction, RDF.type, OWL.Restriction))
        graph.add((restriction, OWL.someValuesFrom, union))
        graph.add((cls, RDFS.subClassOf, restriction))
        graph.add((axiom, OWL.annotatedSource, cls))
        graph.add((axiom, OWL.annotatedTarget, restriction))
    from dystonia_kg import prefix_map
    from dystonia_kg.build.export import RELEASE_FORMATS, serialize

    turtle = next(f for f in RELEASE_FORMATS if f.suffix == ".ttl")
    canonical = canonical_graph(graph)
    reparsed = Graph().parse(data=serialize(canonical, turtle, prefix_map()), format="turtle")
    assert len(reparsed) == len(graph) and isomorphic(reparsed, graph)


def test_a_failed_build_leaves_the_previous_release_untouched(sources, tmp_path):
    out = tmp_path / "dist"
    build(out, layout=sources, release_date=RELEASE_DATE)
    before = {path.name: path.read_bytes() for path in out.iterdir()}

    add_module(sources, "broken.ttl", "DYKG:0009999 a owl:Class , , .\n")
    with pytest.raises(SourceError):
        build(out, layout=sources, release_date=RELEASE_DATE)
    (sources.ontology_dir / "broken.ttl").unlink()
    add_module(sources, "undefined.ttl", 'DYKG:0009998 a owl:Class ; rdfs:label "no definition"@en .\n')
    with pytest.raises(ValidationFailedError):
        build(out, layout=sources, release_date=RELEASE_DATE)

    after = {path.name: path.read_bytes() for path in out.iterdir()}
    assert after == before
