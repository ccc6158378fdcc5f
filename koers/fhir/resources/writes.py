"""Writes of the FHIR API through the apps' services (issue #15): Goal create and update,
Observation create (a self-measurement or lab value, as one entry of an import Bundle).

Each write checks the person first, outside any transaction (``access.person_for`` with the
category of the pages and ``Action.CREATE``/``Action.UPDATE``, ``log=False``: the service writes
the row with the object it stored): a missing goal, someone else's goal or person and a person
outside the grant's patient all answer the one 404, with a refused row. Then the service
validates and writes in its own transaction, and logs as the page does. Nothing here writes a
model directly.

Goal update maps the whole resource (``goal_from_fhir``) and applies what changed: the words,
life domain, owner, target date and GAS through ``goals.services.goal_update``, the lifecycle
status through ``goal_set_status`` (one status-history row, like the page's status buttons). The
goal's subject cannot change; its start date is the service's. Both run in one transaction under
a row lock, after the If-Match version is compared with the locked row's (412 when stale).
"""

from __future__ import annotations

from django.db import transaction

from koers import access
from koers.access import Category
from koers.fhir import registry
from koers.fhir import transaction as bundles
from koers.fhir.errors import FhirError, bad_request, precondition_failed
from koers.fhir.mappers.common import change_version
from koers.fhir.mappers.goal import GoalData, goal_from_fhir, goal_to_fhir, goal_version
from koers.fhir.mappers.task import ActionTaskData, action_task_from_fhir, action_task_to_fhir
from koers.fhir.resources.people import is_relative
from koers.fhir.search import as_id
from koers.goals import services as goals
from koers.goals.models import Action as GoalAction
from koers.goals.models import Goal
from koers.workspace.relative_views import GOAL_STATUSES

GOAL = "goals.Goal"
ACTION = "goals.Action"
ACTION_PREFIX = "action-"
Action = access.Action


def goals_for(grant):
    """The goals this reader's pages show: a relative's goals page leaves cancelled goals out."""
    goals_ = Goal.objects.all()
    return goals_.filter(lifecycle_status__in=GOAL_STATUSES) if is_relative(grant.user) else goals_


def goal_resource(pk: int) -> dict:
    """A goal just stored by a write (its service logged the access): the resource as read."""
    return goal_to_fhir(Goal.objects.prefetch_related("gas_levels").get(pk=pk))


def writable_person(grant, person_id, *, category: Category, action: str, object_type: str, object_id):
    """The person this grant may write ``category`` of, or the one 404 (a refused row)."""
    person_id = as_id(person_id) if person_id is not None else None  # a subject past the database's ids
    if person_id is None or (grant.patient_id is not None and person_id != grant.patient_id):
        access.refuse(
            grant.user,
            person_id=None,
            category=category,
            action=action,
            object_type=object_type,
            object_id=str(object_id)[:20],
        )
    return access.person_for(
        grant.user, person_id, category=category, action=action, object_type=object_type, object_id=object_id, log=False
    )


def _gas_arguments(data: GoalData) -> dict:
    arguments = {"uses_gas": data.uses_gas, "gas_weight": data.gas_weight}
    if data.uses_gas:
        arguments["gas_levels"] = dict(data.gas_levels) or None
    return arguments


def goal_create(grant, resource: dict) -> dict:
    data = goal_from_fhir(resource)
    person = writable_person(
        grant, data.person_id, category=Category.GOALS, action=Action.CREATE, object_type=GOAL, object_id="new"
    )
    goal = goals.goal_create(
        actor=grant.user,
        person=person,
        description=data.description,
        life_domain=data.life_domain,
        why_it_matters=data.why_it_matters,
        owner=data.owner,
        lifecycle_status=data.lifecycle_status,
        target_date=data.target_date,
        gas_baseline=data.gas_baseline,
        **_gas_arguments(data),
    )
    return goal_resource(goal.pk)


def _words_changed(goal: Goal, data: GoalData) -> bool:
    levels = tuple(sorted((lv.level, lv.description) for lv in goal.gas_levels.all())) if goal.uses_gas else ()
    current = (
        goal.description,
        goal.life_domain,
        goal.why_it_matters,
        goal.owner,
        goal.target_date,
        goal.uses_gas,
        goal.gas_weight if goal.uses_gas else data.gas_weight,
        goal.gas_baseline,
        levels,
    )
    wanted = (
        data.description,
        data.life_domain,
        data.why_it_matters,
        data.owner,
        data.target_date,
        data.uses_gas,
        data.gas_weight,
        data.gas_baseline,
        data.gas_levels,
    )
    return current != wanted


