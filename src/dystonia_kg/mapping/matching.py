"""Checking our mappings against an external vocabulary, and proposing new ones by lexical matching.

`check` answers, for every mapping of ours into a vocabulary file: does the target exist, is it
obsolete (and what replaces it), does its label agree with ours (exact, synonym, differs), and has it
changed since we curated the mapping. `suggest` proposes new links where a normalized label or
synonym of ours equals one of theirs; they are written as SSSOM with semapv:LexicalMatching and a
confidence, for a curator to review, never merged automatically.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from ..core.prefixes import PrefixMap
from ..core.vocabulary import HAS_PHENOTYPE, MAPPING_PREDICATES, OWL, RDFS, SYNONYM_PROPERTIES
from .external import ExternalTerm, ProgressCallback, read_terms
from .sssom import MappingRow, read_sssom

OK, MISSING, OBSOLETE = "ok", "missing", "obsolete"
CONFIDENCE = {("label", "label"): 0.95, ("label", "synonym"): 0.85, ("synonym", "label"): 0.85,
              ("synonym", "synonym"): 0.7}


def normalise(name: str) -> str:
    """Case, punctuation and spacing folded, so 'Writer's-cramp' and 'writers cramp' compare equal."""
    folded = name.casefold().replace("'s ", "s ").replace("’s ", "s ")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", folded).split())


@dataclass(frozen=True)
class MappingCheck:
    """The state of one of our mappings in an external vocabulary."""

    mapping: MappingRow
    status: str
    current_label: str = ""
    label_agreement: str = ""
    """'exact' (their label is ours), 'synonym' (ours is one of their synonyms), 'differs'."""
    replaced_by: tuple[str, ...] = ()
    label_changed: bool = False
    """Their label is no longer the object_label recorded when the mapping was curated."""

    def describe(self) -> str:
        m = self.mapping
        head = f"{self.status.upper():8s} {m.subject_id} {m.subject_label!r} {m.predicate_id} {m.object_id}"
        if self.status == MISSING:
            return f"{head}: not in the file"
        details = [f"their label {self.current_label!r} ({self.label_agreement})"]
        if self.status == OBSOLETE:
            details.insert(0, "obsolete" + (f", replaced by {', '.join(self.replaced_by)}" if self.replaced_by
                                            else ", no replacement given"))
        if self.label_changed:
            details.append(f"was {m.object_label!r} when curated")
        return f"{head}: " + "; ".join(details)


@dataclass
class CheckReport:
    checks: list[MappingCheck] = field(default_factory=list)
    prefixes_in_file: dict[str, int] = field(default_factory=dict)
    terms_read: int = 0

    @property
    def failed(self) -> bool:
        return any(c.status in (MISSING, OBSOLETE) for c in self.checks)

    def to_text(self) -> str:
        if not self.checks:
            seen = ", ".join(f"{p} ({n})" for p, n in sorted(self.prefixes_in_file.items())) or "none"
            return f"no mapping of ours points into this file ({self.terms_read} terms; prefixes: {seen})"
        lines = [c.describe() for c in self.checks]
        counts = Counter(c.status for c in self.checks)
        agreement = Counter(c.label_agreement for c in self.checks if c.status != MISSING)
        lines.append(f"{len(self.checks)} mapping(s) checked: {counts[OK]} ok, {counts[OBSOLETE]} obsolete, "
                     f"{counts[MISSING]} missing; labels {agreement['exact']} exact, {agreement['synonym']} synonym, "
                     f"{agreement['differs']} differ; "
                     f"{sum(c.label_changed for c in self.checks)} changed since curation")
        return "\n".join(lines)


def check_mappings(mapping_set: Path, vocabulary: Path, prefixes: PrefixMap,
                   progress: ProgressCallback | None = None) -> CheckReport:
    """Check every mapping of the release's SSSOM set whose target prefix occurs in the vocabulary file."""
    _curie_map, ours = read_sssom(mapping_set)
    wanted = {row.object_id for row in ours}
    found: dict[str, ExternalTerm] = {}
    report = CheckReport()
    prefix_counts: Counter[str] = Counter()
    for term in read_terms(vocabulary, prefixes, progress):
        report.terms_read += 1
        prefix_counts[term.curie.split(":", 1)[0]] += 1
        if term.curie in wanted:
            found[term.curie] = term
    report.prefixes_in_file = dict(prefix_counts)
    for row in sorted(ours, key=lambda r: (r.object_id, r.subject_id)):
        if row.object_id.split(":", 1)[0] not in prefix_counts:
            continue
        target = found.get(row.object_id)
        if target is None:
            report.checks.append(MappingCheck(row, MISSING))
            continue
        report.checks.append(MappingCheck(
            row, OBSOLETE if target.obsolete else OK, target.label, _agreement(row.subject_label, target),
            tuple(target.replaced_by), bool(row.object_label) and row.object_label != target.label,
        ))
    return report


