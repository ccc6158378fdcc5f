"""Tasks: a goal's actions and questionnaire assignments ↔ FHIR R4 Task.

An action (goals.Action): ``id`` ``action-<pk>``, ``intent`` plan, code Koers ``goal-action``,
``focus`` the Goal, ``for`` the Patient, ``description`` what the person will do in their own
words, ``status`` in-progress / completed / cancelled (active / done / stopped), ``owner`` the
Patient when the person does it (else the name as a display), the review date as
``restriction.period.end``, who does it (and their name) in the Koers ``action-detail`` extension.

A questionnaire assignment (questionnaires.Assignment), in the manner of Koppeltaal 2.0: a Task
an eHealth platform can pick up, ``id`` ``assignment-<pk>``, ``intent`` order, code HL7
``fulfill`` plus Koers ``questionnaire``, ``focus`` the Questionnaire (``Questionnaire/<id>``
with ``input`` the canonical ``<url>|<version>``), ``for`` and ``owner`` the Patient (who fills
it in), ``requester`` the Practitioner who asked, ``status`` ready / completed / cancelled,
``authoredOn``, the due date as ``restriction.period.end``, the note to the person as ``note``.
The Koppeltaal profile itself (its ActivityDefinition and code system) is not claimed.

ServiceRequest: Koers has no referral in its domain (a referral back is an information moment,
written as a handover summary), so nothing maps to it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from koers.fhir.mappers import refs, systems
from koers.fhir.mappers.common import (
    change_version,
    choice,
    code,
    codes,
    coding,
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
    reference_id,
    reference_pk,
    text,
)
from koers.fhir.mappers.errors import MappingError
from koers.goals.models import Action, Responsible
from koers.questionnaires import selectors as questionnaire_selectors
from koers.questionnaires.models import Assignment

HL7_TASK_CODE = "http://hl7.org/fhir/CodeSystem/task-code"
ACTION_STATUS = {"active": "in-progress", "done": "completed", "stopped": "cancelled"}
ASSIGNMENT_STATUS = {"active": "ready", "completed": "completed", "cancelled": "cancelled"}


def _reverse(mapping: dict) -> dict:
    return {v: k for k, v in mapping.items()}


@dataclass(frozen=True)
class ActionTaskData:
    person_id: int
    goal_id: int
    what: str
    status: str = Action.Status.ACTIVE.value
    responsible: str = Responsible.PERSON.value
    responsible_name: str = ""
    review_date: dt.date | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    id: int | None = None


def action_task_data(action: Action) -> ActionTaskData:
    return ActionTaskData(
        id=action.pk,
        person_id=action.person_id,
        goal_id=action.goal_id,
        what=action.what,
        status=action.status,
        responsible=action.responsible,
        responsible_name=action.responsible_name,
        review_date=action.review_date,
        created_at=action.created_at,
        updated_at=action.updated_at,
    )


def action_task_to_fhir(action: Action | ActionTaskData) -> dict:
    data = action if isinstance(action, ActionTaskData) else action_task_data(action)
    parts = [{"url": "responsible", "valueCode": data.responsible}]
    if data.responsible_name:
        parts.append({"url": "responsibleName", "valueString": data.responsible_name})
    if data.responsible == Responsible.PERSON:
        owner = refs.patient(data.person_id)
    else:
        owner = {"display": data.responsible_name or label(Responsible(data.responsible))}
    return drop_empty(
        {
            "resourceType": "Task",
            "id": f"action-{data.id}" if data.id is not None else None,
            "meta": meta(version=change_version(data.updated_at), last_updated=data.updated_at),
            "extension": [{"url": systems.EXT_ACTION_DETAIL, "extension": parts}],
            "status": ACTION_STATUS[data.status],
            "intent": "plan",
            "code": concept(systems.TASK_CODE, "goal-action"),
            "description": data.what,
            "focus": {"reference": f"Goal/{data.goal_id}"},
            "for": refs.patient(data.person_id),
            "authoredOn": fhir_datetime(data.created_at),
            "lastModified": fhir_datetime(data.updated_at),
            "owner": owner,
            "restriction": {"period": {"end": fhir_date(data.review_date)}} if data.review_date else None,
        }
    )


def _task_kind(resource, expected: str) -> str:
    expect_resource(resource, "Task")
    kinds = codes(get(resource, "code", dict, "Task", required=True), systems.TASK_CODE, "Task.code")
    if expected not in kinds:
        raise MappingError(f"needs the Koers task code {expected!r}", path="Task.code")
    return expected


def _prefixed(resource: dict, prefix: str) -> int | None:
    raw = get(resource, "id", str, "Task")
    if raw is None:
        return None
    if not raw.startswith(prefix) or not raw[len(prefix) :].isdigit():
        raise MappingError(f"{raw!r} is not a Koers id of the form {prefix}<number>", path="Task.id")
    return int(raw[len(prefix) :])


def _detail(resource: dict) -> dict:
    ext = extension(resource, systems.EXT_ACTION_DETAIL, "Task")
    if ext is None:
        raise MappingError("needs the Koers action-detail extension (who does it)", path="Task.extension")
    return {p.get("url"): (w, p) for w, p in element_list(ext, "extension", "Task.extension")}


def _end(resource: dict, path: str) -> dt.date | None:
    period = get(
        get(resource, "restriction", dict, path, default={}), "period", dict, f"{path}.restriction", default={}
    )
    return optional_date(period, "end", f"{path}.restriction.period")


def action_task_from_fhir(resource) -> ActionTaskData:
    _task_kind(resource, "goal-action")
    path = "Task"
    status = choice(get(resource, "status", str, path, required=True), _reverse(ACTION_STATUS), f"{path}.status")
    choice(get(resource, "intent", str, path, required=True), ("plan",), f"{path}.intent")
    parts = _detail(resource)
    if "responsible" not in parts:
        raise MappingError("needs who does it (responsible)", path=f"{path}.extension")
    where, part = parts["responsible"]
    responsible = choice(get(part, "valueCode", str, where, required=True), Responsible.values, where)
    name = (
        text(parts["responsibleName"][1], "valueString", parts["responsibleName"][0], max_length=200)
        if "responsibleName" in parts
        else ""
    )
    return ActionTaskData(
        id=_prefixed(resource, "action-"),
        person_id=reference_pk(resource.get("for"), refs.PATIENT, f"{path}.for"),
        goal_id=reference_pk(resource.get("focus"), "Goal", f"{path}.focus"),
        what=text(resource, "description", path, required=True, max_length=300),
        status=_reverse(ACTION_STATUS)[status],
        responsible=responsible,
        responsible_name=name,
        review_date=_end(resource, path),
        created_at=optional_datetime(resource, "authoredOn", path),
        updated_at=optional_datetime(resource, "lastModified", path),
    )


# --- questionnaire assignments (Koppeltaal manner) ---------------------------------------------------


@dataclass(frozen=True)
class AssignmentTaskData:
    person_id: int
    instrument_id: str
    instrument_version: str
    questionnaire_url: str
    title: str
    assigned_by_id: int
    assigned_at: dt.datetime
    status: str = Assignment.Status.ACTIVE.value
    due_date: dt.date | None = None
    note: str = ""
    id: int | None = None


def assignment_task_data(assignment: Assignment, *, questionnaire_url: str) -> AssignmentTaskData:
    """``questionnaire_url``: the instrument's canonical url."""
    return AssignmentTaskData(
        id=assignment.pk,
        person_id=assignment.person_id,
        instrument_id=assignment.instrument_id,
        instrument_version=assignment.instrument_version,
        questionnaire_url=questionnaire_url,
        title=assignment.title,
        assigned_by_id=assignment.assigned_by_id,
        assigned_at=assignment.assigned_at,
        status=assignment.status,
        due_date=assignment.due_date,
        note=assignment.note,
    )


