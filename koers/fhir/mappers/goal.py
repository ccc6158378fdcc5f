"""Goal ↔ FHIR R4 Goal, and goal attainment as an Observation in the style of the HL7
Person-Centered Outcomes (PCO) IG.

The goal's description is the person's own words (``Goal.description.text``, never coded); its
life domain is a Koers code in ``category``; why it matters is the first ``note``; who owns it
(the person, a professional, a relative, the community) a Koers extension, with ``expressedBy``
the Patient when it is the person's own. Goal attainment scaling (weight, the level at the start,
the five level descriptions) is one complex Koers extension. A review's level reached is an
Observation (PCO GAS follow-up score, LOINC 107333-7 practitioner / 107334-5 patient) whose
``focus`` is the Goal and whose value is the level −2..+2 (Koers ``gas-level`` code) with the
person's own description of that level as the concept's text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from koers.fhir.mappers import refs, systems
from koers.fhir.mappers.common import (
    change_version,
    choice,
    code,
    concept,
    drop_empty,
    element_list,
    expect_resource,
    extension,
    fhir_date,
    fhir_datetime,
    get,
    label,
    meta,
    optional_date,
    optional_datetime,
    parse_datetime,
    reference_pk,
    resource_pk,
    text,
)
from koers.fhir.mappers.errors import MappingError
from koers.goals.models import Goal, LifeDomain, Responsible

LIFECYCLE = tuple(Goal.LifecycleStatus.values)
ACHIEVEMENT = tuple(v for v in Goal.AchievementStatus.values if v)
LEVELS = (-2, -1, 0, 1, 2)
# The PCO IG's words for the five levels (its value set "goal attainment scaling scale").
LEVEL_DISPLAY = {
    -2: "Much less than expected",
    -1: "Somewhat less than expected",
    0: "Expected outcome",
    1: "Somewhat more than expected",
    2: "Much more than expected",
}


@dataclass(frozen=True)
class GoalData:
    person_id: int
    description: str
    life_domain: str
    lifecycle_status: str = Goal.LifecycleStatus.PROPOSED.value
    achievement_status: str = ""
    why_it_matters: str = ""
    owner: str = Responsible.PERSON.value
    start_date: dt.date | None = None
    target_date: dt.date | None = None
    uses_gas: bool = False
    gas_weight: int = 1
    gas_baseline: int | None = None
    gas_levels: tuple[tuple[int, str], ...] = ()  # (level, description), by level
    id: int | None = None
    updated_at: dt.datetime | None = None


def goal_data(goal: Goal) -> GoalData:
    """The plain fields of a loaded goal (its ``gas_levels`` prefetched when it uses GAS)."""
    levels = refs.loaded(goal, "gas_levels") if goal.uses_gas else []
    return GoalData(
        id=goal.pk,
        person_id=goal.person_id,
        description=goal.description,
        life_domain=goal.life_domain,
        lifecycle_status=goal.lifecycle_status,
        achievement_status=goal.achievement_status,
        why_it_matters=goal.why_it_matters,
        owner=goal.owner,
        start_date=goal.start_date,
        target_date=goal.target_date,
        uses_gas=goal.uses_gas,
        gas_weight=goal.gas_weight,
        gas_baseline=goal.gas_baseline,
        gas_levels=tuple(sorted((lv.level, lv.description) for lv in levels)),
        updated_at=goal.updated_at,
    )


def goal_data_from_version(version) -> GoalData:
    """A stored ``GoalVersion`` (its snapshot, ``koers.goals.versions``) as the goal was then."""
    snap = version.snapshot
    return GoalData(
        id=version.goal_id,
        person_id=version.person_id,
        description=snap["description"],
        life_domain=snap["life_domain"],
        lifecycle_status=snap["lifecycle_status"],
        achievement_status=snap["achievement_status"],
        why_it_matters=snap["why_it_matters"],
        owner=snap["owner"],
        start_date=optional_iso_date(snap["start_date"]),
        target_date=optional_iso_date(snap["target_date"]),
        uses_gas=snap["uses_gas"],
        gas_weight=snap["gas_weight"],
        gas_baseline=snap["gas_baseline"],
        gas_levels=tuple(sorted((level, text_) for level, text_ in snap["gas_levels"])),
        updated_at=version.updated_at,
    )


def optional_iso_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


goal_version = change_version  # the goal's meta.versionId: its last change (goals services save it)


def _gas_extension(data: GoalData) -> dict:
    parts: list[dict] = [{"url": "weight", "valueInteger": data.gas_weight}]
    if data.gas_baseline is not None:
        parts.append({"url": "baseline", "valueInteger": data.gas_baseline})
    for level, description in data.gas_levels:
        parts.append(
            {
                "url": "level",
                "extension": [
                    {"url": "value", "valueInteger": level},
                    {"url": "description", "valueString": description},
                ],
            }
        )
    return {"url": systems.EXT_GAS, "extension": parts}


def goal_to_fhir(goal: Goal | GoalData) -> dict:
    data = goal if isinstance(goal, GoalData) else goal_data(goal)
    extensions = [{"url": systems.EXT_GOAL_OWNER, "valueCode": data.owner}]
    if data.uses_gas:
        extensions.append(_gas_extension(data))
    resource = {
        "resourceType": "Goal",
        "id": str(data.id) if data.id is not None else None,
        "meta": meta(profile=systems.NL_CORE_GOAL, version=goal_version(data.updated_at), last_updated=data.updated_at),
        "extension": extensions,
        "lifecycleStatus": data.lifecycle_status,
        "achievementStatus": (
            concept(systems.GOAL_ACHIEVEMENT, data.achievement_status) if data.achievement_status else None
        ),
        "category": [concept(systems.LIFE_DOMAIN, data.life_domain, label(LifeDomain(data.life_domain)))],
        "description": {"text": data.description},
        "subject": refs.patient(data.person_id),
        "startDate": fhir_date(data.start_date),
        "target": [{"dueDate": fhir_date(data.target_date)}] if data.target_date else None,
        "expressedBy": refs.patient(data.person_id) if data.owner == Responsible.PERSON else None,
        "note": [{"text": data.why_it_matters}] if data.why_it_matters else None,
    }
    return drop_empty(resource)


def _level(value, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in LEVELS:
        raise MappingError(f"{value!r} is not a GAS level (a whole number from -2 to 2)", path=path)
    return value


def _gas_from(ext: dict | None, path: str) -> dict:
    if ext is None:
        return {"uses_gas": False}
    weight, baseline, levels = 1, None, []
    for where, part in element_list(ext, "extension", path):
        url = part.get("url")
        if url == "weight":
            weight = get(part, "valueInteger", int, where, required=True)
            if not 1 <= weight <= 10:
                raise MappingError(f"weight {weight} is outside 1..10", path=f"{where}.valueInteger")
        elif url == "baseline":
            baseline = _level(part.get("valueInteger"), f"{where}.valueInteger")
        elif url == "level":
            fields = {p.get("url"): (w, p) for w, p in element_list(part, "extension", where)}
            if "value" not in fields or "description" not in fields:
                raise MappingError("a level needs a value and a description", path=where)
            level = _level(fields["value"][1].get("valueInteger"), f"{fields['value'][0]}.valueInteger")
            text_ = text(
                fields["description"][1], "valueString", fields["description"][0], required=True, max_length=500
            )
            levels.append((level, text_))
    if len({lv for lv, _ in levels}) != len(levels):
        raise MappingError("a GAS level is described twice", path=path)
    return {"uses_gas": True, "gas_weight": weight, "gas_baseline": baseline, "gas_levels": tuple(sorted(levels))}


def _target_date(resource: dict) -> dt.date | None:
    targets = element_list(resource, "target", "Goal")
    if len(targets) > 1:
        raise MappingError("Koers keeps one target date per goal", path="Goal.target")
    return optional_date(targets[0][1], "dueDate", targets[0][0]) if targets else None


def goal_from_fhir(resource) -> GoalData:
    expect_resource(resource, "Goal")
    path = "Goal"
    lifecycle = choice(get(resource, "lifecycleStatus", str, path, required=True), LIFECYCLE, f"{path}.lifecycleStatus")
    achievement = code(
        resource.get("achievementStatus"), systems.GOAL_ACHIEVEMENT, f"{path}.achievementStatus", required=False
    )
    if achievement is not None:
        choice(achievement, ACHIEVEMENT, f"{path}.achievementStatus")
    categories = element_list(resource, "category", path)
    domain = next((code(c, systems.LIFE_DOMAIN, w, required=False) for w, c in categories), None)
    if domain is None:
        raise MappingError(f"needs a life domain coded in {systems.LIFE_DOMAIN}", path=f"{path}.category")
    choice(domain, LifeDomain.values, f"{path}.category")
    description = text(
        get(resource, "description", dict, path, required=True),
        "text",
        f"{path}.description",
        required=True,
        max_length=1000,
    )
    owner_ext = extension(resource, systems.EXT_GOAL_OWNER, path)
    owner = (
        Responsible.PERSON.value
        if owner_ext is None
        else get(owner_ext, "valueCode", str, f"{path}.extension", required=True)
    )
    choice(owner, Responsible.values, f"{path}.extension(goal-owner)")
    notes = element_list(resource, "note", path)
    meta_ = get(resource, "meta", dict, path, default={})
    return GoalData(
        id=resource_pk(resource, path),
        person_id=reference_pk(resource.get("subject"), refs.PATIENT, f"{path}.subject"),
        description=description,
        life_domain=domain,
        lifecycle_status=lifecycle,
        achievement_status=achievement or "",
        why_it_matters=text(notes[0][1], "text", notes[0][0], max_length=2000) if notes else "",
        owner=owner,
        start_date=optional_date(resource, "startDate", path),
        target_date=_target_date(resource),
        updated_at=optional_datetime(meta_, "lastUpdated", f"{path}.meta"),
        **_gas_from(extension(resource, systems.EXT_GAS, path), f"{path}.extension(goal-attainment-scaling)"),
    )


# --- goal attainment (PCO) -----------------------------------------------------------------------

REPORTER_CODES = {
    "practitioner": systems.PCO_GAS_PRACTITIONER,
    "patient": systems.PCO_GAS_PATIENT,
    "caregiver": systems.PCO_GAS_CAREGIVER,
    "baseline": systems.PCO_GAS_BASELINE,  # where the person stood when the goal was set
}
ID_PREFIX = {"baseline": "gas-baseline-"}  # a baseline's id is its goal's; a review's its own
CODE_REPORTER = {v: k for k, v in REPORTER_CODES.items()}


@dataclass(frozen=True)
class GasAttainmentData:
    person_id: int
    goal_id: int
    level: int
    reviewed_at: dt.datetime
    reporter: str = "practitioner"  # who rated: practitioner, patient, caregiver; or the baseline
    performer_id: int | None = None  # the professional's user id (practitioner) or None
    level_text: str = ""  # the person's own description of that level
    note: str = ""
    id: int | None = None


def _reporter(user) -> str:
    role = getattr(user, "role", "")
    return {"person": "patient", "relative": "caregiver"}.get(role, "practitioner")


def gas_attainment_data(review) -> GasAttainmentData:
    """A GoalReview with a level reached (its ``goal`` with prefetched ``gas_levels`` and its
    ``reviewed_by`` loaded)."""
    if review.gas_level is None:
        raise ValueError("this review records no GAS level")
    goal = refs.loaded(review, "goal")
    reviewer = refs.loaded(review, "reviewed_by")
    descriptions = dict((lv.level, lv.description) for lv in refs.loaded(goal, "gas_levels"))
    reporter = _reporter(reviewer)
    return GasAttainmentData(
        id=review.pk,
        person_id=goal.person_id,
        goal_id=goal.pk,
        level=review.gas_level,
        reviewed_at=review.reviewed_at,
        reporter=reporter,
        performer_id=reviewer.pk if reporter == "practitioner" else None,
        level_text=descriptions.get(review.gas_level, ""),
        note=review.note,
    )


def gas_baseline_data(goal: Goal) -> GasAttainmentData | None:
    """The level where the person started (a goal with GAS and a baseline; levels prefetched)."""
    if not goal.uses_gas or goal.gas_baseline is None:
        return None
    descriptions = dict((lv.level, lv.description) for lv in refs.loaded(goal, "gas_levels"))
    return GasAttainmentData(
        id=goal.pk,
        person_id=goal.person_id,
        goal_id=goal.pk,
        level=goal.gas_baseline,
        reviewed_at=goal.created_at,
        reporter="baseline",
        level_text=descriptions.get(goal.gas_baseline, ""),
    )


def gas_attainment_to_fhir(review) -> dict:
    data = review if isinstance(review, GasAttainmentData) else gas_attainment_data(review)
    loinc = REPORTER_CODES[data.reporter]
    if data.reporter == "practitioner" and data.performer_id is not None:
        performer = [refs.practitioner(data.performer_id)]
    elif data.reporter == "patient":
        performer = [refs.patient(data.person_id)]
    else:
        performer = None
    value = concept(systems.GAS_LEVEL, str(data.level), LEVEL_DISPLAY[data.level], data.level_text)
    return drop_empty(
        {
            "resourceType": "Observation",
            "id": f"{ID_PREFIX.get(data.reporter, 'gas-')}{data.id}" if data.id is not None else None,
            "status": "final",
            "category": [concept(systems.OBSERVATION_CATEGORY, "survey", "Survey")],
            "code": concept(systems.LOINC, loinc, text="Goal attainment scaling"),
            "subject": refs.patient(data.person_id),
            "focus": [{"reference": f"Goal/{data.goal_id}"}],
            "effectiveDateTime": fhir_datetime(data.reviewed_at),
            "performer": performer,
            "valueCodeableConcept": value,
            "note": [{"text": data.note}] if data.note else None,
        }
    )


def gas_attainment_from_fhir(resource) -> GasAttainmentData:
    expect_resource(resource, "Observation")
    path = "Observation"
    loinc = code(get(resource, "code", dict, path, required=True), systems.LOINC, f"{path}.code")
    reporter = CODE_REPORTER.get(loinc)
    if reporter is None:
        raise MappingError(f"LOINC {loinc!r} is not a GAS score ({', '.join(CODE_REPORTER)})", path=f"{path}.code")
    foci = element_list(resource, "focus", path)
    if len(foci) != 1:
        raise MappingError("needs exactly one focus: the Goal", path=f"{path}.focus")
    value = get(resource, "valueCodeableConcept", dict, path, required=True)
    raw_level = code(value, systems.GAS_LEVEL, f"{path}.valueCodeableConcept")
    try:
        level = _level(int(raw_level), f"{path}.valueCodeableConcept")
    except ValueError:
        raise MappingError(f"{raw_level!r} is not a GAS level", path=f"{path}.valueCodeableConcept") from None
    performers = element_list(resource, "performer", path)
    performer_id = None
    if reporter == "practitioner" and performers:
        performer_id = reference_pk(performers[0][1], refs.PRACTITIONER, performers[0][0])
    raw_id = get(resource, "id", str, path)
    notes = element_list(resource, "note", path)
    return GasAttainmentData(
        id=_prefixed_pk(raw_id, ID_PREFIX.get(reporter, "gas-"), f"{path}.id"),
        person_id=reference_pk(resource.get("subject"), refs.PATIENT, f"{path}.subject"),
        goal_id=reference_pk(foci[0][1], "Goal", foci[0][0]),
        level=level,
        reviewed_at=parse_datetime(resource.get("effectiveDateTime"), f"{path}.effectiveDateTime"),
        reporter=reporter,
        performer_id=performer_id,
        level_text=text(value, "text", f"{path}.valueCodeableConcept", max_length=500),
        note=text(notes[0][1], "text", notes[0][0], max_length=4000) if notes else "",
    )


def _prefixed_pk(raw: str | None, prefix: str, path: str) -> int | None:
    if raw is None:
        return None
    if not raw.startswith(prefix) or not raw[len(prefix) :].isdigit():
        raise MappingError(f"{raw!r} is not a Koers id of the form {prefix}<number>", path=path)
    return int(raw[len(prefix) :])
