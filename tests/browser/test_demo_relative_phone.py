"""The demo's Rob on a phone (390 px) in real Chromium (issue #12): he logs in with the demo
password, lands on what Anna shares with him, opens her care plan with her goals in it, and axe-core
finds no WCAG 2.1 A/AA problems on either page."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from koers.demo import stories
from koers.demo.stories import anna

from .conftest import MOBILE
from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(live_server):
    call_command("demo", force=True, stdout=io.StringIO())


def test_rob_opens_annas_care_plan_on_a_phone(demo, new_page, log_in, problems, screenshot):
    page = log_in(new_page(MOBILE), "rob", stories.DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat anderen met u delen")
    expect(page.get_by_role("heading", level=2, name="Anna de Boer")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "demo-rob-home-phone")

    with page.expect_navigation():
        page.get_by_role("link", name="Zorgplan van Anna", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zorgplan van Anna")
    expect(page.get_by_text(anna.STORY["goals"][0]["description"]).first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"], "the page scrolls sideways"
    assert axe_violations(page) == []
    screenshot(page, "demo-rob-plan-phone")
    assert problems.csp_violations() == [] and problems.page_errors == []
