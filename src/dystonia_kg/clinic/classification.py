"""Classify a patient's dystonia by the 2013 consensus axes (Albanese et al., PMID:23649720).

Two steps, so that each can be checked on its own:

1. `interpret` reads the findings into Axis I and II values, each with the findings that decided it:
   the onset band from the age in completed years; the body distribution from the affected sites
   (a paired region such as an arm counts once per side), their kind (midline or not) and their
   contiguity, with precedence generalized > hemidystonia > segmental > multifocal > focal, unless
   the case states a distribution itself; the course and variability; isolated or combined (a
   movement disorder marked in the ontology as not making a dystonia combined, tremor, is allowed in
   isolated dystonia, and one the case does not mention counts as absent); Axis II from imaging,
   family history, a genetic finding and exposures. Every limit, region, pair and HPO term comes
   from the ontology (see knowledge.py).
2. the reasoner files the case, as an OWL individual, under the defined classes (focal dystonia,
   early-onset dystonia, isolated dystonia, ...): see individuals.py. The work-up and the treatments
   are the graph's recommendations for the classes the case falls under.

Research and education only: nothing here is medical advice.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .cases import DystoniaCase, NoDystoniaError
from .knowledge import ClassificationKnowledge, Value, normalise_name

DISCLAIMER = "For research and education only; not medical advice."
SIDED = ("left", "right")
# HPO laterality modifiers are read by their labels in HPO (Left, Right, Bilateral), resolved once.
_LATERALITY_LABELS = {"left": "left", "right": "right", "bilateral": "bilateral"}


@dataclass(frozen=True)
class Site:
    """One affected body site: a classification region and, for a paired or lateral region, a side."""

    region: str  # IRI
    side: str | None
    finding: str  # the finding that named it, as the case gave it


@dataclass
class Decision:
    """An Axis I or II value and the findings (and definition) that decided it."""

    value: Value | None
    decided_by: list[str] = field(default_factory=list)
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = self.value.as_json() if self.value else {"id": None, "label": "unknown"}
        out["decided_by"] = list(self.decided_by)
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class Profile:
    """A case read into the consensus axes, before reasoning."""

    case: DystoniaCase
    age_at_onset: Decision
    body_distribution: Decision
    course: Decision
    variability: list[Decision]
    associated_features: Decision
    combined_with: list[Value]
    tremor: list[Value]
    sites: list[Site]
    neurological_features: list[str]
    systemic_features: list[str]
    pathology: Decision
    etiology: Decision
    cause: list[str]
    warnings: list[str] = field(default_factory=list)

    def asserted_values(self) -> list[tuple[str, str]]:
        """(axis, value IRI) pairs the case individual is linked to."""
        pairs: list[tuple[str, str]] = []
        for axis, decision in (("age_at_onset", self.age_at_onset), ("body_distribution", self.body_distribution),
                               ("course", self.course), ("associated_features", self.associated_features),
                               ("pathology", self.pathology), ("etiology", self.etiology)):
            if decision.value is not None:
                pairs.append((axis, decision.value.iri))
        pairs += [("variability", d.value.iri) for d in self.variability if d.value is not None]
        pairs += [("movement_disorder", v.iri) for v in self.combined_with]
        pairs += [("region", iri) for iri in sorted({s.region for s in self.sites})]
        return pairs


HpoAncestors = Callable[[str], frozenset[str]]


class Interpreter:
    """Reads cases into profiles with the knowledge of one release (and HPO, only when needed)."""

    def __init__(self, knowledge: ClassificationKnowledge, hpo_ancestors: HpoAncestors | None = None):
        self.knowledge = knowledge
        self._hpo_ancestors = hpo_ancestors

    # -- HPO -----------------------------------------------------------------------------------
    def _ancestors(self, curie: str) -> frozenset[str]:
        if self._hpo_ancestors is None:
            from ..mapping.hpo import HpoRelease

            ontology = HpoRelease.locate().read_ontology()
            self._hpo_ancestors = ontology.ancestors
        return self._hpo_ancestors(curie)

    def _stated_by(self, curie: str, exact_only: bool = False) -> list[str]:
        """Our values an HPO term states: directly, or (unless exact_only) through an HPO ancestor."""
        found = list(self.knowledge.hpo_states.get(self.knowledge.hpo_iri(curie), []))
        if found or exact_only:
            return found
        for ancestor in sorted(self._ancestors(curie)):
            found += self.knowledge.hpo_states.get(self.knowledge.hpo_iri(ancestor), [])
        return found

    def _is_dystonia(self, curie: str) -> bool:
        """Whether an HPO term is Dystonia or lies under it (its own value, such as a region, aside)."""
        dystonia = self.knowledge.dystonia_iri
        return any(dystonia in self.knowledge.hpo_states.get(self.knowledge.hpo_iri(a), ())
                   for a in self._ancestors(curie))

    # -- names -----------------------------------------------------------------------------------
    def _named(self, case: DystoniaCase, axis: str, text: str, field_name: str) -> str:
        """The IRI of a value the case names (label, synonym, CURIE, or an HPO id that states it)."""
        if text.upper().startswith("HP:"):
            stated = [iri for iri in self._stated_by(text.upper()) if self.knowledge.axis_of.get(iri) == axis]
            if stated:
                return stated[0]
        iri = self.knowledge.names.get((axis, normalise_name(text)))
        if iri is None:
            known = sorted({self.knowledge.values[i].label for (a, _), i in self.knowledge.names.items() if a == axis})
            raise case.error(field_name, f"'{text}' is not a {axis.replace('_', ' ')} we know "
                                         f"(known: {', '.join(known)})")
        return iri

    # -- the axes ---------------------------------------------------------------------------------
    def interpret(self, case: DystoniaCase) -> Profile:
        self._check_contradictions(case)
        sites = self._sites(case)
        if not sites and not case.distribution and not any(self._is_dystonia(f.term) for f in case.observed_hpo):
            raise NoDystoniaError(case.source, f"case '{case.id}' records no dystonia (no affected body region, no "
                                               f"stated distribution and no HPO term under Dystonia): the consensus "
                                               f"axes classify dystonia only")
        profile = Profile(
            case=case, age_at_onset=self._onset(case), body_distribution=self._distribution(case, sites),
            course=self._course(case), variability=self._variability(case), associated_features=Decision(None),
            combined_with=[], tremor=[], sites=sites, neurological_features=[], systemic_features=[],
            pathology=Decision(None), etiology=Decision(None), cause=[])
        self._associated(case, profile)
        self._axis_two(case, profile)
        return profile

    def _check_contradictions(self, case: DystoniaCase) -> None:
        observed = {f.term for f in case.observed_hpo}
        for finding in case.hpo_findings:
            if finding.excluded and finding.term in observed:
                raise case.error("hpo", f"{finding.term} is both observed and excluded")
        both = {normalise_name(m) for m in case.movement_disorders} & {
            normalise_name(m) for m in case.excluded_movement_disorders}
        if both:
            raise case.error("movement_disorders", f"{', '.join(sorted(both))} both observed and excluded")

    def _onset(self, case: DystoniaCase) -> Decision:
        if case.age_at_onset is None:
            for term in ([case.onset_hpo_class] if case.onset_hpo_class else []) + [f.term for f in case.observed_hpo]:
                bands = [i for i in self.knowledge.hpo_states.get(self.knowledge.hpo_iri(term), [])
                         if self.knowledge.axis_of.get(i) == "age_at_onset"]
                if bands:
                    return Decision(self.knowledge.value(bands[0]),
                                    [f"HPO onset class {term}, whose age range lies within the band"])
            note = (f"onset given as HPO class {case.onset_hpo_class}, whose age range does not fit one consensus band"
                    if case.onset_hpo_class else "no age at onset given")
            return Decision(None, [], note)
        completed = int(math.floor(case.age_at_onset))
        for lowest, highest, iri in self.knowledge.onset_bands:
            if completed >= lowest and (highest is None or completed <= highest):
                limits = f"{lowest}-{highest}" if highest is not None else f"{lowest} and over"
                return Decision(self.knowledge.value(iri),
                                [f"age at onset {case.age_at_onset:g} years = {completed} completed years",
                                 f"band {limits} years"])
        return Decision(None, [], f"no onset band holds {completed} years")

    def _sites(self, case: DystoniaCase) -> list[Site]:
        named: list[tuple[str, str | None, str]] = []
        for region in case.regions:
            iri, side = self._region_named(region.name, region.side)
            if iri is None:
                known = sorted({r.value.label for r in self.knowledge.regions.values()})
                raise case.error(region.where, f"'{region.name}' is not a body region we know "
                                               f"(known: {', '.join(known)}, or a part of one such as hand or eyelid)")
            shown = f"{region.name}:{region.side}" if region.side else region.name
            named.append((iri, side, shown))
        for finding in case.observed_hpo:
            for iri in self._stated_by(finding.term):
                if iri in self.knowledge.regions:
                    named.append((iri, self._side_of(finding.modifiers), f"{finding.term} {finding.label}".strip()))
        sites: dict[tuple[str, str | None], Site] = {}
        for iri, side, shown in named:
            kind = self.knowledge.regions[iri].kind
            if kind == "midline":
                side = None
            sides: Sequence[str | None] = SIDED if (kind == "paired" and side == "bilateral") else (side,)
            for one in sides:
                if kind != "paired":
                    existing = next((s for (r, _), s in sites.items() if r == iri), None)
                    if existing is not None:
                        merged = existing.side if existing.side == one else ("bilateral" if existing.side and one else
                                                                       existing.side or one)
                        sites.pop((iri, existing.side))
                        sites[(iri, merged)] = Site(iri, merged, existing.finding)
                        continue
                elif one is None and any(r == iri for (r, _) in sites):
                    continue  # an arm without a side adds nothing to an arm with one
                elif one is not None and (iri, None) in sites:
                    sites.pop((iri, None))
                sites.setdefault((iri, one), Site(iri, one, shown))
        return sorted(sites.values(), key=lambda s: (self.knowledge.value(s.region).label, s.side or ""))

    def _region_named(self, name: str, side: str | None) -> tuple[str | None, str | None]:
        """A region as people write it: 'upper limb', 'arm', 'left arm', 'both legs', 'eyelids'
        (a plural of a paired region without a side means both sides)."""
        words = normalise_name(name).split()
        if len(words) > 1 and words[0] in ("left", "right", "both", "bilateral"):
            side = side or ("bilateral" if words[0] in ("both", "bilateral") else words[0])
            words = words[1:]
        text = " ".join(words)
        iri = self.knowledge.region_names.get(text)
        if iri is None and text.endswith("s"):
            iri = self.knowledge.region_names.get(text[:-1])
            if iri is not None and side is None and self.knowledge.regions[iri].kind == "paired":
                side = "bilateral"
        return iri, side

    def _side_of(self, modifiers: Sequence[str]) -> str | None:
        for modifier in modifiers:
            label = self._hpo_label(modifier).lower()
            if label in _LATERALITY_LABELS:
                return _LATERALITY_LABELS[label]
        return None

    def _hpo_label(self, curie: str) -> str:
        if not hasattr(self, "_hpo_labels"):
            from ..mapping.hpo import HpoRelease

            self._hpo_labels = HpoRelease.locate().read_ontology().label
        return str(self._hpo_labels(curie))

    def _distribution(self, case: DystoniaCase, sites: list[Site]) -> Decision:
        knowledge = self.knowledge
        if case.distribution:
            iri = self._named(case, "body_distribution", case.distribution, "distribution")
            return Decision(knowledge.value(iri), [f"stated by the case: {case.distribution}"])
        for finding in case.observed_hpo:
            stated = [i for i in self._stated_by(finding.term, exact_only=True)
                      if knowledge.axis_of.get(i) == "body_distribution"]
            if stated:
                why = f"stated by the case: {finding.term} {finding.label}".strip()
                return Decision(knowledge.value(stated[0]), [why])
        if not sites:
            return Decision(None, [], "no affected body region given")
        shown = [self._site_text(s) for s in sites]
        candidates = []
        for iri in (i for i, a in knowledge.axis_of.items() if a == "body_distribution"):
            precedence = knowledge.annotation(iri, "precedence")
            if precedence and self._fits(iri, sites):
                candidates.append((int(precedence[0]), iri))
        if not candidates:
            return Decision(None, shown, "no distribution rule fits these sites")
        iri = min(candidates)[1]
        reasons = shown + [f"{len(sites)} site(s)"]
        if len(candidates) > 1:
            ordered = [knowledge.value(i).label for _, i in sorted(candidates)]
            reasons.append(f"also fits: {', '.join(ordered[1:])} (precedence: {' > '.join(ordered)})")
        definition = knowledge.definitions.get(iri)
        if definition:
            reasons.append(f"definition: {definition}")
        return Decision(knowledge.value(iri), reasons)

    def _site_text(self, site: Site) -> str:
        label = self.knowledge.value(site.region).label
        return f"{label} ({site.side})" if site.side else label

    def _fits(self, distribution: str, sites: list[Site]) -> bool:
        """Whether the sites fit a distribution: its least and most number of sites, the region it
        requires and its site pattern are data in the ontology."""
        knowledge = self.knowledge
        least = int((knowledge.annotation(distribution, "least_sites") or ["1"])[0])
        most = knowledge.annotation(distribution, "most_sites")
        if len(sites) < least or (most and len(sites) > int(most[0])):
            return False
        required = knowledge.annotation(distribution, "requires_region")
        if required and not all(any(s.region == r for s in sites) for r in required):
            return False
        pattern = (knowledge.annotation(distribution, "pattern") or [""])[0]
        if pattern == "one side, no midline region":
            sides = {s.side for s in sites}
            return (all(knowledge.regions[s.region].kind != "midline" for s in sites)
                    and len(sides) == 1 and next(iter(sides)) in SIDED)
        if pattern == "contiguous":
            return self._connected(sites)
        if pattern == "not contiguous":
            return not self._connected(sites)
        return True

    def _adjacent(self, one: Site, other: Site) -> bool:
        return frozenset((one.region, other.region)) in self.knowledge.contiguous

    def _connected(self, sites: list[Site]) -> bool:
        reached = {0}
        stack = [0]
        while stack:
            here = sites[stack.pop()]
            for index, there in enumerate(sites):
                if index not in reached and self._adjacent(here, there):
                    reached.add(index)
                    stack.append(index)
        return len(reached) == len(sites)

    def _course(self, case: DystoniaCase) -> Decision:
        found: dict[str, str] = {}
        if case.course:
            found[self._named(case, "course", case.course, "course")] = f"course: {case.course}"
        for finding in case.observed_hpo:
            for iri in self._stated_by(finding.term):
                if self.knowledge.axis_of.get(iri) == "course":
                    found.setdefault(iri, f"{finding.term} {finding.label}".strip())
        if len(found) > 1:
            raise case.error("course", "the findings state more than one course: "
                             + ", ".join(self.knowledge.value(i).label for i in sorted(found)))
        if not found:
            return Decision(None, [], "no course given")
        iri, why = next(iter(found.items()))
        return Decision(self.knowledge.value(iri), [why])

    def _variability(self, case: DystoniaCase) -> list[Decision]:
        found: dict[str, str] = {}
        for text in case.variability:
            found.setdefault(self._named(case, "variability", text, "variability"), f"variability: {text}")
        for finding in case.observed_hpo:
            for iri in self._stated_by(finding.term):
                if self.knowledge.axis_of.get(iri) == "variability":
                    found.setdefault(iri, f"{finding.term} {finding.label}".strip())
        return [Decision(self.knowledge.value(i), [why]) for i, why in sorted(found.items())]

    def _associated(self, case: DystoniaCase, profile: Profile) -> None:
        knowledge = self.knowledge
        observed: dict[str, str] = {}
        excluded: set[str] = set()
        for text in case.movement_disorders:
            observed.setdefault(self._named(case, "movement_disorder", text, "movement_disorders"), text)
        for text in case.excluded_movement_disorders:
            excluded.add(self._named(case, "movement_disorder", text, "excluded_movement_disorders"))
        for finding in case.hpo_findings:
            movement = [i for i in self._stated_by(finding.term) if knowledge.axis_of.get(i) == "movement_disorder"]
            if finding.excluded:
                continue  # an excluded HPO term excludes that term only: another of its kind may be observed
            if movement:
                observed.setdefault(movement[0], f"{finding.term} {finding.label}".strip())
            elif not any(knowledge.axis_of.get(i) for i in self._stated_by(finding.term)) and not any(
                    i in knowledge.regions or i == knowledge.dystonia_iri for i in self._stated_by(finding.term)):
                self._feature(profile, finding.term, finding.label)
        both = set(observed) & excluded
        if both:
            raise case.error("movement_disorders", ", ".join(knowledge.value(i).label for i in sorted(both))
                             + " both observed and excluded")
        combining = {i: why for i, why in observed.items() if not knowledge.annotation(i, "not_combined")}
        profile.tremor = [knowledge.value(i) for i in sorted(set(observed) - set(combining))]
        profile.combined_with = [knowledge.value(i) for i in sorted(combining)]
        values = {normalise_name(v.label): v for i, v in knowledge.values.items()
                  if knowledge.axis_of.get(i) == "associated_features"}
        if combining:
            profile.associated_features = Decision(values.get("combined"), [
                f"other movement disorder: {knowledge.value(i).label}"
                + ("" if normalise_name(why) == normalise_name(knowledge.value(i).label) else f" ({why})")
                for i, why in sorted(combining.items())])
        else:
            reasons = ["no other movement disorder observed (one not mentioned counts as absent)"]
            reasons += [f"{v.label} alone does not make a dystonia combined" for v in profile.tremor]
            profile.associated_features = Decision(values.get("isolated"), reasons)
        profile.neurological_features += list(case.neurological_features)
        profile.systemic_features += list(case.systemic_features)

    def _feature(self, profile: Profile, term: str, label: str) -> None:
        """A phenotypic abnormality that is neither dystonia nor a movement disorder: neurological when
        it lies under HPO's nervous system abnormality, else systemic; clinical modifiers, onset and
        inheritance terms are not features."""
        kinds = set(self._stated_by(term))
        shown = f"{term} {label}".strip()
        if self.knowledge.neurological_feature_iri in kinds:
            profile.neurological_features.append(shown)
        elif self.knowledge.systemic_feature_iri in kinds:
            profile.systemic_features.append(shown)

    def _axis_two(self, case: DystoniaCase, profile: Profile) -> None:
        knowledge = self.knowledge
        pathology = {normalise_name(v.label): v for i, v in knowledge.values.items()
                     if knowledge.axis_of.get(i) == "pathology"}
        by_imaging = {"normal": "no evidence of degeneration or structural lesion",
                      "structural lesion": "evidence of structural lesion",
                      "degeneration": "evidence of degeneration"}
        if case.imaging in by_imaging:
            profile.pathology = Decision(pathology.get(by_imaging[case.imaging]), [f"imaging: {case.imaging}"])
        for finding in case.observed_hpo:
            for iri in self._stated_by(finding.term):
                if knowledge.axis_of.get(iri) == "pathology" and profile.pathology.value is None:
                    profile.pathology = Decision(knowledge.value(iri), [f"{finding.term} {finding.label}".strip()])
        etiology = {normalise_name(v.label): v for i, v in knowledge.values.items()
                    if knowledge.axis_of.get(i) == "etiology"}
        structural = pathology.get(by_imaging["structural lesion"])
        lesion = structural is not None and profile.pathology.value == structural
        if case.exposures or lesion:
            profile.cause = list(case.exposures) + (["structural lesion on imaging"] if lesion else [])
            profile.etiology = Decision(etiology.get("acquired etiology"),
                                        [f"exposure: {e}" for e in case.exposures]
                                        + (["imaging: structural lesion"] if lesion else []))
        elif case.genetic_finding:
            profile.etiology = Decision(etiology.get("inherited etiology"),
                                        [f"genetic finding: {case.genetic_finding}"])
        elif case.family_history == "positive":
            profile.etiology = Decision(etiology.get("familial idiopathic etiology"),
                                        ["family history positive, no causal variant or acquired cause given"])
        elif case.family_history == "negative" and case.imaging == "normal":
            profile.etiology = Decision(etiology.get("sporadic idiopathic etiology"),
                                        ["family history negative", "imaging normal", "no exposure given"])
        else:
            profile.etiology = Decision(None, [], "the findings do not decide the etiology")


@dataclass
class Classification:
    """The full answer for one case."""

    profile: Profile
    classes: list[Value]
    compatible_forms: list[dict[str, Any]]
    workup: list[dict[str, Any]]
    treatments: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        p = self.profile
        return {
            "case": p.case.id, "file": p.case.source,
            "axis1": {
                "age_at_onset": p.age_at_onset.as_json(), "body_distribution": p.body_distribution.as_json(),
                "body_sites": [{"region": self._region(s.region), "side": s.side, "finding": s.finding}
                               for s in p.sites],
                "course": p.course.as_json(), "variability": [d.as_json() for d in p.variability],
                "associated_features": p.associated_features.as_json(),
                "combined_with": [v.as_json() for v in p.combined_with],
                "tremor": [v.as_json() for v in p.tremor],
                "other_neurological_features": list(p.neurological_features),
                "systemic_features": list(p.systemic_features),
            },
            "axis2": {"nervous_system_pathology": p.pathology.as_json(), "etiology": p.etiology.as_json(),
                      "cause": list(p.cause)},
            "classes": [v.as_json() for v in self.classes],
            "compatible_forms": self.compatible_forms, "workup": self.workup, "treatments": self.treatments,
            "warnings": list(p.warnings), "disclaimer": DISCLAIMER,
        }

    region_values: dict[str, Value] = field(default_factory=dict)  # IRI -> region, for the output

    def _region(self, iri: str) -> dict[str, str]:
        value = self.region_values.get(iri)
        return value.as_json() if value else {"id": iri, "label": iri}


def recommendations_for(knowledge: ClassificationKnowledge, classes: Sequence[Value], use: str,
                        general_kind: str | None) -> list[dict[str, Any]]:
    """The graph's tests or treatments for the classes the case falls under (the most general kind,
    dystonia itself, left out: its rows apply to every case and say nothing about this one)."""
    wanted = {v.iri for v in classes} - ({general_kind} if general_kind else set())
    out = []
    for row in knowledge.recommendations:
        if row.use == use and row.kind in wanted:
            item = {"id": row.subject.curie, "label": row.subject.label,
                    "for": knowledge.value(row.kind).as_json(),
                    "relation": knowledge.value(row.relation).label, "sources": list(row.sources),
                    "note": row.comment, "research_and_education_only": True}
            out.append(item)
    return out


def rank_compatible_forms(knowledge: ClassificationKnowledge, profile: Profile,
                          diagnose_order: Sequence[str] | None = None, limit: int = 10) -> list[dict[str, Any]]:
    """Forms whose stated profile does not contradict the case's, best agreement first.

    A form contradicts the case when its age at onset bands all miss the case's band (neither
    contains the other), or when it is isolated and the case combined (or the reverse). Agreement:
    one point per axis value shared (onset, distribution, variability, each movement disorder).
    When diagnose's ranking is given (HPO terms), it orders the compatible forms it ranks first."""
    axis_property = knowledge.property_of_axis
    onset_p, dist_p = axis_property.get("age_at_onset"), axis_property.get("body_distribution")
    temporal_p, assoc_p = axis_property.get("course"), axis_property.get("associated_features")
    md_p = axis_property.get("movement_disorder")
    case_band = profile.age_at_onset.value.iri if profile.age_at_onset.value else None
    case_assoc = profile.associated_features.value.iri if profile.associated_features.value else None
    case_dist = profile.body_distribution.value.iri if profile.body_distribution.value else None
    case_temporal = {d.value.iri for d in profile.variability if d.value} | (
        {profile.course.value.iri} if profile.course.value else set())
    case_md = {v.iri for v in profile.combined_with}
    ranked = []
    for form, facts in knowledge.form_profiles.items():
        score, agreements = 0, []
        onsets = facts.get(onset_p or "", set())
        if case_band and onsets:
            related = [o for o in onsets if o in knowledge.ancestors(case_band) or case_band in knowledge.ancestors(o)]
            if not related:
                continue
            score += 1
            agreements.append(f"age at onset: {knowledge.value(related[0]).label}")
        associated = facts.get(assoc_p or "", set())
        if case_assoc and associated:
            if case_assoc not in associated:
                continue
            score += 1
            agreements.append(knowledge.value(case_assoc).label)
        if case_dist and case_dist in facts.get(dist_p or "", set()):
            score += 1
            agreements.append(f"distribution: {knowledge.value(case_dist).label}")
        for value in sorted(case_temporal & facts.get(temporal_p or "", set())):
            score += 1
            agreements.append(knowledge.value(value).label)
        for value in sorted(case_md & facts.get(md_p or "", set())):
            score += 1
            agreements.append(f"with {knowledge.value(value).label}")
        if score:
            ranked.append((score, knowledge.value(form), agreements))
    order = {iri: position for position, iri in enumerate(diagnose_order or [])}
    ranked.sort(key=lambda r: (order.get(r[1].iri, len(order)), -r[0], r[1].label.lower()))
    return [{"id": v.curie, "label": v.label, "agreement": score, "agrees_on": agreements,
             "ranked_by": "diagnose" if v.iri in order else "profile consistency"}
            for score, v, agreements in ranked[:limit]]
