"""Quick entry of self-monitoring on a phone, in real Chromium: Anna opens 'Bijhouden' from the
menu, answers two diary questions by tapping the 0–10 scale, enters her weight with a decimal
comma and saves; she sees it on her overview and on the item's page (chart + table). Checked on
the way: no serious or critical axe-core WCAG 2.1 A/AA problems (also with the error summary
shown), no horizontal scrolling at 390 px, tap targets of the scale at least 44 px, no CSP
violations or script errors.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import MOBILE
from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_quick_entry_on_a_phone(cast, new_page, log_in, problems, screenshot):
    from koers.monitoring.models import Observation
    from koers.monitoring.services import diary_schedule_set

    # Nobody has a diary by default: Anna chose these questions with Noor.
    diary_schedule_set(actor=cast.noor, person=cast.anna, times=["09:00", "20:00"], types=["mood", "anxiety"])
    page = log_in(new_page(MOBILE), "anna")
    violations: list[str] = []

    page.get_by_role("button", name="Menu").click()  # on a phone the menu is folded away
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Bijhouden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bijhouden")
    violations += axe_violations(page)
    page.get_by_role("link", name="Nu invullen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invullen")
    assert fits_the_screen(page)

    # Sending nothing shows the error summary, which gets the focus.
    page.get_by_role("button", name="Bewaren").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Vul minstens één vraag in.")
    expect(summary).to_be_focused()
    violations += axe_violations(page)

    mood = page.get_by_role("group", name="Hoe is uw stemming op dit moment?")
    box = mood.locator(".option").first.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, box  # big enough to tap
    mood.get_by_label("7", exact=True).check()
    page.get_by_role("group", name="Hoe angstig voelt u zich op dit moment?").get_by_label("3", exact=True).check()
    page.get_by_text("Metingen (bloeddruk, gewicht, stappen…)").click()
    page.get_by_role("textbox", name="Gewicht").fill("72,5")
    expect(page.get_by_role("combobox", name="Eenheid van Gewicht")).to_have_value("kg")
    screenshot(page, "monitoring-quick-entry-mobile")
    violations += axe_violations(page)
    page.get_by_role("button", name="Bewaren").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bijhouden")
    expect(page.locator(".messages")).to_contain_text("Bewaard: 3 antwoorden.")
    stored = {o.type.code: o.value for o in Observation.objects.filter(person=cast.anna)}
    assert stored == {"mood": 7.0, "anxiety": 3.0, "weight": 72.5}
    assert fits_the_screen(page)

    page.get_by_role("link", name="Stemming").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stemming")
    expect(page.get_by_role("img", name="Stemming over de tijd")).to_be_visible()
    expect(page.get_by_role("region", name="Stemming, nieuwste eerst")).to_contain_text("7")
    assert fits_the_screen(page)
    violations += axe_violations(page)

    assert violations == [], "axe-core found serious WCAG 2.1 A/AA problems:\n" + "\n".join(violations)
    assert problems.csp_violations() == [], problems.csp_violations()
    assert problems.page_errors == []


def test_import_progress_updates_itself_with_htmx(cast, new_page, log_in, problems):
    from koers.monitoring.models import ImportBatch

    batch = ImportBatch.objects.create(
        person=cast.anna,
        kind=ImportBatch.Kind.CSV,
        status=ImportBatch.Status.RUNNING,
        filename="meter.csv",
        total_rows=1000,
        processed_rows=250,
        created_by=cast.anna_user,
    )
    page = log_in(new_page(MOBILE), "anna")
    page.goto(f"/mijn/bijhouden/importeren/{batch.pk}/voortgang/")
    expect(page.locator("progress")).to_have_attribute("value", "250")
    ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=750)
    expect(page.locator("progress")).to_have_attribute("value", "750", timeout=5_000)  # polled, no reload
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.DONE, processed_rows=1000, imported=1000)
    expect(page.locator("#import-progress")).to_contain_text("Klaar. 1000 waarden ingelezen", timeout=5_000)
    expect(page.locator("progress")).to_have_count(0)
    assert axe_violations(page) == []
    assert problems.csp_violations() == [], problems.csp_violations()
    assert problems.page_errors == []


def test_analysis_page_for_the_professional(cast, new_page, log_in, problems):
    """Noor reads the N=1 analysis of Anna's diary: every chart is an image with a name, the
    numbers are in tables, and axe-core finds nothing serious (also on a phone)."""
    import datetime as dt

    import numpy as np
    from django.utils import timezone

    from koers.monitoring import services
    from koers.monitoring.entries import Entry
    from koers.monitoring.models import MeasurementType, Observation

    from .conftest import DESKTOP

    rng = np.random.default_rng(11)
    mood, sleep = MeasurementType.objects.get(code="mood"), MeasurementType.objects.get(code="sleep_quality")
    today = timezone.localdate()
    entries = []
    for day in range(90):
        when = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=90 - day), dt.time(9)))
        level = 4 + (2 if day >= 45 else 0)
        entries.append(Entry(type=mood, value=float(np.clip(round(level + rng.normal()), 0, 10)), effective_at=when))
        entries.append(Entry(type=sleep, value=float(np.clip(round(5 + rng.normal()), 0, 10)), effective_at=when))
    services.observations_record(
        actor=cast.anna_user, person=cast.anna, entries=entries, source=Observation.Source.PORTAL
    )
    services.phase_create(
        actor=cast.noor, person=cast.anna, starts_on=today - dt.timedelta(days=45), label="Nieuwe therapie"
    )

    violations: list[str] = []
    for size in (DESKTOP, MOBILE):
        page = log_in(new_page(size), "noor")
        page.goto(f"/personen/{cast.anna.pk}/bijhouden/analyse/?periode=alles")
        expect(page.get_by_role("heading", level=2, name="Samenhang van dag tot dag")).to_be_visible()
        charts = page.get_by_role("img")
        assert charts.count() >= 4
        for i in range(charts.count()):
            assert charts.nth(i).get_attribute("aria-labelledby") or charts.nth(i).get_attribute("alt") is not None
        expect(page.get_by_role("region", name="Stemming: omslagpunten")).to_be_visible()
        violations += axe_violations(page)
    assert violations == [], "axe-core found serious WCAG 2.1 A/AA problems:\n" + "\n".join(violations)
    assert problems.csp_violations() == [], problems.csp_violations()
    assert problems.page_errors == []
