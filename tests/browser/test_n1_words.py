"""Issue #14 in real Chromium: the professional reaches the explanation of a statistics word with
the keyboard alone (Tab to the word, Enter: its explanation is the page's target and on screen),
and the person's own page about a measurement reads without statistics on a phone. axe-core finds
no serious WCAG 2.1 A/AA problem on either page; no CSP violations or script errors."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import DESKTOP, MOBILE
from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser


def diary(cast, days: int = 90):
    from koers.monitoring import services
    from koers.monitoring.entries import Entry
    from koers.monitoring.models import MeasurementType, Observation

    rng = np.random.default_rng(14)
    mood = MeasurementType.objects.get(code="mood", person__isnull=True)
    today = timezone.localdate()
    entries = [
        Entry(
            type=mood,
            value=float(np.clip(round(4 + (2 if day >= days // 2 else 0) + rng.normal()), 0, 10)),
            effective_at=timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days - day), dt.time(9))),
        )
        for day in range(days)
    ]
    services.observations_record(
        actor=cast.anna_user, person=cast.anna, entries=entries, source=Observation.Source.PORTAL
    )
    services.phase_create(
        actor=cast.noor, person=cast.anna, starts_on=today - dt.timedelta(days=days // 2), label="Nieuwe therapie"
    )


def test_a_statistics_word_is_explained_by_keyboard(cast, new_page, log_in, problems):
    diary(cast)
    page = log_in(new_page(DESKTOP), "noor")
    page.goto(f"/personen/{cast.anna.pk}/bijhouden/analyse/?periode=alles")
    term = page.locator('a.term[href="#begrip-kendall-tau"]').first
    assert "Kendalls tau" in term.get_attribute("title")  # on hover
    term.focus()
    for _ in range(3):  # Tab away and back: it is in the tab order
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#begrip-kendall-tau"
    page.keyboard.press("Enter")
    definition = page.locator("dfn#begrip-kendall-tau")
    expect(definition).to_be_in_viewport()
    assert page.evaluate("document.querySelector(':target')?.id") == "begrip-kendall-tau"
    expect(page.get_by_role("heading", level=2, name="Uitleg van de vaktermen")).to_be_visible()
    assert axe_violations(page) == []
    assert problems.csp_violations() == [] and problems.page_errors == []


def test_the_persons_own_page_has_no_statistics_on_a_phone(cast, new_page, log_in, problems):
    diary(cast)
    page = log_in(new_page(MOBILE), "anna")
    page.goto("/mijn/bijhouden/mood/?periode=alles")
    text = page.locator("section[aria-labelledby='h-explain']").inner_text()
    assert "Nieuwe therapie" in text
    for word in ("interval", "tussen", "%", " p ", "SD", "τ", "toeval"):
        assert word not in text, word
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []
    assert problems.csp_violations() == [] and problems.page_errors == []