def _agreement(our_label: str, term: ExternalTerm) -> str:
    ours = normalise(our_label)
    if ours == normalise(term.label):
        return "exact"
    if ours in {normalise(s) for s in term.synonyms}:
        return "synonym"
    return "differs"


PHENOTYPE_PREFIXES = ("HP",)
"""Vocabularies of phenotypes: a disease of ours that shares a name with one of their terms has that
phenotype; it is not the same thing (merged with MONDO, an identity would equate a disease with a phenotype)."""
DISEASE_ROOT_LOCAL_ID = "0000002"  # 'disease or disorder'


def _diseases(release: Graph, prefixes: PrefixMap) -> set[URIRef]:
    """Our classes under 'disease or disorder' (asserted or, in a reasoned release, inferred)."""
    root = URIRef(prefixes.expand_to_string(f"{prefixes.identity.term_prefix}:{DISEASE_ROOT_LOCAL_ID}"))
    return {s for s in release.transitive_subjects(RDFS.subClassOf, root) if isinstance(s, URIRef)}


def _has_phenotype_links(release: Graph) -> set[tuple[URIRef, URIRef]]:
    """(disease, phenotype) pairs the release states as `subClassOf (has phenotype some P)`."""
    pairs = set()
    for restriction in release.subjects(OWL.onProperty, HAS_PHENOTYPE):
        for phenotype in release.objects(restriction, OWL.someValuesFrom):
            for disease in release.subjects(RDFS.subClassOf, restriction):
                if isinstance(disease, URIRef) and isinstance(phenotype, URIRef):
                    pairs.add((disease, phenotype))
    return pairs


def suggest_mappings(release: Graph, vocabulary: Path, prefixes: PrefixMap,
                     progress: ProgressCallback | None = None) -> list[MappingRow]:
    """Lexical candidates: our labels and synonyms equal, once normalised, to a live term's label or synonym.
    A disease of ours matching a phenotype term (HPO) is proposed as a 'has phenotype' link (RO:0002200,
    curated in ontology/axioms/disease-phenotypes.tsv), never as a SKOS match."""
    our_names: dict[str, list[tuple[URIRef, str]]] = defaultdict(list)
    our_labels: dict[URIRef, str] = {}
    already: set[tuple[str, str]] = set()
    for subject, label in release.subject_objects(RDFS.label):
        if not isinstance(subject, URIRef):
            continue
        curie = prefixes.contract(str(subject))
        our_term = curie is not None and curie.startswith(f"{prefixes.identity.term_prefix}:")
        if curie is None or not our_term or (subject, OWL.deprecated, None) in release:
            continue
        our_labels[subject] = str(label)
        our_names[normalise(str(label))].append((subject, "label"))
        for synonym_property in SYNONYM_PROPERTIES:
            for synonym in release.objects(subject, synonym_property):
                our_names[normalise(str(synonym))].append((subject, "synonym"))
    for predicate in MAPPING_PREDICATES.values():
        for subject, target in release.subject_objects(predicate):
            already.add((str(subject), prefixes.contract(str(target)) or str(target)))
    for disease, phenotype in _has_phenotype_links(release):
        already.add((str(disease), prefixes.contract(str(phenotype)) or str(phenotype)))
    diseases = _diseases(release, prefixes)

    best: dict[tuple[URIRef, str], tuple[float, str, ExternalTerm]] = {}
    for term in read_terms(vocabulary, prefixes, progress):
        if term.obsolete or not term.label:
            continue
        for their_name, their_kind in [(term.label, "label")] + [(s, "synonym") for s in sorted(term.synonyms)]:
            for subject, our_kind in our_names.get(normalise(their_name), ()):
                if (str(subject), term.curie) in already:
                    continue
                confidence = CONFIDENCE[(our_kind, their_kind)]
                key = (subject, term.curie)
                if key not in best or best[key][0] < confidence:
                    best[key] = (confidence, f"{our_kind} matches their {their_kind} '{their_name}'", term)
    rows = []
    for (subject, curie), (confidence, why, term) in best.items():
        predicate_id = "skos:exactMatch" if confidence >= CONFIDENCE[("label", "label")] else "skos:closeMatch"
        if subject in diseases and curie.split(":", 1)[0] in PHENOTYPE_PREFIXES:
            predicate_id = "RO:0002200"
            why += ("; a disease of ours and a phenotype: curate as 'has phenotype' in "
                    "ontology/axioms/disease-phenotypes.tsv, not as a mapping")
        rows.append(MappingRow(
            subject_id=prefixes.contract(str(subject)) or str(subject), subject_label=our_labels[subject],
            predicate_id=predicate_id, object_id=curie, object_label=term.label,
            mapping_justification="semapv:LexicalMatching", confidence=f"{confidence:.2f}", comment=why,
        ))
    return sorted(rows, key=lambda r: (-float(r.confidence), r.subject_id, r.object_id))
