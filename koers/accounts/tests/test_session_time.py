"""The idle timeout told in advance and extendable (WCAG 2.2.1; koers/accounts/session_time.py).

The browser side (the dialog, the quiet extension while someone types, the ended state after an
htmx button) is in tests/browser/test_session_ending.py; here the server's answers."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from koers.accounts.middleware import SESSION_REFRESHED_KEY
from koers.accounts.session_time import warn_seconds
from koers.audit.models import AccessLogEntry
from tests.support.testing import make_action

pytestmark = pytest.mark.django_db

PASSWORD = "test-wachtwoord-123"
STATUS = "/account/sessie/"
EXTEND = "/account/sessie/verlengen/"


def signed_in(username, start) -> Client:
    client = Client()
    with time_machine.travel(start, tick=False):
        response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
        assert response.status_code == 302
    return client


def left(client) -> int:
    response = client.get(STATUS)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()["seconds_left"]


def expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_the_status_says_how_long_is_left_and_does_not_move_the_end(cast):
    start = timezone.now()
    client = signed_in("noor", start)
    assert STATUS == reverse("accounts:session_status") and EXTEND == reverse("accounts:session_extend")
    end = expiry(client)
    with time_machine.travel(start + dt.timedelta(minutes=28), tick=False):
        assert left(client) == settings.SESSION_COOKIE_AGE - 28 * 60
        assert left(client) == 120, "asked twice: still two minutes"
    assert expiry(client) == end, "asking is not activity: the end stays where it was"
    assert client.session[SESSION_REFRESHED_KEY] == int(start.timestamp())
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        assert left(client) == 0


def test_extending_moves_the_end_by_a_whole_session(cast):
    start = timezone.now()
    client = signed_in("anna", start)
    later = start + dt.timedelta(minutes=29)
    with time_machine.travel(later, tick=False):
        response = client.post(EXTEND)
        assert response.status_code == 200 and response.json() == {"seconds_left": settings.SESSION_COOKIE_AGE}
    assert expiry(client) >= later + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 1)
    with time_machine.travel(start + dt.timedelta(minutes=50), tick=False):
        assert client.get(reverse("goals:portal_goals")).status_code == 200, "still signed in 50 minutes on"


def test_signed_out_the_answer_is_zero_and_no_session_is_made(cast, client):
    assert left(client) == 0
    response = client.post(EXTEND)
    assert response.status_code == 200 and response.json() == {"seconds_left": 0}
    assert Session.objects.count() == 0
    assert client.get(EXTEND).status_code == 405, "extending is a POST"
    assert client.post(STATUS).status_code == 405


def test_the_endpoints_read_no_ones_data(cast):
    client = signed_in("noor", timezone.now())
    before = AccessLogEntry.objects.count()
    left(client)
    client.post(EXTEND)
    assert AccessLogEntry.objects.count() == before


def progress_after_the_end(cast):
    """Anna signed in, with an action whose progress she can send; ``send(**headers)`` sends it
    31 minutes later (the session has ended). Returns (client, the progress address, send)."""
    action = make_action(cast.anna, professional=cast.noor)
    start = timezone.now()
    client = signed_in("anna", start)
    url = reverse("goals:portal_progress", args=[action.pk])

    def send(**headers):
        with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
            return client.post(url, {"status": "done"}, headers=headers)

    return client, url, send


def test_an_htmx_button_after_the_end_gets_401_not_the_login_page(cast):
    _client, _url, send = progress_after_the_end(cast)
    response = send(**{"HX-Request": "true"})
    assert response.status_code == 401 and "Location" not in response
    assert response["X-Koers-Signed-Out"] == "1"
    assert b"<form" not in response.content
    plain = send()
    assert plain.status_code == 302, "a whole page still goes to the login page"
    assert plain["Location"].startswith(reverse("accounts:login"))


def test_every_signed_in_page_carries_the_dialog_and_signed_out_pages_do_not(cast, login, client):
    assert 'id="session-ending"' not in client.get(reverse("accounts:login")).content.decode()
    body = login(cast.anna_user).get(reverse("goals:portal_goals")).content.decode()
    assert 'id="session-ending"' in body and f'data-warn="{warn_seconds()}"' in body
    assert "Bent u er nog?" in body and "Ingelogd blijven" in body
    assert 'data-status-url="/account/sessie/"' in body


@pytest.mark.parametrize(("minutes", "warn"), [(30, 120), (4, 60), (1, 20)])
def test_the_warning_comes_at_least_20_seconds_before_the_end(settings, minutes, warn):
    settings.SESSION_COOKIE_AGE = minutes * 60
    assert warn_seconds() == warn


WHY = "omdat u een tijd niets heeft gedaan"


def login_page_after(client, response):
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def test_a_form_sent_after_the_end_leads_to_a_login_page_that_says_why_and_back_to_the_form(cast):
    """Without JavaScript (or with the dialog missed) a form sent after the end went to a bare login
    page: nothing said that the person was signed out, nor that what they sent was not stored; and
    after logging in they landed on the form's POST-only address (405)."""
    client, _url, send = progress_after_the_end(cast)
    page = reverse("goals:portal_goals")
    sent = send(Referer=f"http://testserver{page}")
    body = login_page_after(client, sent)
    assert WHY in body and "is niet bewaard" in body
    assert 'role="status"' in body
    back = client.post(sent["Location"], {"username": "anna", "password": PASSWORD, "next": page})
    assert back.status_code == 302 and back["Location"] == page, "back to the page the form was on"


