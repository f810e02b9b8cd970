"""Ranking diseases and genes for a patient's findings, by likelihood ratios over HPO annotations.

The model follows LIRICAL's reasoning (Robinson et al. 2020, Am J Hum Genet 107:403) in our own
implementation. For each disease D the patient's evidence is a product of likelihood ratios, one per
finding, each "how much more probable is this finding if the patient has D than if not":

- An observed term q: P(q | D) is the highest frequency among D's annotations that imply q (q itself
  or a term below it). When none does, D gets partial credit through the most informative ancestor a
  of q it is annotated to: P(q | D) = F(a | D) * (bg(q) / bg(a))^s, i.e. D explains the finding at a's
  level and the finding falls on q at most as often as q does among a's findings in general; s > 1
  (`partial_specificity`) says that a disease that truly had q would more likely be annotated with q
  or near it, so a distant ancestor gives little (chosen on the development cases: BENCHMARKS.md). The background
  bg(q) is the mean of F(q | D') over all annotated diseases D' (LIRICAL's background). A finding may
  also be unrelated to the disease (annotations are incomplete, patients have other conditions):
  with probability `noise` it is drawn from the background, so
  LR = ((1 - noise) * P(q | D) + noise * bg(q)) / bg(q), never below `noise`.
  A disease annotated NOT to q (or to an ancestor of q) gets `contradiction` instead.
- An excluded term e: LR = P(no e | D) / P(no e | not D) = max(1 - P(e | D), miss) / (1 - bg(e)), with
  P(e | D) as above; `miss` is the chance a finding the disease has was not seen or not recorded.
  A disease not annotated with e gains slightly (1 / (1 - bg(e))).
- Features of the disease the patient is not reported to have (BOQA's false negatives: Bauer et al. 2012,
  Bioinformatics 28:2502): each of D's most specific annotated features that is neither observed nor
  excluded, nor above or below a reported finding, gives LR = max(1 - r F, miss) / max(1 - r bg, miss), with
  F its frequency in D and r the chance that a feature the patient has is in the report. A report lists m
  findings, and a patient with D has about E_D = sum of F over D's features, so r = min(1, m / E_D)
  (`unreported_scale` multiplies it; 0 leaves this evidence out). Without that scaling a disease annotated
  with a hundred features would lose to any sparse one; with it, the loss depends on how much of the
  disease's expected picture the report leaves untouched, not on the length of its annotation list.
- The age at onset: the patient's onset band(s) against the onset classes HPO gives D, in the same
  form (share of D's onset classes compatible with the patient's, against the background share,
  with `onset_noise`). Diseases without onset annotations are not affected.
- Curated facts (where our graph curates the disease; see curated.py) multiply further ratios.
- The pretest probability is uniform over the candidates (1 / N); the score shown is the post-test
  probability, LR / (LR + N - 1).

Genes are ranked by the sum of their candidate diseases' ratios (a gene is the diagnosis when any of
its diseases is: its odds are the sum of theirs). Every ranked disease carries its explanation: each
finding's ratio, its log10 (the contribution), and what in the annotations produced it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from ..mapping.hpo import PHENOTYPIC_ABNORMALITY
from .hpo_index import HpoIndex
from .phenopacket import Case, Finding

DEFAULT_RELEASE_FILE = Path("dist") / "dystonia.ttl"  # where `dystonia-kg build` writes the release
CANDIDATE_SETS = ("dystonia", "all")
CandidateSet = Literal["dystonia", "all"]

# HPO's onset classes and the ages (years, [start, end)) their definitions in hp.obo give
# (Neonatal: first 28 days; Infantile: 28 days to 1 year; Childhood: 1-5 years; Juvenile: 5-15 years;
# Young adult 16-40; Middle age 40-60; Late onset after 60). Ages between 15 and 16 fall in HPO's gap
# between Juvenile and Adult onset and are read as Juvenile. A test checks these ids' labels in hp.obo.
ONSET_BANDS: tuple[tuple[str, float, float], ...] = (
    ("HP:0003623", 0.0, 28 / 365.25),          # Neonatal onset
    ("HP:0003593", 28 / 365.25, 1.0),          # Infantile onset
    ("HP:0011463", 1.0, 5.0),                  # Childhood onset
    ("HP:0003621", 5.0, 16.0),                 # Juvenile onset
    ("HP:0011462", 16.0, 40.0),                # Young adult onset
    ("HP:0003596", 40.0, 60.0),                # Middle age onset
    ("HP:0003584", 60.0, math.inf),            # Late onset
)
CONGENITAL_ONSET = "HP:0003577"
NEXT_STEP_DISEASES = 3  # the top diseases for which the curated treatments are listed


@dataclass(frozen=True)
class Parameters:
    """The model's general parameters (never tuned to single cases; see BENCHMARKS.md for how they
    were chosen on the development cases)."""

    noise: float = 0.15             # P(an observed finding is unrelated to the disease)
    contradiction: float = 0.005     # LR of a finding the disease is annotated NOT to show
    miss: float = 0.4                # P(a finding of the disease was not seen or not recorded)
    unknown_frequency: float = 0.5   # frequency of an annotation HPO gives without one
    cohort_prior: float = 4.0        # pseudo-patients (at 50%) added to an 'n/m' frequency: small cohorts
                                     # (1/1, 2/2) say less than HPO's frequency terms
    onset_noise: float = 0.5         # P(the onset falls outside the disease's annotated classes)
    onset_tolerance: float = 1.25    # reported ages are approximate: band matches within age*/tolerance
    background_floor: float = 1e-4   # lowest background frequency of a term
    excluded_weight: float = 0.25    # power on each excluded term's ratio: exclusions listed from a
                                     # checklist are correlated, not independent evidence
    partial_specificity: float = 6.0  # exponent on bg(q)/bg(a) in the partial credit through an ancestor
    unreported_scale: float = 1.0    # r = min(1, scale * m / E_D) for features of the disease not reported;
                                     # 0 leaves them out
    sparse_annotation: float = 0.0   # noise grows as (median profile size / the disease's)^this: a
                                     # disease annotated with few terms more likely lacks a true feature


DEFAULT_PARAMETERS = Parameters()


@dataclass(frozen=True)
class Contribution:
    """One piece of evidence for or against a disease."""

    term: str             # an HPO id, 'onset', 'unreported', or the curated fact's name
    label: str
    kind: str             # observed, excluded, onset, unreported, curated
    ratio: float          # the likelihood ratio
    explanation: str      # in words

    @property
    def contribution(self) -> float:
        """log10 of the ratio: how many orders of magnitude this evidence moves the odds."""
        return math.log10(self.ratio) if self.ratio > 0 else -math.inf


@dataclass(frozen=True)
class Gene:
    id: str               # NCBIGene:n
    symbol: str
    hgnc: str | None = None


@dataclass(frozen=True)
class Treatment:
    """A treatment our graph curates for a disease, with the source of the claim."""

    label: str
    iri: str
    relation: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class RankedDisease:
    rank: int
    id: str
    label: str
    score: float          # post-test probability
    log10_ratio: float    # the composite likelihood ratio, log10
    genes: tuple[Gene, ...]
    explanation: tuple[Contribution, ...]
    curated_class: str | None = None        # our class that maps to this disease, if any
    treatments: tuple[Treatment, ...] = ()  # for the top diseases, what the graph curates


@dataclass(frozen=True)
class RankedGene:
    rank: int
    id: str
    symbol: str
    score: float
    disease: str          # the disease that gives the gene its score
    hgnc: str | None = None


@dataclass
class Ranking:
    """The answer for one case."""

    case: str
    source: str
    hpo_version: str
    candidates: str
    candidate_count: int
    diseases: list[RankedDisease]
    genes: list[RankedGene]
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of `dystonia-kg diagnose --format json`."""
        return {
            "case": self.case, "file": self.source, "hpo_version": self.hpo_version,
            "candidates": self.candidates, "candidate_count": self.candidate_count,
            "diseases": [{
                "rank": d.rank, "id": d.id, "label": d.label, "score": d.score,
                "log10_likelihood_ratio": round(d.log10_ratio, 4),
                "genes": [g.symbol for g in d.genes],
                "explanation": [{"term": c.term, "label": c.label, "kind": c.kind,
                                 "contribution": round(c.contribution, 4), "likelihood_ratio": c.ratio,
                                 "reason": c.explanation} for c in d.explanation],
                **({"curated_class": d.curated_class} if d.curated_class else {}),
                **({"treatments": [{"label": t.label, "iri": t.iri, "relation": t.relation,
                                    "sources": list(t.sources)} for t in d.treatments]} if d.treatments else {}),
            } for d in self.diseases],
            "genes": [{"rank": g.rank, "symbol": g.symbol, "id": g.id, "score": g.score, "disease": g.disease,
                       **({"hgnc": g.hgnc} if g.hgnc else {})} for g in self.genes],
            "warnings": list(self.warnings), "notes": list(self.notes),
        }


