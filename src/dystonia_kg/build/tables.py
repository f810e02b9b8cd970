"""Tabular ontology sources: relation facts and mappings kept as TSV, turned into OWL/RDF.

Facts that are naturally rows (a disease and its gene, a drug and its indication, our term and its
MONDO match) are easier to curate and review as tables than as hand-written OWL reification. Each
row names its subject and object by identifier *and* label; the loader checks that the label is the
one the ontology gives that identifier, so a mistyped identifier is caught at load time with the file
and line, instead of being published as a wrong link.

Two kinds of table:

* ``ontology/axioms/*.tsv``: ``subject_id, subject_label, property_id, object_id, object_label, source``
  (+ optional ``evidence`` and ``comment``). Each row becomes ``subject SubClassOf: property some object``
  with the source(s) as ``oboInOwl:source`` annotations on that axiom, so the evidence travels with the
  claim; a table with an ``evidence`` column gives every row an ECO class (the kind of evidence: author
  statement, imported information, curator inference, ...), annotated on the axiom with 'has evidence'.
  An object outside our namespace (an HPO phenotype, an HGNC gene) is imported as a reference, the way
  ODK imports are: the class IRI and the label the row gives, which must agree across rows.
* ``ontology/mappings/*.tsv``: SSSOM columns ``subject_id, subject_label, predicate_id, object_id,
  object_label, mapping_justification`` (+ optional ``comment``). Each row becomes a SKOS match
  (IRI); an exact match also becomes an ``oboInOwl:hasDbXref`` (CURIE string), because OBO tools read
  an xref as near-equivalence. The table is the single source of both and of the SSSOM set.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from ..core.atomic import write_text_atomically
from ..core.errors import SourceError
from ..core.prefixes import PrefixMap
from ..core.vocabulary import AXIOM_SOURCE, HAS_DBXREF, MAPPING_PREDICATES, OWL, RDF, RDFS, SKOS
from ..mapping.model import Mapping

AXIOM_COLUMNS = ("subject_id", "subject_label", "property_id", "object_id", "object_label", "source")
MAPPING_COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification")
SOURCE_SEPARATOR = "|"
EVIDENCE_COLUMN = "evidence"
HAS_EVIDENCE = URIRef("https://w3id.org/dystonia-kg/DYKG_0011007")
OUR_NAMESPACE = "https://w3id.org/dystonia-kg/"


@dataclass(frozen=True)
class Row:
    """One data row of a table, with the line it came from (1-based, header is line 1)."""

    path: Path
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def error(self, reason: str) -> SourceError:
        return SourceError(self.path, reason, self.line)


def read_rows(path: Path, required: tuple[str, ...]) -> Iterator[Row]:
    """Rows of a TSV file whose header has at least the required columns; '#' lines are comments."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [(number, text) for number, text in enumerate(handle, start=1) if not text.startswith("#")]
    if not lines:
        raise SourceError(path, f"empty table; expected a header with {', '.join(required)}")
    header_line, header_text = lines[0]
    header = next(csv.reader([header_text], delimiter="\t"))
    missing = [column for column in required if column not in header]
    if missing:
        raise SourceError(path, f"header lacks column(s) {', '.join(missing)}", header_line)
    for number, text in lines[1:]:
        if not text.strip():
            continue
        cells = next(csv.reader([text], delimiter="\t"))
        if len(cells) > len(header):
            raise SourceError(path, f"{len(cells)} cells but the header has {len(header)} columns", number)
        yield Row(path, number, dict(zip(header, cells, strict=False)))  # a short row leaves its last cells empty


# --- canonical form -------------------------------------------------------------------------------

TABLE_FOLDERS = ("axioms", "mappings")
"""The curated tables under ontology/: every *.tsv of these folders is kept in canonical form."""
_SORT_COLUMNS = ("subject_id", "property_id", "predicate_id", "object_id")