def _instrument_url(assignment: Assignment) -> str:
    if assignment.imported_id:
        refs.loaded(assignment, "imported")
    return questionnaire_selectors.instrument_for(assignment).url


def assignment_task_to_fhir(assignment: Assignment | AssignmentTaskData, *, questionnaire_url: str = "") -> dict:
    if isinstance(assignment, AssignmentTaskData):
        data = assignment
    else:
        url = questionnaire_url or _instrument_url(assignment)
        data = assignment_task_data(assignment, questionnaire_url=url)
    return drop_empty(
        {
            "resourceType": "Task",
            "id": f"assignment-{data.id}" if data.id is not None else None,
            "status": ASSIGNMENT_STATUS[data.status],
            "intent": "order",
            "code": {"coding": [coding(HL7_TASK_CODE, "fulfill"), coding(systems.TASK_CODE, "questionnaire")]},
            "description": data.title,
            "focus": {"reference": f"Questionnaire/{data.instrument_id}", "display": data.title},
            "for": refs.patient(data.person_id),
            "authoredOn": fhir_datetime(data.assigned_at),
            "requester": refs.practitioner(data.assigned_by_id),
            "owner": refs.patient(data.person_id),
            "restriction": {"period": {"end": fhir_date(data.due_date)}} if data.due_date else None,
            "note": [{"text": data.note}] if data.note else None,
            "input": [
                {
                    "type": concept(systems.TASK_CODE, "questionnaire"),
                    "valueCanonical": f"{data.questionnaire_url}|{data.instrument_version}",
                }
            ],
        }
    )


