"""Step 2 of the build: classify the merged ontology with HermiT (through owlready2).

owlready2 cannot read Turtle, so the graph is handed over as N-Triples. HermiT runs in a fresh
owlready2 World (an in-memory quadstore) so that nothing leaks between builds. What comes back:
whether the ontology is consistent, the unsatisfiable classes, and the subsumptions, equivalences and
class memberships the reasoner inferred that the sources do not assert: the release adds those, so
SPARQL users get the inferred hierarchy without running a reasoner.
"""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import dataclass

from rdflib import Graph, URIRef

from ..core.errors import InconsistentOntologyError, JavaNotFoundError, ReasonerError, UnsatisfiableClassesError
from ..core.vocabulary import OWL, RDF, RDFS

_INFERENCES_ONTOLOGY = "http://inferrences/"  # owlready2's name (sic) for the reasoner's output
_INFERRED_PREDICATES = {str(RDFS.subClassOf), str(OWL.equivalentClass), str(RDF.type), str(RDFS.subPropertyOf)}


@dataclass(frozen=True)
class Inference:
    """One axiom the reasoner inferred: subject, predicate (subClassOf, equivalentClass, type), object."""

    subject: URIRef
    predicate: URIRef
    object: URIRef


@dataclass(frozen=True)
class ReasoningResult:
    """What HermiT concluded about a consistent ontology."""

    unsatisfiable: tuple[tuple[str, str], ...]
    """(IRI, label) of every class that can have no member."""
    inferred: tuple[Inference, ...]
    """Inferred axioms between named entities that the graph does not already assert."""

    @property
    def subsumptions(self) -> tuple[Inference, ...]:
        return tuple(i for i in self.inferred if i.predicate == RDFS.subClassOf)


def java_executable() -> str:
    """The Java runtime HermiT will use: JAVA_EXE if set, else 'java' on PATH; fails clearly if absent."""
    import owlready2

    java = os.environ.get("JAVA_EXE", owlready2.JAVA_EXE)
    resolved = shutil.which(java)
    if resolved is None:
        raise JavaNotFoundError(java)
    owlready2.JAVA_EXE = resolved
    return resolved


def classify(graph: Graph, ontology_iri: str) -> ReasoningResult:
    """Run HermiT on the graph. Raises InconsistentOntologyError; unsatisfiable classes are reported."""
    java_executable()
    import owlready2

    world = owlready2.World()
    try:
        data = graph.serialize(format="nt", encoding="utf-8")
        world.get_ontology(str(ontology_iri)).load(fileobj=io.BytesIO(data), format="ntriples")
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as error:
            raise InconsistentOntologyError(_explain_inconsistency(graph, ontology_iri)) from error
        except owlready2.OwlReadyJavaError as error:
            raise ReasonerError(f"HermiT failed: {error}") from error

        unsatisfiable = tuple(
            sorted(
                (cls.iri, _label(graph, URIRef(cls.iri)))
                for cls in world.inconsistent_classes()
                if cls.iri != str(OWL.Nothing)
            )
        )
        inferred = _read_inferences(world, graph)
    finally:
        world.close()
    return ReasoningResult(unsatisfiable, inferred)


def require_satisfiable(result: ReasoningResult) -> None:
    """A build must not publish classes that can have no member."""
    if result.unsatisfiable:
        raise UnsatisfiableClassesError(result.unsatisfiable)


def _read_inferences(world: object, graph: Graph) -> tuple[Inference, ...]:
    """The reasoner's new axioms between named entities, less those the sources already assert."""
    inferences_ontology = world.get_ontology(_INFERENCES_ONTOLOGY)  # type: ignore[attr-defined]
    unabbreviate = world._unabbreviate  # type: ignore[attr-defined]
    found: set[Inference] = set()
    for s, p, o in inferences_ontology.get_triples(None, None, None):
        if not (isinstance(s, int) and isinstance(o, int) and s > 0 and o > 0):
            continue  # blank nodes (negative storids) and literals are not named-entity axioms
        predicate = unabbreviate(p)
        if predicate not in _INFERRED_PREDICATES:
            continue
        subject, obj = URIRef(unabbreviate(s)), URIRef(unabbreviate(o))
        if str(obj).startswith(str(OWL)) or subject == obj:
            continue  # owl:Thing / owl:Nothing / the ontology declaration itself
        if predicate == str(RDF.type) and obj in (OWL.Ontology, OWL.NamedIndividual, OWL.Class):
            continue
        triple = (subject, URIRef(predicate), obj)
        if triple in graph:
            continue
        found.add(Inference(*triple))
    return tuple(sorted(found, key=lambda i: (str(i.subject), str(i.predicate), str(i.object))))


def _label(graph: Graph, iri: URIRef) -> str:
    label = graph.value(iri, RDFS.label)
    return str(label) if label is not None else ""


def _explain_inconsistency(graph: Graph, ontology_iri: str) -> str:
    """HermiT names no culprit for an inconsistent ontology. Reason again without the individuals:
    if the class axioms alone make some classes unsatisfiable, the individuals asserted in them are
    the contradiction, and both are named."""
    individuals = set(graph.subjects(RDF.type, OWL.NamedIndividual))
    class_axioms_only = Graph()
    for triple in graph:
        if triple[0] not in individuals:
            class_axioms_only.add(triple)
    try:
        tbox = classify(class_axioms_only, ontology_iri)
    except InconsistentOntologyError:
        return "the class axioms alone are contradictory (check disjointness and cardinality axioms)"
    parts = []
    for iri, label in tbox.unsatisfiable:
        members = sorted(_label(graph, i) or str(i) for i in individuals if (i, RDF.type, URIRef(iri)) in graph)
        if members:
            parts.append(f"class {label or iri} <{iri}> can have no member, yet {', '.join(members)} is asserted in it")
    if parts:
        return "; ".join(parts)
    return "the assertions about individuals contradict the class axioms"