def canonical_table_text(text: str) -> str:
    """A table in canonical form, so that a review diff shows only real changes and two curators adding rows
    never conflict on order: the leading '#' comment block, the header, then the data rows sorted by subject,
    property or predicate and object (then by every cell), each with exactly one cell per column, no blank
    lines, no trailing spaces in cells. A '#' line found among the rows (a section title) moves to the end of
    the leading comment block, its words kept, since rows have no place of their own once sorted."""
    lines = text.splitlines()
    comments: list[str] = []
    index = 0
    while index < len(lines) and (lines[index].startswith("#") or not lines[index].strip()):
        if lines[index].strip():
            comments.append(lines[index].rstrip())
        index += 1
    if index == len(lines):
        return "\n".join(comments) + ("\n" if comments else "")
    header = [cell.strip() for cell in next(csv.reader([lines[index]], delimiter="\t"))]
    rows: list[list[str]] = []
    for line in lines[index + 1:]:
        if not line.strip():
            continue
        if line.startswith("#"):
            comments.append(line.rstrip())
            continue
        cells = [cell.strip() for cell in next(csv.reader([line], delimiter="\t"))]
        rows.append(cells + [""] * (len(header) - len(cells)))
    keys = [header.index(column) for column in _SORT_COLUMNS if column in header]
    rows.sort(key=lambda cells: ([cells[k] for k in keys], cells))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return "".join(f"{comment}\n" for comment in comments) + buffer.getvalue()


def curated_tables(ontology_dir: Path) -> list[Path]:
    """Every curated table (ontology/axioms/*.tsv, ontology/mappings/*.tsv), sorted by path."""
    return sorted(path for folder in TABLE_FOLDERS for path in (ontology_dir / folder).glob("*.tsv"))


def tables_not_canonical(ontology_dir: Path) -> list[Path]:
    """The curated tables whose text differs from their canonical form."""
    return [path for path in curated_tables(ontology_dir)
            if path.read_text(encoding="utf-8") != canonical_table_text(path.read_text(encoding="utf-8"))]


def rewrite_tables_canonically(ontology_dir: Path) -> list[Path]:
    """Rewrite (atomically) every curated table not in canonical form; returns the tables rewritten."""
    changed = tables_not_canonical(ontology_dir)
    for path in changed:
        write_text_atomically(path, canonical_table_text(path.read_text(encoding="utf-8")))
    return changed


