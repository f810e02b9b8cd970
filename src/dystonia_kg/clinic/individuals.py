"""Cases as OWL individuals, filed under the ontology's defined classes by a reasoner.

Each case becomes an individual of 'dystonia' linked, by the consensus axis properties, to one
individual per value (its onset band, distribution, course, variability, isolated or combined, the
other movement disorders, pathology, etiology, body regions). Two ways to find the classes it falls
under, tested to give the same answer on every vignette:

* `HermitReasoner`: the release plus all the cases of a batch in ONE owlready2 World, one HermiT call;
* `FastReasoner`: the release's defined classes (owl:equivalentClass to intersections, unions and
  existential restrictions of named classes) and general class inclusions, compiled once and
  evaluated on each case to a fixpoint over the inferred hierarchy the release already holds. It
  refuses (UnsupportedAxiomError) an ontology with any class expression outside that fragment, so it
  can never silently disagree with HermiT on constructs it does not understand.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ..core.errors import DystoniaKGError, InconsistentOntologyError, ReasonerError
from ..core.vocabulary import OWL, RDF, RDFS
from .classification import Profile
from .knowledge import ClassificationKnowledge

CASE_NAMESPACE = "https://w3id.org/dystonia-kg/case/"
REASONERS = ("fast", "hermit")


class UnsupportedAxiomError(DystoniaKGError):
    """The fast path met a class expression it does not evaluate; HermiT must be used."""


def case_iri(index: int) -> URIRef:
    return URIRef(f"{CASE_NAMESPACE}{index}")


def case_graph(profiles: Sequence[Profile], knowledge: ClassificationKnowledge) -> Graph:
    """The cases as individuals: case i is <case/i>, its values <case/i/k>."""
    graph = Graph()
    dystonia = URIRef(knowledge.dystonia_iri)
    for index, profile in enumerate(profiles):
        case = case_iri(index)
        graph.add((case, RDF.type, OWL.NamedIndividual))
        graph.add((case, RDF.type, dystonia))
        for number, (axis, value) in enumerate(profile.asserted_values()):
            link = URIRef(f"{case}/{number}")
            graph.add((link, RDF.type, OWL.NamedIndividual))
            graph.add((link, RDF.type, URIRef(value)))
            graph.add((case, URIRef(knowledge.property_of_axis[axis]), link))
    return graph


def _our_classes(classes: set[str], knowledge: ClassificationKnowledge) -> frozenset[str]:
    """The project's own named classes (what a user reads), without owl:Thing or imported terms."""
    base = str(knowledge.prefixes.expand("DYKG:0000001"))[: -len("0000001")]
    return frozenset(c for c in classes if c.startswith(base))


class HermitReasoner:
    """All cases of a batch and the release in one World; one HermiT call."""

    def __init__(self, knowledge: ClassificationKnowledge):
        self.knowledge = knowledge

    def classes(self, profiles: Sequence[Profile]) -> list[frozenset[str]]:
        from ..build.reasoning import java_executable

        java_executable()
        import owlready2

        merged = Graph()
        for triple in self.knowledge.graph:
            merged.add(triple)
        for triple in case_graph(profiles, self.knowledge):
            merged.add(triple)
        world = owlready2.World()
        try:
            data = merged.serialize(format="nt", encoding="utf-8")
            world.get_ontology("https://w3id.org/dystonia-kg/cases.owl").load(fileobj=io.BytesIO(data),
                                                                           format="ntriples")
            try:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
            except owlready2.OwlReadyInconsistentOntologyError as error:
                raise InconsistentOntologyError("the cases contradict the ontology") from error
            except owlready2.OwlReadyJavaError as error:
                raise ReasonerError(f"HermiT failed: {error}") from error
            answers = []
            for index in range(len(profiles)):
                individual = world[str(case_iri(index))]
                found = {cls.iri for cls in individual.INDIRECT_is_a if isinstance(cls, owlready2.ThingClass)}
                answers.append(_our_classes(found, self.knowledge))
            return answers
        finally:
            world.close()


Expression = tuple[Any, ...]


@dataclass(frozen=True)
class _Rule:
    condition: Expression
    conclusion: str


