"""A relative reads their messages on a phone (390 px) in real Chromium (issue #13): Rob, whom
Anna shares nothing with, is invited to a network meeting; the menu shows "Berichten" with the
unread count, the inbox lists the invitation (kind, date, place, nothing of the agenda), he marks
it read and the count goes, and the message leads to the invitation. axe-core finds no WCAG 2.1
A/AA problems, nothing scrolls sideways, no CSP violation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from koers.meetings import services as meeting_services
from koers.network.models import RelativeLink
from koers.notifications import delivery

from .conftest import MOBILE
from .test_browser_journeys import axe_violations
from .test_portal_home_phone import small_targets

pytestmark = pytest.mark.browser


@pytest.fixture
def rob_invited(cast):
    meeting = meeting_services.meeting_plan(
        actor=cast.noor,
        person=cast.anna,
        kind="network",
        starts_at=timezone.now() + dt.timedelta(days=7),
        place="Wijkcentrum De Linde, kamer 3",
        agenda="Slaapproblemen",
        relatives=[RelativeLink.objects.get(person=cast.anna, user=cast.rob)],
        members=[],
    )
    delivery.deliver_all(now=timezone.now() + dt.timedelta(minutes=1))
    return meeting


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"], "the page scrolls sideways"
    assert small_targets(page) == []
    assert axe_violations(page) == []


def test_a_relative_reads_a_meeting_message_in_their_inbox_on_a_phone(
    cast, rob_invited, new_page, log_in, problems, screenshot
):
    page = log_in(new_page(MOBILE), "rob")
    page.get_by_role("button", name="Menu").click()
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    inbox = nav.get_by_role("link", name="Berichten 1 ongelezen")
    expect(inbox).to_be_visible()
    with page.expect_navigation():
        inbox.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichten")
    expect(page.get_by_text("Wijkcentrum De Linde, kamer 3", exact=False)).to_be_visible()
    expect(page.get_by_text("Slaapproblemen")).to_have_count(0)  # nothing of the agenda: nothing shared
    _fits(page)
    screenshot(page, "relative-inbox-phone")

    with page.expect_navigation():
        page.get_by_role("button", name="Gelezen").click()
    page.get_by_role("button", name="Menu").click()
    expect(nav.get_by_role("link", name="Berichten", exact=True)).to_be_visible()  # no count any more
    _fits(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Bekijken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uitnodiging voor een overleg")
    _fits(page)
    assert problems.csp_violations() == [] and problems.page_errors == []
