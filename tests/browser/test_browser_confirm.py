"""Ask first, in a real browser (issue #14, no irreversible one-click actions).

Noor clicks "Gestopt" beside a medicine: a page asks first; "Nee, terug" changes nothing; "Ja,
gestopt" moves the medicine to the stopped ones. Anna on a phone stops her calendar link: the
question is her own page (no professional tabs), its buttons are big enough to tap. Both pages:
no serious axe-core problems, no CSP violations, no script errors.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import MOBILE
from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser


def test_stopping_a_medicine_asks_first_and_back_changes_nothing(cast, new_page, log_in, problems):
    from koers.people.models import Medication

    medication = Medication.objects.create(person=cast.anna, name="Metformine", dosage="500 mg")
    page = log_in(new_page(), "noor")
    page.goto(f"/personen/{cast.anna.pk}/profiel/")
    page.get_by_role("button", name="Gestopt met Metformine").click()
    expect(page.get_by_role("heading", level=2, name="Gestopt met Metformine?")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Nee, terug").click()
    expect(page).to_have_url(re.compile(r"/profiel/#medicatie$"))
    medication.refresh_from_db()
    assert medication.active
    page.get_by_role("button", name="Gestopt met Metformine").click()
    page.get_by_label("Waarom gestopt?").fill("Bijwerkingen")  # required (issue #12)
    page.get_by_role("button", name="Ja, gestopt").click()
    expect(page.locator("#messages")).to_contain_text("staat nu als gestopt")
    expect(page.locator("#medicatie")).to_contain_text("Gestopte medicijnen")
    expect(page.locator("#medicatie")).to_contain_text("Reden: Bijwerkingen")
    medication.refresh_from_db()
    assert not medication.active
    assert problems.csp_violations() == []
    assert problems.page_errors == []


def test_the_person_stops_her_calendar_link_on_a_phone_after_the_question(cast, new_page, log_in, problems):
    from koers.followup import services
    from koers.followup.models import CalendarToken

    services.calendar_token_create(actor=cast.anna_user, person=cast.anna)
    page = log_in(new_page(MOBILE), "anna")
    page.goto("/mijn/agenda/")
    page.get_by_role("button", name="Agenda-link stoppen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda-link stoppen?")
    expect(page.locator(".tabs")).to_have_count(0)  # her own page, not a professional's
    for control in (page.get_by_role("button", name="Ja, stoppen"), page.get_by_role("link", name="Nee, terug")):
        assert control.bounding_box()["height"] >= 44
    assert axe_violations(page) == []
    assert CalendarToken.objects.filter(revoked_at__isnull=True).count() == 1
    page.get_by_role("button", name="Ja, stoppen").click()
    expect(page).to_have_url(re.compile(r"/mijn/agenda/$"))
    expect(page.locator("main")).to_contain_text("U heeft nu geen agenda-link.")
    assert CalendarToken.objects.filter(revoked_at__isnull=True).count() == 0
    assert problems.csp_violations() == []
    assert problems.page_errors == []
