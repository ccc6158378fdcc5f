"""The idle timeout told in advance (WCAG 2.2.1) — real Chromium on a phone, Playwright's clock.

Tried as a person writing on a phone: after half an hour without pressing anything, "Bewaren"
led to the login page and what she had written was gone; on a goal's action card, the htmx
button swapped the login form into the card. Now a dialog warns two minutes before the end with
one button to stay; someone who is typing stays signed in without a question; and when the
session has ended the dialog says so, with the way back, and the page keeps what was typed.

The page's clock is Playwright's (``page.clock``); the server's idea of the session's age is
set in the session itself (its last write) or the session is removed (ended).
"""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from playwright.sync_api import expect

from koers.accounts.middleware import SESSION_REFRESHED_KEY
from koers.accounts.session_time import warn_seconds
from koers.goals.models import ActionProgress
from tests.support.testing import make_action

from .conftest import MOBILE
from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser


def _last_written(seconds_ago: int) -> None:
    """Every session was last written this long ago (as the server counts)."""
    for key in Session.objects.values_list("session_key", flat=True):
        store = SessionStore(session_key=key)
        store[SESSION_REFRESHED_KEY] = int(time.time()) - seconds_ago
        store.save()


def _written_at() -> int:
    (key,) = Session.objects.values_list("session_key", flat=True)
    return SessionStore(session_key=key)[SESSION_REFRESHED_KEY]


def _until_warning() -> int:
    """How far (milliseconds) the page's clock must go for its first look at the session."""
    return (settings.SESSION_COOKIE_AGE - settings.KOERS_SESSION_REFRESH_SECONDS - warn_seconds() + 1) * 1000


def _signed_in_on(page, log_in, url: str):
    page.clock.install()
    log_in(page, "anna")
    page.goto(url)
    return page