class TableCompiler:
    """Turns axiom and mapping tables into triples, checking every row against the loaded ontology."""

    def __init__(self, graph: Graph, prefixes: PrefixMap):
        self.graph = graph
        self.prefixes = prefixes
        self._mapped: set[tuple[str, str]] = set()  # (subject, object) pairs across all mapping tables

    def _entity(self, row: Row, id_column: str, label_column: str | None) -> URIRef:
        curie = row[id_column]
        if not curie:
            raise row.error(f"{id_column} is empty")
        try:
            iri = self.prefixes.expand(curie)
        except ValueError as problem:
            raise row.error(f"{id_column}: {problem}") from None
        labels = {str(label) for label in self.graph.objects(iri, RDFS.label)}
        if not labels:
            raise row.error(f"{id_column} {curie} is not defined in the ontology (it has no rdfs:label)")
        if label_column is not None and row[label_column] not in labels:
            raise row.error(
                f"{label_column} '{row[label_column]}' is not the label of {curie} "
                f"(the ontology says '{sorted(labels)[0]}'); is the identifier right?"
            )
        return iri

    def _reference(self, row: Row) -> URIRef:
        """An external object (HP, HGNC, ...) declared as a class with the row's label, unless already declared."""
        curie, label = row["object_id"], row["object_label"]
        try:
            iri = self.prefixes.expand(curie)
        except ValueError as problem:
            raise row.error(f"object_id: {problem}") from None
        if str(iri).startswith(OUR_NAMESPACE):
            raise row.error(f"object_id {curie} is in our namespace but not a DYKG term")
        if not label:
            raise row.error("object_label is empty: give the external term's label as its source states it")
        labels = {str(existing) for existing in self.graph.objects(iri, RDFS.label)}
        if labels and label not in labels:
            raise row.error(f"object_label '{label}' differs from the label '{sorted(labels)[0]}' "
                            f"given to {curie} elsewhere")
        if not labels:
            self.graph.add((iri, RDF.type, OWL.Class))
            self.graph.add((iri, RDFS.label, Literal(label)))
        return iri

    def _sources(self, row: Row) -> list[str]:
        sources = [part.strip() for part in row["source"].split(SOURCE_SEPARATOR) if part.strip()]
        if not sources:
            raise row.error("source is empty: every fact needs the reference it comes from")
        for source in sources:
            problem = self.prefixes.problem_with_curie(source)
            if problem:
                raise row.error(f"source {problem}")
        return sources

    def _evidence(self, row: Row) -> URIRef | None:
        """The row's ECO class, required on every row of a table that has an evidence column."""
        if EVIDENCE_COLUMN not in row.values:
            return None
        curie = row[EVIDENCE_COLUMN]
        if not curie.startswith("ECO:"):
            raise row.error(f"evidence '{curie}' is not an ECO class (e.g. ECO:0000304, author statement "
                            "supported by traceable reference used in manual assertion)")
        problem = self.prefixes.problem_with_curie(curie)
        if problem:
            raise row.error(f"evidence {problem}")
        return self.prefixes.expand(curie)

    def add_axioms(self, path: Path) -> int:
        """Add `subject SubClassOf: property some object` for each row, annotated with its sources."""
        count = 0
        for row in read_rows(path, AXIOM_COLUMNS):
            subject = self._entity(row, "subject_id", "subject_label")
            prop = self._entity(row, "property_id", None)
            if (prop, RDF.type, OWL.ObjectProperty) not in self.graph:
                raise row.error(f"property_id {row['property_id']} is not declared as an owl:ObjectProperty")
            value = self._reference(row) if not row["object_id"].startswith("DYKG:") else self._entity(
                row, "object_id", "object_label")
            sources = self._sources(row)
            evidence = self._evidence(row)
            restriction = BNode()
            self.graph.add((restriction, RDF.type, OWL.Restriction))
            self.graph.add((restriction, OWL.onProperty, prop))
            self.graph.add((restriction, OWL.someValuesFrom, value))
            self.graph.add((subject, RDFS.subClassOf, restriction))
            axiom = BNode()
            self.graph.add((axiom, RDF.type, OWL.Axiom))
            self.graph.add((axiom, OWL.annotatedSource, subject))
            self.graph.add((axiom, OWL.annotatedProperty, RDFS.subClassOf))
            self.graph.add((axiom, OWL.annotatedTarget, restriction))
            for source in sources:
                self.graph.add((axiom, AXIOM_SOURCE, Literal(source)))
            if evidence is not None:
                self.graph.add((axiom, HAS_EVIDENCE, evidence))
            if row["comment"]:
                self.graph.add((axiom, RDFS.comment, Literal(row["comment"])))
            count += 1
        return count

    def read_mappings(self, path: Path) -> list[Mapping]:
        """The curated mappings, each checked: our subject exists with that label, the object CURIE is valid."""
        mappings: list[Mapping] = []
        for row in read_rows(path, MAPPING_COLUMNS):
            subject = self._entity(row, "subject_id", "subject_label")
            if row["predicate_id"] not in MAPPING_PREDICATES:
                raise row.error(f"predicate_id '{row['predicate_id']}' is not one of {', '.join(MAPPING_PREDICATES)}")
            problem = self.prefixes.problem_with_curie(row["object_id"])
            if problem:
                raise row.error(f"object_id {problem}")
            if not row["object_label"]:
                raise row.error("object_label is empty: give the external term's label as its source states it")
            if not row["mapping_justification"].startswith("semapv:"):
                raise row.error("mapping_justification must be a semapv: term, e.g. semapv:ManualMappingCuration")
            key = (row["subject_id"], row["object_id"])
            if key in self._mapped:
                raise row.error(f"{row['subject_id']} is mapped to {row['object_id']} twice")
            self._mapped.add(key)
            mappings.append(
                Mapping(subject, row["subject_id"], row["subject_label"], row["predicate_id"], row["object_id"],
                        row["object_label"], row["mapping_justification"], row["comment"])
            )
        return mappings

    def add_mappings(self, mappings: list[Mapping]) -> None:
        """Each mapping as a SKOS match to the external IRI; exact matches also as an oboInOwl:hasDbXref CURIE."""
        for mapping in mappings:
            predicate = MAPPING_PREDICATES[mapping.predicate_curie]
            self.graph.add((mapping.subject, predicate, self.prefixes.expand(mapping.object_curie)))
            if predicate == SKOS.exactMatch:
                self.graph.add((mapping.subject, HAS_DBXREF, Literal(mapping.object_curie)))
