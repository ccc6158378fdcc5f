"""The metro map pages: who may open them, what each reader sees on them, and the access log."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from koers import access
from koers.audit.models import AccessLogEntry
from koers.network.services import consent_set
from tests.support.testing import make_full_record, make_user

pytestmark = pytest.mark.django_db

Topic = access.Topic


@pytest.fixture
def record(cast):
    return make_full_record(cast.anna, professional=cast.noor)


def rows(user, outcome):
    return AccessLogEntry.objects.filter(user=user, outcome=outcome, object_type="journey")


def stations(html: str) -> list[str]:
    listing = re.search(r'<details class="metro-list">.*?<ol>(.*?)</ol>', html, re.S)
    assert listing, "no list of stations"
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li>(.*?)</li>", listing.group(1), re.S)]


def test_the_person_sees_their_route_with_past_and_planned_moments(client, cast, record):
    client.force_login(cast.anna_user)
    response = client.get(reverse("journey:portal_map"))
    assert response.status_code == 200
    html = response.content.decode()
    listed = stations(html)
    assert any("Gesprek met" in s and "gepland" in s for s in listed), listed
    assert any("Crisisplan gemaakt" in s for s in listed), listed
    assert 'role="group" aria-labelledby="h-metro"' in html
    # The drawing and the list hold the same stations, each a link where the person may open it.
    assert html.count('class="metro-station"') == len(listed)
    assert reverse("crisisplans:portal_plan") in html
    assert rows(cast.anna_user, "success").count() == 1


def test_the_care_team_opens_each_station_in_the_workspace(client, cast, record):
    client.force_login(cast.noor)
    response = client.get(reverse("journey:person_map", args=[cast.anna.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    consult = record["consult_id"]
    assert reverse("consults:detail", args=[cast.anna.pk, consult.pk]) in html
    assert reverse("decisions:detail", args=[cast.anna.pk, record["decision_id"].pk]) in html
    assert 'aria-current="page"' in html and reverse("journey:person_map", args=[cast.anna.pk]) in html
    assert rows(cast.noor, "success").count() == 1


def test_a_relative_sees_only_the_stations_of_what_is_shared_with_them(client, cast, record):
    client.force_login(cast.rob)
    url = reverse("journey:relative_map", args=[cast.anna.pk])
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=Topic.CRISIS_PLAN, granted=True)
    listed = stations(client.get(url).content.decode())
    assert listed and not any("Gesprek met" in s for s in listed), listed
    assert not any("Samen kiezen" in s or "Besluit" in s for s in listed), listed
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=Topic.CONSULTS, granted=True)
    html = client.get(url).content.decode()
    assert any("Gesprek met" in s for s in stations(html))
    # The consult opens the relative's own consults page, which the relative may open now.
    assert reverse("workspace:relative_consults", args=[cast.anna.pk]) in html
    # Decisions are not shared: their relative page is never linked.
    assert reverse("workspace:relative_decisions", args=[cast.anna.pk]) not in html


def test_a_station_links_only_to_a_page_the_reader_may_open(client, cast, record):
    """Rob may read the crisis plan but not the consults: the crisis station is a link, and with
    the crisis plan withdrawn again it is gone altogether."""
    client.force_login(cast.rob)
    url = reverse("journey:relative_map", args=[cast.anna.pk])
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=Topic.CRISIS_PLAN, granted=True)
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=Topic.GOALS, granted=True)
    assert reverse("workspace:relative_crisis_plan", args=[cast.anna.pk]) in client.get(url).content.decode()
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=Topic.CRISIS_PLAN, granted=False)
    html = client.get(url).content.decode()
    assert "Crisisplan" not in " ".join(stations(html)) if "metro-list" in html else True
    assert reverse("workspace:relative_crisis_plan", args=[cast.anna.pk]) not in html


def test_a_professional_whose_consent_was_withdrawn_sees_no_crisis_plan_station(client, cast, record):
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.noor, topic=Topic.CRISIS_PLAN, granted=False)
    client.force_login(cast.noor)
    html = client.get(reverse("journey:person_map", args=[cast.anna.pk])).content.decode()
    assert not any("Crisisplan" in s for s in stations(html))


def test_outsiders_get_the_missing_record_answer_and_a_refused_row(client, cast, record):
    stranger = make_user("vreemde", organisation=cast.ggz)
    client.force_login(stranger)
    assert client.get(reverse("journey:person_map", args=[cast.anna.pk])).status_code == 404
    assert rows(stranger, "refused").count() == 1
    client.force_login(cast.rob)  # a relative with nothing shared
    assert client.get(reverse("journey:relative_map", args=[cast.anna.pk])).status_code == 404
    assert rows(cast.rob, "refused").count() == 1
    client.force_login(cast.noor)  # a professional is not the person: the portal page refuses
    assert client.get(reverse("journey:portal_map")).status_code == 404


def test_the_map_is_in_english_too(client, cast, record):
    client.force_login(cast.anna_user)
    html = client.get(reverse("journey:portal_map"), headers={"accept-language": "en"}).content.decode()
    assert "My route" in html and "Consult with" in html
