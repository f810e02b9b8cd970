"""The release as a Biolink graph in KGX TSV (``dystonia_kgx_nodes.tsv``, ``dystonia_kgx_edges.tsv``).

Monarch and Translator tools read knowledge graphs as KGX node and edge tables typed by the Biolink model.
Two committed tables say how our ontology becomes such a graph (ontology/exports/):

* ``biolink-categories.tsv``: the category of each node, by its nearest listed ancestor in the reasoned
  release (a drug is a ``biolink:Drug``, a dystonia a ``biolink:Disease``) or by its prefix (an HPO term is a
  ``biolink:PhenotypicFeature``);
* ``biolink-predicates.tsv``: the Biolink predicate of each property, from the biolink-model package's own
  mappings where it has one, from our choice (written down with the reason) where it has none.

Every class of ours is a node (CURIE id, name, description, synonyms, xrefs). Every fact
``X SubClassOf: P some Y`` between named classes is an edge with its sources as ``publications``, and every
named superclass an edge ``biolink:subclass_of``; each edge carries ``knowledge_level``, ``agent_type`` and
``primary_knowledge_source``. Asserted edges are curated knowledge assertions by people; the superclasses
only the reasoner found are logical entailments by an automated agent. A gene node carries its HGNC and NCBI
Gene ids in its ``xref``.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..core.errors import SourceError
from ..core.prefixes import PrefixMap
from ..core.vocabulary import (
    AXIOM_SOURCE,
    DEFINITION,
    HAS_DBXREF,
    OWL,
    RDF,
    RDFS,
    SYNONYM_PROPERTIES,
)
from .tables import read_rows

EXPORTS_FOLDER = "exports"
PREDICATES_TABLE = "biolink-predicates.tsv"
CATEGORIES_TABLE = "biolink-categories.tsv"
NODES_SUFFIX = "_kgx_nodes.tsv"
EDGES_SUFFIX = "_kgx_edges.tsv"
KNOWLEDGE_SOURCE = "infores:dystonia-kg"
NODE_COLUMNS = ("id", "category", "name", "description", "synonym", "xref", "provided_by")
EDGE_COLUMNS = ("id", "subject", "predicate", "object", "original_predicate", "knowledge_level", "agent_type",
                "primary_knowledge_source", "publications")
OUR_NAMESPACE = "https://w3id.org/dystonia-kg/"
MULTIVALUE = "|"
Triple = tuple[URIRef, URIRef, URIRef]


@dataclass(frozen=True)
class BiolinkMapping:
    """The two committed tables: property -> Biolink predicate, and class or prefix -> Biolink category."""

    predicates: dict[URIRef, str]
    categories: list[tuple[str, str]]  # (class CURIE or bare prefix, category), in priority order

    @classmethod
    def from_folder(cls, ontology_dir: Path, prefixes: PrefixMap) -> BiolinkMapping:
        folder = ontology_dir / EXPORTS_FOLDER
        predicates: dict[URIRef, str] = {}
        for row in read_rows(folder / PREDICATES_TABLE, ("property_id", "biolink_predicate", "basis")):
            if row["basis"] not in ("biolink", "ours") or not row["biolink_predicate"].startswith("biolink:"):
                raise row.error("basis must be 'biolink' or 'ours' and the predicate a biolink: CURIE")
            predicates[prefixes.expand(row["property_id"])] = row["biolink_predicate"]
        categories = [(row["class_or_prefix"], row["biolink_category"])
                      for row in read_rows(folder / CATEGORIES_TABLE, ("class_or_prefix", "biolink_category"))]
        return cls(predicates, categories)


class _KgxWriter:
    def __init__(self, graph: Graph, prefixes: PrefixMap, mapping: BiolinkMapping, inferred: set[Triple]):
        self.graph, self.prefixes, self.mapping, self.inferred = graph, prefixes, mapping, inferred

    def curie(self, node: Node) -> str:
        curie = self.prefixes.contract(str(node))
        if curie is None:
            raise SourceError(Path(PREDICATES_TABLE), f"{node} has no CURIE in the prefix map; KGX needs CURIEs")
        return curie

    def category(self, node: URIRef, ancestors: set[Node]) -> str:
        curie = self.curie(node)
        ours = str(node).startswith(OUR_NAMESPACE)
        for key, category in self.mapping.categories:
            if ours and ":" in key and self.prefixes.expand(key) in ancestors | {node}:
                return category
            if not ours and (key == curie or key == curie.split(":", 1)[0]):
                return category
        return "biolink:NamedThing"

    def ancestors(self, node: URIRef) -> set[Node]:
        return {a for a in self.graph.transitive_objects(node, RDFS.subClassOf) if a is not None}

    def edges(self) -> list[dict[str, str]]:
        graph = self.graph
        rows: dict[tuple[str, str, str], dict[str, str]] = {}
        for subject, parent in graph.subject_objects(RDFS.subClassOf):
            if not isinstance(subject, URIRef) or not self._is_node(subject):
                continue
            if isinstance(parent, URIRef):
                if parent == OWL.Thing:
                    continue
                inferred = (subject, RDFS.subClassOf, parent) in self.inferred
                self._add(rows, subject, RDFS.subClassOf, parent, [], inferred)
            elif isinstance(parent, BNode):
                prop, filler = graph.value(parent, OWL.onProperty), graph.value(parent, OWL.someValuesFrom)
                if isinstance(prop, URIRef) and isinstance(filler, URIRef):
                    self._add(rows, subject, prop, filler, self._sources(subject, parent), False)
        return [rows[key] for key in sorted(rows)]

    def _add(self, rows: dict, subject: URIRef, prop: URIRef, target: URIRef, sources: list[str],
             inferred: bool) -> None:
        predicate = self.mapping.predicates.get(prop)
        if predicate is None:
            raise SourceError(Path(PREDICATES_TABLE), f"{self.curie(prop)} has no Biolink predicate; add a row")
        key = (self.curie(subject), predicate, self.curie(target))
        identity = hashlib.sha256("|".join((*key, self.curie(prop))).encode("utf-8")).hexdigest()[:16]
        rows[key] = {
            "id": f"urn:dystonia-kg:edge:{identity}",
            "subject": key[0], "predicate": predicate, "object": key[2],
            "original_predicate": self.curie(prop),
            "knowledge_level": "logical_entailment" if inferred else "knowledge_assertion",
            "agent_type": "automated_agent" if inferred else "manual_agent",
            "primary_knowledge_source": KNOWLEDGE_SOURCE,
            "publications": MULTIVALUE.join(sorted(set(sources))),
        }

    def _sources(self, subject: URIRef, restriction: BNode) -> list[str]:
        for axiom in self.graph.subjects(OWL.annotatedTarget, restriction):
            if self.graph.value(axiom, OWL.annotatedSource) == subject:
                return [str(source) for source in self.graph.objects(axiom, AXIOM_SOURCE)]
        return []

    def _is_node(self, node: URIRef) -> bool:
        return ((node, RDF.type, OWL.Class) in self.graph and (node, RDFS.label, None) in self.graph
                and (node, OWL.deprecated, Literal(True)) not in self.graph)

    def nodes(self, edges: list[dict[str, str]]) -> list[dict[str, str]]:
        graph = self.graph
        wanted = {s for s in graph.subjects(RDF.type, OWL.Class)
                  if isinstance(s, URIRef) and str(s).startswith(OUR_NAMESPACE) and self._is_node(s)}
        ends = {curie for edge in edges for curie in (edge["subject"], edge["object"])}
        wanted |= {self.prefixes.expand(curie) for curie in ends}
        rows = []
        for node in sorted(wanted, key=self.curie):
            synonyms = sorted({str(v) for p in SYNONYM_PROPERTIES for v in graph.objects(node, p)})
            rows.append({
                "id": self.curie(node),
                "category": self.category(node, self.ancestors(node)),
                "name": str(graph.value(node, RDFS.label) or ""),
                "description": str(graph.value(node, DEFINITION) or ""),
                "synonym": MULTIVALUE.join(synonyms),
                "xref": MULTIVALUE.join(sorted(str(x) for x in graph.objects(node, HAS_DBXREF))),
                "provided_by": KNOWLEDGE_SOURCE,
            })
        return rows


def _tsv(rows: list[dict[str, str]], columns: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: " ".join(value.split()) for key, value in row.items()})
    return buffer.getvalue()


def kgx_tables(graph: Graph, prefixes: PrefixMap, mapping: BiolinkMapping,
               inferred: set[Triple] | None = None) -> tuple[str, str]:
    """(nodes TSV, edges TSV) of the release graph."""
    writer = _KgxWriter(graph, prefixes, mapping, inferred or set())
    edges = writer.edges()
    return _tsv(writer.nodes(edges), NODE_COLUMNS), _tsv(edges, EDGE_COLUMNS)
