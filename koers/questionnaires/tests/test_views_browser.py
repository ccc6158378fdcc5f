"""Questionnaires in real Chromium: a person fills in the PHQ-9 on a phone, one question per
screen, stops half-way and continues, sees the support note after a worrying answer and the
result in plain words; the professional sees it in the caseload and the trajectory. axe-core
finds no serious WCAG 2.1 A/AA problems, and nothing breaks the Content-Security-Policy.

Uses the browser fixtures of ``tests/browser/conftest.py`` (Debian's chromium, Playwright).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from koers.questionnaires import services
from koers.questionnaires.models import AttentionItem, Response
from tests.browser.conftest import (  # noqa: F401  (fixtures)
    DESKTOP,
    MOBILE,
    browser,
    log_in,
    new_page,
    problems,
    screenshot,
)
from tests.browser.test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser

ANSWERS = ["Meerdere dagen", "Helemaal niet", "Meerdere dagen", "Meer dan de helft van de dagen"]


def answer(page, number: int, label: str):
    expect(page.get_by_text(f"Vraag {number} van 10", exact=True)).to_be_visible()
    page.get_by_role("radio", name=label, exact=True).check()
    page.get_by_role("button", name=re.compile("^(Volgende vraag|Naar het overzicht)$")).click()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_person_fills_in_the_phq9_on_a_phone(cast, new_page, log_in, problems, screenshot):  # noqa: F811
    earlier = services.response_start(actor=cast.noor, person=cast.anna, instrument_id="phq-9")
    services.response_complete(
        actor=cast.noor,
        response=earlier,
        answers={str(n): "3" for n in range(1, 9)} | {"9": "0"},
        authored_at=timezone.now() - dt.timedelta(days=90),
    )
    services.assignment_create(
        actor=cast.noor, person=cast.anna, instrument_id="phq-9", note="Zo zien we samen hoe het nu gaat."
    )
    found = []

    page = log_in(new_page(MOBILE), "anna")
    page.get_by_role("button", name="Menu").click()  # on a phone the menu is folded away
    page.get_by_role("link", name="Mijn vragenlijsten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn vragenlijsten")
    found += axe_violations(page)
    page.get_by_role("link", name=re.compile("^Invullen")).click()
    expect(page.get_by_text("Er zijn 10 vragen.")).to_be_visible()
    found += axe_violations(page)
    page.get_by_role("button", name="Beginnen").click()

    for number, label in enumerate(ANSWERS, start=1):
        if number == 1:
            found += axe_violations(page)
            assert fits_the_screen(page)
            screenshot(page, "questionnaire-phone-question")
        answer(page, number, label)
    page.get_by_role("button", name="Bewaren en later verder").click()  # stop half-way
    expect(page.get_by_text("U kunt later verder gaan")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Verder met invullen")).click()
    expect(page.get_by_text("Vraag 5 van 10", exact=True)).to_be_visible()
    for number in range(5, 9):
        answer(page, number, "Helemaal niet")
    answer(page, 9, "Meerdere dagen")  # a worrying answer
    expect(page.get_by_role("heading", name="Het is goed dat u dit laat weten")).to_be_visible()
    expect(page.get_by_role("link", name="0800-0113")).to_be_visible()
    found += axe_violations(page)
    assert AttentionItem.objects.filter(person=cast.anna, handled_at=None).exists()  # already flagged
    answer(page, 10, "Een beetje moeilijk")

    expect(page.get_by_role("heading", level=1)).to_have_text("Controleren en versturen")
    found += axe_violations(page)
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uw uitslag")
    expect(page.get_by_text("Uw score ging van 24 naar 5.")).to_be_visible()
    expect(page.get_by_text("Dat is een echte verbetering, meer dan toeval.")).to_be_visible()
    found += axe_violations(page)
    assert fits_the_screen(page)
    screenshot(page, "questionnaire-phone-result")
    assert Response.objects.get(mode="portal").score.total == 5

    pro = log_in(new_page(DESKTOP), "noor")
    expect(pro.get_by_role("link", name=re.compile("zorgelijke uitslag vragenlijst"))).to_be_visible()
    pro.get_by_role("link", name=re.compile("zorgelijke uitslag vragenlijst")).click()
    expect(pro.get_by_role("heading", name="Aandacht nodig: zorgelijke uitslag")).to_be_visible()
    found += axe_violations(pro)
    pro.goto(reverse("questionnaires:trajectory", args=[cast.anna.pk, "phq-9"]))
    expect(pro.locator("svg[role=img] circle.traj-dot")).to_have_count(2)
    found += axe_violations(pro)
    screenshot(pro, "questionnaire-trajectory")
    assert found == [], "\n".join(found)
    assert problems.csp_violations() == [] and problems.page_errors == []