def _canonical(resource: dict, path: str) -> tuple[str, str]:
    for where, item in element_list(resource, "input", path):
        if code(item.get("type"), systems.TASK_CODE, f"{where}.type", required=False) == "questionnaire":
            value = get(item, "valueCanonical", str, where, required=True)
            url, bar, version = value.partition("|")
            if not bar or not version or "/Questionnaire/" not in url:
                raise MappingError(
                    f"{value!r} is not a Questionnaire canonical url|version", path=f"{where}.valueCanonical"
                )
            return url, version
    raise MappingError("needs the questionnaire canonical as input", path=f"{path}.input")


def assignment_task_from_fhir(resource) -> AssignmentTaskData:
    _task_kind(resource, "questionnaire")
    path = "Task"
    status = choice(get(resource, "status", str, path, required=True), _reverse(ASSIGNMENT_STATUS), f"{path}.status")
    choice(get(resource, "intent", str, path, required=True), ("order",), f"{path}.intent")
    focus = get(resource, "focus", dict, path, required=True)
    instrument_id = reference_id(focus, "Questionnaire", f"{path}.focus")
    url, version = _canonical(resource, path)
    if url.rsplit("/", 1)[1] != instrument_id:
        raise MappingError(
            f"focus {instrument_id!r} and input {url!r} name different questionnaires", path=f"{path}.focus"
        )
    notes = element_list(resource, "note", path)
    person_id = reference_pk(resource.get("for"), refs.PATIENT, f"{path}.for")
    if reference_pk(resource.get("owner"), refs.PATIENT, f"{path}.owner") != person_id:
        raise MappingError("the owner is the person the task is for", path=f"{path}.owner")
    assigned = optional_datetime(resource, "authoredOn", path)
    if assigned is None:
        raise MappingError("is required", path=f"{path}.authoredOn")
    return AssignmentTaskData(
        id=_prefixed(resource, "assignment-"),
        person_id=person_id,
        instrument_id=instrument_id,
        instrument_version=version,
        questionnaire_url=url,
        title=text(resource, "description", path, required=True, max_length=300),
        assigned_by_id=reference_pk(resource.get("requester"), refs.PRACTITIONER, f"{path}.requester"),
        assigned_at=assigned,
        status=_reverse(ASSIGNMENT_STATUS)[status],
        due_date=_end(resource, path),
        note=text(notes[0][1], "text", notes[0][0], max_length=500) if notes else "",
    )
