"""The person's route as a metro map on a phone (390 px) in real Chromium (issue #17): the map
fits, axe-core finds no WCAG 2.1 A/AA problems, the keyboard reaches a station link with a
visible focus ring, and the list below the drawing holds the same stations in order."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.testing import make_full_record

from .conftest import MOBILE
from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def anna_with_a_route(cast):
    make_full_record(cast.anna, professional=cast.noor)
    return cast


def test_the_route_on_a_phone(anna_with_a_route, new_page, log_in, problems, screenshot):
    page = log_in(new_page(MOBILE), "anna")
    page.goto("/mijn/route/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn route")
    drawing = page.locator("svg.metro-map")
    expect(drawing).to_be_visible()
    # The drawing fits the phone's width: no sideways scrolling of the page.
    assert drawing.bounding_box()["width"] <= MOBILE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]

    stations = page.locator("svg.metro-map a.metro-station")
    assert stations.count() >= 3
    # Tab from the heading of the map onwards: the first station link gets the focus, visibly.
    page.locator("#h-metro").evaluate("el => { el.tabIndex = -1; el.focus(); }")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('metro-station')"):
            break
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused, "the keyboard did not reach a station link"
    ring = page.evaluate("getComputedStyle(document.activeElement.querySelector('circle')).strokeWidth")
    assert ring in ("4", "4px"), ring
    # Enter on the focused station opens its page.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/mijn/route/" not in page.url
    page.goto("/mijn/route/")

    # The list holds the same stations, in the same order, with the same words.
    page.get_by_text("De route als lijst").click()
    listed = page.locator("details.metro-list ol > li")
    assert listed.count() == page.locator("svg.metro-map .metro-station").count()
    labels = stations.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    texts = listed.evaluate_all("els => els.map(e => e.innerText.trim())")
    assert [t for t in texts if t in labels] == labels

    assert axe_violations(page) == []
    assert problems.csp_violations() == [] and problems.page_errors == []
    screenshot(page, "metro-map-phone")
