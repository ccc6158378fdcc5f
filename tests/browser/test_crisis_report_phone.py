"""A relative reports signs on a phone (390 px) in real Chromium (issue #13): Rob, whom Anna
shares her crisis plan with, ticks one of her early signs and adds his own words with the
keyboard alone, hears the status message; axe-core finds no WCAG 2.1 A/AA problems, nothing
scrolls sideways, no CSP violation. Her coordinator Noor then finds the report first on her
worklist, marked "Dringend" in words (not colour only), with the phase."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from koers.crisisplans.models import SignReport
from koers.crisisplans.services import crisis_plan_phase_update
from koers.network.services import consent_set

from .conftest import MOBILE
from .test_browser_journeys import axe_violations
from .test_portal_home_phone import small_targets

pytestmark = pytest.mark.browser


@pytest.fixture
def anna_shares_her_plan(cast):
    crisis_plan_phase_update(
        actor=cast.anna_user,
        person=cast.anna,
        phase="early_signs",
        signs=["Slecht slapen", "Piekeren"],
        triggers=[],
        self_care=["Wandelen"],
        others_do=[],
        others_avoid=[],
        contacts=[],
    )
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic="crisis_plan", granted=True)


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"], "the page scrolls sideways"
    assert small_targets(page) == []
    assert axe_violations(page) == []


def test_a_relative_reports_signs_on_a_phone_and_the_coordinator_sees_it_first(
    cast, anna_shares_her_plan, new_page, log_in, problems, screenshot
):
    page = log_in(new_page(MOBILE), "rob")
    page.goto(f"/naaste/{cast.anna.pk}/crisisplan/")
    expect(page.get_by_role("heading", level=2, name="Ik zie deze signalen")).to_be_visible()
    _fits(page)

    # By keyboard: focus the sign, Space ticks it, Tab to the words, type, Tab to the button, Enter.
    page.get_by_role("checkbox", name="Piekeren").focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="Piekeren")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Wat ziet u nog meer? (mag leeg blijven)")).to_be_focused()
    page.keyboard.type("Ze belt me 's nachts.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Melding versturen")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("De regiebehandelaar van Anna heeft uw melding nu gekregen.")
    report = SignReport.objects.get()
    assert (report.reporter_id, report.phase, report.text) == (cast.rob.pk, "early_signs", "Ze belt me 's nachts.")
    _fits(page)
    screenshot(page, "relative-reports-signs-phone")

    page = log_in(new_page(), "noor")  # the coordinator, at her desk
    page.goto("/werklijst/")
    first = page.locator("table.worklist tbody tr").first
    expect(first).to_contain_text("Dringend")
    expect(first).to_contain_text("Signalen uit het crisisplan")
    expect(first).to_contain_text("Fase: Vroege signalen")
    expect(first).to_contain_text("Gemeld door Rob de Boer")
    screenshot(page, "worklist-crisis-report")
    assert problems.csp_violations() == [] and problems.page_errors == []
