"""The release's mapping set as SSSOM TSV: writing it at build time, reading it back for `map check`.

The curated tables in ontology/mappings/ are the single source of the links: the loader turns them
into SKOS matches and xrefs in the graph, and this module writes the very same rows as an SSSOM
mapping set, so the two cannot drift apart.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from ..core.errors import SourceError
from ..core.prefixes import PrefixMap
from ..core.release import RELEASE_BASENAME
from ..core.vocabulary import DCTERMS
from .model import Mapping

SSSOM_COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label",
                 "mapping_justification", "comment")
SSSOM_SUFFIX = ".sssom.tsv"


@dataclass(frozen=True)
class MappingSetMetadata:
    """What the mapping set says about itself, as the ontology header states it (never restated in code)."""

    title: str
    description: str
    license: str


def mapping_set_metadata(graph: Graph, mapping_set: URIRef, ontology: URIRef) -> MappingSetMetadata:
    """The title, description and licence the header gives the mapping set's IRI; the licence falls back to
    the ontology's own. ValueError names what is missing."""
    def text(subject: URIRef, predicate: URIRef) -> str:
        value = graph.value(subject, predicate)
        return str(value) if value is not None else ""

    metadata = MappingSetMetadata(text(mapping_set, DCTERMS.title), text(mapping_set, DCTERMS.description),
                                  text(mapping_set, DCTERMS.license) or text(ontology, DCTERMS.license))
    missing = [name for name, value in vars(metadata).items() if not value]
    if missing:
        raise ValueError(f"the ontology header gives <{mapping_set}> no {', '.join(missing)} (dcterms:)")
    return metadata


@dataclass(frozen=True)
class MappingRow:
    """One SSSOM row as read back from a mapping set file."""

    subject_id: str
    subject_label: str
    predicate_id: str
    object_id: str
    object_label: str
    mapping_justification: str
    comment: str = ""
    confidence: str = ""


def sssom_text(mappings: Iterable[Mapping], prefixes: PrefixMap, version: str, metadata: MappingSetMetadata) -> str:
    """The mapping set as SSSOM TSV: YAML metadata in '#' lines, then one sorted row per mapping."""
    rows = sorted(mappings, key=lambda m: (m.subject_curie, m.predicate_curie, m.object_curie))
    used = {prefixes.identity.term_prefix, "skos", "semapv"}
    for mapping in rows:
        used.update({mapping.subject_curie.split(":", 1)[0], mapping.object_curie.split(":", 1)[0],
                     mapping.predicate_curie.split(":", 1)[0], mapping.justification.split(":", 1)[0]})
    lines = ["# curie_map:"]
    lines += [f"#   {prefix}: {prefixes[prefix].uri_prefix}" for prefix in sorted(used)]
    set_iri = prefixes.identity.release_file_iri(version, f"{RELEASE_BASENAME}{SSSOM_SUFFIX}")
    lines += [
        f"# license: {metadata.license}",
        f"# mapping_set_id: {set_iri}",
        f"# mapping_set_version: {version}",
        f"# mapping_set_title: {_one_line(metadata.title)}",
        f"# mapping_set_description: {_one_line(metadata.description)}",
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(SSSOM_COLUMNS)
    for m in rows:
        writer.writerow([m.subject_curie, m.subject_label, m.predicate_curie, m.object_curie, m.object_label,
                         m.justification, m.comment])
    return "\n".join(lines) + "\n" + buffer.getvalue()


def read_sssom(path: Path) -> tuple[dict[str, str], list[MappingRow]]:
    """The curie_map and rows of an SSSOM TSV file (ours or anyone's)."""
    if not path.is_file():
        raise SourceError(path, "no such SSSOM file")
    curie_map: dict[str, str] = {}
    in_curie_map = False
    body: list[str] = []
    header_line = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            if line.startswith("#"):
                text = line[1:].rstrip("\n")
                if text.strip() == "curie_map:":
                    in_curie_map = True
                elif in_curie_map and text.startswith("  ") and ":" in text:
                    prefix, _, expansion = text.strip().partition(":")
                    curie_map[prefix.strip()] = expansion.strip().strip('"')
                else:
                    in_curie_map = False
                continue
            if not header_line:
                header_line = number
            body.append(line)
    reader = csv.DictReader(body, delimiter="\t")
    missing = [c for c in ("subject_id", "predicate_id", "object_id") if c not in (reader.fieldnames or [])]
    if missing:
        raise SourceError(path, f"not an SSSOM table: the header lacks {', '.join(missing)}", header_line or None)
    rows = [
        MappingRow(
            subject_id=row.get("subject_id", ""), subject_label=row.get("subject_label", "") or "",
            predicate_id=row.get("predicate_id", ""), object_id=row.get("object_id", ""),
            object_label=row.get("object_label", "") or "",
            mapping_justification=row.get("mapping_justification", "") or "",
            comment=row.get("comment", "") or "", confidence=row.get("confidence", "") or "",
        )
        for row in reader
    ]
    return curie_map, rows


def _one_line(text: str) -> str:
    return " ".join(text.split())


def write_suggestions(rows: list[MappingRow], prefixes: PrefixMap, set_id: str, license: str) -> str:
    """Proposed mappings as SSSOM TSV with a confidence column; never merged into the curated tables."""
    used = {"skos", "semapv"}
    for row in rows:
        used.update({row.subject_id.split(":", 1)[0], row.object_id.split(":", 1)[0],
                     row.predicate_id.split(":", 1)[0]})
    lines = ["# curie_map:"]
    lines += [f"#   {p}: {prefixes[p].uri_prefix}" for p in sorted(used) if p in prefixes]
    lines += [f"# license: {license}", f"# mapping_set_id: {set_id}",
              "# mapping_set_description: Lexical mapping candidates proposed by 'dystonia-kg map suggest';"
              " review each before adding it to ontology/mappings/ (a RO:0002200 'has phenotype' row to"
              " ontology/axioms/disease-phenotypes.tsv)."]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(("subject_id", "subject_label", "predicate_id", "object_id", "object_label",
                     "mapping_justification", "confidence", "comment"))
    for row in rows:
        writer.writerow((row.subject_id, row.subject_label, row.predicate_id, row.object_id, row.object_label,
                         row.mapping_justification, row.confidence, row.comment))
    return "\n".join(lines) + "\n" + buffer.getvalue()
