"""Goal and CarePlan through the access layer (issue #15).

Each type reads by the category of its pages: Goal by ``goals``, CarePlan by ``careplan``. A read
is ``access.person_for`` for the object's person (one access-log row, or a refused row and the
missing-record answer); a search starts from ``access.visible_persons`` for that category
(filtered in the query before counting and paging) and logs the page's persons with
``record_list``. A grant with a patient in context answers about that person alone.

CarePlan is versioned: a read gives the newest stored version (``meta.versionId`` its number,
the ``ETag`` header ``W/"<number>"``), ``/_history/<number>`` one version, ``/_history`` all of
them. Every version is filtered by ``careplans.sections.visible`` for the reader, as the plan
pages do: a section of a category the reader may not read is left out; for a relative each
section needs its own category (``workspace.relative_views.PLAN_SECTION_CATEGORIES``: the goals
need ``goals``, what matters ``profile``), and cancelled goals are left out as on their page.

Goal is versioned too: every goals service appends a ``goals.GoalVersion`` (the goal's state after
that write); its ``meta.versionId`` is the goal's last change as the read gives it (the ETag an
update names in If-Match), so ``/_history`` lists exactly the versions the reads and writes
answered with. A goal written outside the services (demo data) has its current state as its
newest version.
"""

from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from koers import access
from koers.access import Category
from koers.careplans import sections as plan_sections
from koers.careplans.models import CarePlan, CarePlanVersion
from koers.fhir.auth import Grant
from koers.fhir.mappers import systems
from koers.fhir.mappers.careplan import careplan_to_fhir
from koers.fhir.mappers.goal import goal_data, goal_data_from_version, goal_to_fhir, goal_version
from koers.fhir.registry import Page, ResourceType, params_of, register
from koers.fhir.resources import writes
from koers.fhir.resources.people import is_relative
from koers.fhir.search import (
    ParamType,
    Search,
    SearchParam,
    any_of,
    as_id,
    date_q,
    id_param,
    last_updated_param,
    reference_param,
)
from koers.goals.models import GoalVersion
from koers.workspace.relative_views import PLAN_SECTION_CATEGORIES

GOAL = "goals.Goal"
GOAL_VERSION = "goals.GoalVersion"
PLAN = "careplans.CarePlan"
VERSION = "careplans.CarePlanVersion"
GOAL_STATUS_SYSTEM = "http://hl7.org/fhir/goal-status"
CAREPLAN_STATUS_SYSTEM = "http://hl7.org/fhir/request-status"


# --- shared by the clinical types -----------------------------------------------------------------


def persons_for(grant: Grant, category: Category):
    """The persons whose ``category`` this grant may read (its patient alone when it has one)."""
    persons = access.visible_persons(grant.user, category=category)
    if grant.patient_id is not None:
        persons = persons.filter(pk=grant.patient_id)
    return persons


def checked_person(grant: Grant, person_id, *, category: Category, object_type: str, object_id):
    """The object's person for a read (one success row), or the missing-record answer (and a
    refused row): no object, someone the reader may not read, or outside the grant's patient."""
    if person_id is None or (grant.patient_id is not None and person_id != grant.patient_id):
        access.refuse(
            grant.user,
            person_id=None,
            category=category,
            action=access.Action.READ,
            object_type=object_type,
            object_id=str(object_id)[:20],
        )
    return access.person_for(grant.user, person_id, category=category, object_type=object_type, object_id=object_id)


def log_page(grant: Grant, persons, object_type: str) -> None:
    persons = list({p.pk: p for p in persons}.values())
    if persons:
        access.record_list(grant.user, persons, object_type=object_type, detail="FHIR search")


def token_param(name: str, field_name: str, systems_: tuple[str, ...], documentation: str) -> SearchParam:
    """A coded field: ``code`` or ``system|code`` with one of ``systems_``."""

    def apply(queryset, values, grant):
        codes = [v.code for v in values if v.system is None or v.system in systems_]
        return queryset.filter(**{f"{field_name}__in": codes})

    return SearchParam(name, ParamType.TOKEN, apply, documentation)


def date_param(name: str, field_name: str, documentation: str, *, date_only: bool = False) -> SearchParam:
    def apply(queryset, values, grant):
        return queryset.filter(any_of(date_q(field_name, v, date_only=date_only) for v in values))

    return SearchParam(name, ParamType.DATE, apply, documentation)


