"""The audit: where our curated facts and an HPO release disagree.

Three checks, each a row per finding:

* gene-disease links, both directions: for every curated class mapped (skos:exactMatch) to an OMIM or
  Orphanet entry, the genes we link with 'has material basis in germline mutation in' (RO:0004003, also
  inherited from a broader locus) against the genes HPO's genes_to_phenotype.txt gives that entry. A gene of
  ours that HPO does not list while HPO lists others is a *contradiction*; a gene HPO lists that we do not
  link is a *difference* (we may record it with another relation, as for disputed genes);
* our HPO mappings against hp.obo: a mapped term that is unknown or obsolete (*contradiction*, with HPO's
  replacement), or whose label has changed since we curated it (*difference*);
* dystonia diseases in HPO that we neither curate nor import (*missing*).

By default it reads the committed extract (ontology/imports/hpo/), so it runs offline and in CI; `--hpo DIR`
points it at a full or newer HPO release. `--strict` makes a contradiction fail the command (exit 1).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from ..core.resources import SourceLayout
from ..core.vocabulary import OWL, RDFS
from ..mapping.hpo import DYSTONIA, HpoRelease, diseases_annotated_with
from ..mapping.hpo_import import extract_folder, id_table_path, read_id_table
from .loading import load_sources

CONTRADICTION = "contradiction"
DIFFERENCE = "difference"
MISSING = "missing"
AUDIT_COLUMNS = ("check", "severity", "entity", "label", "source_id", "detail")
GERMLINE_BASIS = URIRef("http://purl.obolibrary.org/obo/RO_0004003")
REPORTED_GENE = URIRef("https://w3id.org/dystonia-kg/DYKG_0002951")


@dataclass(frozen=True)
class AuditFinding:
    check: str
    severity: str
    entity: str
    label: str
    source_id: str
    detail: str


@dataclass
class AuditReport:
    hpo_version: str
    hpo_folder: Path
    findings: list[AuditFinding]

    @property
    def contradictions(self) -> list[AuditFinding]:
        return [f for f in self.findings if f.severity == CONTRADICTION]

    def to_tsv(self) -> str:
        lines = [f"# dystonia-kg audit against HPO {self.hpo_version}", "\t".join(AUDIT_COLUMNS)]
        for f in self.findings:
            lines.append("\t".join(value.replace("\t", " ") for value in (f.check, f.severity, f.entity, f.label,
                                                                        f.source_id, f.detail)))
        return "\n".join(lines) + "\n"

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for f in self.findings:
            counts[f"{f.check} ({f.severity})"] += 1
        return dict(sorted(counts.items()))

    def to_text(self) -> str:
        lines = [f"audit against HPO {self.hpo_version} ({len(self.findings)} finding(s), "
                 f"{len(self.contradictions)} contradiction(s))"]
        for f in self.findings:
            lines.append(f"{f.severity.upper():13s} {f.check}: {f.entity} '{f.label}' {f.source_id}: {f.detail}")
        return "\n".join(lines)


def run_audit(layout: SourceLayout, hpo_folder: Path | None = None) -> AuditReport:
    """Compare the curated sources of `layout` with an HPO release (default: the committed extract)."""
    folder = Path(hpo_folder) if hpo_folder is not None else extract_folder(layout.ontology_dir)
    release = HpoRelease.locate(folder)
    ontology = release.read_ontology()
    annotations = list(release.annotations())
    sources = load_sources(layout)
    graph, prefixes = sources.graph, sources.prefixes
    findings: list[AuditFinding] = []

    def label_of(iri: URIRef) -> str:
        return str(graph.value(iri, RDFS.label) or "")

    entries: dict[URIRef, list[str]] = defaultdict(list)  # our class -> OMIM:/ORPHA: ids (as HPO writes them)
    ncbi_of: dict[URIRef, set[str]] = defaultdict(set)
    hp_mappings = []
    for mapping in sources.mappings:
        if mapping.predicate_curie != "skos:exactMatch":
            if mapping.object_curie.startswith("HP:"):
                hp_mappings.append(mapping)
            continue
        prefix = mapping.object_curie.split(":", 1)[0]
        if prefix == "OMIM":
            entries[mapping.subject].append(mapping.object_curie)
        elif prefix == "Orphanet":
            entries[mapping.subject].append(mapping.object_curie.replace("Orphanet:", "ORPHA:"))
        elif prefix == "NCBIGene":
            ncbi_of[mapping.subject].add(mapping.object_curie)
        elif prefix == "HP":
            hp_mappings.append(mapping)

    hpo_genes: dict[str, dict[str, str]] = defaultdict(dict)  # disease -> NCBIGene -> symbol
    for link in release.gene_links():
        hpo_genes[link.disease_id][link.ncbi_gene_id] = link.symbol
    annotated = {a.disease_id for a in annotations}

    for disease in sorted(entries, key=str):
        ours = _germline_genes(graph, disease)
        our_ncbi = {ncbi: gene for gene in ours for ncbi in ncbi_of.get(gene, ())}
        reported = {ncbi for gene in _germline_genes(graph, disease, REPORTED_GENE) for ncbi in ncbi_of.get(gene, ())}
        for entry in sorted(entries[disease]):
            if entry not in annotated and entry not in hpo_genes:
                continue  # HPO says nothing about this entry (not in this release or extract)
            theirs = hpo_genes.get(entry, {})
            for ncbi, gene in sorted(our_ncbi.items()):
                if theirs and ncbi not in theirs:
                    findings.append(AuditFinding(
                        "gene-disease", CONTRADICTION, prefixes.contract(str(disease)) or str(disease),
                        label_of(disease), entry,
                        f"we link {label_of(gene)} ({ncbi}); HPO gives {', '.join(sorted(theirs.values()))}"))
            for ncbi, symbol in sorted(theirs.items()):
                if ncbi not in our_ncbi:
                    how = ("we record it as reported, not confirmed" if ncbi in reported
                           else "we do not link it as the germline cause")
                    findings.append(AuditFinding(
                        "gene-disease", DIFFERENCE, prefixes.contract(str(disease)) or str(disease),
                        label_of(disease), entry, f"HPO gives {symbol} ({ncbi}); {how}"))

    for mapping in sorted(hp_mappings, key=lambda m: (m.subject_curie, m.object_curie)):
        resolved = ontology.resolve(mapping.object_curie)
        term = ontology.terms.get(mapping.object_curie)
        if resolved.current != mapping.object_curie:
            findings.append(AuditFinding("hp-mapping", CONTRADICTION, mapping.subject_curie, mapping.subject_label,
                                         mapping.object_curie, resolved.note or "unknown"))
        elif term is not None and term.label != mapping.object_label:
            findings.append(AuditFinding("hp-mapping", DIFFERENCE, mapping.subject_curie, mapping.subject_label,
                                         mapping.object_curie,
                                         f"HPO's label is now '{term.label}' (curated as '{mapping.object_label}')"))

    covered = {entry for values in entries.values() for entry in values}
    imported = {row.source_id for row in read_id_table(id_table_path(layout.ontology_dir))}
    names = {a.disease_id: a.disease_name for a in annotations}
    for entry_id in sorted(diseases_annotated_with(annotations, ontology, DYSTONIA) - covered - imported):
        findings.append(AuditFinding("dystonia-disease", MISSING, "", "", entry_id,
                                     f"HPO annotates '{names.get(entry_id, '')}' with dystonia; we neither curate "
                                     "nor import it (run 'dystonia-kg import hpo')"))
    return AuditReport(release.version, folder, findings)


def _germline_genes(graph: Graph, disease: URIRef, relation: URIRef = GERMLINE_BASIS) -> set[URIRef]:
    """Genes linked by RO:0004003 (or `relation`) to the class or to any class above it."""
    genes: set[URIRef] = set()
    for carrier in graph.transitive_objects(disease, RDFS.subClassOf):
        for restriction in graph.objects(carrier, RDFS.subClassOf):
            if (restriction, OWL.onProperty, relation) in graph:
                gene = graph.value(restriction, OWL.someValuesFrom)
                if isinstance(gene, URIRef):
                    genes.add(gene)
    return genes
