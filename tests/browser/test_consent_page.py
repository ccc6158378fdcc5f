""" "Wie mag wat zien" in real Chromium (issue #12): a switch changed with the keyboard keeps the
focus after the swap, the status message says what changed, the history grows, the guard holds
on the next request; on a phone the table is a list per member without sideways scrolling.
No CSP violations, no script errors, no axe-core WCAG 2.1 A/AA problems."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from koers import access
from koers.access import Category

from .conftest import MOBILE
from .test_browser_journeys import axe_violations
from .test_portal_home_phone import small_targets

pytestmark = pytest.mark.browser
URL = "/mijn/wie-mag-wat-zien/"


def test_a_switch_changes_in_place_and_keeps_the_focus(cast, page, log_in, problems):
    log_in(page, "anna")
    page.goto(URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Wie mag wat zien")
    # A wide table scrolls inside its own region; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    switch = page.get_by_role("switch", name="Rob de Boer mag zien: Zorgplan")
    expect(switch).to_have_attribute("aria-checked", "false")
    switch.focus()
    page.keyboard.press("Enter")
    switch = page.get_by_role("switch", name="Rob de Boer mag zien: Zorgplan")
    expect(switch).to_have_attribute("aria-checked", "true")
    expect(page.locator("#consent-status")).to_have_text("Rob de Boer mag nu zien: Zorgplan.")
    expect(page.locator("#consent-history li")).to_have_count(1)
    expect(switch).to_be_focused()  # the same id after the swap: the keyboard user stays in place
    assert access.can(cast.rob, cast.anna, Category.CAREPLAN)
    # Again, with the space bar: the undo is the same switch.
    page.keyboard.press("Space")
    expect(page.get_by_role("switch", name="Rob de Boer mag zien: Zorgplan")).to_have_attribute("aria-checked", "false")
    expect(page.locator("#consent-history li")).to_have_count(2)
    expect(page.get_by_role("switch", name="Rob de Boer mag zien: Zorgplan")).to_be_focused()
    assert not access.can(cast.rob, cast.anna, Category.CAREPLAN)
    assert axe_violations(page) == []
    assert problems.csp_violations() == [] and problems.page_errors == []


def test_on_a_phone_each_member_is_a_list_without_sideways_scrolling(cast, new_page, log_in, problems):
    page = log_in(new_page(MOBILE), "anna")
    page.goto(URL)
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    # The topic is written beside each switch (the column heading is out of sight).
    expect(page.locator(f"#cell-{cast.rob.pk}-careplan .consent-topic")).to_be_visible()
    assert small_targets(page) == []
    page.get_by_role("switch", name="Gert de Vries mag zien: Doelen en acties").click()
    expect(page.locator("#consent-status")).to_have_text("Gert de Vries mag dit niet meer zien: Doelen en acties.")
    assert axe_violations(page) == []
    assert problems.csp_violations() == [] and problems.page_errors == []


def test_the_focus_comes_back_to_the_switch_when_it_was_lost_during_the_request(cast, page, log_in, problems):
    """On a slow connection the focus can leave the switch before the answer arrives (the page
    was touched, the browser moved it): once the new switch is in, the keyboard user is put back
    on it rather than at the top of the page."""
    log_in(page, "anna")
    page.goto(URL)
    answers = []

    def slow(route):
        page.evaluate("document.activeElement.blur()")  # the focus is lost while the request waits
        answers.append(route.fetch())
        route.fulfill(response=answers[-1])

    def hold_posts(route):
        return slow(route) if route.request.method == "POST" else route.continue_()

    page.route("**/mijn/wie-mag-wat-zien/", hold_posts)
    switch = page.get_by_role("switch", name="Rob de Boer mag zien: Zorgplan")
    switch.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("switch", name="Rob de Boer mag zien: Zorgplan")).to_have_attribute("aria-checked", "true")
    assert len(answers) == 1
    expect(page.get_by_role("switch", name="Rob de Boer mag zien: Zorgplan")).to_be_focused()
    assert problems.csp_violations() == [] and problems.page_errors == []
