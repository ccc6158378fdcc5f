"""The indicators page: managers and quality staff see suppressed aggregates, logged as one
aggregate row; everyone else gets the missing-page answer; bad input a clear message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from koers.accounts.models import Team
from koers.audit.models import AccessLogEntry
from koers.careplans.models import CarePlan, CarePlanVersion
from koers.indicators import cohorts
from koers.network.models import CareTeamMember
from tests.support.testing import make_person

pytestmark = pytest.mark.django_db
URL = "/indicatoren/"


def test_a_manager_sees_the_indicators_logged_as_one_aggregate_access(cast, client):
    client.force_login(cast.mia)
    before = AccessLogEntry.objects.count()
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Uitkomstindicatoren" in html and "Zorgplan actueel" in html and "<table" in html
    assert "Anna" not in html and "de Boer" not in html  # never a person
    assert "&lt;10" in html  # two people in De Linde: every count suppressed, marked
    rows = list(AccessLogEntry.objects.order_by("pk")[before:])
    assert len(rows) == 1
    assert rows[0].object_type == "indicators" and rows[0].person_id is None and rows[0].purpose == "quality"


def test_the_trend_has_a_chart_with_a_text_alternative_and_a_table(cast, client):
    now = timezone.now()
    people = [make_person(actor=cast.noor, family_name=f"Trend{i}") for i in range(12)]
    CareTeamMember.objects.filter(person__in=people).update(started_at=now - dt.timedelta(days=400))
    cohorts.refresh(p.pk for p in people)  # a queryset update sends no signals: the kept cohorts by hand
    for person in people:
        plan, _ = CarePlan.objects.get_or_create(person=person)
        CarePlanVersion.objects.create(
            care_plan=plan,
            number=50,
            created_at=now - dt.timedelta(days=200),
            created_by=cast.noor,
            snapshot={},
            agreed_at=now - dt.timedelta(days=200),
        )
    client.force_login(cast.mia)
    html = client.get(URL).content.decode()
    assert 'role="img"' in html and "<desc" in html  # the SVG says what it shows
    # The quarters before Anna and Bas came: Noor's twelve, all agreed (now: 12 of 14, suppressed)
    assert "100 % (12 / 12)" in html


@pytest.mark.parametrize("who", ["anna_user", "rob", "ada"])
def test_others_get_the_missing_page(cast, client, who):
    client.force_login(getattr(cast, who))
    before = AccessLogEntry.objects.filter(object_type="indicators").count()
    assert client.get(URL).status_code == 404
    assert AccessLogEntry.objects.filter(object_type="indicators").count() == before


def test_bad_dates_get_a_clear_message_and_no_figures(cast, client):
    client.force_login(cast.mia)
    response = client.get(URL, {"van": "2026-05-01", "tot": "2026-01-01"})
    assert response.status_code == 400
    assert "De einddatum ligt voor de begindatum." in response.content.decode()
    response = client.get(URL, {"van": "geen-datum"})
    assert response.status_code == 400
    assert not AccessLogEntry.objects.filter(object_type="indicators").exists()


def test_a_team_of_another_organisation_is_not_a_choice(cast, client):
    other = Team.objects.create(organisation=cast.elsewhere, name="Ander team")
    client.force_login(cast.mia)
    assert client.get(URL, {"team": other.pk}).status_code == 400
