"""The person's home on a phone (390 px) in real Chromium: "what you can do now" comes first, the
header is one line with a menu that opens and closes with the keyboard, every link and button is
at least 44 px high, and axe-core finds no WCAG 2.1 A/AA problems."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from koers.goals.models import Action
from tests.support.testing import make_full_record

from .conftest import MOBILE
from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser

MIN_TARGET = 44


def small_targets(page) -> list[str]:
    """Visible links and buttons less than 44 px high, as 'text (height)'. The skip link is
    off-screen until focused (checked separately)."""
    return page.evaluate(
        """(min) => [...document.querySelectorAll('a, button, select, summary, input[type=submit]')]
            .filter(el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
                            return r.width > 1 && r.height > 1 && r.right > 0 && s.visibility !== 'hidden'; })
            .filter(el => el.getBoundingClientRect().height < min - 0.5)
            .map(el => `${(el.innerText || el.getAttribute('aria-label') || el.tagName).trim()} `
                       + `(${el.getBoundingClientRect().height.toFixed(1)} px)`)""",
        MIN_TARGET,
    )


@pytest.fixture
def anna_at_home(cast):
    record = make_full_record(cast.anna, professional=cast.noor)
    # An action of hers whose review date has come.
    Action.objects.filter(pk=record["action_id"].pk).update(review_date=timezone.localdate() - dt.timedelta(days=1))
    return cast


def test_the_persons_home_on_a_phone(anna_at_home, new_page, log_in, problems, screenshot):
    page = log_in(new_page(MOBILE), "anna")
    page.goto("/mijn/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom, Anna")

    # What to do next is the first section, before anything else.
    first_h2 = page.locator("main h2").first
    expect(first_h2).to_have_text("Wat u nu kunt doen")
    todo = page.locator("#todo")
    expect(todo.get_by_role("link", name="Invullen")).to_be_visible()
    expect(todo.get_by_role("link", name="Vertel hoe het gaat")).to_be_visible()
    expect(todo.get_by_role("link", name="Verder met voorbereiden")).to_be_visible()
    h1_box = page.get_by_role("heading", level=1).bounding_box()
    todo_box = todo.bounding_box()
    assert todo_box["y"] < page.locator(".cards").bounding_box()["y"]
    assert todo_box["y"] - (h1_box["y"] + h1_box["height"]) < 40, "nothing stands between the welcome and the to-do"

    # The header fits on one line: brand and menu button side by side, the menu folded away.
    brand = page.locator(".site-header .brand").bounding_box()
    toggle = page.get_by_role("button", name="Menu")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    button = toggle.bounding_box()
    header = page.locator(".site-header").bounding_box()
    assert abs((brand["y"] + brand["height"] / 2) - (button["y"] + button["height"] / 2)) < 4
    assert button["x"] + button["width"] <= MOBILE["width"]
    assert header["height"] <= 72, f"the header is {header['height']} px high: more than one line"
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_hidden()
    assert small_targets(page) == []
    assert axe_violations(page) == []
    screenshot(page, "portal-home-phone")

    # The skip link, off-screen until focused, is as large as every other target.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["height"] >= MIN_TARGET

    # The menu opens and closes with the keyboard and tells screen readers its state.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="Mijn zorgplan")).to_be_visible()
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="Overzicht")).to_be_focused()
    assert small_targets(page) == []
    assert axe_violations(page) == []
    screenshot(page, "portal-home-phone-menu")
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(nav).to_be_hidden()
    page.keyboard.press("Space")
    expect(nav).to_be_visible()
    page.keyboard.press("Space")
    expect(nav).to_be_hidden()

    # Through the menu to another portal page: targets stay large there too.
    toggle.click()
    with page.expect_navigation():
        nav.get_by_role("link", name="Mijn zorgplan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn zorgplan")
    assert small_targets(page) == []
    assert axe_violations(page) == []
    assert problems.csp_violations() == [] and problems.page_errors == []


def test_without_a_narrow_screen_the_menu_is_simply_there(anna_at_home, new_page, log_in, problems):
    page = log_in(new_page(), "anna")
    page.goto("/mijn/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn zorgplan")).to_be_visible()
    assert problems.csp_violations() == []
