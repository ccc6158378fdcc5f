"""What a FHIR ``$export`` can hold: every readable type of the registry, as NDJSON (issue #15).

An ``ExportType`` is one NDJSON file; it has one or more ``Part``s, each a kind of rows under the
category of the pages that show them (Observation: GAS levels under ``goals``, lab values and
self-measurements under ``measurements``, scores under ``questionnaires``). The reader
(``Reader``) holds, per person, the categories the requester may read *now* — the access
layer's answer (``access.categories_for`` for a user, ``access.organisation_categories`` for an
organisation's system) — and a part reads only the persons whose categories hold its own.
Parts query the persons in chunks (``CHUNK`` persons at a time, one to three queries a chunk) and
yield ``(person id, resource)``; the resources come from the pure mappers the read and search
use, so an exported line is what a read gives.

Not exported: AuditEvent (the access log, the person's own page alone), Questionnaire,
Practitioner, PractitionerRole, Organization and RelatedPerson (no person's data of their own, or
in the CareTeam already).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields

from django.db import connection
from django.db.models import F, OuterRef, Q, Subquery

from koers.access import Category
from koers.careplans import sections as plan_sections
from koers.careplans.models import CarePlan, CarePlanVersion
from koers.fhir import bulk_rows, bulk_sql
from koers.fhir.lookups import AnyOf
from koers.fhir.mappers import careplan as careplan_mappers
from koers.fhir.mappers import document as document_mappers
from koers.fhir.mappers import goal as goal_mappers
from koers.fhir.mappers import people as people_mappers
from koers.fhir.mappers import questionnaire as questionnaire_mappers
from koers.fhir.mappers import task as task_mappers
from koers.fhir.resources import consents as consent_resources
from koers.fhir.resources import observations
from koers.fhir.resources.people import care_team_resource
from koers.goals.models import Action, GasLevel, Goal
from koers.handover.models import HandoverSummary
from koers.network.models import CareTeamMember, RelativeLink
from koers.people.models import Person
from koers.questionnaires.models import Assignment, Response
from koers.workspace.relative_views import GOAL_STATUSES, PLAN_SECTION_CATEGORIES

CHUNK = 2000  # persons per query (a plain fetch: server-side cursors cost more than they save here)


@dataclass
class Reader:
    """For whom an export is made: the categories per person the requester may read now."""

    categories: dict[int, frozenset[Category]]
    user: object | None = None  # the user who asked; None for an organisation's system
    organisation_id: int | None = None  # the system's organisation
    relative: bool = False
    show_bsn: bool = False
    since: object | None = None
    person_ids: list[int] = field(default_factory=list)

    def persons_with(self, category: Category) -> list[int]:
        return [pid for pid in self.person_ids if category in self.categories.get(pid, ())]


Rows = Callable[[Reader, list[int]], Iterable[tuple[int, dict]]]
Lines = Callable[[Reader, list[int]], Iterable[tuple[int, bytes]]]


@dataclass(frozen=True)
class Part:
    category: Category
    rows: Rows  # (reader, person ids of one chunk) -> (person id, resource)
    for_relative: bool = False  # whether a relative's own pages show it (else never a relative)
    lines: Lines | None = None  # the same as NDJSON lines, made faster (koers.fhir.bulk_rows)
    blocks: Callable | None = None  # the same lines in blocks with their index (koers.fhir.bulk_sql)

    def lines_of(self, reader: Reader, ids: list[int]) -> Iterable[tuple[int, bytes]]:
        """(person id, NDJSON line without its newline) of a chunk of persons."""
        if self.lines is not None:
            return self.lines(reader, ids)
        return ((person_id, bulk_rows.line(resource)) for person_id, resource in self.rows(reader, ids))

    def blocks_of(self, reader: Reader, ids: list[int]):
        """(lines, file index, person ids, count) per block of a chunk of persons, when this part
        has them here (PostgreSQL); else None (``lines_of``)."""
        return None if self.blocks is None else self.blocks(reader, ids, f"{self.category}")


@dataclass(frozen=True)
class ExportType:
    name: str
    parts: tuple[Part, ...]

    def for_relative(self) -> bool:
        return any(p.for_relative for p in self.parts)


def _since(queryset, reader: Reader, *fields: str):
    if reader.since is None:
        return queryset
    q = Q()
    for name in fields:
        q |= Q(**{f"{name}__gte": reader.since})
    return queryset.filter(q)


def _patients(reader: Reader, ids: list[int]):
    persons = _since(Person.objects.filter(AnyOf(F("pk"), ids)), reader, "updated_at").order_by("pk")
    for person in persons:
        yield person.pk, people_mappers.patient(person, show_bsn=reader.show_bsn)


@dataclass(frozen=True)
class _Member:
    """What the CareTeam mapper reads of a ``CareTeamMember``, from a plain row and the chunk's
    professionals and organisations (each loaded once, not once per membership)."""

    role: str
    professional_id: int
    professional: object
    organisation_id: int
    organisation: object
    started_at: object


_MEMBER_FIELDS = ("person_id", "role", "professional_id", "organisation_id", "started_at")


def _care_teams(reader: Reader, ids: list[int]):
    members = CareTeamMember.objects.filter(ended_at__isnull=True)
    links = RelativeLink.objects.filter(ended_at__isnull=True).select_related("user").order_by("pk")
    if reader.relative:  # as the CareTeam read: the coordinator and their own link
        members = members.filter(role=CareTeamMember.Role.RESPONSIBLE)
        links = links.filter(user=reader.user)
    persons = Person.objects.filter(AnyOf(F("pk"), ids)).order_by("pk")
    if reader.since is not None:  # a team has no change time: a membership begun or ended since
        changed = CareTeamMember.objects.filter(Q(started_at__gte=reader.since) | Q(ended_at__gte=reader.since))
        persons = persons.filter(pk__in=changed.values("person_id"))
    persons = list(persons)
    found = [p.pk for p in persons]  # the members and links of the whole chunk: one query each
    rows = bulk_rows.plain_rows(
        members.filter(AnyOf(F("person_id"), found)).order_by("started_at", "pk").values_list(*_MEMBER_FIELDS)
    )
    professionals = _by_pk(CareTeamMember, "professional", {row[2] for row in rows})
    organisations = _by_pk(CareTeamMember, "organisation", {row[3] for row in rows})
    team: dict[int, list] = {}
    for person_id, role, professional_id, organisation_id, started_at in rows:
        member = _Member(
            role,
            professional_id,
            professionals[professional_id],
            organisation_id,
            organisations[organisation_id],
            started_at,
        )
        team.setdefault(person_id, []).append(member)
    relatives: dict[int, list] = {}
    for link in links.filter(AnyOf(F("person_id"), found)):
        relatives.setdefault(link.person_id, []).append(link)
    for person in persons:
        yield person.pk, care_team_resource(person, team.get(person.pk, []), relatives.get(person.pk, []))


def _by_pk(model, relation: str, pks: set) -> dict:
    """The related model's instances of ``relation`` by primary key (as ``select_related`` loads them)."""
    related = model._meta.get_field(relation).related_model
    return {obj.pk: obj for obj in related.objects.filter(AnyOf(F("pk"), sorted(pks)))} if pks else {}


