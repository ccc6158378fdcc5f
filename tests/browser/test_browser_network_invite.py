"""A relative joins by a code, in real Chromium: Anna invites on "Mijn netwerk" on a phone, the
code is shown once, her sister types it on the code page, makes her own account and lands on
the second-factor setup. Every page passes axe-core (WCAG 2.1 A/AA) and the CSP; the care
team's network page too."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from koers.network.models import RelativeLink

from .conftest import MOBILE
from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser


def test_a_relative_joins_by_a_code_shown_once(cast, new_page, log_in, problems):
    page = log_in(new_page(MOBILE), "anna")
    page.goto("/mijn/netwerk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn netwerk")
    assert axe_violations(page) == []
    page.get_by_label("Wie is deze naaste?").fill("zus")
    page.get_by_label("code op het scherm").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Uitnodiging maken").click()
    code = page.locator(".invitation-code strong").inner_text()
    assert len(code) == 14
    assert axe_violations(page) == []

    sister = new_page(MOBILE)
    sister.goto("/netwerk/uitnodiging/")
    assert axe_violations(sister) == []
    sister.get_by_label("Uitnodigingscode").fill(code)
    with sister.expect_navigation():
        sister.get_by_role("button", name="Verder").click()
    expect(sister.locator("main")).to_contain_text("als naaste (zus) van Anna de Boer")
    assert axe_violations(sister) == []
    sister.get_by_label("Voornaam").fill("Lies")
    sister.get_by_label("Achternaam").fill("de Boer")
    sister.get_by_label("Gebruikersnaam").fill("lies")
    sister.get_by_label("Wachtwoord", exact=True).fill("Zonnebloem-veld-42")
    sister.get_by_label("Wachtwoord nog een keer").fill("Zonnebloem-veld-42")
    with sister.expect_navigation():
        sister.get_by_role("button", name="Account maken en uitnodiging aannemen").click()
    assert "/account/tweestaps/instellen/" in sister.url
    assert RelativeLink.objects.filter(person=cast.anna, user__username="lies").exists()
    assert problems.csp_violations() == []
    assert problems.page_errors == []


def test_the_care_teams_network_page_is_accessible(cast, page, log_in, problems):
    log_in(page, "noor")
    page.goto(f"/personen/{cast.anna.pk}/netwerk/")
    expect(page.get_by_role("heading", name="Regiebehandelaar")).to_be_visible()
    assert axe_violations(page) == []
    assert problems.csp_violations() == []
