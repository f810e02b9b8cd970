"""Dystonia cases for classification: our documented case format (YAML or JSON), CSV batches, phenopackets.

Our format is flat so that the same fields work as CSV columns (one case a row, lists separated by
';', a region written region:side). Its JSON Schema ships in the package (case.schema.json) and is
checked on every case; the meaning of the values (which regions, which movement disorders) is
checked later against the ontology, because the ontology, not this module, knows them.

    id: writer-1
    age_at_onset: 34              # completed years, or an ISO 8601 duration such as P34Y6M
    regions: ["upper limb:right"] # region[:left|right|bilateral], or {region: ..., side: ...}
    course: static                # static | progressive
    variability: [action-specific]
    movement_disorders: []        # other movement disorders observed (names or HPO ids)
    excluded_movement_disorders: [parkinsonism]
    neurological_features: []  systemic_features: []
    imaging: normal               # normal | structural lesion | degeneration | not done
    family_history: negative      # positive | negative | unknown
    genetic_finding: ""           # a causal gene or variant, when one was found
    exposures: []                 # drugs or other agents before onset
    distribution: ""              # a distribution the clinician states (focal, segmental, ...)
    hpo: []  excluded_hpo: []     # HPO terms, as in a phenopacket

A phenopacket is read by phenopacket.py (findings only, never the answer it may carry) and turned
into the same case: its HPO terms and their Left/Right/Bilateral modifiers.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .phenopacket import CaseError, Finding, case_from_phenopacket, duration_in_years

CASE_SUFFIXES = (".json", ".yaml", ".yml", ".csv")
SIDES = ("left", "right", "bilateral")
LIST_FIELDS = ("regions", "variability", "movement_disorders", "excluded_movement_disorders",
               "neurological_features", "systemic_features", "exposures", "hpo", "excluded_hpo")
OLDEST_ONSET_YEARS = 120.0
CSV_LIST_SEPARATOR = ";"
_PLAIN_AGE = re.compile(r"^(?P<number>-?\d+(?:\.\d+)?)\s*(?P<unit>years?|yrs?|y|months?|mo)?$")


class NoDystoniaError(CaseError):
    """A case that records no dystonia: the consensus axes classify dystonia only."""


@dataclass(frozen=True)
class RegionFinding:
    """A body region with dystonia as the case names it, and the side when the case gives one."""

    name: str
    side: str | None = None
    where: str = "regions"  # the field it came from, for messages


@dataclass(frozen=True)
class DystoniaCase:
    """One patient's findings, in the terms the classification needs."""

    id: str
    source: str
    age_at_onset: float | None = None
    onset_hpo_class: str | None = None
    regions: tuple[RegionFinding, ...] = ()
    course: str | None = None
    variability: tuple[str, ...] = ()
    movement_disorders: tuple[str, ...] = ()
    excluded_movement_disorders: tuple[str, ...] = ()
    neurological_features: tuple[str, ...] = ()
    systemic_features: tuple[str, ...] = ()
    imaging: str | None = None
    family_history: str | None = None
    genetic_finding: str | None = None
    exposures: tuple[str, ...] = ()
    distribution: str | None = None
    hpo_findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def observed_hpo(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.hpo_findings if not f.excluded)

    def error(self, field_name: str, reason: str) -> CaseError:
        """A CaseError naming this case and the field at fault."""
        return CaseError(self.source, f"case '{self.id}': {field_name}: {reason}")