def _eventually(check, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def test_idle_she_is_asked_and_one_press_keeps_her_signed_in(cast, new_page, log_in, problems):
    page = _signed_in_on(new_page(MOBILE), log_in, reverse("goals:portal_goals"))
    dialog = page.locator("#session-ending")
    expect(dialog).to_be_hidden()
    _last_written(settings.SESSION_COOKIE_AGE - 100)
    page.clock.fast_forward(_until_warning())
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading", name="Bent u er nog?")).to_be_visible()
    expect(dialog).to_contain_text("Over 2 minuten logt Koers u uit")
    stay = dialog.get_by_role("button", name="Ingelogd blijven")
    expect(stay).to_be_focused()
    assert axe_violations(page) == []
    before = _written_at()
    stay.click()
    expect(dialog).to_be_hidden()
    assert _written_at() > before, "the session's end moved on"
    assert page.evaluate("document.activeElement !== null")
    assert problems.page_errors == [] and problems.csp_violations() == []


def test_while_she_types_she_stays_signed_in_without_a_question(cast, new_page, log_in, problems):
    page = _signed_in_on(new_page(MOBILE), log_in, reverse("people:portal_profile_edit"))
    field = page.locator("textarea:visible").first
    field.fill("Ik wil het hebben over mijn slaap")
    page.clock.fast_forward(_until_warning() - 60_000)  # she writes slowly: 25 minutes on, still typing
    field.press("End")
    field.press_sequentially(" en over de pijn in mijn knie.")
    _last_written(settings.SESSION_COOKIE_AGE - 100)
    before = _written_at()
    page.clock.fast_forward(60_000)
    assert _eventually(lambda: _written_at() > before), "kept signed in quietly"
    expect(page.locator("#session-ending")).to_be_hidden()
    expect(field).to_have_value(re.compile("pijn in mijn knie"))
    assert problems.page_errors == []


def test_ended_the_dialog_says_so_and_the_page_keeps_what_she_typed(cast, new_page, log_in, problems):
    page = _signed_in_on(new_page(MOBILE), log_in, reverse("goals:portal_goals"))
    Session.objects.all().delete()
    page.clock.fast_forward(_until_warning())
    dialog = page.locator("#session-ending")
    expect(dialog.get_by_role("heading", name="U bent uitgelogd")).to_be_visible()
    expect(dialog.get_by_role("heading", name="U bent uitgelogd")).to_be_focused()
    expect(dialog.get_by_role("heading", name="Bent u er nog?")).to_be_hidden()
    login = dialog.get_by_role("link", name="Opnieuw inloggen")
    back = reverse("goals:portal_goals").replace("/", "%2F")
    expect(login).to_have_attribute("href", "/account/inloggen/?next=" + back)
    assert axe_violations(page) == []
    assert problems.page_errors == []


def test_an_htmx_button_after_the_end_opens_the_dialog_and_stores_nothing(cast, new_page, log_in, problems):
    action = make_action(cast.anna, professional=cast.noor)
    goal_page = reverse("goals:portal_goal", args=[action.goal_id])
    page = _signed_in_on(new_page(MOBILE), log_in, goal_page)
    card = page.locator(f"#action-{action.pk}")
    card.get_by_label("Gelukt", exact=True).check()
    Session.objects.all().delete()
    card.get_by_role("button", name=re.compile("^Bewaren")).click()
    dialog = page.locator("#session-ending")
    expect(dialog.get_by_role("heading", name="U bent uitgelogd")).to_be_visible()
    expect(card.locator("input[type=password]")).to_have_count(0)  # no login form swapped into the card
    expect(page.locator(f"#action-{action.pk}-failed")).to_have_count(0)  # one message, not two
    assert not ActionProgress.objects.exists()
    dialog.get_by_role("button", name="Sluiten").click()
    expect(dialog).to_be_hidden()
    expect(card.get_by_label("Gelukt", exact=True)).to_be_checked()  # her choice is still on the page
    dialog_login = dialog.get_by_role("link", name="Opnieuw inloggen", include_hidden=True)
    page.goto(dialog_login.get_attribute("href"))
    page.get_by_label("Gebruikersnaam").fill("anna")
    page.get_by_label("Wachtwoord").fill("test-wachtwoord-123")
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    assert page.url.endswith(goal_page), "back where she was"
    assert problems.page_errors == []


def test_the_dialog_in_english(cast, new_page, log_in):
    page = _signed_in_on(new_page(MOBILE), log_in, reverse("goals:portal_goals"))
    page.get_by_role("button", name="Menu").click()
    page.get_by_label("Taal").select_option("en")
    with page.expect_navigation():
        page.get_by_role("button", name="Kies taal").click()
    _last_written(settings.SESSION_COOKIE_AGE - 100)
    page.clock.fast_forward(_until_warning())
    dialog = page.locator("#session-ending")
    expect(dialog.get_by_role("heading", name="Are you still there?")).to_be_visible()
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()


def test_without_a_connection_it_asks_again_every_half_minute_not_every_second(cast, new_page, log_in, problems):
    page = _signed_in_on(new_page(MOBILE), log_in, reverse("goals:portal_goals"))
    asked = []

    def no_connection(route):
        asked.append(route.request.url)
        route.abort()

    def asked_at_least(n: int) -> bool:  # Playwright's own wait, so that the route handler runs
        for _ in range(100):
            if len(asked) >= n:
                return True
            page.wait_for_timeout(50)
        return False

    page.route("**/account/sessie/", no_connection)
    page.clock.fast_forward(_until_warning())
    assert asked_at_least(1)
    page.wait_for_timeout(200)  # the failed answer is handled: the next question is planned
    page.clock.run_for(10_000)
    page.wait_for_timeout(200)
    assert len(asked) == 1, "not again within ten seconds"
    for times in (2, 3, 4):  # half a minute on (and a second), each time once more
        page.clock.run_for(21_000 if times == 2 else 31_000)
        assert asked_at_least(times), (times, len(asked))
        page.wait_for_timeout(200)
    assert len(asked) == 4, f"asked {len(asked)} times in 93 seconds"
    expect(page.locator("#session-ending")).to_be_hidden()  # no answer is not an ended session
    assert problems.page_errors == []