def _apply(actor, goal: Goal, data: GoalData) -> None:
    """The goal's services for what changed: first the words (an open goal), then the status."""
    if _words_changed(goal, data):
        goal = goals.goal_update(
            actor=actor,
            goal=goal,
            description=data.description,
            life_domain=data.life_domain,
            why_it_matters=data.why_it_matters,
            owner=data.owner,
            target_date=data.target_date,
            gas_baseline=data.gas_baseline,
            **_gas_arguments(data),
        )
    achievement_changed = data.achievement_status != goal.achievement_status
    if data.lifecycle_status != goal.lifecycle_status or (
        achievement_changed and data.lifecycle_status == Goal.LifecycleStatus.COMPLETED
    ):
        goals.goal_set_status(
            actor=actor, goal=goal, lifecycle_status=data.lifecycle_status, achievement_status=data.achievement_status
        )


def goal_update(grant, pk: str, resource: dict, if_match: str) -> dict:
    goal_id = as_id(pk)
    goal = goals_for(grant).filter(pk=goal_id).first() if goal_id else None
    writable_person(
        grant,
        goal.person_id if goal else None,
        category=Category.GOALS,
        action=Action.UPDATE,
        object_type=GOAL,
        object_id=pk,
    )
    data = goal_from_fhir(resource)
    if data.person_id != goal.person_id:
        raise bad_request("Goal.subject cannot change: a goal stays with its person.")
    with transaction.atomic():
        locked = Goal.objects.select_for_update().select_related("person").get(pk=goal.pk)
        if goal_version(locked.updated_at) != if_match:
            raise precondition_failed()
        _apply(grant.user, locked, data)
    return goal_resource(goal.pk)


# --- Task: the status of a goal's action ------------------------------------------------------------


def _only_status(action: GoalAction, data: ActionTaskData) -> None:
    current = (action.person_id, action.goal_id, action.what, action.responsible, action.responsible_name)
    wanted = (data.person_id, data.goal_id, data.what, data.responsible, data.responsible_name)
    if current != wanted or action.review_date != data.review_date:
        raise FhirError(422, "business-rule", "Only the status of a goal's action can change through the API.")


def task_update(grant, pk: str, resource: dict, if_match: str) -> dict:
    """``PUT /fhir/Task/action-<id>``: the action's status (in-progress, completed, cancelled)
    through ``goals.services.action_set_status``; any other change, and a questionnaire
    assignment (whatever its id), is 422 — without looking it up, so it tells nothing."""
    if not pk.startswith(ACTION_PREFIX):
        raise FhirError(422, "business-rule", "Only the status of a goal's action can change through the API.")
    action_id = as_id(pk[len(ACTION_PREFIX) :])
    action = GoalAction.objects.filter(pk=action_id).first() if action_id else None
    writable_person(
        grant,
        action.person_id if action else None,
        category=Category.GOALS,
        action=Action.UPDATE,
        object_type=ACTION,
        object_id=pk,
    )
    data = action_task_from_fhir(resource)
    with transaction.atomic():
        locked = GoalAction.objects.select_for_update().select_related("person", "goal").get(pk=action.pk)
        if change_version(locked.updated_at) != if_match:
            raise precondition_failed()
        _only_status(locked, data)
        if data.status != locked.status:
            goals.action_set_status(actor=grant.user, action=locked, status=data.status)
    return action_task_to_fhir(GoalAction.objects.get(pk=action.pk))


# --- Observation: one self-measurement or lab value ------------------------------------------------


def observation_create(grant, resource: dict) -> dict:
    """``POST /fhir/Observation``: one entry of an import Bundle on its own (``koers.fhir.transaction``):
    the same person check (``MEASUREMENTS``, create), the same import services and log rows. A
    value already stored for this person at this time is not stored again: 409 ``duplicate``.
    The answer is the stored Observation as a read gives it (a read row, as the page after saving)."""
    try:
        done = bundles.store_one(grant, resource)
    except bundles.EntryError as error:
        raise FhirError(error.status, error.code, error.diagnostics) from None
    if not done.location:
        raise FhirError(409, "duplicate", done.note or "This value is already stored.")
    return registry.get("Observation").read(grant, done.location.split("/", 1)[1])
