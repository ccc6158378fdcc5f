"""A relative reads the shared decisions on a phone (390 px) in real Chromium (issue #12): Rob
has consent for Anna's shared decisions, follows the link from his home, reads the question,
what was decided and that Anna agreed, opens the options considered, and axe-core finds no
WCAG 2.1 A/AA problems."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from koers.decisions.models import SharedDecision
from koers.network.services import consent_set
from tests.support.testing import make_full_record

from .conftest import MOBILE
from .test_browser_journeys import axe_violations
from .test_portal_home_phone import small_targets

pytestmark = pytest.mark.browser


@pytest.fixture
def anna_shares_her_decisions(cast):
    record = make_full_record(cast.anna, professional=cast.noor)
    decision = record["decision_id"]
    chosen = decision.options.order_by("order", "id").first()
    SharedDecision.objects.filter(pk=decision.pk).update(
        status=SharedDecision.Status.DECIDED, chosen_option=chosen, person_agreed=True, decided_at=timezone.now()
    )
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic="decisions", granted=True)
    return decision, chosen


def test_a_relative_reads_the_shared_decisions_on_a_phone(
    cast, anna_shares_her_decisions, new_page, log_in, problems, screenshot
):
    decision, chosen = anna_shares_her_decisions
    page = log_in(new_page(MOBILE), "rob")
    with page.expect_navigation():
        page.get_by_role("link", name="Samen beslissen van Anna", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Samen beslissen met Anna")
    expect(page.get_by_role("heading", level=3, name=decision.question)).to_be_visible()
    expect(page.get_by_text("Anna heeft met deze keuze ingestemd.")).to_be_visible()
    expect(page.locator("main form")).to_have_count(0)  # read-only

    page.locator("main summary").first.click()  # "De mogelijkheid die is bekeken (1)"
    expect(page.get_by_role("heading", level=4, name=chosen.title)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"], "the page scrolls sideways"
    assert small_targets(page) == []
    assert axe_violations(page) == []
    screenshot(page, "relative-decisions-phone")
    assert problems.csp_violations() == [] and problems.page_errors == []
