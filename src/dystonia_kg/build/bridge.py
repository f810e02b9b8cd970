"""The MONDO bridge: gene and inheritance facts restated with the identifiers MONDO uses, shipped in the release
as a module of its own (``dystonia-mondo-bridge.owl``).

MONDO states a disease's gene as ``RO:0004003 some <http://identifiers.org/hgnc/N>`` and its inheritance as
``RO:0000053 some HP:0000006``. Our facts point at our own gene and inheritance classes (they carry our
definitions, synonyms and the drug-target links), so a query that starts from an HGNC IRI found nothing of
ours without a mapping hop. We chose a generated bridge module over replacing our classes by external IRIs:
the curated tables stay as they are (one fact, one row, one source), the main release keeps one statement
per fact (queries, pronto and KGX see no duplicates), and the bridge holds, for each fact whose filler has
an exact match, the same fact in MONDO's shape, annotated with the same sources. Load it beside
``dystonia.owl`` (and MONDO) to join by HGNC or HP IRIs:

* ``X SubClassOf: RO:0004003 some G`` (G one of our genes) -> ``X SubClassOf: RO:0004003 some <HGNC IRI>``;
  a gene with no HGNC match but an NCBI Gene match (genes that come only from HPO's files) gets its NCBI
  Gene IRI instead.
* ``X SubClassOf: 'has mode of inheritance' some M`` (M exactMatch an HPO mode of inheritance) ->
  ``X SubClassOf: RO:0000053 some <HP IRI>``; our property is a subproperty of RO:0000053, so this is an
  entailment written out for SPARQL users, not a new claim.

The external fillers are declared as classes with the label of their mapping row (references, as ODK
imports do). No domain, range or equivalence is added, so merging the release with MONDO and reasoning
puts no MONDO or HGNC class under ours.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef

from ..core.prefixes import PrefixMap
from ..core.vocabulary import AXIOM_SOURCE, DCTERMS, OBO, OWL, RDF, RDFS
from ..mapping.model import Mapping

HAS_MATERIAL_BASIS_IN_GERMLINE_MUTATION_IN = OBO["RO_0004003"]
HAS_CHARACTERISTIC = OBO["RO_0000053"]
HAS_MODE_OF_INHERITANCE = URIRef("https://w3id.org/dystonia-kg/DYKG_0000108")
GENE_PREFIXES = ("HGNC", "NCBIGene")  # in order of preference, as MONDO uses them
INHERITANCE_PREFIXES = ("HP",)
BRIDGE_IRI = URIRef("https://w3id.org/dystonia-kg/dystonia-mondo-bridge.owl")
BRIDGE_SUFFIX = "-mondo-bridge.owl"
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
BRIDGE_DESCRIPTION = ("The gene and inheritance facts of dystonia-kg restated as MONDO states them (RO:0004003 some "
                      "HGNC gene, RO:0000053 some HPO mode of inheritance), generated from the curated facts and "
                      "their exact matches, with the same sources. Load it beside dystonia.owl to join with MONDO.")


def _preferred_matches(mappings: list[Mapping], prefixes: tuple[str, ...]) -> dict[URIRef, Mapping]:
    """Our term -> its exact match in the first of the prefixes it has one in."""
    chosen: dict[URIRef, Mapping] = {}
    for prefix in reversed(prefixes):
        for mapping in mappings:
            if mapping.predicate_curie == "skos:exactMatch" and mapping.object_curie.startswith(f"{prefix}:"):
                chosen[mapping.subject] = mapping
    return chosen


def _facts(graph: Graph, prop: URIRef) -> list[tuple[URIRef, URIRef, BNode]]:
    """(subject, filler, restriction) of every `subject SubClassOf: prop some filler` with a named filler."""
    found = []
    for subject, restriction in graph.subject_objects(RDFS.subClassOf):
        if (isinstance(subject, URIRef) and isinstance(restriction, BNode)
                and graph.value(restriction, OWL.onProperty) == prop):
            filler = graph.value(restriction, OWL.someValuesFrom)
            if isinstance(filler, URIRef):
                found.append((subject, filler, restriction))
    return sorted(found)


def _sources(graph: Graph, subject: URIRef, restriction: BNode) -> list[Literal]:
    for axiom in graph.subjects(OWL.annotatedTarget, restriction):
        if graph.value(axiom, OWL.annotatedSource) == subject:
            return sorted(graph.objects(axiom, AXIOM_SOURCE))  # type: ignore[arg-type]
    return []


def mondo_bridge_graph(release: Graph, mappings: list[Mapping], prefixes: PrefixMap, version: str) -> Graph:
    """The bridge module: an ontology header, the MONDO-shaped twin of every gene and inheritance fact of the
    release (with the fact's sources), and the external fillers declared with their labels."""
    bridge = Graph()
    prefixes.bind_to(bridge)
    bridge.add((BRIDGE_IRI, RDF.type, OWL.Ontology))
    bridge.add((BRIDGE_IRI, DCTERMS.title, Literal("dystonia-kg bridge to MONDO identifiers", lang="en")))
    bridge.add((BRIDGE_IRI, DCTERMS.description, Literal(BRIDGE_DESCRIPTION, lang="en")))
    bridge.add((BRIDGE_IRI, DCTERMS.license, LICENSE))
    bridge.add((BRIDGE_IRI, OWL.versionInfo, Literal(version)))
    plans = (
        (HAS_MATERIAL_BASIS_IN_GERMLINE_MUTATION_IN, HAS_MATERIAL_BASIS_IN_GERMLINE_MUTATION_IN, GENE_PREFIXES),
        (HAS_MODE_OF_INHERITANCE, HAS_CHARACTERISTIC, INHERITANCE_PREFIXES),
    )
    for _, mondo_property, _ in plans:
        bridge.add((mondo_property, RDF.type, OWL.ObjectProperty))
        for label in release.objects(mondo_property, RDFS.label):
            bridge.add((mondo_property, RDFS.label, label))
    for our_property, mondo_property, match_prefixes in plans:
        matches = _preferred_matches(mappings, match_prefixes)
        for subject, filler, restriction in _facts(release, our_property):
            match = matches.get(filler)
            if match is None:
                continue
            external = prefixes.expand(match.object_curie)
            bridge.add((external, RDF.type, OWL.Class))
            bridge.add((external, RDFS.label, Literal(match.object_label)))
            bridge.add((subject, RDF.type, OWL.Class))
            for label in release.objects(subject, RDFS.label):
                bridge.add((subject, RDFS.label, label))
            twin = BNode()
            bridge.add((twin, RDF.type, OWL.Restriction))
            bridge.add((twin, OWL.onProperty, mondo_property))
            bridge.add((twin, OWL.someValuesFrom, external))
            bridge.add((subject, RDFS.subClassOf, twin))
            axiom = BNode()
            bridge.add((axiom, RDF.type, OWL.Axiom))
            bridge.add((axiom, OWL.annotatedSource, subject))
            bridge.add((axiom, OWL.annotatedProperty, RDFS.subClassOf))
            bridge.add((axiom, OWL.annotatedTarget, twin))
            for source in _sources(release, subject, restriction):
                bridge.add((axiom, AXIOM_SOURCE, source))
    return bridge