_GOAL_FIELDS = tuple(f.name for f in dataclass_fields(goal_mappers.GoalData) if f.name != "gas_levels")


def _goals(reader: Reader, ids: list[int]):
    """Plain rows (``values()``), the GAS levels of the whole chunk in one more query."""
    goals = Goal.objects.filter(AnyOf(F("person_id"), ids)).order_by("person_id", "pk")
    if reader.relative:  # the relative's goals page: no cancelled goals
        goals = goals.filter(lifecycle_status__in=GOAL_STATUSES)
    rows = bulk_rows.plain_dicts(_since(goals, reader, "updated_at"), _GOAL_FIELDS)
    levels: dict[int, list[tuple[int, str]]] = {}
    gas = [row["id"] for row in rows if row["uses_gas"]]
    for start in range(0, len(gas), CHUNK):
        found = GasLevel.objects.filter(AnyOf(F("goal_id"), gas[start : start + CHUNK]))
        for goal_id, level, description in bulk_rows.plain_rows(found.values_list("goal_id", "level", "description")):
            levels.setdefault(goal_id, []).append((level, description))
    for row in rows:
        data = goal_mappers.GoalData(**row, gas_levels=tuple(sorted(levels.get(row["id"], ()))))
        yield row["person_id"], goal_mappers.goal_to_fhir(data)


