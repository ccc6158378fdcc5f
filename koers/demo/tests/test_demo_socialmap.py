"""`koers demo` loads the social map (issue #16) through the HSDS import, and the demo's people
get suggestions that say why."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from koers.accounts.models import User
from koers.demo import socialmap as demo_socialmap
from koers.goals.models import Goal
from koers.socialmap import selectors
from koers.socialmap.models import Provider, Service


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())


def test_the_demo_map_is_loaded_and_kept_by_the_neighbourhood_team(demo):
    assert Service.objects.filter(status="active").count() == len(demo_socialmap.SERVICES) >= 20
    wendy = User.objects.get(username="wendy")
    assert set(Provider.objects.values_list("maintainer_id", flat=True)) == {wendy.organisation_id}
    kinds = " ".join(Service.objects.values_list("name", flat=True)).lower()
    for word in ("wandel", "kook", "wrap", "buddy", "schuldhulp", "ips", "dagbesteding", "buurthuis"):
        assert word in kinds, word


def test_a_demo_professional_sees_suggestions_with_reasons(demo, client):
    person = Goal.objects.filter(lifecycle_status="active").order_by("pk").first().person
    found = [s for item in selectors.suggestions_for(person) for s in item.suggestions]
    assert found and all(s.reasons for s in found)
    professional = person.care_team.filter(ended_at__isnull=True).first().professional
    client.force_login(professional)
    response = client.get(reverse("socialmap:person", kwargs={"person_id": person.pk}))
    assert response.status_code == 200 and "Waarom deze?" in response.content.decode()
