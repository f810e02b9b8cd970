"""The imported HPO layer of the release: every disease HPO annotates with dystonia, its genes, and its
HPO annotations, generated from the committed extract (ontology/imports/, written by `dystonia-kg import hpo`).

Why it is built apart from the curated ontology: it is about 25 times larger than everything curated, and
none of it needs a DL reasoner or SHACL. It is generated straight to N-Triples and Turtle text (no rdflib
graph), checked by QC queries of its own (shapes/qc/layer/*-violation.rq) on an in-memory Oxigraph store,
and written beside the release as dystonia-hpo.ttl and dystonia-hpo.nt. The embedded query store loads it
with the release.

Modelling (written down in the README, section "The imported HPO layer"):

* Each imported disease and gene is an entity of ours, DYKG:01xxxxx / DYKG:02xxxxx, with the id the
  committed table ontology/imports/hpo-ids.tsv gave it once (a re-import never renumbers). A disease is
  linked by skos:exactMatch to its OMIM or Orphanet entry, and to our curated class when one maps to the same
  entry. Being ours, these entities can be filed under our classes (rdfs:subClassOf) without any logical
  axiom about an external IRI (merge-safety): HPO terms, OMIM and NCBI Gene entries carry annotations only
  (labels, synonyms, and HPO's parents as skos:broader).
* HPO's statements stay as HPO made them: the disease label is HPO's disease name, and each annotation row
  is one record (DYKG:0011000) with its term, qualifier, frequency, onset, sex, modifier, aspect, HPO's
  evidence code and the matching ECO class, and the reference, all as written in phenotype.hpoa.
* Our judgements are the filing, by the rule table ontology/imports/hpo-filing.tsv (curated): a positive
  annotation to a term at or below a row's HPO term files the disease under that row's classes (combined
  dystonia when another movement disorder is annotated, an onset category from its onset annotations, a mode
  of inheritance from its inheritance annotations). Every imported disease is a 'condition with dystonia as a
  feature'.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from ..core.errors import SourceError
from ..core.prefixes import PrefixMap
from ..core.resources import SourceLayout
from ..core.sparql_files import load_sparql_files
from ..mapping.hpo import DYSTONIA, HpoOntology, HpoRelease
from ..mapping.hpo_import import (
    DISEASE_KIND,
    GENE_KIND,
    IMPORTS_FOLDER,
    extract_folder,
    id_table_path,
    read_id_table,
)
from ..mapping.model import Mapping
from .tables import read_rows

LAYER_BASENAME_SUFFIX = "-hpo"
LAYER_ONTOLOGY_IRI = "https://w3id.org/dystonia-kg/dystonia-hpo.owl"
RECORD_BASE = "https://w3id.org/dystonia-kg/hpo-annotation/"
FILING_TABLE = "hpo-filing.tsv"
FILING_COLUMNS = ("hpo_id", "hpo_label", "rule", "value_id", "value_label", "files_under", "comment")
FILING_RULES = ("movement", "onset", "inheritance")
QC_FOLDER = "layer"

_OBO = "http://purl.obolibrary.org/obo/"
_DYKG = "https://w3id.org/dystonia-kg/DYKG_"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_OIO = "http://www.geneontology.org/formats/oboInOwl#"
_DCT = "http://purl.org/dc/terms/"
_XSD = "http://www.w3.org/2001/XMLSchema#"

# The layer's vocabulary (declared, with labels and definitions, in ontology/hpo-layer.ttl; the record class in
# ontology/terms/hpo-layer.tsv).
RECORD_CLASS = _DYKG + "0011000"
ANNOTATED_DISEASE = _DYKG + "0011001"
ANNOTATED_TERM = _DYKG + "0011002"
ANNOTATED_ABSENT = _DYKG + "0011003"
ANNOTATED_FREQUENCY = _DYKG + "0011004"
ANNOTATED_ONSET = _DYKG + "0011005"
ANNOTATED_SEX = _DYKG + "0011006"
HAS_EVIDENCE = _DYKG + "0011007"
HPO_EVIDENCE_CODE = _DYKG + "0011008"
ANNOTATION_ASPECT = _DYKG + "0011009"
ANNOTATED_MODIFIER = _DYKG + "0011010"
GENE_ASSOCIATED_BY_HPO = _DYKG + "0011011"
CONDITION_WITH_DYSTONIA = _DYKG + "0008100"
GENE_CLASS = _DYKG + "0000004"

# HPO's evidence codes and the ECO classes that say the same (each read in eco.obo, release 2024-07-19,
# evidenceontology/evidenceontology@28e39bd: ECO:0006017 has the synonym "PCS" [HPO:PCS] and a comment saying
# the HPO annotation group created it; ECO:0000304 has the synonym "TAS"; ECO:0000501 has "IEA").
HPO_EVIDENCE_TO_ECO = {"PCS": "ECO:0006017", "TAS": "ECO:0000304", "IEA": "ECO:0000501"}

_LAYER_PREFIXES = {
    "DYKG": _DYKG, "HP": _OBO + "HP_", "ECO": _OBO + "ECO_", "IAO": _OBO + "IAO_", "RO": _OBO + "RO_",
    "OMIM": "https://omim.org/entry/", "Orphanet": "http://www.orpha.net/ORDO/Orphanet_",
    "NCBIGene": "http://identifiers.org/ncbigene/", "hpoa": RECORD_BASE,
    "rdf": _RDF, "rdfs": _RDFS, "owl": _OWL, "skos": _SKOS, "oboInOwl": _OIO, "dcterms": _DCT, "xsd": _XSD,
}
_SYNONYM_PROPERTY = {"EXACT": "hasExactSynonym", "RELATED": "hasRelatedSynonym", "BROAD": "hasBroadSynonym",
                     "NARROW": "hasNarrowSynonym"}


@dataclass(frozen=True)
class FilingRule:
    """One row of the filing table: an annotation at or below `hpo_id` files a disease under classes of ours."""

    hpo_id: str
    rule: str
    value: str | None  # our value for the restriction (a movement disorder, a mode of inheritance), if any
    files_under: tuple[str, ...]


@dataclass
class Layer:
    """The generated layer: its triples as sorted N-Triples lines, and what it counts."""

    version: str
    hpo_version_iri: str
    lines: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    source_ids: dict[str, str] = field(default_factory=dict)  # disease or gene source id -> our IRI

    _texts: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def ntriples(self) -> str:
        """The layer as N-Triples (made once: the build makes it in its layer thread, while HermiT runs)."""
        if "nt" not in self._texts:
            self._texts["nt"] = "\n".join(self.lines) + "\n"
        return self._texts["nt"]

    def turtle(self) -> str:
        """The layer as Turtle (made once, as ntriples is)."""
        if "ttl" not in self._texts:
            self._texts["ttl"] = ntriples_as_turtle(self.lines)
        return self._texts["ttl"]


def layer_available(layout: SourceLayout) -> bool:
    return (extract_folder(layout.ontology_dir) / "phenotype.hpoa").is_file()


def _nt_iri(iri: str) -> str:
    return f"<{iri}>"


def _nt_literal(text: str, language: str | None = None, datatype: str | None = None) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r"))
    if language:
        return f'"{escaped}"@{language}'
    if datatype:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


def _curie_iri(curie: str) -> str | None:
    """An IRI for a CURIE as HPO writes it (HP:, OMIM:, ORPHA:, NCBIGene:, ECO:), or None if unknown."""
    prefix, _, local = curie.partition(":")
    if not local:
        return None
    if prefix == "ORPHA":
        prefix = "Orphanet"
    base = _LAYER_PREFIXES.get(prefix)
    return base + local if base and prefix not in ("rdf", "rdfs", "owl", "skos", "oboInOwl", "dcterms") else None


def read_filing_rules(path: Path, ontology: HpoOntology, labels: dict[str, set[str]],
                      prefixes: PrefixMap) -> list[FilingRule]:
    """The curated filing table; each HPO id must carry the label HPO gives it and each class of ours its label."""
    rules: list[FilingRule] = []
    for row in read_rows(path, FILING_COLUMNS):
        term = ontology.terms.get(row["hpo_id"])
        if term is None or term.label != row["hpo_label"]:
            found = f"HPO says '{term.label}'" if term else "it is not in the extract"
            raise row.error(f"hpo_label '{row['hpo_label']}' is not the label of {row['hpo_id']} ({found})")
        if row["rule"] not in FILING_RULES:
            raise row.error(f"rule '{row['rule']}' is not one of {', '.join(FILING_RULES)}")
        value = None
        if row["value_id"]:
            value = str(prefixes.expand(row["value_id"]))
            if row["value_label"] not in labels.get(value, set()):
                raise row.error(f"value_label '{row['value_label']}' is not the label of {row['value_id']}")
        targets = []
        for curie in filter(None, (part.strip() for part in row["files_under"].split("|"))):
            iri = str(prefixes.expand(curie))
            if iri not in labels:
                raise row.error(f"files_under names {curie}, which the ontology does not define")
            targets.append(iri)
        rules.append(FilingRule(row["hpo_id"], row["rule"], value, tuple(targets)))
    return rules


def build_layer(layout: SourceLayout, prefixes: PrefixMap, mappings: Iterable[Mapping],
                labels: dict[str, set[str]]) -> Layer:
    """Generate the layer's triples from the committed extract, the id table and the filing table.

    `mappings` are the curated mapping rows (to link imported diseases and genes to our curated classes);
    `labels` maps each IRI of the curated ontology to its labels (to check the filing table).
    """
    release = HpoRelease.locate(extract_folder(layout.ontology_dir))
    ontology = release.read_ontology()
    annotations = list(release.annotations())
    gene_links = release.gene_links()
    table = read_id_table(id_table_path(layout.ontology_dir))
    rules = read_filing_rules(layout.ontology_dir / IMPORTS_FOLDER / FILING_TABLE, ontology, labels, prefixes)
    ids = {(row.kind, row.source_id): _DYKG + row.id.split(":", 1)[1] for row in table}

    curated: dict[str, list[str]] = defaultdict(list)  # OMIM/Orphanet/NCBIGene CURIE -> our curated classes
    for mapping in mappings:
        if mapping.predicate_curie == "skos:exactMatch" and mapping.object_curie.split(":")[0] in (
                "OMIM", "Orphanet", "NCBIGene"):
            curated[mapping.object_curie].append(str(mapping.subject))

    triples: set[str] = set()

    def add(subject: str, predicate: str, obj: str) -> None:
        triples.add(f"{subject} {predicate} {obj} .")

    by_disease: dict[str, list] = defaultdict(list)
    for row in annotations:
        by_disease[row.disease_id].append(row)
    names = {disease: rows[0].disease_name for disease, rows in by_disease.items()}
    missing = sorted(d for d in names if (DISEASE_KIND, d) not in ids)
    missing += sorted({g.ncbi_gene_id for g in gene_links if (GENE_KIND, g.ncbi_gene_id) not in ids})
    if missing:
        raise SourceError(id_table_path(layout.ontology_dir),
                          f"no id for {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}; "
                          "run 'dystonia-kg import hpo' to assign ids")

    a, label, definition = _nt_iri(_RDF + "type"), _nt_iri(_RDFS + "label"), _nt_iri(_OBO + "IAO_0000115")
    source, def_source = _nt_iri(_OIO + "source"), _nt_iri(_OBO + "IAO_0000119")
    subclass, exact = _nt_iri(_RDFS + "subClassOf"), _nt_iri(_SKOS + "exactMatch")
    xref, owl_class = _nt_iri(_OIO + "hasDbXref"), _nt_iri(_OWL + "Class")
    version = release.version
    used_terms: set[str] = set()

    # -- the layer's header ---------------------------------------------------------------------
    header = _nt_iri(LAYER_ONTOLOGY_IRI)
    hpo_version_iri = _hpo_version_iri(release) or f"http://purl.obolibrary.org/obo/hp/releases/{version}/hp.json"
    add(header, a, _nt_iri(_OWL + "Ontology"))
    add(header, _nt_iri(_DCT + "title"), _nt_literal("dystonia-kg: imported HPO disease layer", "en"))
    add(header, _nt_iri(_DCT + "description"), _nt_literal(
        f"Every disease that the Human Phenotype Ontology (HPO) annotates with dystonia (HP:0001332 or a term "
        f"below it), with its genes and HPO annotations, from the HPO release {version} (phenotype.hpoa, "
        "genes_to_phenotype.txt, hp.obo). HPO content is reproduced unaltered; cite the Human Phenotype "
        "Ontology (https://hpo.jax.org) and this release when you use it. The filing of each disease under "
        "dystonia-kg classes is dystonia-kg's own, by the rules of ontology/imports/hpo-filing.tsv.", "en"))
    add(header, _nt_iri(_DCT + "source"), _nt_iri(hpo_version_iri))
    release_curie = "obo:" + hpo_version_iri.removeprefix(_OBO)
    add(header, _nt_iri(_OWL + "versionInfo"), _nt_literal(f"HPO {version}"))

    # -- diseases -------------------------------------------------------------------------------
    dystonia_terms = ontology.descendants(DYSTONIA)
    genes_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for link in gene_links:
        genes_of[link.disease_id].append((link.ncbi_gene_id, link.symbol))
    counts = {"imported diseases": 0, "OMIM diseases": 0, "Orphanet diseases": 0, "annotation records": 0,
              "imported genes": 0, "disease-gene links": 0, "linked to a curated class": 0,
              "filed as combined dystonia": 0}
    source_ids: dict[str, str] = {}
    rule_index = _rule_index(rules, ontology)
    for disease_id in sorted(by_disease):
        rows = by_disease[disease_id]
        ours = _nt_iri(ids[(DISEASE_KIND, disease_id)])
        source_ids[disease_id] = ids[(DISEASE_KIND, disease_id)]
        curie = disease_id.replace("ORPHA:", "Orphanet:")
        external = _curie_iri(disease_id)
        counts["imported diseases"] += 1
        counts["OMIM diseases" if disease_id.startswith("OMIM:") else "Orphanet diseases"] += 1
        add(ours, a, owl_class)
        add(ours, label, _nt_literal(names[disease_id], "en"))
        add(ours, definition, _nt_literal(
            f"The disease that {'OMIM' if curie.startswith('OMIM') else 'Orphanet'} lists as {curie} "
            f"('{names[disease_id]}'), imported with its HPO annotations because dystonia is one of its "
            "annotated features.", "en"))
        add(ours, def_source, _nt_literal(curie))
        add(ours, def_source, _nt_literal(release_curie))
        if external:
            add(ours, exact, _nt_iri(external))
        add(ours, xref, _nt_literal(curie))
        add(ours, subclass, _nt_iri(CONDITION_WITH_DYSTONIA))
        for curated_class in sorted(curated.get(curie, ())):
            add(ours, exact, _nt_iri(curated_class))
            counts["linked to a curated class"] += 1
        for gene_id, _symbol in sorted(set(genes_of.get(disease_id, ()))):
            add(ours, _nt_iri(GENE_ASSOCIATED_BY_HPO), _nt_iri(ids[(GENE_KIND, gene_id)]))
            counts["disease-gene links"] += 1

        filed: dict[tuple[str, str | None], set[str]] = {}
        for row in rows:
            record = _nt_iri(RECORD_BASE + _record_local(row))
            counts["annotation records"] += 1
            add(record, a, _nt_iri(RECORD_CLASS))
            add(record, _nt_iri(ANNOTATED_DISEASE), ours)
            term_iri = _curie_iri(row.hpo_id)
            if term_iri:
                add(record, _nt_iri(ANNOTATED_TERM), _nt_iri(term_iri))
                used_terms.add(row.hpo_id)
            add(record, _nt_iri(ANNOTATION_ASPECT), _nt_literal(row.aspect))
            if row.negated:
                add(record, _nt_iri(ANNOTATED_ABSENT), _nt_literal("true", datatype=_XSD + "boolean"))
            if row.frequency:
                frequency_iri = _curie_iri(row.frequency) if row.frequency.startswith("HP:") else None
                add(record, _nt_iri(ANNOTATED_FREQUENCY),
                    _nt_iri(frequency_iri) if frequency_iri else _nt_literal(row.frequency))
            for cell, predicate in ((row.onset, ANNOTATED_ONSET), (row.modifier, ANNOTATED_MODIFIER)):
                for part in filter(None, (p.strip() for p in cell.split(";"))):
                    part_iri = _curie_iri(part)
                    if part_iri:
                        add(record, _nt_iri(predicate), _nt_iri(part_iri))
                        used_terms.add(part)
            if row.sex:
                add(record, _nt_iri(ANNOTATED_SEX), _nt_literal(row.sex))
            add(record, _nt_iri(HPO_EVIDENCE_CODE), _nt_literal(row.evidence))
            if row.evidence in HPO_EVIDENCE_TO_ECO:
                add(record, _nt_iri(HAS_EVIDENCE), _nt_iri(_curie_iri(HPO_EVIDENCE_TO_ECO[row.evidence]) or ""))
            for reference in filter(None, (r.strip() for r in row.reference.split(";"))):
                add(record, source, _nt_literal(reference))
            if not row.negated:
                _apply_rules(row, rule_index, dystonia_terms, filed)

        combined = False
        for (rule, value), targets in sorted(filed.items(), key=lambda item: (item[0][0], item[0][1] or "")):
            for target in sorted(targets):
                add(ours, subclass, _nt_iri(target))
            if value:
                property_iri = {"movement": _DYKG + "0000105", "onset": _DYKG + "0000101",
                                "inheritance": _DYKG + "0000108"}[rule]
                restriction = f"_:layer{hashlib.sha1(f'{ours}|{property_iri}|{value}'.encode()).hexdigest()[:16]}"
                add(ours, subclass, restriction)
                add(restriction, a, _nt_iri(_OWL + "Restriction"))
                add(restriction, _nt_iri(_OWL + "onProperty"), _nt_iri(property_iri))
                add(restriction, _nt_iri(_OWL + "someValuesFrom"), _nt_iri(value))
            combined = combined or rule == "movement"
        counts["filed as combined dystonia"] += combined

    # -- genes ----------------------------------------------------------------------------------
    symbols = {link.ncbi_gene_id: link.symbol for link in gene_links}
    for gene_id in sorted(symbols):
        ours = _nt_iri(ids[(GENE_KIND, gene_id)])
        source_ids[gene_id] = ids[(GENE_KIND, gene_id)]
        counts["imported genes"] += 1
        add(ours, a, owl_class)
        add(ours, subclass, _nt_iri(GENE_CLASS))
        add(ours, label, _nt_literal(symbols[gene_id], "en"))
        add(ours, definition, _nt_literal(
            f"The human gene {symbols[gene_id]} ({gene_id}), imported because HPO links it to a disease "
            "annotated with dystonia.", "en"))
        add(ours, def_source, _nt_literal(gene_id))
        add(ours, exact, _nt_iri(_curie_iri(gene_id) or ""))
        add(ours, xref, _nt_literal(gene_id))
        for curated_class in sorted(curated.get(gene_id, ())):
            add(ours, exact, _nt_iri(curated_class))

    # -- ids that left HPO: kept, deprecated ------------------------------------------------------
    live = set(by_disease) | set(symbols)
    for entry in table:
        if entry.source_id not in live:
            ours = _nt_iri(_DYKG + entry.id.split(":", 1)[1])
            add(ours, a, owl_class)
            add(ours, label, _nt_literal(f"obsolete {entry.label}", "en"))
            add(ours, _nt_iri(_OWL + "deprecated"), _nt_literal("true", datatype=_XSD + "boolean"))

    # -- the HPO terms the records use, with their ancestors: annotations only --------------------
    terms: set[str] = set()
    for term_id in used_terms:
        if term_id in ontology.terms:
            terms |= ontology.ancestors(term_id)
    for term_id in sorted(terms):
        term = ontology.terms[term_id]
        iri = _nt_iri(_curie_iri(term_id) or "")
        add(iri, a, owl_class)
        add(iri, label, _nt_literal(term.label, "en"))
        for text, scope in term.synonyms:
            add(iri, _nt_iri(_OIO + _SYNONYM_PROPERTY.get(scope, "hasRelatedSynonym")), _nt_literal(text, "en"))
        for parent in term.parents:
            parent_iri = _curie_iri(parent)
            if parent_iri:
                add(iri, _nt_iri(_SKOS + "broader"), _nt_iri(parent_iri))
    counts["HPO terms"] = len(terms)
    counts["triples"] = len(triples)
    return Layer(version, hpo_version_iri, sorted(triples), counts, source_ids)


def _hpo_version_iri(release: HpoRelease) -> str | None:
    with release.annotations_file.open(encoding="utf-8") as stream:
        for line in stream:
            if not line.startswith("#"):
                return None
            if line.startswith("#hpo-version:"):
                return line.split(":", 1)[1].strip()
    return None


def _record_local(row) -> str:
    """A stable name for one annotation row: the disease, then a digest of every column."""
    text = "\t".join((row.disease_id, row.hpo_id, str(row.negated), row.reference, row.evidence, row.onset,
                      row.frequency, row.sex, row.modifier, row.aspect))
    return f"{row.disease_id.replace(':', '_')}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:12]}"


def _rule_index(rules: list[FilingRule], ontology: HpoOntology) -> dict[str, list[FilingRule]]:
    """Each HPO term at or below a rule's term -> the rules it triggers."""
    index: dict[str, list[FilingRule]] = defaultdict(list)
    for rule in rules:
        below = ontology.descendants(rule.hpo_id) if rule.rule != "inheritance" else {rule.hpo_id}
        for term in below:
            index[term].append(rule)
    return index


