"""Caseload, person overview and portal home: scoped by the access layer, logged, cheap."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.consults.models import Consult, Preparation
from tests.support.testing import make_full_record, make_person

pytestmark = pytest.mark.django_db


def test_caseload_lists_only_my_persons_and_logs_each_one(cast, login):
    client = login(cast.gert)
    response = client.get(reverse("workspace:caseload"))
    assert response.status_code == 200
    names = [p.given_name for p in response.context["persons"]]
    assert names == ["Anna"]
    rows = AccessLogEntry.objects.filter(user=cast.gert, object_type="caseload", action="R")
    assert list(rows.values_list("person_id", flat=True)) == [cast.anna.pk]


def test_caseload_is_refused_to_non_professionals(cast, login):
    for user in (cast.anna_user, cast.rob, cast.mia):
        assert login(user).get(reverse("workspace:caseload")).status_code == 404


def test_caseload_search_and_attention_filter(cast, login):
    client = login(cast.noor)
    response = client.post(reverse("workspace:caseload"), {"q": "smit"})
    assert [p.given_name for p in response.context["persons"]] == ["Bas"]
    Preparation.objects.create(person=cast.anna, status=Preparation.Status.SUBMITTED)
    response = client.get(reverse("workspace:caseload"), {"aandacht": "1"})
    persons = response.context["persons"]
    assert [p.given_name for p in persons] == ["Anna"]
    assert persons[0].new_preparation is True
    assert "voorbereiding ingevuld" in response.content.decode()


def test_caseload_htmx_returns_only_the_rows_partial(cast, login):
    response = login(cast.noor).post(reverse("workspace:caseload"), {"q": "anna"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<table" in body and "<html" not in body
    assert "Anna" in body and "Bas" not in body


def test_caseload_shows_the_next_consult(cast, login):
    when = timezone.now() + dt.timedelta(days=2)
    Consult.objects.create(person=cast.anna, professional=cast.noor, created_by=cast.noor, scheduled_at=when)
    response = login(cast.noor).get(reverse("workspace:caseload"))
    anna = next(p for p in response.context["persons"] if p.pk == cast.anna.pk)
    assert anna.next_consult_at == when


def _count_queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_caseload_query_count_does_not_grow_with_the_caseload(cast, login):
    client = login(cast.noor)
    url = reverse("workspace:caseload")
    small = _count_queries(client, url, None)
    for i in range(12):
        make_person(actor=cast.noor, given_name=f"Extra{i}")
    large = _count_queries(client, url, None)
    assert large == small


def test_overview_query_count_does_not_grow_with_the_plan(cast, login):
    client = login(cast.noor)
    url = reverse("workspace:person", args=[cast.anna.pk])
    make_full_record(cast.anna, professional=cast.noor)
    small = _count_queries(client, url, None)
    make_full_record(cast.anna, professional=cast.noor)
    make_full_record(cast.anna, professional=cast.noor)
    large = _count_queries(client, url, None)
    assert large == small
    from django.db import connection

    # + the access log's chain lock on PostgreSQL (pg_advisory_xact_lock, koers/audit/log.py).
    assert small <= 20 + (connection.vendor == "postgresql")


def test_overview_shows_the_plan_and_escapes_what_people_wrote(cast, login):
    record = make_full_record(cast.anna, professional=cast.noor)
    goal = record["goal_id"]
    goal.description = "<script>alert(1)</script> weer fietsen"
    goal.save()
    body = login(cast.noor).get(reverse("workspace:person", args=[cast.anna.pk])).content.decode()
    assert "Diabetes mellitus type 2" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; weer fietsen" in body
    assert "<script>alert(1)</script>" not in body


def test_portal_home_is_the_persons_own(cast, login):
    make_full_record(cast.anna, professional=cast.noor)
    response = login(cast.anna_user).get(reverse("workspace:portal_home"))
    assert response.status_code == 200
    assert response.context["person"] == cast.anna
    assert "Ik wil weer uitgerust wakker worden" in response.content.decode()
    assert AccessLogEntry.objects.filter(
        user=cast.anna_user, person=cast.anna, object_type="portal_home", purpose="self"
    ).exists()


def test_home_sends_each_role_to_its_place(cast, login, client):
    assert client.get(reverse("home"))["Location"] == reverse("accounts:login")
    assert login(cast.anna_user).get(reverse("home"))["Location"] == reverse("workspace:portal_home")
    assert login(cast.noor).get(reverse("home"))["Location"] == reverse("workspace:caseload")
    manager_home = login(cast.mia).get(reverse("home"))
    assert manager_home.status_code == 200
    # A manager reaches the organisation's questionnaires (import of licensed instruments) from home.
    assert reverse("questionnaires:instruments") in manager_home.content.decode()
    assert login(cast.mia).get(reverse("questionnaires:instruments")).status_code == 200


def test_who_looked_shows_the_professionals_visit(cast, login):
    login(cast.noor).get(reverse("workspace:person", args=[cast.anna.pk]))
    response = login(cast.anna_user).get(reverse("workspace:portal_log"))
    body = response.content.decode()
    assert "Noor Bakker" in body and "Huisartsenpraktijk De Linde" in body
    entries = list(response.context["page"])
    assert all(e.user_id != cast.anna_user.pk for e in entries)


def test_caseload_pages_in_name_order_and_flags_people_on_later_pages(cast, login):
    """Only the page's rows are loaded; the attention filter still looks at the whole caseload."""
    for i in range(30):
        make_person(actor=cast.noor, given_name=f"Zz{i:02d}", family_name="Zwart")
    last = make_person(actor=cast.noor, given_name="Zz99", family_name="Zwart")
    client = login(cast.noor)
    first_page = client.get(reverse("workspace:caseload")).context
    assert first_page["page"].paginator.count == 33  # Anna, Bas and the 31 new ones
    assert len(first_page["persons"]) == 25
    second = client.get(reverse("workspace:caseload"), {"pagina": "2"}).context["persons"]
    both = list(first_page["persons"]) + list(second)
    assert len({p.pk for p in both}) == 33
    zwart = [p.given_name for p in both if p.family_name == "Zwart"]
    assert zwart == sorted(zwart) and zwart[-1] == "Zz99"  # name order holds across the page break

    Preparation.objects.create(person=last, status=Preparation.Status.SUBMITTED)
    flagged = client.get(reverse("workspace:caseload"), {"aandacht": "1"}).context["persons"]
    assert [p.pk for p in flagged] == [last.pk]
    assert flagged[0].new_preparation is True and flagged[0].decision_waiting is False
    # The log names exactly the persons shown on each page.
    shown = AccessLogEntry.objects.filter(user=cast.noor, object_type="caseload").values_list("person_id", flat=True)
    assert last.pk in set(shown)


