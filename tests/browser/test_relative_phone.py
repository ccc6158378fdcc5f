"""A relative on a phone (390 px) in real Chromium (issue #12): after login they land on what
others share with them, open the care plan Anna shares, see only its shared parts, and axe-core
finds no WCAG 2.1 A/AA problems on either page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from koers.network.services import consent_set
from tests.support.testing import make_full_record

from .conftest import MOBILE
from .test_browser_journeys import axe_violations
from .test_portal_home_phone import small_targets

pytestmark = pytest.mark.browser


@pytest.fixture
def anna_shares_her_plan(cast):
    record = make_full_record(cast.anna, professional=cast.noor)
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic="careplan", granted=True)
    return record


def test_a_relative_opens_the_shared_care_plan_on_a_phone(
    cast, anna_shares_her_plan, new_page, log_in, problems, screenshot
):
    record = anna_shares_her_plan
    page = log_in(new_page(MOBILE), "rob")
    expect(page).to_have_url(f"{page.url.split('/naaste/')[0]}/naaste/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat anderen met u delen")
    expect(page.get_by_role("heading", level=2, name="Anna de Boer")).to_be_visible()
    assert small_targets(page) == []
    assert axe_violations(page) == []
    screenshot(page, "relative-home-phone")

    with page.expect_navigation():
        page.get_by_role("link", name="Zorgplan van Anna", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zorgplan van Anna")
    expect(page.get_by_text(record["follow_up_id"].what)).to_be_visible()
    expect(page.get_by_text(record["goal_id"].description)).to_have_count(0)  # goals are not shared
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"], "the page scrolls sideways"
    assert small_targets(page) == []
    assert axe_violations(page) == []
    screenshot(page, "relative-plan-phone")

    # The menu leads back to the relative's home.
    page.get_by_role("button", name="Menu").click()
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    expect(nav.get_by_role("link", name="Wat anderen met u delen")).to_be_visible()
    assert problems.csp_violations() == [] and problems.page_errors == []
