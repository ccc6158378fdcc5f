"""Changing one's password: Django's view, in Dutch, with Koers' password rules."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

URL = reverse("accounts:password_change")
OLD = "test-wachtwoord-123"
NEW = "Zeilboot-Koers-2026!"


def change(client, old=OLD, new1=NEW, new2=None):
    return client.post(
        URL, {"old_password": old, "new_password1": new1, "new_password2": new1 if new2 is None else new2}
    )


@pytest.mark.django_db
def test_password_change_needs_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_password_change_page_is_dutch_and_accessible(cast, client):
    client.force_login(cast.anna_user)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Wachtwoord veranderen</h1>" in html
    for label in ("Uw huidige wachtwoord", "Nieuw wachtwoord", "Nieuw wachtwoord nog een keer"):
        assert label in html
    assert 'autocomplete="current-password"' in html and 'autocomplete="new-password"' in html
    assert "autofocus" not in html
    assert "<ul>" not in html.split("<main", 1)[1].split("</form>")[0]  # plain help text, no list in a <p>


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new1", "new2", "field"),
    [
        ("verkeerd-wachtwoord", NEW, NEW, "old_password"),
        (OLD, "kort1", "kort1", "new_password2"),
        (OLD, "1234567890123", "1234567890123", "new_password2"),
        (OLD, "password123", "password123", "new_password2"),
        (OLD, NEW, NEW + "x", "new_password2"),
    ],
)
def test_bad_new_passwords_are_refused_with_a_message(cast, client, old, new1, new2, field):
    client.force_login(cast.anna_user)
    response = change(client, old, new1, new2)
    assert response.status_code == 200
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert "Er klopt iets niet" in response.content.decode()
    cast.anna_user.refresh_from_db()
    assert cast.anna_user.check_password(OLD)


@pytest.mark.django_db
def test_a_good_new_password_works_here_and_logs_out_other_devices(cast, client):
    other_device = Client()
    other_device.force_login(cast.anna_user)
    client.force_login(cast.anna_user)

    response = change(client)
    assert response.status_code == 302
    followed = client.get(response["Location"], follow=True)
    assert "Uw wachtwoord is veranderd." in followed.content.decode()
    assert client.get(reverse("workspace:portal_home")).status_code == 200  # still logged in here
    assert other_device.get(reverse("workspace:portal_home")).status_code == 302  # but not elsewhere

    cast.anna_user.refresh_from_db()
    assert cast.anna_user.check_password(NEW)
    fresh = Client()
    assert fresh.post(reverse("accounts:login"), {"username": "anna", "password": OLD}).status_code == 200
    assert fresh.post(reverse("accounts:login"), {"username": "anna", "password": NEW}).status_code == 302
