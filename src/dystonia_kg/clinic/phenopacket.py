"""A patient's findings, read from a GA4GH Phenopacket v2 file (as plain JSON) or given directly.

Why plain JSON: the `phenopackets` package pins an old protobuf; the v2 schema's JSON form is stable
and small enough to read by hand. Why only findings: a phenopacket may carry the answer (`diseases`,
`interpretations`); a ranking or a classification that read it would be worthless, so this reader
never looks at those keys, and a test proves that removing them changes nothing.

What is read: observed and excluded phenotypic features (HPO id, label, onset, modifiers), the
subject's sex and age at last encounter, and the case's id. Ages are ISO 8601 durations (P8Y, P2Y6M,
P3W) turned into years, or HPO onset classes (HP:0011463 'Childhood onset', ...) kept as ids.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from ..core.errors import SourceError
from ..mapping.hpo import ResolvedTerm


class TermResolver(Protocol):
    """What resolving a case's terms needs: HpoOntology, or the diagnosis's compact HpoIndex."""

    version: str

    def resolve(self, term_id: str) -> ResolvedTerm: ...

    def label(self, term_id: str) -> str: ...

SEXES = ("female", "male", "other", "unknown")
DAYS_PER_YEAR = 365.25
_DURATION = re.compile(
    r"^P(?:(?P<years>\d+(?:\.\d+)?)Y)?(?:(?P<months>\d+(?:\.\d+)?)M)?(?:(?P<weeks>\d+(?:\.\d+)?)W)?"
    r"(?:(?P<days>\d+(?:\.\d+)?)D)?(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$"
)
_HPO_ID = re.compile(r"^HP:\d{7}$")


class CaseError(SourceError):
    """A case that cannot be read or used: names the file (or 'quick form'), and the field."""


def duration_in_years(text: str) -> float:
    """An ISO 8601 duration (P8Y, P2Y6M, P10D, P3W) in years; ValueError for anything else."""
    match = _DURATION.match(text.strip().upper())
    if not match or text.strip().upper() in ("P", "PT"):
        raise ValueError(f"'{text}' is not an ISO 8601 duration such as P8Y or P2Y6M")
    parts = {key: float(value) for key, value in match.groupdict().items() if value}
    return (parts.get("years", 0.0) + parts.get("months", 0.0) / 12.0 + parts.get("weeks", 0.0) * 7 / DAYS_PER_YEAR
            + parts.get("days", 0.0) / DAYS_PER_YEAR + parts.get("hours", 0.0) / (24 * DAYS_PER_YEAR))


@dataclass(frozen=True)
class Onset:
    """When a finding began: an age in years, an HPO onset class, or both unknown."""

    years: float | None = None
    hpo_class: str | None = None  # e.g. HP:0011463 Childhood onset

    @property
    def known(self) -> bool:
        return self.years is not None or self.hpo_class is not None


@dataclass(frozen=True)
class Finding:
    """One phenotypic feature of the patient: an HPO term, observed or excluded."""

    term: str
    label: str = ""
    excluded: bool = False
    onset: Onset = field(default_factory=Onset)
    modifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Case:
    """A patient's findings; the only input the clinic reads."""

    id: str
    source: str  # the file as given, or 'quick form'
    findings: tuple[Finding, ...]
    sex: str = "unknown"
    age_years: float | None = None  # at last encounter
    onset: Onset = field(default_factory=Onset)  # the subject's (or the earliest feature's) onset

    @property
    def observed(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.excluded)

    @property
    def excluded(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.excluded)

    def with_resolved_terms(self, ontology: TermResolver) -> tuple[Case, list[str]]:
        """The case with obsolete and alternative HPO ids replaced by their current ids, unknown ids
        dropped, and a warning for each change. Raises CaseError when no observed term remains."""
        warnings: list[str] = []
        kept: list[Finding] = []
        for finding in self.findings:
            resolved = ontology.resolve(finding.term)
            if resolved.current is None:
                warnings.append(f"{self.source}: {finding.term} skipped: {resolved.note}")
                continue
            if resolved.current != finding.term:
                warnings.append(f"{self.source}: {finding.term} read as {resolved.current}: {resolved.note}")
            kept.append(replace(finding, term=resolved.current, label=ontology.label(resolved.current)))
        case = replace(self, findings=tuple(kept))
        if not case.observed:
            raise CaseError(self.source, f"case '{self.id}' has no observed phenotypic feature known to "
                                         f"HPO {ontology.version}")
        return case, warnings


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _onset(value: Any, where: str, source: str) -> Onset:
    """A phenopacket TimeElement: {age: {iso8601duration}}, {ontologyClass: {id}}, {ageRange: {start, end}}."""
    if not isinstance(value, dict):
        return Onset()
    try:
        if isinstance(value.get("age"), dict) and value["age"].get("iso8601duration"):
            return Onset(years=duration_in_years(value["age"]["iso8601duration"]))
        if isinstance(value.get("ageRange"), dict):
            start = value["ageRange"].get("start", {}).get("iso8601duration")
            if start:
                return Onset(years=duration_in_years(start))
    except ValueError as error:
        raise CaseError(source, f"{where}: {error}") from None
    if isinstance(value.get("ontologyClass"), dict) and _HPO_ID.match(_text(value["ontologyClass"].get("id"))):
        return Onset(hpo_class=value["ontologyClass"]["id"])
    return Onset()


