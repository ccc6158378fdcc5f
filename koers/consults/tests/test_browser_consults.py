"""The consults pages in real Chromium: the portal flow on a phone, the agenda with htmx on a
desktop, no serious axe-core WCAG 2.1 A/AA problems and no Content-Security-Policy violations.

Uses the browser fixtures of ``tests/browser/conftest.py`` (Debian's chromium, Playwright).
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from koers.consults import services
from koers.consults.models import AgendaItem, Preparation
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


def test_prepare_on_a_phone_and_work_through_the_agenda_on_a_desktop(cast, new_page, log_in, problems):  # noqa: F811
    consult = services.consult_plan(actor=cast.noor, person=cast.anna, scheduled_at=soon(), professional=cast.noor)
    services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title="HbA1c", domain="zz")
    found = []

    page = log_in(new_page(MOBILE), "anna")
    page.goto(reverse("consults:portal_prepare"))
    found += axe_violations(page)
    page.get_by_role("button", name="Begin met voorbereiden").click()
    page.wait_for_url("**stap=hoe-gaat-het")
    page.get_by_text("Stap 1 van 7").wait_for()
    found += axe_violations(page)
    page.get_by_label("7", exact=True).check()
    page.get_by_label(re.compile("Wat wilt u vooral bespreken")).fill("Slapen")
    page.get_by_role("button", name="Opslaan en verder").click()
    page.wait_for_url("**stap=gezondheid")
    found += axe_violations(page)
    page.get_by_label(re.compile("^Zo gaat het nu")).fill("Moe")
    page.get_by_label(re.compile("^Ik ervaar last van mijn gezondheid op")).fill("'s nachts")
    page.get_by_role("button", name="Opslaan en verder").click()
    for slug in ("eigen-manier", "activiteiten", "omgeving"):
        page.wait_for_url(f"**stap={slug}")
        page.get_by_role("button", name="Opslaan en verder").click()
    page.wait_for_url("**stap=onderwerpen")
    page.locator("#id_title").fill("Werk")
    page.get_by_role("button", name="Onderwerp toevoegen").click()  # htmx: the list updates in place
    page.get_by_role("button", name=re.compile("Verwijderen.*Werk")).wait_for()
    found += axe_violations(page)
    page.locator("#id_title").fill("Fietsen")
    page.get_by_role("button", name="Onderwerp toevoegen").click()
    page.get_by_role("button", name=re.compile("Verwijderen.*Fietsen")).wait_for()
    page.get_by_role("button", name=re.compile("Verwijderen.*Werk")).click()
    page.get_by_role("button", name=re.compile("Verwijderen.*Werk")).wait_for(state="detached")
    page.get_by_role("button", name="Opslaan en verder").click()
    page.wait_for_url("**stap=overzicht")
    found += axe_violations(page)
    page.get_by_role("button", name="Versturen naar mijn zorgverlener").click()
    page.wait_for_url("**/mijn/gesprekken/agenda/")
    found += axe_violations(page)
    assert Preparation.objects.get(person=cast.anna).status == "submitted"
    assert list(AgendaItem.objects.filter(consult=consult).values_list("title", flat=True)) == ["HbA1c", "Fietsen"]

    pro = log_in(new_page(DESKTOP), "noor")
    pro.goto(reverse("consults:list", args=[cast.anna.pk]))
    found += axe_violations(pro)
    pro.goto(reverse("consults:detail", args=[cast.anna.pk, consult.pk]))
    found += axe_violations(pro)
    pro.get_by_role("button", name=re.compile("Omhoog.*Fietsen")).click()  # htmx
    pro.get_by_role("button", name=re.compile("Omlaag.*Fietsen")).wait_for()
    item = pro.locator("li.agenda-item").first
    item.get_by_role("radio", name="besproken").check()
    item.get_by_label(re.compile("Wat we bespraken")).fill("Fietst weer naar werk")
    item.get_by_role("button", name=re.compile("Opslaan.*Fietsen")).click()
    pro.locator("li.agenda-item").first.get_by_text("besproken", exact=True).first.wait_for()
    pro.goto(reverse("consults:create", args=[cast.anna.pk]))
    found += axe_violations(pro)

    assert list(AgendaItem.objects.filter(consult=consult).values_list("title", "status")) == [
        ("Fietsen", "discussed"),
        ("HbA1c", "open"),
    ]
    assert found == [], "\n".join(found)
    assert problems.csp_violations() == [] and problems.page_errors == []