# What ``careplan_mappers.careplan_data`` does not read of a version and its plan: the change notes
# and the plan's kept current snapshot, JSON decoded per row otherwise (a third of CarePlan's CPU).
_PLAN_UNREAD = ("changes", "care_plan__current_snapshot")


def _care_plans(reader: Reader, ids: list[int]):
    """Each plan as its newest version, its sections filtered as the plan pages filter them."""
    newest = CarePlanVersion.objects.filter(care_plan=OuterRef("pk")).order_by("-number").values("pk")[:1]
    version_ids = (
        CarePlan.objects.filter(AnyOf(F("person_id"), ids)).annotate(v=Subquery(newest)).values_list("v", flat=True)
    )
    versions = CarePlanVersion.objects.filter(AnyOf(F("pk"), [v for v in version_ids if v])).select_related("care_plan")
    versions = versions.defer(*_PLAN_UNREAD)  # JSON the mapper does not read: not decoded
    versions = _since(versions, reader, "updated_at", "created_at").order_by("care_plan__person_id")
    keys = {s.key for s in plan_sections.sections()}
    for version in versions:
        person_id = version.care_plan.person_id
        readable = reader.categories.get(person_id, frozenset())
        snapshot = plan_sections.visible(version.snapshot or {}, readable)
        if reader.relative:  # a relative's plan page shows each section by its own category
            own = PLAN_SECTION_CATEGORIES
            snapshot = {k: v for k, v in snapshot.items() if k not in keys or own.get(k) in readable}
        version.snapshot = snapshot  # in memory only, never saved
        yield person_id, careplan_mappers.careplan_to_fhir(version)


# Observation kinds whose mapper reads only the person's id of a row (``score_to_fhir``): their
# rows are read without the person joined (a Person instance per score was a third of their CPU).
_WITHOUT_PERSON = frozenset({"score-"})


def _observations(kind) -> Rows:
    def rows(reader: Reader, ids: list[int]):
        found = kind.queryset().filter(AnyOf(F(f"{kind.person}_id"), ids))
        if kind.prefix in _WITHOUT_PERSON:
            found = found.select_related(None)
        if reader.relative:
            found = kind.for_relative(found)
        for row in _since(found, reader, kind.updated).order_by("pk"):
            yield kind.person_id(row), kind.resource(row)

    return rows


_SCORE_UNREAD = ("score__flags", "score__band", "score__person", "score__authored_at", "score__missing")


def _responses(reader: Reader, ids: list[int]):
    # with the scores kept at completion (``score``): the mapper does not score those anew
    responses = Response.objects.select_related("imported", "score").filter(AnyOf(F("person_id"), ids)).order_by("pk")
    memo: dict = {}  # the scored resource per distinct instrument, status and answers (in this chunk)
    for response in _since(responses, reader, "updated_at").defer("resource", *_SCORE_UNREAD):
        yield response.person_id, questionnaire_mappers.questionnaire_response_to_fhir(response, memo=memo)


def _consents(reader: Reader, ids: list[int]):
    found = _since(consent_resources._consents().filter(AnyOf(F("person_id"), ids)), reader, "decision__decided_at")
    found = list(found.order_by("pk"))
    for consent, resource in zip(found, consent_resources._resources(found), strict=True):
        yield consent.person_id, resource


_ACTION_FIELDS = tuple(f.name for f in dataclass_fields(task_mappers.ActionTaskData))