def _apply_rules(row, index: dict[str, list[FilingRule]], dystonia_terms: frozenset[str],
                 filed: dict[tuple[str, str | None], set[str]]) -> None:
    """The documented filing rule: movement disorders from phenotype rows, inheritance from inheritance rows,
    onset from onset rows (aspect C) and from the onset column of the dystonia rows."""
    candidates: list[FilingRule] = []
    if row.aspect == "P":
        if row.hpo_id not in dystonia_terms:
            candidates += [r for r in index.get(row.hpo_id, ()) if r.rule == "movement"]
        if row.hpo_id in dystonia_terms and row.onset:
            for onset in row.onset.split(";"):
                candidates += [r for r in index.get(onset.strip(), ()) if r.rule == "onset"]
    elif row.aspect == "I":
        candidates += [r for r in index.get(row.hpo_id, ()) if r.rule == "inheritance"]
    elif row.aspect == "C":
        candidates += [r for r in index.get(row.hpo_id, ()) if r.rule == "onset"]
    for rule in candidates:
        filed.setdefault((rule.rule, rule.value), set()).update(rule.files_under)


def ntriples_as_turtle(lines: list[str]) -> str:
    """Sorted N-Triples lines as Turtle: prefixes, then one block per subject (same order, same bytes each time)."""
    by_length = sorted(_LAYER_PREFIXES.items(), key=lambda item: -len(item[1]))
    known: dict[str, str] = {}

    def term(text: str) -> str:
        if text in known:
            return known[text]
        known[text] = shortened = _shorten(text)
        return shortened

    def _shorten(text: str) -> str:
        if text.startswith("<") and text.endswith(">"):
            iri = text[1:-1]
            for prefix, base in by_length:
                if iri.startswith(base):
                    local = iri[len(base):]
                    if local and all(c.isalnum() or c in "_-" for c in local) and not local.startswith("-"):
                        return f"{prefix}:{local}"
            return text
        return text

    out = [f"@prefix {prefix}: <{base}> ." for prefix, base in sorted(_LAYER_PREFIXES.items())]
    out.append("")
    current_subject = None
    block: list[str] = []
    for line in lines:
        subject, predicate, rest = line.split(" ", 2)
        obj = rest[:-2]  # drop " ."
        if obj[0] == "<":
            obj = term(obj)
        if subject != current_subject:
            if block:
                out.append(" ;\n    ".join(block) + " .")
            current_subject = subject
            block = [f"{term(subject)} {term(predicate)} {obj}"]
        else:
            block.append(f"{term(predicate)} {obj}")
    if block:
        out.append(" ;\n    ".join(block) + " .")
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class LayerFinding:
    rule: str
    entity: str
    message: str


