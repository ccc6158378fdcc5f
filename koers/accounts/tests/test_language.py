"""The language switch: it changes the language only when its button is pressed (WCAG 3.2.2),
and a signed-in user's choice is kept on the account, applied at login and on every request
(anonymous visitors keep it in the cookie)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from koers.accounts.models import User
from tests.support.testing import make_user

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SETLANG = reverse("set_language")


def test_the_switch_does_not_submit_on_select():
    html = Client().get(LOGIN).content.decode()
    (select,) = re.findall(r"<select[^>]*id=\"lang-select\"[^>]*>", html)
    assert "autosubmit" not in select and "onchange" not in select and "hx-" not in select
    assert "Kies taal" in html  # the button that does it


def test_the_choice_is_stored_on_the_account(cast, login):
    client = login(cast.noor)
    response = client.post(SETLANG, {"language": "en", "next": reverse("workspace:caseload")})
    assert response.status_code == 302
    cast.noor.refresh_from_db()
    assert cast.noor.preferred_language == "en"
    assert "My clients" in client.get(reverse("workspace:caseload")).content.decode()


def test_an_unknown_language_is_not_stored(cast, login):
    client = login(cast.noor)
    client.post(SETLANG, {"language": "xx", "next": "/"})
    cast.noor.refresh_from_db()
    assert cast.noor.preferred_language == ""


def test_the_stored_choice_applies_on_a_new_device_at_login(cast):
    make_user("eva", organisation=cast.noor.organisation, preferred_language="en")
    client = Client()  # a new browser: no language cookie
    assert "Inloggen bij Koers" in client.get(LOGIN).content.decode()
    response = client.post(LOGIN, {"username": "eva", "password": "test-wachtwoord-123"}, follow=True)
    assert response.status_code == 200
    assert "My clients" in response.content.decode()
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_account_wins_over_a_stale_cookie(cast, login):
    User.objects.filter(pk=cast.noor.pk).update(preferred_language="en")
    client = login(cast.noor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    html = client.get(reverse("workspace:caseload")).content.decode()
    assert 'lang="en"' in html and "My clients" in html


def test_the_language_stays_after_logging_out(cast, login):
    client = login(cast.anna_user)
    client.post(SETLANG, {"language": "en", "next": "/mijn/"})
    client.post(reverse("accounts:logout"))
    assert "Log in to Koers" in client.get(LOGIN).content.decode()


def test_anonymous_visitors_keep_the_cookie(client):
    response = client.post(SETLANG, {"language": "en", "next": LOGIN})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Log in to Koers" in client.get(LOGIN).content.decode()


def test_without_a_choice_on_the_account_the_cookie_still_counts(cast, login):
    """A language picked on the login page is not undone by signing in to an account that never chose."""
    client = login(cast.noor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "My clients" in client.get(reverse("workspace:caseload")).content.decode()