def patient_params(field_name: str = "person_id") -> list[SearchParam]:
    return [
        reference_param("patient", field_name, "Patient", "The person (Patient/id or id)."),
        reference_param("subject", field_name, "Patient", "The same as patient."),
    ]


# --- Goal -----------------------------------------------------------------------------------------


goals_for = writes.goals_for


def goal_read(grant: Grant, pk: str) -> dict:
    goal_id = as_id(pk)
    goal = goals_for(grant).filter(pk=goal_id).prefetch_related("gas_levels").first() if goal_id else None
    checked_person(grant, goal.person_id if goal else None, category=Category.GOALS, object_type=GOAL, object_id=pk)
    return goal_to_fhir(goal)


def goal_search(grant: Grant, search: Search) -> Page:
    goals = goals_for(grant).filter(person__in=persons_for(grant, Category.GOALS))
    total, goals = search.page(goals.select_related("person").prefetch_related("gas_levels"), grant)
    log_page(grant, [g.person for g in goals], GOAL)
    return Page(total, [goal_to_fhir(g) for g in goals])


def _checked_goal(grant: Grant, pk: str, object_id: str):
    goal_id = as_id(pk)
    goal = goals_for(grant).filter(pk=goal_id).prefetch_related("gas_levels").first() if goal_id else None
    person = checked_person(
        grant, goal.person_id if goal else None, category=Category.GOALS, object_type=GOAL_VERSION, object_id=object_id
    )
    return goal, person


def goal_versions(goal) -> list:
    """The goal's versions, newest first: the stored ones, and its current state first when that
    is not stored (a goal written outside the goals services). A goal has tens of versions, not
    thousands, so they are read whole and paged in memory."""
    stored = GoalVersion.objects.filter(goal=goal).order_by("-updated_at", "-id")
    versions = [goal_data_from_version(v) for v in stored]
    current = goal_data(goal)
    if not versions or versions[0].updated_at != current.updated_at:
        versions.insert(0, current)
    return versions


def goal_vread(grant: Grant, pk: str, version_id: str) -> dict:
    goal, person = _checked_goal(grant, pk, f"{pk}/{version_id}")
    found = [v for v in goal_versions(goal) if goal_version(v.updated_at) == version_id]
    if not found:  # like a missing goal: a refused row, the one 404
        access.refuse(
            grant.user,
            person_id=person.pk,
            category=Category.GOALS,
            action=access.Action.READ,
            object_type=GOAL_VERSION,
            object_id=f"{pk}/{version_id}"[:64],
        )
    return goal_to_fhir(found[0])


def goal_history(grant: Grant, pk: str, search: Search) -> Page:
    goal, person = _checked_goal(grant, pk, f"{pk}/_history")
    versions = goal_versions(goal)
    page = versions[search.offset : search.offset + search.count] if search.count else []
    return Page(len(versions), [goal_to_fhir(v) for v in page], created_version=goal_version(versions[-1].updated_at))


GOAL_PARAMS = params_of(
    id_param("The goal's Koers id."),
    *patient_params(),
    token_param(
        "lifecycle-status",
        "lifecycle_status",
        (GOAL_STATUS_SYSTEM,),
        "proposed, active, on-hold, completed or cancelled.",
    ),
    token_param("achievement-status", "achievement_status", (systems.GOAL_ACHIEVEMENT,), "in-progress, achieved …"),
    token_param("category", "life_domain", (systems.LIFE_DOMAIN,), f"The life domain ({systems.LIFE_DOMAIN})."),
    date_param("start-date", "start_date", "When the goal starts.", date_only=True),
    date_param("target-date", "target_date", "The goal's target date.", date_only=True),
    last_updated_param("updated_at"),
)


# --- CarePlan: one per person, its stored versions --------------------------------------------------


def _plans():
    """Plans with at least one stored version, annotated with the newest one."""
    newest = CarePlanVersion.objects.filter(care_plan=OuterRef("pk")).order_by("-number")
    return CarePlan.objects.annotate(
        fhir_version=Subquery(newest.values("pk")[:1]),
        fhir_agreed=Subquery(newest.values("agreed_at")[:1]),
        fhir_updated=Coalesce(Subquery(newest.values("updated_at")[:1]), Subquery(newest.values("created_at")[:1])),
    ).filter(fhir_version__isnull=False)


def _versions():
    return CarePlanVersion.objects.select_related("care_plan__person")