def onset_classes_for_age(years: float, tolerance: float) -> set[str]:
    """HPO onset bands an age falls in, widened by the tolerance (an onset 'at 5' is read as
    childhood or juvenile); congenital for an age of 0."""
    low, high = years / tolerance, years * tolerance
    found = {band for band, start, end in ONSET_BANDS if start <= high and low < end}
    if years == 0:
        found.add(CONGENITAL_ONSET)
    return found


@dataclass
class _TermEvidence:
    """One finding's ratios over all diseases, and what produced each (for the explanation)."""

    finding: Finding
    ratio: np.ndarray
    via: np.ndarray          # the term number through which the disease matched, -1 none, -2 negated
    probability: np.ndarray  # P(finding | disease) used


@dataclass
class _UnreportedEvidence:
    """The disease features a case's report leaves untouched, and what they cost each disease."""

    log10_ratio: np.ndarray    # per disease
    count: np.ndarray          # per disease: its specific features not reported
    reporting: np.ndarray      # per disease: r, the chance a present feature is reported
    untouched: np.ndarray      # per specific profile entry: not reported
    findings: int              # m, the observed findings the report lists


@dataclass
class CaseEvidence:
    """Everything a case says about every disease: per finding, onset, unreported features, curated facts,
    and their sum (the log10 likelihood ratio of each disease)."""

    terms: list[_TermEvidence]
    onset: tuple[np.ndarray, np.ndarray, set[str]] | None
    unreported: _UnreportedEvidence | None
    curated: dict[int, list[Contribution]]
    log10_ratio: np.ndarray