@lru_cache(maxsize=1)
def case_schema() -> dict[str, Any]:
    """The JSON Schema of our case format, shipped in the package."""
    text = resources.files("dystonia_kg.clinic").joinpath("case.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _validator() -> Any:
    try:
        import jsonschema
    except ImportError:  # pragma: no cover - a dependency of the package
        from ..core.errors import MissingPackageError

        raise MissingPackageError("jsonschema", "checking case files", "pip install jsonschema") from None
    return jsonschema.Draft202012Validator(case_schema())


def _years(value: Any, case_id: str, source: str) -> float | None:
    if value is None or value == "":
        return None
    where = f"case '{case_id}': age_at_onset"
    if isinstance(value, bool):
        raise CaseError(source, f"{where}: '{value}' is not an age")
    if isinstance(value, int | float):
        years = float(value)
    else:
        text = str(value).strip()
        plain = _PLAIN_AGE.match(text.lower())
        if plain:
            years = float(plain["number"]) / (12.0 if (plain["unit"] or "y").startswith("m") else 1.0)
        else:
            try:
                years = duration_in_years(text)
            except ValueError as error:
                raise CaseError(source, f"{where}: {error}, or a number of years") from None
    if math.isnan(years) or years < 0 or years > OLDEST_ONSET_YEARS:
        raise CaseError(source, f"{where}: {value} is not a possible age at onset (0 to {OLDEST_ONSET_YEARS:g} years)")
    return years


def _region(value: Any, index: int, case_id: str, source: str) -> RegionFinding:
    where = f"regions[{index}]"
    if isinstance(value, dict):
        name, side = str(value.get("region", "")).strip(), value.get("side")
        side = str(side).strip().lower() if side else None
    else:
        name, _, side_text = str(value).partition(":")
        name, side = name.strip(), (side_text.strip().lower() or None)
    if not name:
        raise CaseError(source, f"case '{case_id}': {where}: no region named")
    if side is not None and side not in SIDES:
        raise CaseError(source, f"case '{case_id}': {where}: side '{side}' is not one of {', '.join(SIDES)}")
    return RegionFinding(name, side, where)


def _strings(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(str(v).strip() for v in values if str(v).strip())


def case_from_mapping(document: Any, source: str, default_id: str) -> DystoniaCase:
    """A case in our format (already parsed YAML/JSON), checked against the schema."""
    if not isinstance(document, dict):
        raise CaseError(source, "a case is an object (a mapping of field names to values)")
    case_id = str(document.get("id") or default_id)
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = ".".join(str(p) for p in first.absolute_path) or "(case)"
        if where.startswith("age_at_onset"):
            _years(document.get("age_at_onset"), case_id, source)
        raise CaseError(source, f"case '{case_id}': {where}: {first.message}")
    lists = {name: document.get(name) or [] for name in LIST_FIELDS}
    observed_hpo = [Finding(term.strip()) for term in _strings(lists["hpo"])]
    excluded_hpo = [Finding(term.strip(), excluded=True) for term in _strings(lists["excluded_hpo"])]
    text = lambda name: (str(document[name]).strip() or None) if document.get(name) not in (None, "") else None  # noqa: E731
    return DystoniaCase(
        id=case_id, source=source, age_at_onset=_years(document.get("age_at_onset"), case_id, source),
        regions=tuple(_region(v, i, case_id, source) for i, v in enumerate(lists["regions"])),
        course=text("course"), variability=_strings(lists["variability"]),
        movement_disorders=_strings(lists["movement_disorders"]),
        excluded_movement_disorders=_strings(lists["excluded_movement_disorders"]),
        neurological_features=_strings(lists["neurological_features"]),
        systemic_features=_strings(lists["systemic_features"]), imaging=text("imaging"),
        family_history=text("family_history"), genetic_finding=text("genetic_finding"),
        exposures=_strings(lists["exposures"]), distribution=text("distribution"),
        hpo_findings=tuple(observed_hpo + excluded_hpo),
    )


def case_from_phenopacket_document(document: Any, source: str) -> DystoniaCase:
    """A phenopacket's findings as a case: HPO terms with their modifiers, and the onset."""
    case = case_from_phenopacket(document, source)
    return DystoniaCase(id=case.id, source=source, age_at_onset=case.onset.years,
                        onset_hpo_class=case.onset.hpo_class, hpo_findings=case.findings)


def _rows_of_csv(path: Path) -> list[DystoniaCase]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    cases = []
    for number, row in enumerate(rows, start=2):
        document: dict[str, Any] = {}
        for key, value in row.items():
            if key is None or value is None or not value.strip():
                continue
            key = key.strip()
            document[key] = ([part.strip() for part in value.split(CSV_LIST_SEPARATOR) if part.strip()]
                             if key in LIST_FIELDS else value.strip())
        if "age_at_onset" in document:
            try:
                document["age_at_onset"] = float(document["age_at_onset"])
            except ValueError:
                pass  # an ISO 8601 duration, read as text
        cases.append(case_from_mapping(document, f"{path}:{number}", f"{path.stem}-{number - 1}"))
    return cases


def read_cases(path: Path | str) -> list[DystoniaCase]:
    """The cases in one file: a phenopacket (JSON with phenotypicFeatures), our format (YAML or JSON,
    one case or a list), or a CSV with one case a row."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _rows_of_csv(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CaseError(path, f"cannot read: {getattr(error, 'strerror', None) or error}") from None
    if suffix in (".yaml", ".yml"):
        import yaml

        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            raise CaseError(path, f"invalid YAML: {getattr(error, 'problem', error)}",
                            mark.line + 1 if mark else None, mark.column + 1 if mark else None) from None
    else:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise CaseError(path, f"invalid JSON: {error.msg}", error.lineno, error.colno) from None
    documents = document if isinstance(document, list) else [document]
    cases = []
    for index, item in enumerate(documents):
        default_id = path.stem if len(documents) == 1 else f"{path.stem}-{index + 1}"
        if isinstance(item, dict) and "phenotypicFeatures" in item:
            cases.append(case_from_phenopacket_document(item, str(path)))
        else:
            cases.append(case_from_mapping(item, str(path), default_id))
    return cases


def case_paths(paths: Sequence[Path | str]) -> list[Path]:
    """Files given directly, and the case files (JSON, YAML, CSV) inside given folders, sorted."""
    from .phenopacket import case_files

    return case_files(paths, CASE_SUFFIXES)
