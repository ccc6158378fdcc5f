"""The faster ``$export`` (issue #15) writes the same lines as before: the Goal and Task readers
now map plain ``values()`` rows, labels are translated once per language and ``drop_empty`` is
written out flat. Each is compared here with what the former code gave: the model-instance
mappers (what the reads use), the lazy label, and the former ``drop_empty`` kept below."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from django.db.models import F
from django.test import Client
from django.utils import translation

from koers.fhir import bulk
from koers.fhir.lookups import AnyOf
from koers.fhir.mappers import goal as goal_mappers
from koers.fhir.mappers import task as task_mappers
from koers.fhir.mappers.common import drop_empty, label
from koers.fhir.resources.people import care_team_resource
from koers.fhir.tests.test_bulk_group_export import export, system_token
from koers.goals.models import Action, GasLevel, Goal, LifeDomain, Responsible
from koers.network.models import CareTeamMember, RelativeLink
from koers.people.models import Person
from tests.support.testing import make_full_record


def _lines(bearer, manifest) -> dict[str, set[bytes]]:
    found = {}
    for output in manifest["output"]:
        response = Client().get(output["url"], headers={"Accept": "application/fhir+ndjson", **bearer})
        assert response.status_code == 200
        found[output["type"]] = set(response.content.splitlines())
    return found


def _as_before(persons) -> dict[str, set[bytes]]:
    """The lines the former readers made: model instances through the same mappers."""
    goals = Goal.objects.filter(person__in=persons).prefetch_related("gas_levels")
    actions = Action.objects.filter(person__in=persons)
    members = CareTeamMember.objects.filter(ended_at__isnull=True).select_related("professional", "organisation")
    teams = []
    for person in persons:
        mine = list(members.filter(person=person).order_by("started_at", "pk"))
        links = list(RelativeLink.objects.filter(person=person, ended_at__isnull=True).select_related("user"))
        teams.append(care_team_resource(person, mine, links))
    return {
        "Goal": {bulk._line(goal_mappers.goal_to_fhir(g)) for g in goals},
        "Task": {bulk._line(task_mappers.action_task_to_fhir(a)) for a in actions},
        "CareTeam": {bulk._line(t) for t in teams},
    }


@pytest.mark.django_db
def test_the_export_writes_the_lines_the_instance_mappers_write(cast):
    for person in (cast.anna, cast.bas):
        goal = make_full_record(person, professional=cast.noor)["goal_id"]  # the Goal itself
        # an action someone else does (the owner is a label) and a goal without GAS levels
        Action.objects.create(
            person=person,
            goal=goal,
            what="Samen boodschappen doen",
            responsible=Responsible.RELATIVE,
            created_by=cast.noor,
        )
        Goal.objects.create(
            person=person, description="Vaker wandelen", life_domain=LifeDomain.values[0], created_by=cast.noor
        )
    assert GasLevel.objects.filter(goal__person=cast.anna).exists()
    bearer = system_token(cast.gp_practice)
    _, manifest = export(bearer, cast.gp_practice.pk, "?_type=Goal,Task,CareTeam")
    got = _lines(bearer, manifest)
    before = _as_before(list(Person.objects.filter(pk__in=[cast.anna.pk, cast.bas.pk]).order_by("pk")))
    assert got["Goal"] == before["Goal"] and len(got["Goal"]) == 4
    assert before["Task"] <= got["Task"]  # the Task file also holds questionnaire assignments
    assert sum(b'"action-' in line for line in got["Task"]) == len(before["Task"]) == 4
    assert got["CareTeam"] == before["CareTeam"]


@pytest.mark.django_db
def test_a_label_is_translated_per_language():
    with translation.override("nl"):
        assert label(Responsible.RELATIVE) == "naaste"
    with translation.override("en"):
        assert label(Responsible.RELATIVE) == "relative"
    with translation.override("nl"):
        assert label(Responsible.RELATIVE) == "naaste"


def _drop_empty_before(resource: dict) -> dict:
    out = {}
    for key, value in resource.items():
        if isinstance(value, dict):
            value = _drop_empty_before(value)
        elif isinstance(value, list):
            value = [_drop_empty_before(v) if isinstance(v, dict) else v for v in value]
            value = [v for v in value if v not in (None, "", {}, [])]
        if value is None or (isinstance(value, str | list | dict) and not value):
            continue
        out[key] = value
    return out


def test_drop_empty_gives_what_it_gave_before():
    rnd = random.Random(15)
    atoms = [None, "", 0, 0.0, False, True, "x", 1, [], {}, [[]], [None], [""], [0], [[1]], ()]

    def draw(depth):
        if depth > 3 or rnd.random() < 0.3:
            return rnd.choice(atoms)
        if rnd.random() < 0.5:
            return {f"k{i}": draw(depth + 1) for i in range(rnd.randint(0, 4))}
        return [draw(depth + 1) for _ in range(rnd.randint(0, 4))]

    for _ in range(5000):
        resource = {f"k{i}": draw(0) for i in range(rnd.randint(0, 5))}
        expected = _drop_empty_before(resource)
        assert json.dumps(drop_empty(resource)) == json.dumps(expected)  # same keys, same order


@pytest.mark.django_db
def test_any_of_finds_what_in_finds(cast):
    ids = [cast.anna.pk, cast.bas.pk, 10**9]
    found = Person.objects.filter(AnyOf(F("pk"), ids)).values_list("pk", flat=True)
    assert sorted(found) == sorted(Person.objects.filter(pk__in=ids).values_list("pk", flat=True))
    assert len(found) == 2
    assert not Person.objects.filter(AnyOf(F("pk"), [])).exists()
    goals = Goal.objects.filter(AnyOf(F("person_id"), [cast.anna.pk]))  # a foreign key's column
    assert set(goals) == set(Goal.objects.filter(person=cast.anna))


@pytest.mark.django_db
@pytest.mark.parametrize("relative", [False, True])
def test_care_team_lines_from_plain_rows_are_the_reads_in_order(cast, relative):
    """CareTeam from plain membership rows (each professional and organisation loaded once) is
    the CareTeam read's resource, person by person in order — also for a relative's reader
    (the coordinator and their own link only)."""
    from koers.fhir import bulk_types
    from koers.fhir.resources import people as people_resources

    for person in (cast.anna, cast.bas):
        make_full_record(person, professional=cast.noor)
    CareTeamMember.objects.create(
        person=cast.bas,
        professional=cast.gert,
        organisation=cast.gp_practice,
        role=CareTeamMember.Role.values[-1],
        assigned_by=cast.noor,
        started_at=dt.datetime(2026, 7, 1, 8, 30, 5, 250000, tzinfo=dt.UTC),  # summer time, microseconds
    )
    assert RelativeLink.objects.filter(person=cast.anna, ended_at__isnull=True).exists()
    reader = bulk_types.Reader({}, user=cast.rob if relative else None, relative=relative)
    ids = [cast.anna.pk, cast.bas.pk]
    got = [(pid, bulk._line(resource)) for pid, resource in bulk_types._care_teams(reader, ids)]
    links = RelativeLink.objects.filter(ended_at__isnull=True).select_related("user").order_by("pk")
    links = links.filter(user=cast.rob) if relative else links
    expected = []
    for person in Person.objects.filter(pk__in=ids).order_by("pk"):
        members = list(people_resources._members(relative).filter(person=person))
        expected.append((person.pk, bulk._line(care_team_resource(person, members, list(links.filter(person=person))))))
    assert got == expected
    assert sum(line.count(b'"Practitioner/') for _pid, line in got) >= (2 if relative else 3)
