"""The loop from an agenda item to a shared decision, a goal measured with goal attainment scaling
and a decision aid from the organisation's catalogue, in real Chromium: it works with the
keyboard-visible controls, and axe-core finds no serious WCAG 2.1 A/AA problems on the way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import MOBILE
from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser

LEVELS = (
    "Ik slaap bijna nooit door",
    "Eén nacht per week goed",
    "Drie nachten per week goed",
    "Vijf nachten per week goed",
    "Elke nacht goed",
)


@pytest.fixture
def agenda(cast):
    from koers.consults import services as consult_services
    from koers.decisions import aids

    consult = consult_services.consult_plan(
        actor=cast.noor,
        person=cast.anna,
        professional=cast.noor,
        scheduled_at=timezone.now() + dt.timedelta(days=2),
        planned_minutes=20,
    )
    consult_services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title="Slecht slapen")
    aids.decision_aid_create(
        actor=cast.mia,
        organisation=cast.gp_practice,
        name="Keuzehulp slecht slapen (fictief demovoorbeeld)",
        url="https://example.org/keuzehulp-slapen",
        topic="Slecht slapen",
        audience="Volwassenen",
        summary="Slaaptraining, slaapmiddel of afwachten naast elkaar.",
    )
    return consult


def test_from_agenda_item_to_decision_aid_goal_and_attainment(cast, agenda, new_page, log_in, problems):
    from koers.decisions import services
    from koers.decisions.models import SharedDecision

    page = log_in(new_page(MOBILE), "noor")
    violations: list[str] = []
    page.goto(reverse("consults:detail", args=[cast.anna.pk, agenda.pk]))
    page.get_by_role("link", name="Hierover samen beslissen").click()
    expect(page.get_by_label("Waarover gaat u samen beslissen?")).to_have_value("Slecht slapen")
    violations += axe_violations(page)
    page.get_by_role("button", name="Vraag opslaan").click()
    decision = SharedDecision.objects.get()
    assert decision.agenda_item is not None

    services.decision_update_choice_talk(
        actor=cast.noor, decision=decision, wants_to_participate=True, participation="together"
    )
    option = services.option_add(actor=cast.noor, decision=decision, title="Slaaptraining")
    services.option_add(actor=cast.noor, decision=decision, title="Slaapmiddel")

    page.goto(reverse("decisions:decision_aid", args=[cast.anna.pk, decision.pk]))
    violations += axe_violations(page)
    page.get_by_label("Keuzehulp slecht slapen (fictief demovoorbeeld)", exact=False).check()
    page.get_by_role("button", name="Deze keuzehulp aanbieden").click()
    expect(page.locator("main")).to_contain_text("Keuzehulp aangeboden")

    services.decision_decide(
        actor=cast.noor, decision=decision, chosen_option=option, rationale="Geen pillen", person_agreed=True
    )
    page.goto(reverse("decisions:to_goal", args=[cast.anna.pk, decision.pk]))
    expect(page.locator("main")).to_contain_text("Alleen nodig als u doelbereik in stappen gebruikt")
    violations += axe_violations(page)
    page.get_by_label("Doelbereik in stappen (GAS) gebruiken").check()
    for field, text in zip(("m2", "m1", "0", "p1", "p2"), LEVELS, strict=True):
        page.locator(f"#id_gas_level_{field}").fill(text)
    page.get_by_role("group", name="Waar staat de cliënt nu?").get_by_label("−1: minder dan verwacht").check()
    page.get_by_role("button", name="Doel toevoegen aan het zorgplan").click()

    goals = page.locator("#doelen")
    expect(goals).to_contain_text("bij de start -1")
    expect(goals.get_by_role("link", name="Slaaptraining")).to_be_visible()
    violations += axe_violations(page)

    page.goto(reverse("careplans:plan", args=[cast.anna.pk]))
    expect(page.locator("main")).to_contain_text("Doelbereik in stappen (GAS)")
    expect(page.locator("main")).to_contain_text("Keuzehulp slecht slapen (fictief demovoorbeeld)")
    violations += axe_violations(page)

    assert violations == [], "axe-core found serious WCAG 2.1 A/AA problems:\n" + "\n".join(violations)
    assert problems.csp_violations() == [], problems.csp_violations()
    assert problems.page_errors == []


def test_the_manager_keeps_the_catalogue(cast, new_page, log_in, problems):
    page = log_in(new_page(MOBILE), "mia")
    page.goto(reverse("home"))
    page.get_by_role("link", name="Keuzehulpen van uw organisatie").click()
    page.get_by_role("link", name="Keuzehulp toevoegen").click()
    violations = axe_violations(page)
    page.get_by_label("Naam van de keuzehulp").fill("Keuzehulp knieklachten (fictief demovoorbeeld)")
    page.get_by_label("Webadres").fill("javascript:alert(1)")
    page.get_by_label("Onderwerp").fill("Knieklachten")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".error-summary")).to_contain_text("https://")
    page.get_by_label("Webadres").fill("https://example.org/knie")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("table")).to_contain_text("Knieklachten")
    violations += axe_violations(page)
    assert violations == [], "\n".join(violations)
    assert problems.csp_violations() == [] and problems.page_errors == []
