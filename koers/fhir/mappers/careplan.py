"""A care-plan version (its stored snapshot) ↔ FHIR R4 CarePlan.

One CarePlan per person (``id`` the ``careplans.CarePlan`` pk); each stored version is a version
of that resource: ``meta.versionId`` is the version number, ``meta.lastUpdated`` its last change.
``status`` is ``active`` for a version agreed with the person and ``draft`` for one still open;
``intent`` is always ``plan``. ``period.start`` is when the plan began, ``created`` when this
version was made, ``author`` who made it, ``contributor`` the care team recorded in it. ``goal``
points at every goal of the version; each action becomes an ``activity.detail`` (kind Task,
status from the action's, the goal it serves, what/when/where in the action's own words, the
rest in the Koers ``action-detail`` extension); each follow-up agreement an ``activity.detail``
of kind Appointment. ``description`` is what matters to the person, ``note`` the version's own
summary. Not mapped: values, decisions, health, network and crisis-plan sections (their own
resources), and an action's obstacles, plan for them and confidence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from koers.careplans.models import CarePlanVersion, FollowUpAgreement
from koers.fhir.mappers import refs, systems
from koers.fhir.mappers.common import (
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
from koers.goals.models import Action, Responsible

ACTION_STATUS = {Action.Status.ACTIVE.value: "in-progress", Action.Status.DONE.value: "completed"}
STATUS_ACTION = {v: k for k, v in ACTION_STATUS.items()}
_RESPONSIBLE = frozenset(Responsible.values)  # looked up per plan action (Responsible.values builds a list)


@dataclass(frozen=True)
class ActivityData:
    action_id: int
    goal_id: int
    what: str
    status: str = Action.Status.ACTIVE.value
    when: str = ""
    how_often: str = ""
    where: str = ""
    with_whom: str = ""
    responsible: str = Responsible.PERSON.value
    responsible_name: str = ""
    review_date: dt.date | None = None


@dataclass(frozen=True)
class FollowUpData:
    follow_up_id: int
    what: str
    who: str = ""
    method: str = FollowUpAgreement.Method.CONSULT.value
    frequency: str = ""
    next_date: dt.date | None = None


@dataclass(frozen=True)
class CarePlanData:
    plan_id: int
    person_id: int
    version: int
    created_at: dt.datetime
    created_by_id: int
    started_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    agreed: bool = False
    summary: str = ""
    what_matters: str = ""
    goal_ids: tuple[int, ...] = ()
    activities: tuple[ActivityData, ...] = ()
    follow_ups: tuple[FollowUpData, ...] = ()
    care_team_ids: tuple[int, ...] = ()


def _activity(goal_id: int, a: dict) -> ActivityData:
    return ActivityData(
        action_id=a["id"],
        goal_id=goal_id,
        what=a.get("what", ""),
        status=a.get("status") or Action.Status.ACTIVE.value,
        when=a.get("when") or "",
        how_often=a.get("how_often") or "",
        where=a.get("where") or "",
        with_whom=a.get("with_whom") or "",
        responsible=a.get("responsible") or Responsible.PERSON.value,
        responsible_name=a.get("responsible_name") or "",
        review_date=dt.date.fromisoformat(a["review_date"]) if a.get("review_date") else None,
    )


def _follow_up(f: dict) -> FollowUpData:
    return FollowUpData(
        follow_up_id=f["id"],
        what=f.get("what", ""),
        who=f.get("who") or "",
        method=f.get("method") or FollowUpAgreement.Method.CONSULT.value,
        frequency=f.get("frequency") or "",
        next_date=dt.date.fromisoformat(f["next_date"]) if f.get("next_date") else None,
    )


def careplan_data(version: CarePlanVersion) -> CarePlanData:
    """The plain fields of one stored version (its ``care_plan`` loaded); every snapshot schema."""
    plan = refs.loaded(version, "care_plan")
    snapshot = version.snapshot or {}
    goals = snapshot.get("goals", [])
    return CarePlanData(
        plan_id=plan.pk,
        person_id=plan.person_id,
        version=version.number,
        created_at=version.created_at,
        created_by_id=version.created_by_id,
        started_at=plan.created_at,
        updated_at=version.updated_at or version.created_at,
        agreed=version.agreed_at is not None,
        summary=version.summary,
        what_matters=(snapshot.get("person") or {}).get("what_matters", ""),
        goal_ids=tuple(g["id"] for g in goals),
        activities=tuple(_activity(g["id"], a) for g in goals for a in g.get("actions", [])),
        follow_ups=tuple(_follow_up(f) for f in snapshot.get("follow_ups", [])),
        care_team_ids=tuple(m["id"] for m in snapshot.get("care_team", [])),
    )


def _action_detail(a: ActivityData) -> dict:
    ext = [
        {"url": "action", "valueInteger": a.action_id},
        {"url": "responsible", "valueCode": a.responsible},
        {"url": "howOften", "valueString": a.how_often} if a.how_often else None,
        {"url": "withWhom", "valueString": a.with_whom} if a.with_whom else None,
        {"url": "responsibleName", "valueString": a.responsible_name} if a.responsible_name else None,
        {"url": "reviewDate", "valueDate": fhir_date(a.review_date)} if a.review_date else None,
    ]
    responsible_label = label(Responsible(a.responsible)) if a.responsible in _RESPONSIBLE else ""
    return {
        "detail": {
            "extension": [{"url": systems.EXT_ACTION_DETAIL, "extension": [e for e in ext if e]}],
            "kind": "Task",
            "status": ACTION_STATUS.get(a.status, "unknown"),
            "description": a.what,
            "goal": [{"reference": f"Goal/{a.goal_id}"}],
            "scheduledString": a.when,
            "location": {"display": a.where} if a.where else None,
            "performer": [{"display": a.responsible_name or responsible_label}],
        }
    }


def _follow_up_detail(f: FollowUpData) -> dict:
    ext = [{"url": "followUp", "valueInteger": f.follow_up_id}]
    if f.frequency:
        ext.append({"url": "frequency", "valueString": f.frequency})
    return {
        "detail": {
            "extension": [{"url": systems.EXT_FOLLOW_UP, "extension": ext}],
            "kind": "Appointment",
            "code": concept(systems.FOLLOW_UP_METHOD, f.method, label(FollowUpAgreement.Method(f.method))),
            "status": "scheduled",
            "description": f.what,
            "scheduledPeriod": {"start": fhir_date(f.next_date)} if f.next_date else None,
            "performer": [{"display": f.who}] if f.who else None,
        }
    }


def careplan_to_fhir(version: CarePlanVersion | CarePlanData) -> dict:
    data = version if isinstance(version, CarePlanData) else careplan_data(version)
    return drop_empty(
        {
            "resourceType": "CarePlan",
            "id": str(data.plan_id),
            "meta": meta(version=data.version, last_updated=data.updated_at),
            "status": "active" if data.agreed else "draft",
            "intent": "plan",
            "title": "Individueel zorgplan",
            "description": data.what_matters,
            "subject": refs.patient(data.person_id),
            "period": {"start": fhir_datetime(data.started_at)} if data.started_at else None,
            "created": fhir_datetime(data.created_at),
            "author": refs.practitioner(data.created_by_id),
            "contributor": [refs.practitioner(pk) for pk in data.care_team_ids],
            "goal": [{"reference": f"Goal/{pk}"} for pk in data.goal_ids],
            "activity": [_action_detail(a) for a in data.activities] + [_follow_up_detail(f) for f in data.follow_ups],
            "note": [{"text": data.summary}] if data.summary else None,
        }
    )


# --- reading ---------------------------------------------------------------------------------------


def _parts(ext: dict | None, path: str) -> dict:
    if ext is None:
        raise MappingError("needs the Koers extension that identifies it", path=path)
    return {p.get("url"): p for _w, p in element_list(ext, "extension", path)}


def _int_part(parts: dict, name: str, path: str) -> int:
    return get(parts.get(name), "valueInteger", int, f"{path}.{name}", required=True)


def _str_part(parts: dict, name: str, path: str) -> str:
    return text(parts[name], "valueString", f"{path}.{name}") if name in parts else ""


def _read_action(detail: dict, path: str) -> ActivityData:
    parts = _parts(extension(detail, systems.EXT_ACTION_DETAIL, path), f"{path}.extension(action-detail)")
    goals = element_list(detail, "goal", path)
    if len(goals) != 1:
        raise MappingError("an action serves exactly one goal", path=f"{path}.goal")
    status = choice(get(detail, "status", str, path, required=True), STATUS_ACTION, f"{path}.status")
    responsible = get(parts.get("responsible"), "valueCode", str, f"{path}.responsible", required=True)
    review = parts.get("reviewDate")
    return ActivityData(
        action_id=_int_part(parts, "action", path),
        goal_id=reference_pk(goals[0][1], "Goal", goals[0][0]),
        what=text(detail, "description", path, required=True, max_length=300),
        status=STATUS_ACTION[status],
        when=text(detail, "scheduledString", path, max_length=200),
        how_often=_str_part(parts, "howOften", path),
        where=text(get(detail, "location", dict, path, default={}), "display", f"{path}.location"),
        with_whom=_str_part(parts, "withWhom", path),
        responsible=choice(responsible, Responsible.values, f"{path}.responsible"),
        responsible_name=_str_part(parts, "responsibleName", path),
        review_date=optional_date(review, "valueDate", f"{path}.reviewDate") if review else None,
    )


def _read_follow_up(detail: dict, path: str) -> FollowUpData:
    parts = _parts(extension(detail, systems.EXT_FOLLOW_UP, path), f"{path}.extension(follow-up)")
    method = code(get(detail, "code", dict, path, required=True), systems.FOLLOW_UP_METHOD, f"{path}.code")
    performers = element_list(detail, "performer", path)
    period = get(detail, "scheduledPeriod", dict, path, default={})
    return FollowUpData(
        follow_up_id=_int_part(parts, "followUp", path),
        what=text(detail, "description", path, required=True, max_length=300),
        who=text(performers[0][1], "display", performers[0][0]) if performers else "",
        method=choice(method, FollowUpAgreement.Method.values, f"{path}.code"),
        frequency=_str_part(parts, "frequency", path),
        next_date=optional_date(period, "start", f"{path}.scheduledPeriod"),
    )


def _activities(resource: dict) -> tuple[tuple, tuple]:
    actions, follow_ups = [], []
    for where, activity in element_list(resource, "activity", "CarePlan"):
        detail = get(activity, "detail", dict, where, required=True)
        kind = get(detail, "kind", str, f"{where}.detail", required=True)
        if kind == "Task":
            actions.append(_read_action(detail, f"{where}.detail"))
        elif kind == "Appointment":
            follow_ups.append(_read_follow_up(detail, f"{where}.detail"))
        else:
            raise MappingError(
                f"kind {kind!r}: Koers plans hold actions (Task) and follow-ups (Appointment)", path=where
            )
    return tuple(actions), tuple(follow_ups)


def careplan_from_fhir(resource) -> CarePlanData:
    """The fields of a CarePlan as Koers wrote it (for round trips and comparison; Koers builds its
    plan from goals and agreements, so a CarePlan is never stored as sent)."""
    expect_resource(resource, "CarePlan")
    path = "CarePlan"
    status = choice(get(resource, "status", str, path, required=True), ("active", "draft"), f"{path}.status")
    choice(get(resource, "intent", str, path, required=True), ("plan",), f"{path}.intent")
    meta_ = get(resource, "meta", dict, path, required=True)
    version = get(meta_, "versionId", str, f"{path}.meta", required=True)
    if not version.isdigit():
        raise MappingError(f"{version!r} is not a version number", path=f"{path}.meta.versionId")
    plan_id = resource_pk(resource, path)
    if plan_id is None:
        raise MappingError("is required", path=f"{path}.id")
    actions, follow_ups = _activities(resource)
    notes = element_list(resource, "note", path)
    created = get(resource, "created", str, path, required=True)
    return CarePlanData(
        plan_id=plan_id,
        person_id=reference_pk(resource.get("subject"), refs.PATIENT, f"{path}.subject"),
        version=int(version),
        created_at=parse_datetime(created, f"{path}.created"),
        created_by_id=reference_pk(resource.get("author"), refs.PRACTITIONER, f"{path}.author"),
        started_at=optional_datetime(get(resource, "period", dict, path, default={}), "start", f"{path}.period"),
        updated_at=optional_datetime(meta_, "lastUpdated", f"{path}.meta"),
        agreed=status == "active",
        summary=text(notes[0][1], "text", notes[0][0]) if notes else "",
        what_matters=text(resource, "description", path),
        goal_ids=tuple(reference_pk(g, "Goal", w) for w, g in element_list(resource, "goal", path)),
        activities=actions,
        follow_ups=follow_ups,
        care_team_ids=tuple(
            reference_pk(c, refs.PRACTITIONER, w) for w, c in element_list(resource, "contributor", path)
        ),
    )