class DiagnosisModel:
    """The likelihood-ratio model over one HPO index; build once, rank many cases."""

    def __init__(self, index: HpoIndex, parameters: Parameters = DEFAULT_PARAMETERS):
        self.index = index
        self.parameters = parameters
        known = index.implied_known_frequency.astype(np.float64)
        cohort = index.implied_cohort.astype(np.float64)
        prior = parameters.cohort_prior
        if prior > 0:
            known = np.where(cohort > 0, (known * cohort + 0.5 * prior) / (cohort + prior), known)
        self.implied_frequency = np.maximum(known, index.implied_unknown_frequency * parameters.unknown_frequency)
        sums = np.zeros(len(index.term_ids), dtype=np.float64)
        rows = np.repeat(np.arange(len(index.term_ids)), np.diff(index.implied_offsets))
        np.add.at(sums, rows, self.implied_frequency)
        self.background = np.maximum(sums / index.disease_count, parameters.background_floor)
        sizes = np.maximum(np.diff(index.profile_offsets).astype(np.float64), 1.0)
        typical = float(np.median(sizes))
        self.noise = np.clip(parameters.noise * (typical / sizes) ** parameters.sparse_annotation,
                             parameters.noise / 4, 0.9)
        root = index.term_number(PHENOTYPIC_ABNORMALITY)
        assert root is not None
        self.root = root
        self._above_root = set(index.ancestors(root).tolist())
        self._onset_background: dict[frozenset[str], float] = {}
        # each disease's specific features (none of its other annotations lies below them), as flat arrays
        specific = index.profile_specific
        owners = np.repeat(np.arange(index.disease_count), np.diff(index.profile_offsets))
        self.feature_disease = owners[specific]
        self.feature_term = index.profile_terms[specific].astype(np.int64)
        self.feature_frequency = self.implied_frequency[index.profile_implied_position[specific]]
        self.feature_background = np.minimum(self.background[self.feature_term], 0.99)
        # E_D: how many of its specific features a patient with the disease has, on average
        self.expected_features = np.bincount(self.feature_disease, weights=self.feature_frequency,
                                             minlength=index.disease_count)
        # the features are in disease order: disease d's are feature_offsets[d]:feature_offsets[d + 1]
        self.feature_offsets = np.searchsorted(self.feature_disease, np.arange(index.disease_count + 1))

    # -- one term over all diseases ------------------------------------------------------------
    def _implied(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        start, end = self.index.implied_offsets[term], self.index.implied_offsets[term + 1]
        return self.index.implied_disease[start:end], self.implied_frequency[start:end]

    def probability_of_term(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        """P(term | D) for every disease, and the term through which D matched (-1 when none):
        the term itself or a term below it, else the most informative annotated ancestor."""
        n = self.index.disease_count
        probability = np.zeros(n, dtype=np.float64)
        via = np.full(n, -1, dtype=np.int32)
        diseases, frequency = self._implied(term)
        probability[diseases] = frequency
        via[diseases] = term
        ancestors = [a for a in self.index.ancestors(term).tolist() if a != term and a not in self._above_root]
        ancestors.sort(key=lambda a: self.background[a])
        for ancestor in ancestors:
            diseases, frequency = self._implied(ancestor)
            fresh = via[diseases] == -1
            if not fresh.any():
                continue
            chosen = diseases[fresh]
            share = min(1.0, self.background[term] / self.background[ancestor]) ** self.parameters.partial_specificity
            probability[chosen] = frequency[fresh] * share
            via[chosen] = ancestor
        return probability, via

    def _negated_for(self, term: int, *, upward: bool) -> np.ndarray:
        """Diseases annotated NOT to the term or (upward) to one of its ancestors."""
        terms = self.index.ancestors(term).tolist() if upward else [term]
        parts = [self.index.negated(t) for t in terms]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int32)

    def observed_evidence(self, finding: Finding, term: int) -> _TermEvidence:
        p = self.parameters
        probability, via = self.probability_of_term(term)
        background = self.background[term]
        ratio = ((1 - self.noise) * probability + self.noise * background) / background
        negated = self._negated_for(term, upward=True)
        ratio[negated] = p.contradiction
        via[negated] = -2
        return _TermEvidence(finding, ratio, via, probability)

    def excluded_evidence(self, finding: Finding, term: int) -> _TermEvidence:
        p = self.parameters
        probability, via = self.probability_of_term(term)
        background = min(self.background[term], 0.99)
        absent = np.maximum(1.0 - probability, p.miss)
        absent[via == -1] = 1.0
        ratio = (absent / (1.0 - background)) ** p.excluded_weight
        # excluded in the patient and annotated NOT to occur in the disease: the mirror of an observed finding
        # the disease is annotated not to show (LIRICAL's 'XX' case), tempered as every exclusion is
        negated = self._negated_for(term, upward=True)  # NOT an ancestor: the disease lacks the term too
        ratio[negated] = (1.0 / p.contradiction) ** p.excluded_weight
        via[negated] = -2
        return _TermEvidence(finding, ratio, via, probability)

    def unreported_evidence(self, observed: list[int], reported: list[int]) -> _UnreportedEvidence | None:
        """What the disease features the report leaves untouched say: a feature is touched when it is a
        reported term (observed or excluded), lies below one, or lies above one."""
        scale = self.parameters.unreported_scale
        if scale <= 0 or not observed:
            return None
        index = self.index
        is_reported = np.zeros(len(index.term_ids), dtype=bool)
        is_reported[reported] = True
        # at or below a reported term: one of the term's ancestors (itself included) is reported
        touched = np.logical_or.reduceat(is_reported[index.ancestor_flat], index.ancestor_offsets[:-1])
        for term in reported:  # at or above one
            touched[index.ancestors(term)] = True
        untouched = ~touched[self.feature_term]
        expected = np.maximum(self.expected_features, 1e-9)
        reporting = np.minimum(1.0, scale * len(observed) / expected)
        r = reporting[self.feature_disease[untouched]]
        miss = self.parameters.miss
        ratio = (np.maximum(1.0 - r * self.feature_frequency[untouched], miss)
                 / np.maximum(1.0 - r * self.feature_background[untouched], miss))
        n = index.disease_count
        log_ratio = np.bincount(self.feature_disease[untouched], weights=np.log10(ratio), minlength=n)
        count = np.bincount(self.feature_disease[untouched], minlength=n)
        return _UnreportedEvidence(log_ratio, count, reporting, untouched, len(observed))

    # -- onset ---------------------------------------------------------------------------------
    def patient_onset_classes(self, case: Case) -> set[str]:
        if case.onset.years is not None:
            bands = onset_classes_for_age(case.onset.years, self.parameters.onset_tolerance)
        elif case.onset.hpo_class and case.onset.hpo_class in self.index:
            bands = {case.onset.hpo_class}
            bands |= self._onset_descendants(case.onset.hpo_class)
        else:
            return set()
        compatible = set(bands)
        for band in bands:
            compatible |= self.index.ancestor_ids(band)
        return compatible

    def _onset_descendants(self, term_id: str) -> set[str]:
        """The onset bands below a broad onset class (Pediatric onset: neonatal to juvenile)."""
        bands = [band for band, _, _ in ONSET_BANDS] + [CONGENITAL_ONSET]
        return {band for band in bands if term_id in self.index.ancestor_ids(band)}

    def onset_evidence(self, case: Case) -> tuple[np.ndarray, np.ndarray, set[str]] | None:
        """(ratio per disease, share of the disease's onset classes compatible) or None without onset."""
        compatible = self.patient_onset_classes(case)
        if not compatible:
            return None
        numbers = np.array([n for n in (self.index.term_number(t) for t in compatible) if n is not None])
        n = self.index.disease_count
        counts = np.diff(self.index.onset_offsets)
        hits = np.isin(self.index.onset_terms, numbers).astype(np.float64)
        per_disease = np.zeros(n, dtype=np.float64)
        owners = np.repeat(np.arange(n), counts)
        np.add.at(per_disease, owners, hits)
        annotated = counts > 0
        share = np.zeros(n, dtype=np.float64)
        share[annotated] = per_disease[annotated] / counts[annotated]
        background = max(float(share[annotated].mean()) if annotated.any() else 1.0, 1e-3)
        noise = self.parameters.onset_noise
        ratio = np.ones(n, dtype=np.float64)
        ratio[annotated] = ((1 - noise) * share[annotated] + noise * background) / background
        return ratio, share, compatible

    # -- a case --------------------------------------------------------------------------------
    def candidates(self, which: CandidateSet) -> np.ndarray:
        if which == "all":
            return np.arange(self.index.disease_count)
        return np.flatnonzero(self.index.dystonia_candidates)

    def evidence(self, case: Case) -> tuple[list[_TermEvidence], tuple[np.ndarray, np.ndarray, set[str]] | None,
                                            _UnreportedEvidence | None]:
        terms: list[_TermEvidence] = []
        observed: list[int] = []
        reported: list[int] = []
        for finding in case.findings:
            number = self.index.term_number(finding.term)
            if number is None or number in self._above_root or number == self.root:
                continue
            reported.append(number)
            if finding.excluded:
                terms.append(self.excluded_evidence(finding, number))
            else:
                observed.append(number)
                terms.append(self.observed_evidence(finding, number))
        return terms, self.onset_evidence(case), self.unreported_evidence(observed, reported)


def _describe(model: DiagnosisModel, evidence: _TermEvidence, disease: int) -> Contribution:
    index = model.index
    finding = evidence.finding
    ratio = float(evidence.ratio[disease])
    via = int(evidence.via[disease])
    probability = float(evidence.probability[disease])
    number = index.term_number(finding.term)
    assert number is not None
    background = float(model.background[number])
    label = index.label(finding.term)
    if finding.excluded:
        if via == -2:
            words = "excluded, and the disease is annotated NOT to show it"
        elif via == -1:
            words = (f"excluded; the disease is not annotated with it or anything above it "
                     f"(background {background:.1%})")
        elif via == number:
            words = f"excluded, but annotated at {probability:.0%} (background {background:.1%})"
        else:
            words = (f"excluded; annotated with '{index.term_labels[via]}', which implies it in "
                     f"{probability:.1%} (background {background:.1%})")
        return Contribution(finding.term, label, "excluded", ratio, words)
    if via == -2:
        words = "observed, but the disease is annotated NOT to show it"
    elif via == -1:
        words = (f"observed; nothing in the disease's annotations shares an organ system with it "
                 f"(background {background:.2%})")
    elif via == number:
        words = f"observed; annotated (or a term below it) at {probability:.0%}, background {background:.2%}"
    else:
        words = (f"observed; partial match through '{index.term_labels[via]}' "
                 f"(P={probability:.2%}, background {background:.2%})")
    return Contribution(finding.term, label, "observed", ratio, words)


def _describe_unreported(model: DiagnosisModel, unreported: _UnreportedEvidence, disease: int,
                         named: int = 3) -> Contribution:
    start, end = int(model.feature_offsets[disease]), int(model.feature_offsets[disease + 1])
    mine = start + np.flatnonzero(unreported.untouched[start:end])
    mine = mine[np.argsort(-model.feature_frequency[mine], kind="stable")]
    names = ", ".join(f"{model.index.term_labels[model.feature_term[i]]} ({model.feature_frequency[i]:.0%})"
                      for i in mine[:named])
    total = end - start
    words = (f"{len(mine)} of the disease's {total} specific features are not in the report (neither observed, "
             f"excluded, nor above or below a reported finding); a patient with it has about "
             f"{model.expected_features[disease]:.1f} of them and the report names {unreported.findings} "
             f"finding(s), so a feature the patient has is in it with probability "
             f"{unreported.reporting[disease]:.0%}; the most frequent not reported: {names}")
    ratio = 10.0 ** float(unreported.log10_ratio[disease])
    return Contribution("unreported", "features of the disease not reported", "unreported", ratio, words)


def score(model: DiagnosisModel, case: Case, chosen: np.ndarray, curated: object | None = None) -> CaseEvidence:
    """The evidence of a case and the log10 likelihood ratio of every disease (curated facts counted for
    the chosen candidates our graph curates)."""
    terms, onset, unreported = model.evidence(case)
    log_ratio = np.zeros(model.index.disease_count, dtype=np.float64)
    for evidence in terms:
        log_ratio += np.log10(evidence.ratio)
    if onset is not None:
        log_ratio += np.log10(onset[0])
    if unreported is not None:
        log_ratio += unreported.log10_ratio
    from .curated import CuratedFacts  # local: a model without curated facts never needs it

    extra: dict[int, list[Contribution]] = {}
    if isinstance(curated, CuratedFacts):
        extra = curated.evidence(model.index, case, model, chosen)
        for disease, contributions in extra.items():
            log_ratio[disease] += sum(c.contribution for c in contributions)
    return CaseEvidence(terms, onset, unreported, extra, log_ratio)


def rank(model: DiagnosisModel, case: Case, candidates: CandidateSet = "dystonia", top: int = 10,
         curated: object | None = None) -> Ranking:
    """Rank the candidates for a case whose terms are already resolved to the index's release."""
    if candidates not in CANDIDATE_SETS:
        raise ValueError(f"candidates must be one of {', '.join(CANDIDATE_SETS)}")
    index = model.index
    chosen = model.candidates(candidates)
    evidence = score(model, case, chosen, curated)
    terms, onset, extra, log_ratio = evidence.terms, evidence.onset, evidence.curated, evidence.log10_ratio
    from .curated import CuratedFacts  # local: a model without curated facts never needs it

    scores = log_ratio[chosen]
    order = chosen[np.lexsort((chosen, -scores))]  # by ratio, ties by disease order (stable)
    count = len(chosen)
    # post-test probability with a uniform pretest 1/N: LR / (LR + N - 1), computed in log space
    log_odds_prior = -math.log10(max(count - 1, 1))

    def posterior(value: float) -> float:
        exponent = value + log_odds_prior
        return 1.0 / (1.0 + 10 ** (-exponent)) if exponent > -300 else 0.0

    diseases: list[RankedDisease] = []
    for position, disease in enumerate(order[:top], start=1):
        d = int(disease)
        contributions = [_describe(model, e, d) for e in terms]
        if onset is not None and index.onsets_of(d).size:
            share = float(onset[1][d])
            annotated = ", ".join(index.term_labels[t] for t in index.onsets_of(d))
            contributions.append(Contribution(
                "onset", f"onset {_onset_text(case)}", "onset", float(onset[0][d]),
                f"{share:.0%} of the disease's onset classes ({annotated}) fit the patient's onset"))
        if evidence.unreported is not None and evidence.unreported.count[d]:
            contributions.append(_describe_unreported(model, evidence.unreported, d))
        contributions.extend(extra.get(d, []))
        contributions.sort(key=lambda c: -abs(c.contribution))
        disease_genes = tuple(Gene(g, s, curated.hgnc_of(s) if isinstance(curated, CuratedFacts) else None)
                              for g, s in index.genes_of(d))
        facts = curated.disease(index.disease_ids[d]) if isinstance(curated, CuratedFacts) else None
        treatments = (curated.treatments_for(index.disease_ids[d])
                      if isinstance(curated, CuratedFacts) and position <= NEXT_STEP_DISEASES else ())
        diseases.append(RankedDisease(position, index.disease_ids[d], index.disease_names[d],
                                      posterior(float(log_ratio[d])), float(log_ratio[d]), disease_genes,
                                      tuple(contributions), facts.summary() if facts else None, treatments))
    genes = rank_genes(model, order, log_ratio, top, posterior, curated)
    return Ranking(case.id, case.source, index.version, candidates, count, diseases, genes)


def rank_genes(model: DiagnosisModel, order: np.ndarray, log_ratio: np.ndarray, top: int,
               posterior: object, curated: object | None = None) -> list[RankedGene]:
    """Genes by the combined evidence of their candidate diseases: a gene is the diagnosis when any of its
    diseases is, so its odds are the sum of theirs (log10 of the sum of the diseases' ratios); the disease
    named beside it is its best one."""
    from .curated import CuratedFacts

    index = model.index
    assert callable(posterior)
    position = np.full(index.disease_count, len(order), dtype=np.int64)  # each candidate's place in the ranking
    position[order] = np.arange(len(order))
    owners = np.repeat(np.arange(index.disease_count), np.diff(index.gene_offsets))  # (disease, gene) pairs
    pairs = position[owners] < len(order)  # candidates only
    diseases, gene_numbers = owners[pairs], index.gene_flat[pairs].astype(np.int64)
    if not len(diseases):
        return []
    count = len(index.gene_ids)
    peak = np.full(count, -np.inf)
    np.maximum.at(peak, gene_numbers, log_ratio[diseases])
    sums = np.zeros(count)
    np.add.at(sums, gene_numbers, 10.0 ** (log_ratio[diseases] - peak[gene_numbers]))
    first = np.full(count, len(order), dtype=np.int64)  # the gene's best disease: first in the ranking
    np.minimum.at(first, gene_numbers, position[diseases])
    present = np.flatnonzero(first < len(order))
    total = peak[present] + np.log10(sums[present])  # log10 of the sum of the gene's diseases' ratios
    ranked = present[np.lexsort((first[present], -total))][:top]
    scores = dict(zip(present.tolist(), total.tolist(), strict=True))
    best = {int(g): int(order[first[g]]) for g in ranked}
    genes: list[RankedGene] = []
    for g in ranked.tolist():
        symbol = index.gene_symbols[g]
        hgnc = curated.hgnc_of(symbol) if isinstance(curated, CuratedFacts) else None
        genes.append(RankedGene(len(genes) + 1, index.gene_ids[g], symbol, posterior(scores[g]),
                                index.disease_ids[best[g]], hgnc))
    return genes


def _onset_text(case: Case) -> str:
    if case.onset.years is not None:
        return f"at {case.onset.years:g} y"
    return case.onset.hpo_class or "unknown"


class Diagnoser:
    """An HPO index, its model and (when a release is found) our curated facts, loaded once and kept
    for many cases. `release_file=None` looks for dist/dystonia.ttl under the current folder."""

    def __init__(self, hpo_dir: Path | str | None = None, release_file: Path | str | None = None,
                 parameters: Parameters = DEFAULT_PARAMETERS, cache_dir: Path | None = None,
                 use_release: bool = True):
        from ..mapping.hpo import HpoRelease
        from .curated import load_curated_facts
        from .hpo_index import load_index

        self.release = HpoRelease.locate(hpo_dir)
        self.index = load_index(self.release, cache_dir)
        self.model = DiagnosisModel(self.index, parameters)
        release = Path(release_file) if release_file is not None else DEFAULT_RELEASE_FILE
        self.curated = load_curated_facts(release, cache_dir) if use_release else None
        self.release_note = (f"curated facts read from {self.curated.release}" if self.curated else
                             f"no release at {release} (build one with `dystonia-kg build`): ranked on HPO "
                             f"annotations alone, without our curated facts and treatments")

    def resolve(self, case: Case) -> tuple[Case, list[str]]:
        """The case's terms in this HPO release (obsolete ids replaced, unknown ones skipped, with warnings);
        CaseError when no observed term is left."""
        return case.with_resolved_terms(self.index)

    def diagnose(self, case: Case, candidates: CandidateSet = "dystonia", top: int = 10) -> Ranking:
        resolved, warnings = self.resolve(case)
        ranking = rank(self.model, resolved, candidates, top, self.curated)
        ranking.warnings.extend(warnings)
        ranking.notes.append(f"HPO {self.index.version}; {ranking.candidate_count} candidate diseases "
                             f"({candidates}); pretest probability 1/{ranking.candidate_count}")
        ranking.notes.append(self.release_note)
        return ranking


_DIAGNOSERS: dict[tuple[str, str, Parameters], Diagnoser] = {}


def diagnose(case: Case, candidates: CandidateSet = "dystonia", top: int = 10, hpo_dir: Path | str | None = None,
             release_file: Path | str | None = None, parameters: Parameters = DEFAULT_PARAMETERS) -> Ranking:
    """Rank diseases and genes for a patient's findings (see the module's docstring for the model).
    The HPO index and the curated facts are loaded on the first call and kept for the next ones."""
    key = (str(hpo_dir or ""), str(release_file or ""), parameters)
    diagnoser = _DIAGNOSERS.get(key)
    if diagnoser is None:
        diagnoser = _DIAGNOSERS[key] = Diagnoser(hpo_dir, release_file, parameters)
    return diagnoser.diagnose(case, candidates, top)