def check_layer(layer: Layer, layout: SourceLayout) -> list[LayerFinding]:
    """The layer's own QC rules (shapes/qc/layer/*-violation.rq) on an in-memory Oxigraph store."""
    import pyoxigraph

    from ..core.engines import OxigraphEngine

    store = pyoxigraph.Store()
    store.bulk_load(layer.ntriples.encode("utf-8"), pyoxigraph.RdfFormat.N_TRIPLES, lenient=True)
    engine = OxigraphEngine(store)
    findings: list[LayerFinding] = []
    for rule in load_sparql_files(layout.qc_dir / QC_FOLDER, pattern="*-violation.rq"):
        for bindings in engine.select(rule.text, {}, str(rule.path)).as_dicts():
            entity, message = bindings.get("entity"), bindings.get("message")
            findings.append(LayerFinding(rule.name.removesuffix("-violation"), str(entity or ""),
                                         str(message) if message is not None else rule.title))
    return findings


def curated_labels(graph) -> dict[str, set[str]]:
    """IRI -> labels of the curated graph (for checking the filing table)."""
    from ..core.vocabulary import RDFS

    labels: dict[str, set[str]] = defaultdict(set)
    for subject, _p, value in graph.triples((None, RDFS.label, None)):
        if isinstance(subject, URIRef):
            labels[str(subject)].add(str(value))
    return labels
