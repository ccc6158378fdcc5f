"""A network meeting in real Chromium, by keyboard: Noor plans it with Anna, her partner Rob and a
psychiatrist of the GGZ team, records a decision whose "who does what" becomes an action in Anna's
care plan. Every page passes axe-core (WCAG 2.1 A/AA) and the CSP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from koers.goals import services as goal_services
from koers.goals.models import Action
from koers.meetings.models import Decision, Meeting
from koers.network.models import CareTeamMember

from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser


def _press(locator, key: str = "Enter") -> None:
    locator.focus()
    locator.page.keyboard.press(key)


def test_planning_a_meeting_and_recording_a_decision_that_becomes_an_action(cast, page, log_in, problems):
    CareTeamMember.objects.create(
        person=cast.anna,
        professional=cast.pieter,
        organisation=cast.ggz,
        assigned_by=cast.noor,
        started_at=timezone.now(),
    )
    goal_services.goal_create(
        actor=cast.noor, person=cast.anna, description="Werk vinden", life_domain="work", lifecycle_status="active"
    )
    log_in(page, "noor")
    page.goto(f"/personen/{cast.anna.pk}/overleg/")
    expect(page.get_by_role("heading", name="Overleg (MDO en netwerkberaad)")).to_be_visible()
    assert axe_violations(page) == []
    with page.expect_navigation():
        _press(page.get_by_role("link", name="Een overleg plannen"))
    assert axe_violations(page) == []

    _press(page.get_by_label("netwerkberaad"), "Space")
    page.get_by_label("Datum", exact=True).fill((timezone.localdate() + dt.timedelta(days=7)).isoformat())
    page.get_by_label("Tijd", exact=True).fill("14:30")
    page.get_by_label("Plaats of videoverbinding").fill("Wijkcentrum De Linde, kamer 3")
    page.get_by_label("Agendapunten").fill("Werk zoeken\nSlaap")
    _press(page.get_by_label("Rob de Boer (partner)"), "Space")
    _press(page.get_by_label("Pieter, GGZ-team Oost"), "Space")
    with page.expect_navigation():
        _press(page.get_by_role("button", name="Plannen en uitnodigen"))
    expect(page.get_by_role("status")).to_contain_text("Het overleg is gepland")
    expect(page.get_by_role("heading", name="Uitgenodigd")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Rob de Boer")
    assert axe_violations(page) == []

    page.get_by_role("textbox", name="Wat is besloten").fill(
        "Anna gaat met de wijkcoach op zoek naar vrijwilligerswerk."
    )
    page.get_by_label("Actie: wat wordt er gedaan?").fill("Afspraak maken met de wijkcoach")
    _press(page.get_by_label("voorziening in de wijk"), "Space")
    page.get_by_label("Onder welk doel valt de actie?").select_option(label="Werk vinden")
    with page.expect_navigation():
        _press(page.get_by_role("button", name="Besluit vastleggen"))
    expect(page.get_by_role("status")).to_contain_text("de actie staat in het zorgplan")
    expect(page.locator(".meeting-decisions")).to_contain_text("Wie doet wat: Afspraak maken met de wijkcoach")
    assert axe_violations(page) == []

    meeting = Meeting.objects.get(person=cast.anna)
    action = Decision.objects.get(meeting=meeting).action
    assert action == Action.objects.get(person=cast.anna, what="Afspraak maken met de wijkcoach")
    page.goto(f"/personen/{cast.anna.pk}/zorgplan/")
    expect(page.locator("main")).to_contain_text("Afspraak maken met de wijkcoach")
    assert problems.csp_violations() == []
    assert problems.page_errors == []