def case_from_phenopacket(document: Any, source: str) -> Case:
    """Read a Phenopacket v2 (already parsed JSON). Never reads 'diseases' or 'interpretations'."""
    if not isinstance(document, dict):
        raise CaseError(source, "a phenopacket is a JSON object")
    features = document.get("phenotypicFeatures")
    if not isinstance(features, list):
        raise CaseError(source, "no 'phenotypicFeatures' list: not a GA4GH Phenopacket v2")
    findings: list[Finding] = []
    for index, feature in enumerate(features):
        where = f"phenotypicFeatures[{index}]"
        kind = feature.get("type") if isinstance(feature, dict) else None
        term = _text(kind.get("id")) if isinstance(kind, dict) else ""
        if not term:
            raise CaseError(source, f"{where}: no type.id")
        if not _HPO_ID.match(term):
            continue  # other ontologies' terms are not HPO findings; nothing here can use them
        modifiers = tuple(_text(m.get("id")) for m in feature.get("modifiers", [])
                          if isinstance(m, dict) and m.get("id"))
        label = _text(kind.get("label")) if isinstance(kind, dict) else ""
        findings.append(Finding(term, label, bool(feature.get("excluded", False)),
                                _onset(feature.get("onset"), f"{where}.onset", source), modifiers))
    subject = document.get("subject") if isinstance(document.get("subject"), dict) else {}
    assert isinstance(subject, dict)
    sex = _text(subject.get("sex")).lower() or "unknown"
    if sex in ("unknown_sex", "other_sex"):
        sex = sex.split("_")[0]
    age = _onset(subject.get("timeAtLastEncounter"), "subject.timeAtLastEncounter", source).years
    onsets = [f.onset for f in findings if not f.excluded and f.onset.years is not None]
    onset = min(onsets, key=lambda o: o.years or 0.0) if onsets else next(
        (f.onset for f in findings if not f.excluded and f.onset.hpo_class), Onset())
    return Case(_text(document.get("id")) or Path(source).stem, source, tuple(findings),
                sex if sex in SEXES else "unknown", age, onset)


def read_phenopacket(path: Path | str) -> Case:
    """One phenopacket file; malformed JSON is a CaseError naming the file, line and column."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CaseError(path, f"cannot read: {getattr(error, 'strerror', None) or error}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise CaseError(path, f"invalid JSON: {error.msg}", error.lineno, error.colno) from None
    return case_from_phenopacket(document, str(path))


def case_files(paths: Iterable[Path | str], suffixes: Sequence[str] = (".json",)) -> list[Path]:
    """Files given directly, and the files with the given suffixes inside given folders (sorted).
    A missing path or a folder with no such file is a CaseError."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in suffixes)
            if not inside:
                raise CaseError(path, f"the folder holds no case file ({', '.join(suffixes)})")
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise CaseError(path, "no such file or folder")
    return found


def quick_case(observed: Sequence[str], excluded: Sequence[str] = (), onset: str | None = None,
               sex: str | None = None, case_id: str = "case") -> Case:
    """A case from the command line's quick form (--hpo, --excluded, --onset P8Y, --sex female)."""
    source = "quick form"
    terms = [t.strip() for t in observed if t.strip()]
    if not terms:
        raise CaseError(source, "--hpo: give at least one observed HPO term (e.g. --hpo HP:0001332)")
    for option, values in (("--hpo", terms), ("--excluded", excluded)):
        for term in values:
            if not _HPO_ID.match(term.strip()):
                raise CaseError(source, f"{option}: '{term}' is not an HPO id (HP: and seven digits)")
    both = set(terms) & {t.strip() for t in excluded}
    if both:
        raise CaseError(source, f"{', '.join(sorted(both))} given as both observed and excluded")
    case_onset = Onset()
    if onset:
        if _HPO_ID.match(onset.strip()):
            case_onset = Onset(hpo_class=onset.strip())
        else:
            try:
                case_onset = Onset(years=duration_in_years(onset))
            except ValueError as error:
                raise CaseError(source, f"--onset: {error}") from None
    normalised_sex = (sex or "unknown").strip().lower()
    if normalised_sex not in SEXES:
        raise CaseError(source, f"--sex: '{sex}' is not one of {', '.join(SEXES)}")
    findings = tuple(Finding(t, onset=case_onset) for t in terms) + tuple(
        Finding(t.strip(), excluded=True) for t in excluded if t.strip())
    return Case(case_id, source, findings, normalised_sex, None, case_onset)
