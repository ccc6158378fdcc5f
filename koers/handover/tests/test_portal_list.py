"""The person's own page "Berichten over mij": which summaries were sent about them, when, at
which moment, to which organisations and whether they were read; only their own, logged."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koers.audit.models import AccessLogEntry

pytestmark = pytest.mark.django_db
URL = "/mijn/overdrachtsberichten/"


def test_the_person_sees_the_summaries_about_them_newest_first(cast, sent, client):
    older, newer = sent
    client.force_login(cast.gert)
    client.get(reverse("handover:summary", args=[cast.anna.pk, older.pk]))  # the GP practice read one
    client.force_login(cast.anna_user)
    assert reverse("handover:portal_list") == URL
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Berichten over mij" in page
    assert page.index("3 november 2026") < page.index("2 november 2026")
    assert page.count("medicatie gestart, gewijzigd of gestopt") == 2
    assert page.count(cast.gp_practice.name) == 2
    assert page.count("— gelezen") == 1 and page.count("— nog niet gelezen") == 1
    for internal in ("Lithium", "Quetiapine", "medication", "handover.", cast.gert.display_name()):
        assert internal not in page  # no content, no codes, no professionals' names
    assert AccessLogEntry.objects.filter(
        user=cast.anna_user, person=cast.anna, action="R", object_type="handover.HandoverSummary"
    ).exists()


def test_only_the_signed_in_persons_own_summaries(cast, sent, client):
    client.force_login(cast.bas_user)
    page = client.get(URL).content.decode()
    assert "medicatie gestart" not in page and cast.gp_practice.name not in page
    assert "Er zijn nog geen berichten over u verstuurd." in page


def test_a_professional_gets_the_missing_page(cast, sent, client):
    client.force_login(cast.gert)
    assert client.get(URL).status_code == 404


def test_linked_from_my_network(cast, client):
    client.force_login(cast.anna_user)
    page = client.get(reverse("network:portal_network")).content.decode()
    assert f'href="{URL}"' in page
