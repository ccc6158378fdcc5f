"""The caseload in Chromium: live search as you type (no term in the address), the count announced
in a polite status region, sortable column headers that keep focus, and the same without script."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.support.testing import make_person

from .conftest import DESKTOP
from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def caseload(cast):
    make_person(actor=cast.noor, given_name="Émile", family_name="van der Meer", birth_date=dt.date(1961, 4, 3))
    make_person(actor=cast.noor, given_name="Zoë", family_name="Bakker", birth_date=dt.date(1990, 12, 24))
    for i in range(26):
        make_person(actor=cast.noor, given_name=f"Zz{i:02d}", family_name="van Zwart")
    return cast


def _first_names(page) -> list[str]:
    return [text.strip() for text in page.locator("#caseload-results tbody td:first-child a").all_inner_texts()]


def test_live_search_sort_and_announcement(caseload, new_page, log_in, problems):
    page = log_in(new_page(DESKTOP), "noor")
    page.goto("/clienten/")
    status = page.locator("#caseload-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text("30 personen in uw zorg")
    assert _first_names(page)[:3] == ["Bakker, Zoë", "de Boer, Anna", "van der Meer, Émile"]

    search = page.get_by_label("Zoek op naam, geboortedatum of BSN")
    search.press_sequentially("boer, anna", delay=40)  # live: no Enter, no button
    expect(status).to_have_text("1 persoon gevonden")
    assert _first_names(page) == ["de Boer, Anna"]
    assert "boer" not in page.url.lower()  # the term is never in the address (nor in server logs)
    expect(search).to_be_focused()

    search.fill("")
    search.press_sequentially("3-4-1961", delay=40)
    expect(page.locator("#caseload-results tbody a").first).to_have_text("van der Meer, Émile")
    expect(status).to_have_text("1 persoon gevonden")

    search.fill("123456789")  # nine digits that fail the elfproef
    expect(status).to_have_text("Dit BSN klopt niet. Controleer de 9 cijfers.")

    search.fill("")
    search.press("Enter")
    expect(status).to_have_text("30 personen in uw zorg")
    born = page.get_by_role("button", name="Geboren")
    born.focus()
    page.keyboard.press("Enter")
    header = page.locator("th", has=page.locator("#sorteer-geboren"))
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(page.locator("#sorteer-geboren")).to_be_focused()  # focus stays on the header after the swap
    assert _first_names(page)[0] == "van der Meer, Émile"
    page.keyboard.press("Enter")
    expect(header).to_have_attribute("aria-sort", "descending")
    assert _first_names(page)[0] == "Bakker, Zoë"

    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_text("Pagina 2 van 2")).to_be_visible()
    expect(header).to_have_attribute("aria-sort", "descending")  # the sort holds across pages
    expect(page.locator("#caseload-results")).to_be_focused()  # the page button is gone: focus the results
    assert axe_violations(page) == []
    assert problems.csp_violations() == [] and problems.page_errors == []


def test_search_works_without_javascript(caseload, browser, live_server, log_in):
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="nl-NL", java_script_enabled=False)
    try:
        page = log_in(context.new_page(), "noor")
        page.goto("/clienten/")
        page.get_by_label("Zoek op naam, geboortedatum of BSN").fill("Meer Emile")
        with page.expect_navigation():
            page.get_by_role("button", name="Zoeken").click()
        expect(page.locator("#caseload-status")).to_have_text("1 persoon gevonden")
        assert _first_names(page) == ["van der Meer, Émile"]
        assert "meer" not in page.url.lower()
        with page.expect_navigation():
            page.get_by_role("button", name="Geboren").click()
        expect(page.locator("th", has=page.locator("#sorteer-geboren"))).to_have_attribute("aria-sort", "ascending")
        expect(page.get_by_label("Zoek op naam, geboortedatum of BSN")).to_have_value("Meer Emile")
    finally:
        context.close()


def test_a_sort_click_while_a_search_is_still_loading_is_not_lost(caseload, new_page, log_in, problems):
    """A slow answer to what was typed must not swallow the next click: htmx drops a request on
    the same form while one is in flight unless told to queue it (seen as a flaky sort under load)."""
    page = log_in(new_page(DESKTOP), "noor")
    page.goto("/clienten/")
    status = page.locator("#caseload-status")
    expect(status).to_have_text("30 personen in uw zorg")
    slow = {"left": 1}

    def hold_the_first_search(route):
        if slow["left"] and "sorteer_op" not in (route.request.post_data or ""):
            slow["left"] -= 1
            page.wait_for_timeout(1500)
        route.continue_()

    page.route("**/clienten/", hold_the_first_search)
    page.get_by_label("Zoek op naam, geboortedatum of BSN").fill("van")
    page.wait_for_timeout(600)  # the typed search (400 ms delay) is now on its way, held back
    page.get_by_role("button", name="Geboren").click()
    header = page.locator("th", has=page.locator("#sorteer-geboren"))
    expect(header).to_have_attribute("aria-sort", "ascending")
    assert _first_names(page)[0] == "van der Meer, Émile"
    assert problems.page_errors == []
