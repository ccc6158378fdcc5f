"""An htmx request that fails is never silent (real Chromium, on a phone).

htmx swaps nothing when the answer is an error (4xx/5xx) or when no answer comes: without
``koers.js`` handling that, Anna presses "Bewaren" on her action's card and nothing happens — she
cannot tell whether her "gelukt" was stored, and presses again. Now a message appears by the card
(``role="alert"``, so a screen reader says it), with the words of Koers's 503 page when the
database is away (the one that says nothing was stored, or the one that says it was) and a plain
"not done" otherwise; the focus stays where it was.
"""

from __future__ import annotations

import re

import pytest
from django.db import OperationalError
from django.urls import reverse
from playwright.sync_api import expect

from koers.goals import services as goal_services
from koers.goals import views as goal_views
from koers.goals.models import ActionProgress
from tests.support.testing import make_action

from .conftest import MOBILE
from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def anna_action(cast):
    return make_action(cast.anna, professional=cast.noor)


def _press_save(page, action) -> None:
    page.goto(reverse("goals:portal_goal", args=[action.goal_id]))
    card = page.locator(f"#action-{action.pk}")
    card.get_by_label("Gelukt", exact=True).check()
    card.get_by_role("button", name=re.compile("^Bewaren")).click()


def _failing(monkeypatch, error: Exception) -> None:
    def fail(**kwargs):
        raise error

    monkeypatch.setattr(goal_views.services, "action_progress_record", fail)


def test_the_database_away_says_so_by_the_card(cast, anna_action, new_page, log_in, problems, monkeypatch):
    page = log_in(new_page(MOBILE), "anna")
    _failing(monkeypatch, OperationalError("the database system is shutting down"))
    _press_save(page, anna_action)
    alert = page.locator(f"#action-{anna_action.pk}-failed")
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text("Koers is even niet beschikbaar")
    expect(alert).to_contain_text("Wat u net deed, is niet opgeslagen")
    expect(alert).to_contain_text("Probeer het over een minuut opnieuw")
    expect(alert).not_to_contain_text("terugknop")  # the page's advice for a whole page, not for a card
    expect(alert).not_to_contain_text("Koers is briefly unavailable")  # the page's English line is not repeated
    button = page.locator(f"#action-{anna_action.pk}").get_by_role("button", name=re.compile("^Bewaren"))
    expect(button).to_be_focused()
    assert not ActionProgress.objects.exists()
    # Pressing again replaces the message instead of stacking a second one.
    button.click()
    expect(page.locator(f"#action-{anna_action.pk}-failed")).to_have_count(1)
    assert axe_violations(page) == []
    assert problems.page_errors == []


def test_a_bug_says_it_was_not_done(cast, anna_action, new_page, log_in, problems, monkeypatch):
    page = log_in(new_page(MOBILE), "anna")
    _failing(monkeypatch, RuntimeError("a bug"))
    _press_save(page, anna_action)
    alert = page.locator(f"#action-{anna_action.pk}-failed")
    expect(alert).to_have_text("Dit is niet gelukt. Laad de pagina opnieuw en probeer het nog een keer.")
    assert problems.page_errors == []


def test_it_goes_once_it_works_again(cast, anna_action, new_page, log_in, problems, monkeypatch):
    page = log_in(new_page(MOBILE), "anna")
    _failing(monkeypatch, RuntimeError("a bug"))
    _press_save(page, anna_action)
    expect(page.locator(f"#action-{anna_action.pk}-failed")).to_be_visible()
    monkeypatch.undo()
    page.locator(f"#action-{anna_action.pk}").get_by_role("button", name=re.compile("^Bewaren")).click()
    expect(page.locator(f"#action-{anna_action.pk}")).to_contain_text("Bewaard. Goed dat u het bijhoudt!")
    expect(page.locator(f"#action-{anna_action.pk}-failed")).to_have_count(0)
    assert ActionProgress.objects.count() == 1


def test_a_change_stored_before_the_database_went_away_says_so(cast, anna_action, new_page, log_in, monkeypatch):
    page = log_in(new_page(MOBILE), "anna")
    record = goal_services.action_progress_record

    def stored_then_gone(**kwargs):
        record(**kwargs)  # committed, with its access-log row
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(goal_views.services, "action_progress_record", stored_then_gone)
    _press_save(page, anna_action)
    alert = page.locator(f"#action-{anna_action.pk}-failed")
    expect(alert).to_contain_text("Wat u net deed, is wel bewaard")
    expect(alert).to_contain_text("Doe het dus niet nog een keer")
    expect(alert).not_to_contain_text("niet opgeslagen")
    assert ActionProgress.objects.count() == 1


def test_no_answer_at_all_says_so(cast, anna_action, new_page, log_in, problems):
    page = log_in(new_page(MOBILE), "anna")
    page.route("**/voortgang/", lambda route: route.abort("connectionrefused"))
    _press_save(page, anna_action)
    alert = page.locator(f"#action-{anna_action.pk}-failed")
    expect(alert).to_have_text("Koers gaf geen antwoord. Kijk of u verbinding heeft en probeer het daarna opnieuw.")
    assert not ActionProgress.objects.exists()
    assert problems.page_errors == []


def test_an_english_reader_is_told_in_english(cast, anna_action, new_page, log_in, problems, monkeypatch):
    """The 503 page is written in both languages (it is made without the database, so without the
    reader's settings); by the card only the reader's own language is shown."""
    cast.anna_user.preferred_language = "en"
    cast.anna_user.save()
    page = log_in(new_page(MOBILE), "anna")
    _failing(monkeypatch, OperationalError("the database system is shutting down"))
    page.goto(reverse("goals:portal_goal", args=[anna_action.goal_id]))
    card = page.locator(f"#action-{anna_action.pk}")
    card.get_by_label("It worked", exact=True).check()
    card.get_by_role("button", name=re.compile("^Save")).click()
    alert = page.locator(f"#action-{anna_action.pk}-failed")
    expect(alert).to_contain_text("Koers is briefly unavailable")
    expect(alert).to_contain_text("What you just did was not saved")
    expect(alert).to_contain_text("try again in a minute")
    expect(alert).not_to_contain_text("niet opgeslagen")
    expect(alert).to_have_attribute("lang", "en")
    assert axe_violations(page) == []
    assert problems.page_errors == []
