"""Classify a batch of cases: read them into profiles, file all of them under the ontology's classes
in one reasoner pass, and add the compatible forms, work-up and treatments the graph holds.

A bad case stops the whole batch (exit 2 from the CLI, naming the case and the field), so a report
is never half written.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..core.errors import DystoniaKGError
from ..core.prefixes import PrefixMap
from ..core.release import default_release_file, load_release
from ..core.resources import SourceLayout, default_layout
from .cases import DystoniaCase
from .classification import (
    Classification,
    Interpreter,
    Profile,
    rank_compatible_forms,
    recommendations_for,
)
from .individuals import FastReasoner, HermitReasoner, UnsupportedAxiomError, reasoner_for
from .knowledge import ClassificationKnowledge, load_knowledge, read_release_fast, release_key
from .phenopacket import Case, Onset


@lru_cache(maxsize=2)
def _knowledge_of(key: tuple[str, float, int], queries_dir: str) -> ClassificationKnowledge:
    layout = default_layout()
    layout = SourceLayout(layout.ontology_dir, layout.shapes_dir, Path(queries_dir))
    graph, runner = read_release_fast(Path(key[0]))
    return load_knowledge(graph, PrefixMap.from_file(layout.prefix_map_file), layout, runner)


def knowledge_for(release_file: Path | str | None = None,
                  layout: SourceLayout | None = None) -> ClassificationKnowledge:
    """The classification's knowledge from a release file (default dist/dystonia.ttl), cached while
    the file is unchanged."""
    path = Path(release_file) if release_file else default_release_file()
    load_release(path) if not path.is_file() else None  # raises ReleaseNotFoundError with the build hint
    return _knowledge_of(release_key(path), str((layout or default_layout()).queries_dir))


def diagnose_order(case: DystoniaCase, knowledge: ClassificationKnowledge) -> list[str] | None:
    """Our curated forms in the order `diagnose(case)` ranks the HPO diseases they map to, or None when
    the case has no HPO terms or the diagnosis cannot run. The one place the classification depends on it."""
    if not case.observed_hpo:
        return None
    from .diagnosis import diagnose

    try:
        ranking = diagnose(Case(case.id, case.source, case.hpo_findings, onset=Onset(case.age_at_onset)))
    except DystoniaKGError:
        return None
    order = []
    for disease in ranking.diseases:  # the ranked HPO diseases; our forms are the classes curated for them
        identifier = disease.curated_class
        if not identifier:
            continue
        if ":" in identifier and not identifier.startswith("http"):
            try:
                identifier = str(knowledge.prefixes.expand(identifier))
            except ValueError:
                continue
        order.append(identifier)
    return order


def classify_cases(cases: Sequence[DystoniaCase], knowledge: ClassificationKnowledge, reasoner: str = "fast",
                   rank_with_diagnose: bool = True) -> list[Classification]:
    """Classify every case; one reasoner pass for the whole batch."""
    interpreter = Interpreter(knowledge)
    profiles: list[Profile] = [interpreter.interpret(case) for case in cases]
    engine: FastReasoner | HermitReasoner
    try:
        engine = reasoner_for(reasoner, knowledge)
    except UnsupportedAxiomError:
        engine = HermitReasoner(knowledge)
    class_sets = engine.classes(profiles) if profiles else []
    results = []
    for profile, found in zip(profiles, class_sets, strict=True):
        classes = sorted((knowledge.value(iri) for iri in found), key=lambda v: v.label.lower())
        order = diagnose_order(profile.case, knowledge) if rank_with_diagnose else None
        results.append(Classification(
            profile, classes, rank_compatible_forms(knowledge, profile, order),
            recommendations_for(knowledge, classes, "workup", knowledge.dystonia_iri),
            recommendations_for(knowledge, classes, "treatment", knowledge.dystonia_iri),
            {site.region: knowledge.value(site.region) for site in profile.sites}))
    return results


def as_json_objects(results: Sequence[Classification]) -> list[dict[str, Any]]:
    return [r.as_json() for r in results]
