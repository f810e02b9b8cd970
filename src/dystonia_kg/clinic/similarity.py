"""Semantic similarity of a patient to every disease: Resnik's term similarity combined by funSimAvg,
the score of Phenomizer (Köhler et al. 2009) and of `hpo3`'s default disease similarity.

Why it is here: it is the baseline the likelihood-ratio model is measured against (benchmarks/), run
on the same HPO files and the same candidates. It reads only observed terms, as Phenomizer does.

- Information content of a term: IC(t) = -ln(n(t) / N), n(t) the diseases whose annotations imply t
  (annotated to t or below it), N all annotated diseases.
- Resnik: sim(q, t) = IC of the most informative common ancestor of q and t.
- funSimAvg (Schlicker et al. 2006): the mean of (the average over patient terms of their best match
  among the disease's terms) and (the average over the disease's terms of their best match among the
  patient's terms).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .hpo_index import HpoIndex


class ResnikScorer:
    """funSimAvg of Resnik similarities between a patient's terms and each disease's annotations."""

    def __init__(self, index: HpoIndex):
        self.index = index
        counts = np.diff(index.implied_offsets).astype(np.float64)
        total = float(index.disease_count)
        self.information = np.where(counts > 0, -np.log(np.maximum(counts, 1.0) / total), 0.0)
        self._profile_owner = np.repeat(np.arange(index.disease_count), np.diff(index.profile_offsets))
        self._profile_sizes = np.diff(index.profile_offsets).astype(np.float64)
        self._ancestor_owner = np.repeat(np.arange(len(index.term_ids)), np.diff(index.ancestor_offsets))

    def scores(self, terms: Sequence[int]) -> np.ndarray:
        """funSimAvg for every disease (0 for a disease without phenotype annotations)."""
        index = self.index
        n = index.disease_count
        if not terms:
            return np.zeros(n)
        patient_side = np.zeros(n, dtype=np.float64)
        union: set[int] = set()
        for term in terms:
            best = np.zeros(n, dtype=np.float64)
            matched = np.zeros(n, dtype=bool)
            ancestors = index.ancestors(term)
            union.update(ancestors.tolist())
            # most informative first: a disease's first match is its best
            for ancestor in sorted(ancestors.tolist(), key=lambda a: -self.information[a]):
                start, end = index.implied_offsets[ancestor], index.implied_offsets[ancestor + 1]
                rows = index.implied_disease[start:end]
                fresh = rows[~matched[rows]]
                best[fresh] = self.information[ancestor]
                matched[fresh] = True
            patient_side += best
        patient_side /= len(terms)
        # disease side: each annotated term's best match among the patient's terms is the highest IC
        # among its ancestors that are also ancestors of some patient term
        shared = np.zeros(len(index.term_ids), dtype=np.float64)
        union_array = np.fromiter(union, dtype=np.int64)
        shared[union_array] = self.information[union_array]
        per_term = np.zeros(len(index.term_ids), dtype=np.float64)
        np.maximum.at(per_term, self._ancestor_owner, shared[index.ancestor_flat])
        disease_side = np.zeros(n, dtype=np.float64)
        np.add.at(disease_side, self._profile_owner, per_term[index.profile_terms])
        disease_side = np.divide(disease_side, self._profile_sizes, out=np.zeros(n), where=self._profile_sizes > 0)
        return 0.5 * (patient_side + disease_side)