def _actions(reader: Reader, ids: list[int]):
    actions = Action.objects.filter(AnyOf(F("person_id"), ids)).order_by("pk")
    for row in bulk_rows.plain_dicts(_since(actions, reader, "updated_at"), _ACTION_FIELDS):
        yield row["person_id"], task_mappers.action_task_to_fhir(task_mappers.ActionTaskData(**row))


def _assignments(reader: Reader, ids: list[int]):
    assignments = Assignment.objects.select_related("imported").filter(AnyOf(F("person_id"), ids)).order_by("pk")
    for assignment in _since(assignments, reader, "assigned_at", "last_completed_at", "ended_at"):
        yield assignment.person_id, task_mappers.assignment_task_to_fhir(assignment)


def _documents(reader: Reader, ids: list[int]):
    """Handover summaries the reader sent or received (a system: its organisation's
    professionals did), of the moment's category the reader may read now; parts as the page."""
    summaries = HandoverSummary.objects.filter(AnyOf(F("person_id"), ids)).select_related("person")
    if reader.user is not None:
        mine = Q(sender=reader.user) | Q(deliveries__recipient=reader.user)
    else:
        org = reader.organisation_id
        mine = Q(sender_organisation_id=org) | Q(deliveries__recipient_organisation_id=org)
    summaries = summaries.filter(pk__in=HandoverSummary.objects.filter(mine).values("pk"))
    for summary in _since(summaries, reader, "created_at").order_by("pk"):
        readable = reader.categories.get(summary.person_id, frozenset())
        if summary.category in readable:
            yield summary.person_id, document_mappers.document_reference_to_fhir(summary, categories=readable)


SQL_LINES = True  # on PostgreSQL, self-measurement lines made by the database (koers.fhir.bulk_sql)


def _self_measurement_lines(reader: Reader, ids: list[int]):
    if SQL_LINES and connection.vendor == "postgresql":
        return bulk_sql.self_measurements(ids, updated_since=reader.since)
    return bulk_rows.self_measurements(ids, updated_since=reader.since)


def _self_measurement_blocks(reader: Reader, ids: list[int], category: str):
    if SQL_LINES and connection.vendor == "postgresql":
        return bulk_sql.blocks(ids, category=category, updated_since=reader.since)
    return None


_FAST_BLOCKS = {"mon-": _self_measurement_blocks}  # kinds whose lines come in blocks, ready to write


_FAST_LINES = {"mon-": _self_measurement_lines}  # Observation kinds (by id prefix) read as plain rows

# The types an export can hold, in file order.
TYPES: dict[str, ExportType] = {
    t.name: t
    for t in (
        ExportType("Patient", (Part(Category.DEMOGRAPHICS, _patients, for_relative=True),)),
        ExportType("CareTeam", (Part(Category.DEMOGRAPHICS, _care_teams, for_relative=True),)),
        ExportType("Goal", (Part(Category.GOALS, _goals, for_relative=True),)),
        ExportType("CarePlan", (Part(Category.CAREPLAN, _care_plans, for_relative=True),)),
        ExportType(
            "Observation",
            tuple(
                Part(
                    kind.category,
                    _observations(kind),
                    for_relative=True,
                    lines=_FAST_LINES.get(kind.prefix),
                    blocks=_FAST_BLOCKS.get(kind.prefix),
                )
                for kind in observations.KINDS
            ),
        ),
        ExportType("QuestionnaireResponse", (Part(Category.QUESTIONNAIRES, _responses),)),
        ExportType("Consent", (Part(Category.CONSENT, _consents),)),
        ExportType(
            "Task",
            (Part(Category.GOALS, _actions, for_relative=True), Part(Category.QUESTIONNAIRES, _assignments)),
        ),
        ExportType("DocumentReference", (Part(Category.DOCUMENTS, _documents),)),
    )
}


def resources(export_type: ExportType, reader: Reader) -> Iterator[tuple[int, dict]]:
    """Every (person id, resource) of one type the reader may have, person chunk by chunk."""
    for part in export_type.parts:
        if reader.relative and not part.for_relative:
            continue
        ids = reader.persons_with(part.category)
        for start in range(0, len(ids), CHUNK):
            yield from part.rows(reader, ids[start : start + CHUNK])