class FastReasoner:
    """Evaluates the release's defined classes and class inclusions on each case (see module doc)."""

    def __init__(self, knowledge: ClassificationKnowledge):
        self.knowledge = knowledge
        graph = knowledge.graph
        self.rules: list[_Rule] = []
        for named, expression in graph.subject_objects(OWL.equivalentClass):
            if isinstance(named, URIRef):
                self.rules.append(_Rule(self._compile(expression), str(named)))
            if isinstance(expression, URIRef) and isinstance(named, URIRef):
                self.rules.append(_Rule(("class", str(named)), str(expression)))
        for sub, sup in graph.subject_objects(RDFS.subClassOf):
            if isinstance(sub, BNode) and isinstance(sup, URIRef):  # a general class inclusion
                self.rules.append(_Rule(self._compile(sub), str(sup)))
        self.super_properties: dict[str, set[str]] = {}
        for sub, sup in graph.subject_objects(RDFS.subPropertyOf):
            self.super_properties.setdefault(str(sub), set()).add(str(sup))
        self.domains = {str(p): str(c) for p, c in graph.subject_objects(RDFS.domain) if isinstance(c, URIRef)}
        self.ranges = {str(p): str(c) for p, c in graph.subject_objects(RDFS.range) if isinstance(c, URIRef)}

    def _compile(self, node: Node) -> Expression:
        graph = self.knowledge.graph
        if isinstance(node, URIRef):
            return ("class", str(node))
        for operator, name in ((OWL.intersectionOf, "and"), (OWL.unionOf, "or")):
            members = graph.value(node, operator)
            if members is not None:
                return (name, tuple(self._compile(m) for m in Collection(graph, members)))
        prop, filler = graph.value(node, OWL.onProperty), graph.value(node, OWL.someValuesFrom)
        if prop is not None and filler is not None and isinstance(prop, URIRef):
            if graph.value(prop, OWL.inverseOf) is not None:
                raise UnsupportedAxiomError(f"inverse property {prop} in a class expression")
            return ("some", str(prop), self._compile(filler))
        described = ", ".join(sorted({str(p) for p in graph.predicates(node)}))
        raise UnsupportedAxiomError(f"a class expression the fast path does not evaluate ({described})")

    def _properties(self, prop: str) -> set[str]:
        found, stack = {prop}, [prop]
        while stack:
            for parent in self.super_properties.get(stack.pop(), ()):
                if parent not in found:
                    found.add(parent)
                    stack.append(parent)
        return found

    def _holds(self, expression: Expression, types: set[str], links: list[tuple[set[str], set[str]]]) -> bool:
        kind = expression[0]
        if kind == "class":
            return expression[1] in types
        if kind == "and":
            return all(self._holds(e, types, links) for e in expression[1])
        if kind == "or":
            return any(self._holds(e, types, links) for e in expression[1])
        _, prop, filler = expression
        return any(prop in properties and self._holds(filler, value_types, []) for properties, value_types in links)

    def _saturate(self, types: set[str], links: list[tuple[set[str], set[str]]]) -> set[str]:
        knowledge = self.knowledge
        types = set().union(*(knowledge.ancestors(t) for t in types)) if types else set()
        changed = True
        while changed:
            changed = False
            for rule in self.rules:
                if rule.conclusion not in types and self._holds(rule.condition, types, links):
                    types |= knowledge.ancestors(rule.conclusion)
                    changed = True
        return types

    def classes_of(self, profile: Profile) -> frozenset[str]:
        knowledge = self.knowledge
        types = {knowledge.dystonia_iri}
        links: list[tuple[set[str], set[str]]] = []
        for axis, value in profile.asserted_values():
            prop = knowledge.property_of_axis[axis]
            properties = self._properties(prop)
            types |= {self.domains[p] for p in properties if p in self.domains}
            value_types = {value} | {self.ranges[p] for p in properties if p in self.ranges}
            links.append((properties, self._saturate(value_types, [])))
        return _our_classes(self._saturate(types, links), knowledge)

    def classes(self, profiles: Sequence[Profile]) -> list[frozenset[str]]:
        return [self.classes_of(p) for p in profiles]


def reasoner_for(name: str, knowledge: ClassificationKnowledge) -> HermitReasoner | FastReasoner:
    if name == "hermit":
        return HermitReasoner(knowledge)
    if name == "fast":
        return FastReasoner(knowledge)
    raise ValueError(f"unknown reasoner '{name}' (choose from {', '.join(REASONERS)})")
