"""Worklists: only persons in the user's care, every listed person logged, constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.careplans.models import FollowUpAgreement
from koers.consults.models import Consult
from koers.goals.models import Action, Goal
from koers.network.models import CareTeamMember
from koers.network.services import care_team_assign
from koers.questionnaires.models import Assignment
from tests.support.testing import make_person

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


def follow_up(cast, person, next_date, what="Slaap bespreken", frequency=""):
    return FollowUpAgreement.objects.create(
        person=person, what=what, who="Noor", next_date=next_date, frequency=frequency, created_by=cast.noor
    )


def seen(cast, person, days_ago):
    return Consult.objects.create(
        person=person,
        professional=cast.noor,
        created_by=cast.noor,
        scheduled_at=timezone.now() - dt.timedelta(days=days_ago),
        status=Consult.Status.HELD,
    )


def test_worklist_shows_each_kind(cast, login):
    follow_up(cast, cast.anna, TODAY - dt.timedelta(days=3), what="Bloeddruk bespreken", frequency="elke maand")
    follow_up(cast, cast.anna, TODAY + dt.timedelta(days=40), what="Ver weg")
    goal = Goal.objects.create(
        person=cast.anna,
        description="Weer fietsen",
        life_domain="health",
        lifecycle_status="active",
        target_date=TODAY + dt.timedelta(days=5),
        created_by=cast.noor,
    )
    Action.objects.create(
        person=cast.anna, goal=goal, what="Elke dag wandelen", review_date=TODAY, created_by=cast.noor
    )
    Assignment.objects.create(
        person=cast.anna,
        instrument_id="phq-9",
        instrument_version="1.0.0",
        title="PHQ-9",
        due_date=TODAY - dt.timedelta(days=1),
        assigned_by=cast.noor,
        assigned_at=timezone.now(),
    )
    seen(cast, cast.anna, 45)  # agreed: every month
    seen(cast, cast.bas, 10)

    response = login(cast.noor).get("/werklijst/")
    assert response.status_code == 200
    items = list(response.context["items"])
    kinds = {(item.kind, item.what) for item in items}
    assert ("follow_up", "Bloeddruk bespreken") in kinds
    assert ("goal_evaluation", "Weer fietsen") in kinds
    assert ("action_review", "Elke dag wandelen") in kinds
    assert ("questionnaire", "PHQ-9") in kinds
    assert ("follow_up", "Ver weg") not in kinds
    not_seen = [item for item in items if item.kind == "not_seen"]
    assert [(i.person_id, i.extra["days"], i.extra["agreed"]) for i in not_seen] == [(cast.anna.pk, 30, True)]
    assert [i.due_date for i in items] == sorted(i.due_date for i in items)
    text = response.content.decode()
    assert "Bloeddruk bespreken" in text and "te laat" in text
    assert "Laatst gezien op" in text


def test_not_seen_uses_the_support_level_default_when_nothing_is_agreed(cast, login):
    seen(cast, cast.bas, 100)  # no support level: Koers default 3 months (91 days)
    seen(cast, cast.anna, 80)
    items = login(cast.noor).get("/werklijst/").context["items"]
    assert [(i.person_id, i.extra["agreed"]) for i in items if i.kind == "not_seen"] == [(cast.bas.pk, False)]


def test_my_list_is_where_i_am_responsible_the_team_list_everyone_in_my_care(cast, login):
    follow_up(cast, cast.anna, TODAY)
    seen(cast, cast.anna, 1)
    seen(cast, cast.bas, 1)
    # Gert is in Anna's team, not responsible: not on his own list, on his team list.
    assert list(login(cast.gert).get("/werklijst/").context["items"]) == []
    team = login(cast.gert).get("/werklijst/team/")
    assert [(i.person_id, i.kind) for i in team.context["items"]] == [(cast.anna.pk, "follow_up")]
    assert "Noor Bakker" in team.content.decode()


def test_only_persons_in_my_care(cast, login):
    stranger = make_person(actor=cast.sam, given_name="Vreemd")
    follow_up(cast, stranger, TODAY, what="Niet van Noor")
    follow_up(cast, cast.anna, TODAY, what="Wel van Noor")
    text = login(cast.noor).get("/werklijst/team/").content.decode()
    assert "Wel van Noor" in text and "Niet van Noor" not in text
    assert "Wel van Noor" not in login(cast.sam).get("/werklijst/team/").content.decode()
    # Someone who left the team no longer sees the person.
    CareTeamMember.objects.filter(person=cast.anna, professional=cast.gert).update(ended_at=timezone.now())
    assert "Wel van Noor" not in login(cast.gert).get("/werklijst/team/").content.decode()


def test_people_and_relatives_get_404(cast, login):
    assert login(cast.anna_user).get("/werklijst/").status_code == 404
    assert login(cast.rob).get("/werklijst/team/").status_code == 404
    assert login(cast.mia).get("/werklijst/").status_code == 404


def test_every_listed_person_is_logged(cast, login):
    follow_up(cast, cast.anna, TODAY)
    follow_up(cast, cast.bas, TODAY)
    seen(cast, cast.anna, 1)
    seen(cast, cast.bas, 1)
    before = set(AccessLogEntry.objects.values_list("pk", flat=True))
    login(cast.noor).get("/werklijst/")
    rows = AccessLogEntry.objects.exclude(pk__in=before).filter(object_type="worklist")
    assert sorted(rows.values_list("person_id", flat=True)) == sorted([cast.anna.pk, cast.bas.pk])
    assert set(rows.values_list("user_id", flat=True)) == {cast.noor.pk}


def test_escaped(cast, login):
    follow_up(cast, cast.anna, TODAY, what="<script>alert(1)</script>")
    text = login(cast.noor).get("/werklijst/").content.decode()
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;" in text


def _fill(cast, n):
    for i in range(n):
        person = make_person(actor=cast.noor, given_name=f"P{i}")
        follow_up(cast, person, TODAY)
        goal = Goal.objects.create(
            person=person,
            description="Doel",
            life_domain="health",
            lifecycle_status="active",
            target_date=TODAY,
            created_by=cast.noor,
        )
        Action.objects.create(person=person, goal=goal, what="Actie", review_date=TODAY, created_by=cast.noor)
        care_team_assign(actor=cast.noor, person=person, professional=cast.gert)


def test_constant_queries_and_pages(cast, login):
    client = login(cast.noor)
    _fill(cast, 3)
    client.get("/werklijst/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/werklijst/team/")
    _fill(cast, 12)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/werklijst/team/")
    assert len(many) == len(few)
    # 15 persons × (follow-up, goal, action) = 45 items (all registered today: none "not seen"), 25 a page.
    assert response.context["total"] == 45
    assert len(response.context["items"]) == 25
    second = client.get("/werklijst/team/?pagina=2")
    assert len(second.context["items"]) == 20
    assert client.get("/werklijst/team/?pagina=abc").status_code == 200


def test_a_person_never_seen_counts_from_registration(cast, login):
    from koers.people.models import Person

    Person.objects.filter(pk=cast.bas.pk).update(created_at=timezone.now() - dt.timedelta(days=200))
    seen(cast, cast.anna, 1)
    items = login(cast.noor).get("/werklijst/").context["items"]
    rows = [(i.person_id, i.extra["last_seen"]) for i in items if i.kind == "not_seen"]
    assert rows == [(cast.bas.pk, TODAY - dt.timedelta(days=200))]
    # A cancelled consult is not being seen.
    Consult.objects.create(
        person=cast.bas,
        professional=cast.noor,
        created_by=cast.noor,
        scheduled_at=timezone.now() - dt.timedelta(days=2),
        status=Consult.Status.CANCELLED,
    )
    items = login(cast.noor).get("/werklijst/").context["items"]
    assert [i.person_id for i in items if i.kind == "not_seen"] == [cast.bas.pk]


def test_who_looked_names_the_worklist():
    from koers.workspace.who_looked import object_type_label

    assert object_type_label("worklist") == "Werklijst van uw zorgverleners"


def test_the_plan_leads_to_the_follow_up_pages(cast, login):
    portal_plan = login(cast.anna_user).get("/mijn/zorgplan/").content.decode()
    assert 'href="/mijn/agenda/"' in portal_plan and 'href="/mijn/zorgplan/jaarevaluatie/"' in portal_plan
