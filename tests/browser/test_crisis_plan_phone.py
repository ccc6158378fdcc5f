"""Anna edits her crisis plan on a phone (390 px) with the keyboard only, in real Chromium
(issue #13): a number nobody can dial is refused with a clear message that takes the focus
(role=alert), the corrected plan is saved and shows the number as a link to call, and axe-core
finds no WCAG 2.1 A/AA problem on the plan, the form or the form with its error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from koers.crisisplans.models import CrisisPhase

from .conftest import MOBILE
from .test_browser_journeys import axe_violations
from .test_portal_home_phone import small_targets

pytestmark = pytest.mark.browser


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"], "the page scrolls sideways"


def test_the_person_edits_her_crisis_plan_on_a_phone_with_the_keyboard(cast, new_page, log_in, problems, screenshot):
    page = log_in(new_page(MOBILE), "anna")
    page.goto(page.url.split("/mijn/")[0].rstrip("/") + "/mijn/crisisplan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn crisisplan")
    _fits(page)
    assert small_targets(page) == []
    assert axe_violations(page) == []

    edit = page.get_by_role("link", name="Vroege signalen veranderen")
    edit.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Crisisplan: Vroege signalen")
    assert axe_violations(page) == []
    page.get_by_label("Hieraan merkt u dat het minder goed gaat").focus()
    page.keyboard.type("Slecht slapen")
    page.keyboard.press("Enter")
    page.keyboard.type("Piekeren")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Dit kan het uitlokken")).to_be_focused()
    page.get_by_label("Naam").first.focus()
    page.keyboard.type("Noor")
    page.keyboard.press("Tab")
    page.keyboard.type("praktijkondersteuner")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Telefoonnummer").first).to_be_focused()
    page.keyboard.type("06 123")
    page.get_by_role("button", name="Bewaren").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Dit telefoonnummer klopt niet")
    expect(alert).to_be_focused()
    assert not CrisisPhase.objects.exists()
    _fits(page)
    assert axe_violations(page) == []
    screenshot(page, "crisis-plan-error-phone")

    phone = page.get_by_label("Telefoonnummer").first
    phone.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("06 12345678")
    page.get_by_role("button", name="Bewaren").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Het crisisplan is bewaard")
    call = page.get_by_role("link", name="06 12345678")
    expect(call).to_have_attribute("href", "tel:0612345678")
    expect(page.get_by_text("Slecht slapen")).to_be_visible()
    _fits(page)
    assert small_targets(page) == []
    assert axe_violations(page) == []
    screenshot(page, "crisis-plan-phone")
    assert CrisisPhase.objects.get(phase="early_signs").contacts[0]["phone"] == "06 12345678"
    assert problems.csp_violations() == [] and problems.page_errors == []