def careplan_resource(grant: Grant, version: CarePlanVersion, person) -> dict:
    """The version as this reader may see it: sections of a category they may not read left out."""
    readable = access.categories_for(grant.user, person)
    snapshot = plan_sections.visible(version.snapshot or {}, readable)
    if is_relative(grant.user):  # a relative's plan page shows each section by its own category
        keys = {s.key for s in plan_sections.sections()}
        snapshot = {k: v for k, v in snapshot.items() if k not in keys or PLAN_SECTION_CATEGORIES.get(k) in readable}
    version.snapshot = snapshot  # in memory only, never saved
    return careplan_to_fhir(version)


def _checked_plan(grant: Grant, pk: str, object_type: str, object_id):
    plan_id = as_id(pk)
    plan = _plans().filter(pk=plan_id).first() if plan_id else None
    person = checked_person(
        grant,
        plan.person_id if plan else None,
        category=Category.CAREPLAN,
        object_type=object_type,
        object_id=object_id,
    )
    return plan, person


def careplan_read(grant: Grant, pk: str) -> dict:
    plan, person = _checked_plan(grant, pk, PLAN, pk)
    return careplan_resource(grant, _versions().get(pk=plan.fhir_version), person)


def careplan_vread(grant: Grant, pk: str, version_id: str) -> dict:
    number = as_id(version_id)
    plan, person = _checked_plan(grant, pk, VERSION, f"{pk}/{version_id}")
    version = _versions().filter(care_plan=plan, number=number).first() if number else None
    if version is None:  # like a missing plan: a refused row, the one 404
        access.refuse(
            grant.user,
            person_id=person.pk,
            category=Category.CAREPLAN,
            action=access.Action.READ,
            object_type=VERSION,
            object_id=str(version_id)[:20],
        )
    return careplan_resource(grant, version, person)


def careplan_history(grant: Grant, pk: str, search: Search) -> Page:
    plan, person = _checked_plan(grant, pk, VERSION, f"{pk}/_history")
    versions = _versions().filter(care_plan=plan).order_by("-number")
    total = versions.count()
    page = list(versions[search.offset : search.offset + search.count]) if search.count else []
    return Page(total, [careplan_resource(grant, v, person) for v in page], created_version="1")


def careplan_search(grant: Grant, search: Search) -> Page:
    plans = _plans().filter(person__in=persons_for(grant, Category.CAREPLAN)).select_related("person")
    total, plans = search.page(plans, grant)
    log_page(grant, [p.person for p in plans], PLAN)
    versions = _versions().in_bulk([p.fhir_version for p in plans])
    return Page(total, [careplan_resource(grant, versions[p.fhir_version], p.person) for p in plans])


def _careplan_status(queryset, values, grant):
    """active: the newest version is agreed with the person; draft: it is still open."""
    codes = {v.code for v in values if v.system in (None, CAREPLAN_STATUS_SYSTEM)}
    wanted = {"active": Q(fhir_agreed__isnull=False), "draft": Q(fhir_agreed__isnull=True)}
    return queryset.filter(any_of(q for code, q in wanted.items() if code in codes))


CAREPLAN_PARAMS = params_of(
    id_param("The plan's Koers id (one plan per person)."),
    *patient_params(),
    SearchParam("status", ParamType.TOKEN, _careplan_status, "active (the newest version agreed) or draft."),
    date_param("date", "created_at", "When the plan began (period.start)."),
    last_updated_param("fhir_updated"),
)


def register_types() -> None:
    register(
        ResourceType(
            name="Goal",
            profiles=(systems.NL_CORE_GOAL,),
            read=goal_read,
            search=goal_search,
            params=GOAL_PARAMS,
            vread=goal_vread,
            history=goal_history,
            create=writes.goal_create,
            update=writes.goal_update,
            documentation=(
                "A goal in the person's own words (nl-core-Goal); its GAS levels in an extension. "
                "Create (POST) and update (PUT with If-Match) through the goals services; every "
                "change is a stored version (vread, _history; versionId = the ETag)."
            ),
        )
    )
    register(
        ResourceType(
            name="CarePlan",
            profiles=(),
            read=careplan_read,
            search=careplan_search,
            params=CAREPLAN_PARAMS,
            vread=careplan_vread,
            history=careplan_history,
            documentation="The person's care plan; each stored version is a version (vread, _history).",
        )
    )
