"""Issue #13 in real Chromium: the GP opens "Berichten uit het netwerk" on a phone, sees the
unread summary of a medication change in the GGZ team, reads it, and axe-core finds no WCAG 2.1
A/AA problems on either page."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from koers.network.models import CareTeamMember
from koers.people.services import medication_add

from .conftest import MOBILE
from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser


def test_the_gp_reads_a_medication_summary_on_a_phone(cast, live_server, new_page, log_in, problems, screenshot):
    CareTeamMember.objects.create(
        person=cast.anna,
        professional=cast.pieter,
        organisation=cast.ggz,
        role=CareTeamMember.Role.MEMBER,
        assigned_by=cast.noor,
        started_at=timezone.now(),
    )
    medication_add(actor=cast.pieter, person=cast.anna, name="Lithium", dosage="400 mg 's avonds")
    page = log_in(new_page(MOBILE), "gert")
    page.get_by_role("button", name="Menu").click()
    with page.expect_navigation():
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Berichten uit het netwerk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichten uit het netwerk")
    expect(page.get_by_text("1 ongelezen bericht.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"], "the page scrolls sideways"
    assert axe_violations(page) == []
    screenshot(page, "handover-inbox-phone")

    with page.expect_navigation():
        page.get_by_role("link", name="de Boer, Anna: medicatie gestart, gewijzigd of gestopt").click()
    expect(
        page.get_by_role("heading", level=2, name="Overdrachtsbericht: medicatie gestart, gewijzigd of gestopt")
    ).to_be_visible()
    expect(page.get_by_role("heading", level=3, name="Medicatie nu")).to_be_visible()
    expect(page.get_by_text("Lithium — 400 mg 's avonds")).to_be_visible()
    expect(page.get_by_role("link", name="Download als PDF")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"], "the page scrolls sideways"
    assert axe_violations(page) == []
    screenshot(page, "handover-summary-phone")
    assert problems.csp_violations() == [] and problems.page_errors == []
