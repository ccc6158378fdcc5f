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


# The demo's HSDS tables before the resources moved from 21 Python blocks into
# data/socialmap_services.csv (sha256 of the tables as sorted JSON): the move changed no byte.
DEMO_TABLES_SHA256 = "c9d142dd91c1e71cd226e549b9f673d381d531c547cf4051b96f371a58a43eaa"


def test_the_demo_tables_are_the_same_as_before_the_csv_table():
    import hashlib
    import json

    tables = demo_socialmap.tables()
    digest = hashlib.sha256(json.dumps(tables, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    assert {name: len(rows) for name, rows in tables.items()}["service"] == 21
    assert digest == DEMO_TABLES_SHA256
