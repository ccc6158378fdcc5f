"""Login, lockout (django-axes), safe redirects, logout and session expiry."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from koers.accounts.client_ip import client_ip

PASSWORD = "test-wachtwoord-123"
LOGIN = "/account/inloggen/"
LOGOUT = "/account/uitloggen/"


def attempt(client, username, password="verkeerd-wachtwoord", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def main_part(response) -> str:
    """The page's <main> without CSRF tokens: what differs between two answers, if anything."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


@pytest.mark.django_db
def test_login_through_the_form_lands_on_the_caseload(cast, client):
    response = attempt(client, "noor", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/", follow=True).redirect_chain[-1][0] == reverse("workspace:caseload")


@pytest.mark.django_db
def test_wrong_password_and_unknown_user_get_the_same_answer(cast, client):
    wrong_password = attempt(client, "noor")
    unknown_user = attempt(client, "niemand-bekend")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert main_part(wrong_password) == main_part(unknown_user).replace("niemand-bekend", "noor")
    assert "Deze gebruikersnaam en dit wachtwoord horen niet bij elkaar" in wrong_password.content.decode()


@pytest.mark.django_db
def test_five_failures_lock_the_account_with_a_clear_dutch_page(cast, client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "noor").status_code == 200
    locked = attempt(client, "noor")  # the fifth failure
    assert locked.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in locked.templates]
    page = locked.content.decode()
    assert "Te veel pogingen" in page
    assert "Wacht 15 minuten en probeer het dan opnieuw." in page
    assert '<html lang="nl">' in page

    # Now even the right password is refused, and no session is made.
    right = attempt(client, "noor", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_page_names_the_configured_wait(cast, client, settings):
    settings.AXES_COOLOFF_TIME = 1 / 60  # one minute
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = attempt(client, "noor")
    assert "Wacht 1 minuut en probeer het dan opnieuw." in locked.content.decode()


@pytest.mark.django_db
def test_lockout_does_not_reveal_whether_an_account_exists(cast, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        existing = attempt(client, "noor")
        unknown = attempt(client, "niemand-bekend")
    assert existing.status_code == unknown.status_code == 429
    assert main_part(existing) == main_part(unknown)
    assert "noor" not in main_part(existing)


@pytest.mark.django_db
def test_lockout_is_per_username_and_address_and_ends_after_the_cool_off(cast, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "noor")
    assert attempt(client, "noor", PASSWORD).status_code == 429
    # Someone else at the same address, and Noor from another address, are not locked out:
    # an attacker cannot lock every professional out from one machine.
    assert attempt(Client(), "gert", PASSWORD).status_code == 302
    assert attempt(Client(), "noor", PASSWORD, REMOTE_ADDR="10.1.2.3").status_code == 302

    later = timezone.now() + dt.timedelta(minutes=16)
    with time_machine.travel(later, tick=False):
        assert attempt(client, "noor", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_made_up_forwarded_for_header_does_not_escape_the_lockout(cast, client):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "noor", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    assert attempt(client, "noor", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429


def test_client_address_trusts_only_our_own_proxy():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.44")
    assert client_ip(request) == "10.0.0.1"
    with override_settings(KOERS_BEHIND_PROXY=True):
        # The right-most entry is the one our proxy added; the rest came from the client.
        assert client_ip(request) == "192.0.2.44"
        assert client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"


@pytest.mark.django_db
def test_a_successful_login_resets_the_failure_count(cast, client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "noor")
    assert attempt(client, "noor", PASSWORD).status_code == 302
    client.post(LOGOUT)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "noor").status_code == 200  # counting starts again


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/pad",
        "/\\evil.example",
        "\\\\evil.example",
        "https:evil.example",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        " https://evil.example/",
    ],
)
def test_next_never_leads_off_site(cast, client, target):
    response = client.post(f"{LOGIN}?next={target}", {"username": "noor", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_next_on_this_site_is_followed_and_the_login_page_escapes_it(cast, client):
    page = client.get(LOGIN, {"next": '/clienten/"><script>alert(1)</script>'})
    assert b"<script>alert(1)" not in page.content
    response = client.post(LOGIN, {"username": "noor", "password": PASSWORD, "next": "/clienten/?q=de+Boer"})
    assert response["Location"] == "/clienten/?q=de+Boer"


@pytest.mark.django_db
def test_a_logged_in_user_sent_to_the_login_page_with_itself_as_next_gets_no_error(cast, client):
    client.force_login(cast.noor)
    response = client.get(LOGIN, {"next": LOGIN})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_logout_is_post_only_and_ends_the_session(cast, client):
    client.force_login(cast.noor)
    assert client.get(LOGOUT).status_code == 405
    assert client.get(reverse("workspace:caseload")).status_code == 200  # still logged in

    response = client.post(LOGOUT, follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "U bent uitgelogd." in response.content.decode()
    assert client.get(reverse("workspace:caseload"))["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_logout_needs_the_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.noor)
    assert client.post(LOGOUT).status_code == 403
    assert client.get(reverse("workspace:caseload")).status_code == 200


@pytest.mark.django_db
def test_session_cookie_ends_with_the_browser(cast, client):
    response = attempt(client, "noor", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == "", "the session cookie must not be persistent"
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


@pytest.mark.django_db
def test_session_expires_after_thirty_minutes_without_activity(cast):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        assert attempt(client, "noor", PASSWORD).status_code == 302
    caseload = reverse("workspace:caseload")
    with time_machine.travel(start + dt.timedelta(minutes=25), tick=False):
        assert client.get(caseload).status_code == 200  # activity keeps the session alive
    with time_machine.travel(start + dt.timedelta(minutes=50), tick=False):
        assert client.get(caseload).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=81), tick=False):
        response = client.get(caseload)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
