"""In real Chromium: agenda editing with two items loses nothing, removing can be undone, the
status is announced and focus lands somewhere sensible; the confirmation page and these
pages have no serious axe-core WCAG 2.1 A/AA problems and no CSP violations."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from koers.consults import services
from koers.consults.models import AgendaItem, Consult
from koers.consults.tests.conftest import soon
from tests.browser.conftest import (  # noqa: F401  (fixtures)
    DESKTOP,
    MOBILE,
    browser,
    log_in,
    new_page,
    problems,
)
from tests.browser.test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def consult_with_two_items(cast):
    consult = services.consult_plan(actor=cast.noor, person=cast.anna, scheduled_at=soon(), professional=cast.noor)
    items = [
        services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title=title)
        for title in ("Bloeddruk", "Slapen")
    ]
    return consult, items


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_agenda_editing_with_two_items_keeps_both_texts(
    cast,
    consult_with_two_items,
    new_page,  # noqa: F811
    log_in,  # noqa: F811
    problems,  # noqa: F811
):
    consult, (first, second) = consult_with_two_items
    page = log_in(new_page(DESKTOP), "noor")
    page.goto(reverse("consults:detail", args=[cast.anna.pk, consult.pk]))
    found = axe_violations(page)
    page.locator(f"#id_item-{first.pk}-discussion_notes").fill("Metformine blijft")
    page.locator(f"#id_item-{second.pk}-discussion_notes").fill("Slaapdagboek bijhouden")
    page.get_by_role("button", name=re.compile("Opslaan.*Bloeddruk")).click()  # htmx

    expect(page.locator("#messages")).to_contain_text("Opgeslagen.")
    expect(page.locator(f"#id_item-{second.pk}-discussion_notes")).to_have_value("Slaapdagboek bijhouden")
    expect(page.locator(f"#id_item-{first.pk}-discussion_notes")).to_have_value("Metformine blijft")
    # Focus moves after the swap has settled (koers.js): wait for it rather than read it at once.
    expect(page.locator(f"#h-item-{first.pk}")).to_be_focused()
    assert [i.discussion_notes for i in AgendaItem.objects.filter(consult=consult)] == [
        "Metformine blijft",
        "Slaapdagboek bijhouden",
    ]
    found += axe_violations(page)
    assert found == [], "\n".join(found)
    assert problems.csp_violations() == [] and problems.page_errors == []


def test_remove_an_agenda_item_then_undo(
    cast,
    consult_with_two_items,
    new_page,  # noqa: F811
    log_in,  # noqa: F811
    problems,  # noqa: F811
):
    consult, (first, _second) = consult_with_two_items
    page = log_in(new_page(DESKTOP), "noor")
    page.goto(reverse("consults:detail", args=[cast.anna.pk, consult.pk]))
    page.get_by_role("button", name=re.compile("Verwijderen.*Bloeddruk")).click()

    expect(page.locator("#messages")).to_contain_text("‘Bloeddruk’ is van de agenda gehaald.")
    undo = page.get_by_role("button", name=re.compile("Ongedaan maken.*Bloeddruk"))
    expect(undo).to_be_focused()
    assert not AgendaItem.objects.filter(pk=first.pk).exists()
    found = axe_violations(page)

    page.keyboard.press("Enter")  # undo from the keyboard, where focus already is
    expect(page.locator("#messages")).to_contain_text("‘Bloeddruk’ staat weer op de agenda.")
    expect(page.locator(f"#h-item-{first.pk}")).to_be_focused()
    expect(page.locator("li.agenda-item h3").first).to_have_text("Bloeddruk")  # back in its place
    assert AgendaItem.objects.filter(pk=first.pk).exists()
    found += axe_violations(page)
    assert found == [], "\n".join(found)
    assert problems.csp_violations() == [] and problems.page_errors == []


def test_the_person_takes_a_topic_off_the_agenda_and_back_on_a_phone(
    cast,
    consult_with_two_items,
    new_page,  # noqa: F811
    log_in,  # noqa: F811
    problems,  # noqa: F811
):
    consult, _items = consult_with_two_items
    own = services.agenda_item_add(actor=cast.anna_user, person=cast.anna, consult=consult, title="Werk")
    page = log_in(new_page(MOBILE), "anna")
    page.goto(reverse("consults:portal_agenda"))
    found = axe_violations(page)
    remove = page.get_by_role("button", name=re.compile("Van de agenda halen.*Werk"))
    assert remove.bounding_box()["height"] >= 44
    remove.click()
    expect(page.locator("#messages")).to_contain_text("‘Werk’ is van de agenda gehaald.")
    undo = page.get_by_role("button", name=re.compile("Ongedaan maken.*Werk"))
    expect(undo).to_be_focused()
    assert undo.bounding_box()["height"] >= 44
    found += axe_violations(page)
    undo.click()
    expect(page.locator("#messages")).to_contain_text("‘Werk’ staat weer op de agenda.")
    expect(page.locator(f"#item-{own.pk}")).to_be_focused()
    assert AgendaItem.objects.filter(pk=own.pk).exists()
    assert found == [], "\n".join(found)
    assert problems.csp_violations() == [] and problems.page_errors == []


def test_cancelling_a_consult_asks_first_in_the_browser(
    cast,
    consult_with_two_items,
    new_page,  # noqa: F811
    log_in,  # noqa: F811
    problems,  # noqa: F811
):
    consult, _items = consult_with_two_items
    page = log_in(new_page(DESKTOP), "noor")
    page.goto(reverse("consults:detail", args=[cast.anna.pk, consult.pk]))
    page.get_by_role("link", name="Afzeggen").click()
    page.get_by_role("heading", name="Consult afzeggen?").wait_for()
    found = axe_violations(page)
    page.get_by_role("link", name="Nee, terug").click()
    page.wait_for_url(f"**{reverse('consults:detail', args=[cast.anna.pk, consult.pk])}")
    assert Consult.objects.get(pk=consult.pk).status == "planned"
    page.get_by_role("link", name="Afzeggen").click()
    page.get_by_role("button", name="Ja, afzeggen").click()
    expect(page.locator("#messages")).to_contain_text("Het consult is afgezegd.")
    assert Consult.objects.get(pk=consult.pk).status == "cancelled"
    found += axe_violations(page)
    assert found == [], "\n".join(found)
    assert problems.csp_violations() == [] and problems.page_errors == []


def test_without_javascript_saving_one_item_saves_both_and_undo_is_on_the_page(
    cast,
    consult_with_two_items,
    browser,  # noqa: F811
    live_server,
):
    consult, (first, second) = consult_with_two_items
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="nl-NL", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/account/inloggen/")
        page.get_by_label("Gebruikersnaam").fill("noor")
        page.get_by_label("Wachtwoord").fill("test-wachtwoord-123")
        page.get_by_role("button", name="Inloggen").click()
        page.goto(reverse("consults:detail", args=[cast.anna.pk, consult.pk]))
        page.locator(f"#id_item-{first.pk}-discussion_notes").fill("Metformine blijft")
        page.locator(f"#id_item-{second.pk}-discussion_notes").fill("Slaapdagboek bijhouden")
        page.get_by_role("button", name=re.compile("Opslaan.*Slapen")).click()  # a full page load
        expect(page.locator("#messages")).to_contain_text("Opgeslagen.")
        expect(page.locator(f"#id_item-{first.pk}-discussion_notes")).to_have_value("Metformine blijft")
        assert [i.discussion_notes for i in AgendaItem.objects.filter(consult=consult)] == [
            "Metformine blijft",
            "Slaapdagboek bijhouden",
        ]
        page.get_by_role("button", name=re.compile("Verwijderen.*Bloeddruk")).click()
        page.get_by_role("button", name=re.compile("Ongedaan maken.*Bloeddruk")).click()
        expect(page.locator("#messages")).to_contain_text("‘Bloeddruk’ staat weer op de agenda.")
        assert AgendaItem.objects.filter(pk=first.pk).exists()
    finally:
        context.close()