def test_a_wrong_password_after_the_end_says_what_is_wrong_not_again_why_the_session_ended(cast):
    """The login form is sent to its own address, ``?uitgelogd=…`` included: a mistyped password
    showed "you were signed out … what you sent was not saved" again above the error, as if the
    form had been lost a second time. The reason is for the page the person was sent to."""
    client, _url, send = progress_after_the_end(cast)
    sent = send(Referer=f"http://testserver{reverse('goals:portal_goals')}")
    wrong = client.post(sent["Location"], {"username": "anna", "password": "niet-het-wachtwoord"})
    body = wrong.content.decode()
    assert wrong.status_code == 200 and "horen niet bij elkaar" in body
    assert WHY not in body and "niet bewaard" not in body


def test_a_page_asked_after_the_end_says_why_but_not_that_something_was_lost(cast):
    start = timezone.now()
    client = signed_in("noor", start)
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        body = login_page_after(client, client.get(reverse("workspace:caseload")))
    assert WHY in body and "niet bewaard" not in body


def test_no_reason_is_given_to_someone_who_was_never_signed_in_or_signed_out_themselves(cast, client):
    body = login_page_after(client, client.get(reverse("workspace:caseload")))
    assert WHY not in body, "never signed in: nothing ended"
    start = timezone.now()
    noor = signed_in("noor", start)
    with time_machine.travel(start + dt.timedelta(minutes=1), tick=False):
        out = noor.post(reverse("accounts:logout"))
        landing = noor.get(out["Location"]).content.decode()
        assert out.status_code == 302 and "U bent uitgelogd" in landing and WHY not in landing
        body = login_page_after(noor, noor.get(reverse("workspace:caseload")))
    assert WHY not in body, "signed out by their own choice: the cookie is gone"


def test_a_referer_of_another_site_is_never_where_the_login_leads(cast):
    _client, target, send = progress_after_the_end(cast)
    sent = send(Referer="https://elders.example/goals/")
    assert sent.status_code == 302 and "elders.example" not in sent["Location"]
    assert parse_qs(urlsplit(sent["Location"]).query)["next"] == [target], "the form's own address, as before"


def test_the_reason_on_the_login_page_in_english(cast, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(f"{reverse('accounts:login')}?uitgelogd=verstuurd").content.decode()
    assert "You have been signed out" in body and "has not been saved" in body
    assert "niet bewaard" not in body
