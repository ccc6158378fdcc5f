"""NUL characters in a request are refused with a clear page, before any view stores anything.

On PostgreSQL a NUL in text is a database error: the bad-input walk found it reaching a relative's
crisis signs, a cohort's name and the access log's refusal row (500). ``koers.lib.nul_bytes``."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from koers.crisisplans.models import SignReport

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_form_field_is_a_clear_400_and_nothing_is_stored(cast, login):
    client = login(cast.anna_user)
    response = client.post(reverse("people:portal_profile_edit"), {"what_matters": "Mijn tuin\x00"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Dit kan Koers niet bewaren" in body and "Er is niets bewaard" in body
    assert "Mijn tuin" not in body
    assert client.get(reverse("people:portal_profile")).content.decode().count("Mijn tuin") == 0


@pytest.mark.parametrize("where", ["query", "key", "path"])
def test_a_nul_anywhere_in_the_request_is_refused(cast, login, where):
    client = login(cast.noor)
    url = reverse("workspace:caseload")
    response = {
        "query": lambda: client.get(url, {"q": "a\x00b"}),
        "key": lambda: client.post(url, {"a\x00": "1"}),
        "path": lambda: client.get(url + "%00"),
    }[where]()
    expected = (400, 404) if where == "path" else (400,)  # a path with NUL may match no URL at all
    assert response.status_code in expected


def test_a_relatives_crisis_signs_with_a_nul_store_nothing(cast, login):
    from tests.test_url_access import share_everything

    share_everything(cast.anna, cast.rob)
    client = Client(raise_request_exception=False)
    client.force_login(cast.rob)
    url = reverse("crisisplans:relative_report", args=[cast.anna.pk])
    response = client.post(url, {"text": "\x00"})
    assert response.status_code == 400
    assert not SignReport.objects.exists()


def test_a_login_name_longer_than_any_account_is_a_form_error_not_a_server_error(client):
    response = client.post(reverse("accounts:login"), {"username": "x" * 5000, "password": "y" * 5000})
    assert response.status_code == 200
    assert response.context["form"].errors