def test_caseload_leaves_out_ended_memberships(cast, login):
    from koers.network.models import CareTeamMember

    CareTeamMember.objects.filter(person=cast.bas, professional=cast.noor).update(ended_at=timezone.now())
    persons = login(cast.noor).get(reverse("workspace:caseload")).context["persons"]
    assert cast.bas.pk not in {p.pk for p in persons}
    assert login(cast.noor).get(reverse("workspace:person", args=[cast.bas.pk])).status_code == 404


def test_caseload_shows_a_late_questionnaire(cast, login):
    import time_machine

    from koers.questionnaires.services import assignment_create

    due = timezone.localdate() + dt.timedelta(days=3)
    assignment_create(actor=cast.noor, person=cast.anna, instrument_id="phq-9", due_date=due)
    client = login(cast.noor)
    anna = next(p for p in client.get(reverse("workspace:caseload")).context["persons"] if p.pk == cast.anna.pk)
    assert anna.questionnaire_late is False
    with time_machine.travel(timezone.now() + dt.timedelta(days=5)):
        client = login(cast.noor)
        response = client.get(reverse("workspace:caseload"), {"aandacht": "1"})
        anna = next(p for p in response.context["persons"] if p.pk == cast.anna.pk)
        assert anna.questionnaire_late is True
        assert "vragenlijst te laat" in response.content.decode()


def test_caseload_flags_a_self_measurement_outside_an_agreed_target(cast, login):
    from koers.monitoring import services as monitoring
    from koers.monitoring.entries import Entry
    from koers.monitoring.models import Observation

    def anna(params=None):
        response = login(cast.noor).get(reverse("workspace:caseload"), params or {})
        return next((p for p in response.context["persons"] if p.pk == cast.anna.pk), None), response

    target = monitoring.target_set(actor=cast.noor, person=cast.anna, type="systolic_bp", high=140, signal_target=False)
    now = timezone.now()
    monitoring.observations_record(
        actor=cast.anna_user,
        person=cast.anna,
        entries=[
            Entry(type="systolic_bp", value=165, effective_at=now - dt.timedelta(days=9)),  # too long ago
            Entry(type="systolic_bp", value=132, effective_at=now - dt.timedelta(days=2)),  # inside
            Entry(type="systolic_bp", value=152, effective_at=now - dt.timedelta(hours=3)),
        ],
        source=Observation.Source.PORTAL,
    )
    row, _ = anna()
    assert row.value_outside_target is False  # outside, but signalling was not agreed
    monitoring.target_set(actor=cast.noor, person=cast.anna, type=target.type.code, high=140, signal_target=True)
    row, response = anna({"aandacht": "1"})
    assert row is not None and row.value_outside_target is True
    assert "zelfmeting buiten streefgebied" in response.content.decode()
    monitoring.target_set(actor=cast.noor, person=cast.anna, type="systolic_bp", high=160, signal_target=True)
    row, _ = anna()
    assert row.value_outside_target is False  # the 165 is nine days old


def test_overview_lists_the_care_team_in_the_care_plans_order(cast, login):
    """Organisation by name, then the responsible professional, then by name: the same order as
    the care plan, whatever order the rows were written in (it came out as the table's order)."""
    from koers.network.models import CareTeamMember
    from koers.network.selectors import active_care_team

    CareTeamMember.objects.create(
        person=cast.anna,
        professional=cast.pieter,
        organisation=cast.pieter.organisation,
        assigned_by=cast.noor,
        started_at=timezone.now(),
    )
    expected = [m.professional.display_name() for m in active_care_team(cast.anna)]
    assert expected[0] == cast.pieter.display_name()  # "GGZ-team Oost" before "Huisartsenpraktijk De Linde"
    body = login(cast.noor).get(reverse("workspace:person", args=[cast.anna.pk])).content.decode()
    team = body[body.index("Zorgverleners") :]
    team = team[: team.index("</ul>")]
    assert sorted((team.index(f"<li>{name} "), name) for name in expected) == [
        (team.index(f"<li>{name} "), name) for name in expected
    ]
