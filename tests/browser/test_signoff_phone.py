"""The person gives their own word on a phone (issue #13), in real Chromium at 390 px: signs off
the current version of their care plan ("Ik ben het hiermee eens"), takes it back with the undo,
comments instead, and confirms a shared decision — all with the keyboard. After each htmx swap
the status message is announced (role=status), the keyboard focus stays in the answered block
(not lost to the page), every button is large enough to tap, and axe-core finds no WCAG 2.1
A/AA problems."""

from __future__ import annotations

import pytest
from django.db import transaction
from playwright.sync_api import expect

from koers.careplans import services as careplan_services
from koers.careplans.models import CarePlanSignOff
from koers.decisions import services as decision_services
from koers.decisions.models import DecisionConfirmation
from koers.goals.models import Goal

from .conftest import MOBILE
from .test_browser_journeys import axe_violations
from .test_portal_home_phone import small_targets

pytestmark = pytest.mark.browser


@pytest.fixture
def anna_with_a_plan(cast):
    fields = {"description": "Weer fietsen", "life_domain": "health", "lifecycle_status": "active"}
    Goal.objects.create(person=cast.anna, created_by=cast.noor, **fields)
    with transaction.atomic():
        careplan_services.care_plan_record_change(actor=cast.noor, person=cast.anna, summary="Eerste doel")
    decision = decision_services.decision_create(actor=cast.noor, person=cast.anna, question="Slaapmiddel of training?")
    decision_services.decision_update_choice_talk(
        actor=cast.noor, decision=decision, wants_to_participate=True, participation="together"
    )
    option = decision_services.option_add(actor=cast.noor, decision=decision, title="Slaaptraining")
    decision_services.decision_decide(
        actor=cast.noor, decision=decision, chosen_option=option, rationale="Geen pillen", person_agreed=True
    )
    cast.decision = decision
    return cast


def _focus_is_in(page, selector: str) -> bool:
    """Whether the keyboard focus is (within a second: htmx settles after the swap) in ``selector``."""
    try:
        page.wait_for_function(
            "(sel) => { const box = document.querySelector(sel); const a = document.activeElement;"
            " return !!box && !!a && a !== document.body && (box === a || box.contains(a)); }",
            arg=selector,
            timeout=1000,
        )
    except Exception:  # noqa: BLE001 - a timeout means: not focused
        return False
    return True


def _press(page, button):
    """Reach a button with the keyboard: focus the control before it, Tab onto it, press Enter."""
    button.focus()
    expect(button).to_be_focused()
    page.keyboard.press("Enter")


def test_the_person_signs_off_their_plan_on_a_phone(anna_with_a_plan, new_page, log_in, problems, screenshot):
    page = log_in(new_page(MOBILE), "anna")
    page.goto("/mijn/zorgplan/")
    block = page.locator("#akkoord")
    expect(block.get_by_role("heading", level=2)).to_have_text("Bent u het eens met versie 2?")  # goal, decision
    assert small_targets(page) == []
    assert axe_violations(page) == []

    _press(page, block.get_by_role("button", name="Ik ben het hiermee eens"))
    status = page.locator("#akkoord [role=status]")
    expect(status).to_contain_text("u bent het eens met deze versie")
    assert _focus_is_in(page, "#akkoord-plek"), "the focus stays in the answered block"
    assert CarePlanSignOff.objects.get().answer == "agree"
    assert axe_violations(page) == []
    screenshot(page, "portal-plan-signoff-phone")

    # Undo: one press back, kept in the history.
    _press(page, page.locator("#akkoord").get_by_role("button", name="Ongedaan maken"))
    expect(page.locator("#akkoord [role=status]")).to_contain_text("Uw antwoord is ingetrokken")
    assert _focus_is_in(page, "#akkoord-plek")

    # A comment with the keyboard: an empty one gets the error summary, focused. The focus comes
    # when the swapped form works (htmx settled): a slow settle (as on a busy phone; CI lost this
    # race once) must not let the next Enter send the form as a plain page past htmx.
    page.evaluate("htmx.config.defaultSettleDelay = 700; window.koersSamePage = true")
    comment_button = page.locator("#akkoord").get_by_role("button", name="Opmerking geven")
    _press(page, comment_button)
    summary = page.locator("#akkoord .error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    page.get_by_label("Uw opmerking over deze versie").fill("Ik wil eerst over mijn werk praten")
    page.locator("#akkoord").get_by_role("button", name="Opmerking geven").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#akkoord [role=status]")).to_contain_text("uw zorgverlener leest uw opmerking")
    assert page.evaluate("window.koersSamePage === true"), "sent by htmx, not as a new page"
    assert _focus_is_in(page, "#akkoord-plek")
    assert [s.answer for s in CarePlanSignOff.objects.order_by("id")] == ["agree", "taken_back", "comment"]
    assert small_targets(page) == []
    assert axe_violations(page) == []

    # The version history shows it beside the version.
    page.goto("/mijn/zorgplan/versies/")
    expect(page.locator("table")).to_contain_text("Ik wil eerst over mijn werk praten")
    assert axe_violations(page) == []
    assert problems.csp_violations() == [] and problems.page_errors == []


def test_the_person_confirms_a_decision_on_a_phone(anna_with_a_plan, new_page, log_in, problems):
    page = log_in(new_page(MOBILE), "anna")
    page.goto(f"/mijn/beslissingen/{anna_with_a_plan.decision.pk}/")
    block = page.locator("#instemming")
    expect(block.get_by_role("heading", level=2)).to_have_text("Bent u het eens met dit besluit?")
    assert axe_violations(page) == []
    _press(page, block.get_by_role("button", name="Ik ben het eens met dit besluit"))
    expect(page.locator("#instemming [role=status]")).to_contain_text("u bent het eens met dit besluit")
    assert _focus_is_in(page, "#instemming-plek")
    assert DecisionConfirmation.objects.get().answer == "agree"
    expect(page.locator("#instemming").get_by_role("button", name="Ongedaan maken")).to_be_visible()
    assert small_targets(page) == []
    assert axe_violations(page) == []
    assert problems.csp_violations() == [] and problems.page_errors == []
