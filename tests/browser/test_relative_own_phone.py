"""A relative on a phone (390 px) in real Chromium (issue #13): Rob opens his own page about
Anna, sends the coordinator a question of his own with the keyboard alone, hears the status
message, then answers Anna's invitation to the yearly evaluation the same way. axe-core finds no
WCAG 2.1 A/AA problems on either page, nothing scrolls sideways, no CSP violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from koers.followup.models import RelativeEvaluationInput, RelativeNote
from koers.followup.relatives import relative_evaluation_invite
from koers.network.models import RelativeLink
from koers.network.services import consent_set

from .conftest import MOBILE
from .test_browser_journeys import axe_violations
from .test_portal_home_phone import small_targets

pytestmark = pytest.mark.browser


@pytest.fixture
def anna_shares_and_invites(cast):
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic="goals", granted=True)
    link = RelativeLink.objects.get(person=cast.anna, user=cast.rob)
    relative_evaluation_invite(actor=cast.anna_user, person=cast.anna, link_id=link.pk)


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"], "the page scrolls sideways"
    assert small_targets(page) == []
    assert axe_violations(page) == []


def test_a_relative_sends_a_note_and_answers_the_evaluation_on_a_phone(
    cast, anna_shares_and_invites, new_page, log_in, problems, screenshot
):
    page = log_in(new_page(MOBILE), "rob")
    with page.expect_navigation():
        page.get_by_role("link", name="Contact, uw eigen vragen en steun voor uzelf (Anna)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anna de Boer en u")
    expect(page.get_by_text("Noor Bakker")).to_be_visible()
    _fits(page)

    # The note, by keyboard: focus the field, type, Tab to the button, Enter.
    page.get_by_label("Uw vraag of zorg").focus()
    page.keyboard.type("Ik slaap slecht de laatste weken.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Versturen")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Uw bericht is verstuurd naar Noor Bakker.")
    expect(page.get_by_text("Ik slaap slecht de laatste weken.")).to_be_visible()  # under "Wat u eerder stuurde"
    assert RelativeNote.objects.get().text == "Ik slaap slecht de laatste weken."
    _fits(page)
    screenshot(page, "relative-own-page-phone")

    with page.expect_navigation():
        page.get_by_role("link", name="Anna vraagt u mee te denken over het afgelopen jaar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Terugkijken op het jaar")
    _fits(page)
    page.get_by_label("Hoe ging het afgelopen jaar, volgens u?").focus()
    page.keyboard.type("Op en neer.")
    page.keyboard.press("Tab")
    page.keyboard.type("Samen wandelen.")
    page.keyboard.press("Tab")  # onto the load scale: the first option gets the focus
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # 4: often heavy
    expect(page.get_by_label("Vaak zwaar")).to_be_checked()
    page.get_by_role("button", name="Bewaren").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Dank u wel. Uw antwoorden zijn bewaard voor het gesprek.")
    answer = RelativeEvaluationInput.objects.get()
    assert (answer.how_it_went, answer.what_helped, answer.own_load) == ("Op en neer.", "Samen wandelen.", 4)
    assert not answer.share_with_person
    _fits(page)
    screenshot(page, "relative-evaluation-phone")
    assert problems.csp_violations() == [] and problems.page_errors == []
