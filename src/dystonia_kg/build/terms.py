"""Term tables and pattern tables: the classes of the ontology kept as rows, compiled into OWL.

Most classes are the same handful of statements (a label, a parent, a definition with its source,
synonyms, a comment), so curators keep them as rows, one class per row, the way MONDO and ODK
projects curate terms; Turtle stays for the OWL-heavy parts (value partitions, disjointness, unions).

* ``ontology/terms/*.tsv``: ``id, label, parents, definition, definition_sources, exact_synonyms,
  related_synonyms, comment``. Multi-valued cells are separated by ``|``. Each row becomes
  ``id a owl:Class`` with its label, parents (``rdfs:subClassOf``), definition (``IAO:0000115``),
  definition sources (``IAO:0000119`` on the class, and ``oboInOwl:hasDbXref`` on the definition's axiom,
  as OBO's ``def: "..." [PMID:...]``), synonyms and comment.
* ``ontology/patterns/<shape>.tsv``: one file per shape of defined class, as DOSDP patterns are.
  ``genus-and-restriction.tsv`` holds ``defined_class, defined_class_label, genus, property, filler,
  filler_label``; each row becomes ``defined_class EquivalentTo: genus and (property some filler)``.
  The defined class's label, definition and synonyms live in a term table like any other class.

Rows are checked as they are compiled: a parent, genus or filler must be defined in the ontology, a
label given beside an identifier must be that identifier's label, and an identifier is defined once.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from ..core.prefixes import PrefixMap
from ..core.vocabulary import DEFINITION, DEFINITION_SOURCE, HAS_DBXREF, OBO_IN_OWL, OWL, RDF, RDFS
from .tables import Row, read_rows

TERM_COLUMNS = ("id", "label", "parents", "definition", "definition_sources")
GENUS_AND_RESTRICTION_COLUMNS = ("defined_class", "defined_class_label", "genus", "property", "filler",
                                 "filler_label")
GENUS_AND_RESTRICTION_PATTERN = "genus-and-restriction"
VALUE_SEPARATOR = "|"
TEXT_LANGUAGE = "en"

EXACT_SYNONYM = OBO_IN_OWL["hasExactSynonym"]
RELATED_SYNONYM = OBO_IN_OWL["hasRelatedSynonym"]


def split_cell(cell: str) -> list[str]:
    """The values of a multi-valued cell, in the order written, without blanks."""
    return [part.strip() for part in cell.split(VALUE_SEPARATOR) if part.strip()]


class TermCompiler:
    """Adds the classes of term tables and the equivalence axioms of pattern tables to a graph."""

    def __init__(self, graph: Graph, prefixes: PrefixMap):
        self.graph = graph
        self.prefixes = prefixes

    def _iri(self, row: Row, curie: str, column: str) -> URIRef:
        if not curie:
            raise row.error(f"{column} is empty")
        try:
            return self.prefixes.expand(curie)
        except ValueError as problem:
            raise row.error(f"{column}: {problem}") from None

    def _text(self, value: str) -> Literal:
        return Literal(value, lang=TEXT_LANGUAGE)

    def add_terms(self, path: Path) -> list[URIRef]:
        """Declare each row's class with its annotations; parents are checked by `check_parents` once every
        table is in, so a table may name a parent defined in a later one."""
        declared: list[URIRef] = []
        for row in read_rows(path, TERM_COLUMNS):
            term = self._iri(row, row["id"], "id")
            if (term, RDFS.label, None) in self.graph:
                raise row.error(f"{row['id']} is already defined (a class is defined in one place only)")
            if not row["label"]:
                raise row.error("label is empty: every class has a label")
            if not row["definition"]:
                raise row.error("definition is empty: every class has a definition in our own words")
            sources = split_cell(row["definition_sources"])
            if not sources:
                raise row.error("definition_sources is empty: every definition names where its facts come from")
            for source in sources:
                problem = self.prefixes.problem_with_curie(source)
                if problem:
                    raise row.error(f"definition_sources {problem}")
            self.graph.add((term, RDF.type, OWL.Class))
            self.graph.add((term, RDFS.label, self._text(row["label"])))
            definition = self._text(row["definition"])
            self.graph.add((term, DEFINITION, definition))
            # The sources twice: as IAO:0000119 on the class (what our queries and QC read) and as xrefs on
            # the definition axiom, where OBO tools read a definition's sources (def: "..." [PMID:...]).
            axiom = BNode()
            self.graph.add((axiom, RDF.type, OWL.Axiom))
            self.graph.add((axiom, OWL.annotatedSource, term))
            self.graph.add((axiom, OWL.annotatedProperty, DEFINITION))
            self.graph.add((axiom, OWL.annotatedTarget, definition))
            for source in sources:
                self.graph.add((term, DEFINITION_SOURCE, Literal(source)))
                self.graph.add((axiom, HAS_DBXREF, Literal(source)))
            for synonym in split_cell(row["exact_synonyms"]):
                self.graph.add((term, EXACT_SYNONYM, self._text(synonym)))
            for synonym in split_cell(row["related_synonyms"]):
                self.graph.add((term, RELATED_SYNONYM, self._text(synonym)))
            if row["comment"]:
                self.graph.add((term, RDFS.comment, self._text(row["comment"])))
            for parent_curie in split_cell(row["parents"]):
                self.graph.add((term, RDFS.subClassOf, self._iri(row, parent_curie, "parents")))
            declared.append(term)
        return declared

    def check_parents(self, path: Path) -> None:
        """Every parent named in a term table is a class defined somewhere in the sources."""
        for row in read_rows(path, TERM_COLUMNS):
            for parent_curie in split_cell(row["parents"]):
                parent = self._iri(row, parent_curie, "parents")
                if (parent, RDFS.label, None) not in self.graph:
                    raise row.error(f"parent {parent_curie} is not defined in the ontology (it has no rdfs:label)")

    def _named(self, row: Row, id_column: str, label_column: str | None) -> URIRef:
        iri = self._iri(row, row[id_column], id_column)
        labels = {str(label) for label in self.graph.objects(iri, RDFS.label)}
        if not labels:
            raise row.error(f"{id_column} {row[id_column]} is not defined in the ontology (it has no rdfs:label)")
        if label_column is not None and row[label_column] not in labels:
            raise row.error(f"{label_column} '{row[label_column]}' is not the label of {row[id_column]} "
                            f"(the ontology says '{sorted(labels)[0]}'); is the identifier right?")
        return iri

    def add_genus_and_restriction(self, path: Path) -> int:
        """`defined_class EquivalentTo: genus and (property some filler)` for each row."""
        count = 0
        for row in read_rows(path, GENUS_AND_RESTRICTION_COLUMNS):
            defined = self._named(row, "defined_class", "defined_class_label")
            genus = self._named(row, "genus", None)
            prop = self._iri(row, row["property"], "property")
            if (prop, RDF.type, OWL.ObjectProperty) not in self.graph:
                raise row.error(f"property {row['property']} is not declared as an owl:ObjectProperty")
            filler = self._named(row, "filler", "filler_label")
            restriction = BNode()
            self.graph.add((restriction, RDF.type, OWL.Restriction))
            self.graph.add((restriction, OWL.onProperty, prop))
            self.graph.add((restriction, OWL.someValuesFrom, filler))
            members = BNode()
            Collection(self.graph, members, [genus, restriction])
            intersection = BNode()
            self.graph.add((intersection, RDF.type, OWL.Class))
            self.graph.add((intersection, OWL.intersectionOf, members))
            self.graph.add((defined, OWL.equivalentClass, intersection))
            count += 1
        return count
