"""Our curated facts about the diseases a diagnosis ranks, read from the release, as further evidence.

Where our graph curates a disease (one of our dystonia classes is skos:exactMatch to its OMIM or
Orphanet id), the diagnosis can use what HPO's annotations do not say in the consensus's terms: the
ages at onset, isolated or combined, dopa-responsiveness; and it can say what follows: the genes
(with HGNC ids) and the treatments curated for the class or a broader type, each with its sources.

The facts are read from the release (dist/dystonia.ttl, built by `dystonia-kg build`) with the two
SPARQL files queries/internal/diagnosis-*.rq on the embedded Oxigraph engine, once per release file;
the folded result is kept in the user's cache (keyed by the release file's path, size and time and
the queries' text), so a later diagnosis needs neither an RDF library nor the release parsed again.
Without a release the diagnosis ranks on HPO alone and says so.

The evidence follows the model in diagnosis.py: a curated fact that fits the patient multiplies the
odds by (1 - slip) / q, one that does not by slip / (1 - q), where q is the share of our curated
diseases the patient's finding fits anyway (the background) and `slip` the chance that the curation
does not hold for this patient.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..core.cache import read_pickle, user_cache_dir, write_pickle_atomically
from ..core.resources import default_layout
from .diagnosis import Contribution, DiagnosisModel, Treatment
from .hpo_index import HpoIndex
from .phenopacket import Case

FACTS_QUERY = "diagnosis-curated-facts"
TREATMENTS_QUERY = "diagnosis-treatments"
CACHE_FORMAT = 1

# Other movement disorders that make a dystonia 'combined' (the 2013 consensus; our class DYKG:0001031):
# Parkinsonism, Chorea, Myoclonus, Athetosis (ids and labels checked against hp.obo by a test).
COMBINING_MOVEMENT_DISORDERS = ("HP:0001300", "HP:0002072", "HP:0001336", "HP:0002305")
# 'Parkinsonism with favorable response to dopaminergic medication': a patient's response to levodopa
DOPA_RESPONSE = "HP:0002548"
SLIP = 0.1


@dataclass(frozen=True)
class CuratedDisease:
    """What our graph says about one OMIM/Orphanet disease, through the class that matches it."""

    external_id: str
    class_iri: str
    label: str
    onsets: tuple[tuple[str, float | None, float | None], ...] = ()  # (label, from age, to age)
    distributions: tuple[str, ...] = ()
    features: tuple[str, ...] = ()           # isolated / combined
    inheritance: tuple[str, ...] = ()
    dopa_responsive: bool = False
    genes: tuple[tuple[str, str | None], ...] = ()  # (symbol, HGNC id)

    @property
    def isolated(self) -> bool:
        return "isolated" in self.features and "combined" not in self.features

    @property
    def combined(self) -> bool:
        return "combined" in self.features and "isolated" not in self.features

    def onset_fits(self, years: float, tolerance: float) -> bool | None:
        ranges = [(start, end) for _, start, end in self.onsets if start is not None and end is not None]
        if not ranges:
            return None
        return any(start / tolerance <= years <= (end + 1) * tolerance for start, end in ranges)

    def summary(self) -> str:
        parts = [f"{self.label} <{self.class_iri}>"]
        if self.onsets:
            parts.append("onset: " + ", ".join(label for label, _, _ in self.onsets))
        if self.features:
            parts.append(", ".join(self.features))
        if self.distributions:
            parts.append("distribution: " + ", ".join(self.distributions))
        if self.inheritance:
            parts.append(", ".join(self.inheritance))
        if self.dopa_responsive:
            parts.append("dopa-responsive")
        return "; ".join(parts)


@dataclass
class CuratedFacts:
    """The curated facts of one release, by OMIM/Orphanet id."""

    release: str
    diseases: dict[str, CuratedDisease]
    treatments: dict[str, tuple[Treatment, ...]]  # class IRI -> treatments
    hgnc_by_symbol: dict[str, str] = field(default_factory=dict)

    def hgnc_of(self, symbol: str) -> str | None:
        return self.hgnc_by_symbol.get(symbol)

    def disease(self, external_id: str) -> CuratedDisease | None:
        return self.diseases.get(external_id)

    def treatments_for(self, external_id: str) -> tuple[Treatment, ...]:
        curated = self.diseases.get(external_id)
        return self.treatments.get(curated.class_iri, ()) if curated else ()

    def evidence(self, index: HpoIndex, case: Case, model: DiagnosisModel,
                 candidates: np.ndarray) -> dict[int, list[Contribution]]:
        """Ratios from curated facts, for each candidate disease our graph curates."""
        curated = [(d, self.diseases[index.disease_ids[d]]) for d in candidates.tolist()
                   if index.disease_ids[d] in self.diseases]
        if not curated:
            return {}
        found: dict[int, list[Contribution]] = {}
        observed = {f.term for f in case.observed}
        observed_ancestors: set[str] = set()
        for term in observed:
            observed_ancestors |= index.ancestor_ids(term)
        tolerance = model.parameters.onset_tolerance
        every = list(self.diseases.values())

        def fits_share(fits: Iterable[bool | None]) -> float:
            known = [f for f in fits if f is not None]
            return min(max(sum(known) / len(known), 0.05), 0.95) if known else 0.5

        if case.onset.years is not None:
            years = case.onset.years
            q = fits_share(c.onset_fits(years, tolerance) for c in every)
            for d, disease in curated:
                fit = disease.onset_fits(years, tolerance)
                if fit is None:
                    continue
                ratio = (1 - SLIP) / q if fit else SLIP / (1 - q)
                ages = ", ".join(label for label, _, _ in disease.onsets)
                found.setdefault(d, []).append(Contribution(
                    "curated:onset", f"curated onset ({ages})", "curated", ratio,
                    f"onset at {years:g} y {'fits' if fit else 'does not fit'} the onset our graph curates "
                    f"for {disease.label} ({ages})"))
        combined_terms = [t for t in COMBINING_MOVEMENT_DISORDERS if t in observed_ancestors]
        if combined_terms:
            names = ", ".join(index.label(t) for t in combined_terms)
            q = fits_share(True if c.combined else False if c.isolated else None for c in every)
            for d, disease in curated:
                if not (disease.isolated or disease.combined):
                    continue
                ratio = (1 - SLIP) / q if disease.combined else SLIP / (1 - q)
                found.setdefault(d, []).append(Contribution(
                    "curated:features", "curated isolated/combined", "curated", ratio,
                    f"the patient has {names} besides dystonia; our graph curates {disease.label} as "
                    f"{'combined' if disease.combined else 'isolated'}"))
        if DOPA_RESPONSE in observed_ancestors:
            q = fits_share(c.dopa_responsive for c in every)
            for d, disease in curated:
                ratio = (1 - SLIP) / q if disease.dopa_responsive else SLIP / (1 - q)
                found.setdefault(d, []).append(Contribution(
                    "curated:dopa-responsive", "curated dopa-responsiveness", "curated", ratio,
                    f"the patient responds to dopaminergic medication; {disease.label} is "
                    f"{'' if disease.dopa_responsive else 'not '}a dopa-responsive dystonia in our graph"))
        return found


def _cache_key(release_file: Path, queries: list[Path]) -> str:
    status = release_file.stat()
    digest = hashlib.sha256(f"{CACHE_FORMAT}|{release_file.resolve()}|{status.st_size}|{status.st_mtime_ns}".encode())
    for query in queries:
        digest.update(query.read_bytes())
    return digest.hexdigest()[:24]


def load_curated_facts(release_file: Path | None, cache_dir: Path | None = None) -> CuratedFacts | None:
    """The curated facts of a release file, or None when there is no release file."""
    if release_file is None or not Path(release_file).is_file():
        return None
    release_file = Path(release_file)
    folder = default_layout().queries_dir / "internal"
    queries = [folder / f"{FACTS_QUERY}.rq", folder / f"{TREATMENTS_QUERY}.rq"]
    path = (cache_dir or user_cache_dir()) / "curated" / f"curated-{_cache_key(release_file, queries)}.pickle"
    cached = read_pickle(path)
    if isinstance(cached, CuratedFacts):
        return cached
    facts = _read_release(release_file, queries[0].read_text(encoding="utf-8"), queries[1].read_text(encoding="utf-8"))
    write_pickle_atomically(path, facts)
    return facts


@dataclass
class _Folding:
    """The rows of one disease, gathered before they become a CuratedDisease."""

    class_iri: str
    label: str
    onsets: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    distributions: set[str] = field(default_factory=set)
    features: set[str] = field(default_factory=set)
    inheritance: set[str] = field(default_factory=set)
    genes: dict[str, str | None] = field(default_factory=dict)
    dopa_responsive: bool = False


def _value(term: object) -> str | None:
    return None if term is None else str(getattr(term, "value", term))


def _read_release(release_file: Path, facts_query: str, treatments_query: str) -> CuratedFacts:
    import pyoxigraph  # only when the facts are not cached yet

    from ..core.rdfio import parse_rdf_file

    store = pyoxigraph.Store()
    if release_file.suffix == ".ttl":
        store.bulk_load(path=str(release_file), format=pyoxigraph.RdfFormat.TURTLE)
    else:
        graph = parse_rdf_file(release_file)
        store.bulk_load(graph.serialize(format="nt").encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    rows: dict[str, _Folding] = {}
    hgnc: dict[str, str] = {}
    for solution in store.query(facts_query):  # type: ignore[union-attr]
        external, class_iri, label, fact, _value_iri, value_label, start, end, hgnc_id = (
            _value(solution[i]) for i in range(9))
        assert external and class_iri and fact and value_label
        entry = rows.setdefault(external, _Folding(class_iri, label or class_iri))
        if fact == "onset":
            entry.onsets[value_label] = (float(start) if start else None, float(end) if end else None)
        elif fact == "gene":
            entry.genes[value_label] = hgnc_id
            if hgnc_id:
                hgnc[value_label] = hgnc_id
        elif fact == "dopa-responsive":
            entry.dopa_responsive = True
        elif fact == "distribution":
            entry.distributions.add(value_label)
        elif fact == "features":
            entry.features.add(value_label)
        elif fact == "inheritance":
            entry.inheritance.add(value_label)
    diseases = {
        external: CuratedDisease(
            external, e.class_iri, e.label, tuple((k, v[0], v[1]) for k, v in sorted(e.onsets.items())),
            tuple(sorted(e.distributions)), tuple(sorted(e.features)), tuple(sorted(e.inheritance)),
            e.dopa_responsive, tuple(sorted(e.genes.items())))
        for external, e in rows.items()}
    treatments: dict[str, list[Treatment]] = {}
    for solution in store.query(treatments_query):  # type: ignore[union-attr]
        class_iri, treatment, treatment_label, relation, stated_for, sources = (_value(solution[i]) for i in range(6))
        assert class_iri and treatment and treatment_label and relation
        listed = treatments.setdefault(class_iri, [])
        text = f"{relation} {stated_for}" if stated_for else relation
        source_list = tuple(s.strip() for s in (sources or "").split("|") if s.strip())
        existing = next((t for t in listed if t.iri == treatment), None)
        if existing is None:
            listed.append(Treatment(treatment_label, treatment, text, source_list))
        else:
            listed[listed.index(existing)] = Treatment(existing.label, existing.iri, existing.relation,
                                                       tuple(dict.fromkeys(existing.sources + source_list)))
    ordered = {k: tuple(sorted(v, key=lambda t: (not t.relation.startswith("is first-line"), t.label)))
               for k, v in treatments.items()}
    return CuratedFacts(str(release_file), diseases, ordered, hgnc)
