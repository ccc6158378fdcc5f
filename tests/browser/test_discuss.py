"""“Bespreek dit” in real Chromium: Noor reads the N=1 analysis of Anna's diary, chooses
"Bespreek dit" beside the mood chart, lands on the agenda item of Anna's next consult with the
chart drawn there and a link back to the finding; Anna sees the same chart on her agenda on her
phone. axe-core finds no serious WCAG 2.1 A/AA problem on either page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import DESKTOP, MOBILE
from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def anna_keeps_a_diary(cast):
    from koers.consults.services import consult_plan
    from koers.monitoring import services
    from koers.monitoring.entries import Entry
    from koers.monitoring.models import MeasurementType, Observation

    mood = MeasurementType.objects.get(code="mood", person__isnull=True)
    today = timezone.localdate()
    entries = [
        Entry(
            type=mood,
            value=float(3 + (day * 7) % 5),
            effective_at=timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=day + 1), dt.time(9))),
        )
        for day in range(40)
    ]
    services.observations_record(
        actor=cast.anna_user, person=cast.anna, entries=entries, source=Observation.Source.PORTAL
    )
    return consult_plan(
        actor=cast.noor, person=cast.anna, scheduled_at=timezone.now() + dt.timedelta(days=5), professional=cast.noor
    )


def test_bespreek_dit_from_the_analysis_to_the_agenda(cast, anna_keeps_a_diary, new_page, log_in, problems):
    from koers.consults.models import AgendaItem

    page = log_in(new_page(DESKTOP), "noor")
    page.goto(f"/personen/{cast.anna.pk}/bijhouden/analyse/?periode=90")
    page.get_by_role("button", name="Bespreek dit").click()  # "Bespreek dit: Stemming" for a screen reader
    item = AgendaItem.objects.get(person=cast.anna)
    expect(page).to_have_url(f"/personen/{cast.anna.pk}/consulten/{anna_keeps_a_diary.pk}/#item-{item.pk}")
    expect(page.locator(".messages")).to_contain_text("Het staat op de agenda van het volgende consult.")
    card = page.locator(f"#item-{item.pk}")
    expect(card.get_by_role("heading", name="Bespreken: Stemming")).to_be_visible()
    expect(card.get_by_role("img", name="Stemming over de tijd")).to_be_visible()
    expect(card.get_by_role("link", name="Naar de uitkomst")).to_have_attribute(
        "href", f"/personen/{cast.anna.pk}/bijhouden/analyse/?item=mood&periode=90#h-mood"
    )
    assert axe_violations(page) == []

    phone = log_in(new_page(MOBILE), "anna")
    phone.goto("/mijn/gesprekken/agenda/")
    expect(phone.get_by_role("img", name="Stemming over de tijd")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(phone) == []
    assert problems.csp_violations() == [] and problems.page_errors == []
