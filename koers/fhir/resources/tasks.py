"""Task (issue #15): a goal's actions and questionnaire assignments, one type over two kinds.

- ``action-<id>``: a step towards a goal (``goals.Action``), the person's ``goals`` data (the
  category of the goal pages): the person, the care team, and a relative with the goals topic
  (the relative's goals page lists the actions).
- ``assignment-<id>``: a questionnaire the person is asked to fill in
  (``questionnaires.Assignment``), the person's ``questionnaires`` data: the person and the care
  team; never a relative (their questionnaire page shows no assignments).

A search lists the actions first, then the assignments, each in id order; both are filtered by
the access layer before counting and paging.
"""

from __future__ import annotations

from koers.access import Category
from koers.fhir.auth import Grant
from koers.fhir.mappers import systems
from koers.fhir.mappers import task as mappers
from koers.fhir.registry import Page, ResourceType, params_of, register
from koers.fhir.resources import record, writes
from koers.fhir.resources.people import is_relative
from koers.fhir.search import ParamType, Search, SearchParam, as_id, reference_ids
from koers.goals.models import Action
from koers.questionnaires.models import Assignment

ACTION, ASSIGNMENT = "action-", "assignment-"
ACTION_TYPE, ASSIGNMENT_TYPE = "goals.Action", "questionnaires.Assignment"


def _actions():
    return Action.objects.all()


def _assignments(grant: Grant):
    found = Assignment.objects.select_related("imported")
    return found.none() if is_relative(grant.user) else found  # no relative's page shows them


def _resource(obj) -> dict:
    if isinstance(obj, Action):
        return mappers.action_task_to_fhir(obj)
    return mappers.assignment_task_to_fhir(obj)


def task_read(grant: Grant, pk: str) -> dict:
    if pk.startswith(ACTION):
        obj = record.read_object(grant, _actions(), pk[len(ACTION) :], category=Category.GOALS, object_type=ACTION_TYPE)
    elif pk.startswith(ASSIGNMENT):
        obj = record.read_object(
            grant,
            _assignments(grant),
            pk[len(ASSIGNMENT) :],
            category=Category.QUESTIONNAIRES,
            object_type=ASSIGNMENT_TYPE,
        )
    else:
        record.refuse(grant, pk, category=Category.GOALS, object_type=ACTION_TYPE)
    return _resource(obj)


def _slice(queryset, start: int, end: int) -> list:
    return list(queryset[start:end]) if end > start else []


def task_search(grant: Grant, search: Search) -> Page:
    actions = record.filtered(grant, _actions(), search, category=Category.GOALS)
    assignments = record.filtered(grant, _assignments(grant), search, category=Category.QUESTIONNAIRES)
    n_actions = actions.count()
    total = n_actions + assignments.count()
    start, end = search.offset, search.offset + search.count
    rows = _slice(actions, min(start, n_actions), min(end, n_actions))
    rows += _slice(assignments, max(0, start - n_actions), max(0, end - n_actions))
    record.log_rows(grant, [r for r in rows if isinstance(r, Action)], object_type=ACTION_TYPE)
    record.log_rows(grant, [r for r in rows if isinstance(r, Assignment)], object_type=ASSIGNMENT_TYPE)
    return Page(total, [_resource(r) for r in rows])


def _is_action(queryset) -> bool:
    return queryset.model is Action


def _id(queryset, values, grant):
    prefix = ACTION if _is_action(queryset) else ASSIGNMENT
    ids = [as_id(v.code[len(prefix) :]) for v in values if v.system is None and v.code.startswith(prefix)]
    return queryset.filter(pk__in=[i for i in ids if i is not None])


def _patient(queryset, values, grant):
    return queryset.filter(person_id__in=reference_ids(values, "Patient"))


def _status(queryset, values, grant):
    statuses = mappers.ACTION_STATUS if _is_action(queryset) else mappers.ASSIGNMENT_STATUS
    wanted = {v.code for v in values if v.system in (None, "", "http://hl7.org/fhir/task-status")}
    return queryset.filter(status__in=[koers for koers, fhir in statuses.items() if fhir in wanted])


def _code(queryset, values, grant):
    kind = "goal-action" if _is_action(queryset) else "questionnaire"
    matches = any(
        (v.system in (None, systems.TASK_CODE) and v.code == kind)
        or (kind == "questionnaire" and v.system in (None, mappers.HL7_TASK_CODE) and v.code == "fulfill")
        for v in values
    )
    return queryset if matches else queryset.none()


def _focus(queryset, values, grant):
    if _is_action(queryset):
        return queryset.filter(goal_id__in=reference_ids(values, "Goal"))
    return queryset.filter(instrument_id__in=[v.id for v in values if v.resource_type in (None, "Questionnaire")])


def _reference(name: str, apply, documentation: str, targets: tuple[str, ...]) -> SearchParam:
    return SearchParam(name, ParamType.REFERENCE, apply, documentation, targets=targets)


TASK_PARAMS = params_of(
    SearchParam("_id", ParamType.TOKEN, _id, "action-<id> or assignment-<id>."),
    _reference("patient", _patient, "The person the task is for (Patient/id or id).", ("Patient",)),
    _reference("for", _patient, "The same as patient.", ("Patient",)),
    SearchParam(
        "status", ParamType.TOKEN, _status, "in-progress, completed, cancelled (actions); ready (assignments)."
    ),
    SearchParam(
        "code",
        ParamType.TOKEN,
        _code,
        f"{systems.TASK_CODE}|goal-action or |questionnaire (also {mappers.HL7_TASK_CODE}|fulfill).",
    ),
    _reference(
        "focus", _focus, "The goal (Goal/id) or the questionnaire (Questionnaire/phq-9).", ("Goal", "Questionnaire")
    ),
)


def register_types() -> None:
    register(
        ResourceType(
            name="Task",
            profiles=(),
            read=task_read,
            search=task_search,
            params=TASK_PARAMS,
            update=writes.task_update,
            documentation=(
                "A step towards a goal (action-<id>) or a questionnaire to fill in (assignment-<id>). "
                "Update (PUT with If-Match): an action's status alone."
            ),
        )
    )
