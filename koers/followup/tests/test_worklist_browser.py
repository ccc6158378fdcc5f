"""The worklist in real Chromium: a client answers PHQ-9 item 9 with more than "not at all", the
nurse's worklist shows it on top with the alert, she records what was done and it leaves the top;
marking an item as handled can be undone, announced in a status region. axe-core finds no serious
WCAG 2.1 A/AA problems, and nothing breaks the Content-Security-Policy.

No background worker runs in this test: the worklist reads the worrying answer itself.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from koers.careplans.models import FollowUpAgreement
from koers.notifications.models import Delivery
from koers.questionnaires import services
from koers.questionnaires.models import AttentionItem
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


def answer(page, number: int, label: str):
    expect(page.get_by_text(f"Vraag {number} van 10", exact=True)).to_be_visible()
    page.get_by_role("radio", name=label, exact=True).check()
    page.get_by_role("button", name=re.compile("^(Volgende vraag|Naar het overzicht)$")).click()


def anna_fills_in_the_phq9_with_a_worrying_answer(page):
    page.get_by_role("button", name="Menu").click()  # on a phone the menu is folded away
    page.get_by_role("link", name="Mijn vragenlijsten").click()
    page.get_by_role("link", name=re.compile("^Invullen")).click()
    page.get_by_role("button", name="Beginnen").click()
    for number in range(1, 9):
        answer(page, number, "Helemaal niet")
    answer(page, 9, "Meerdere dagen")  # thoughts of being better off dead: several days
    answer(page, 10, "Een beetje moeilijk")
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uw uitslag")


def test_a_worrying_answer_tops_the_nurses_worklist_until_she_records_what_was_done(
    cast,
    new_page,  # noqa: F811
    log_in,  # noqa: F811
    problems,  # noqa: F811
    screenshot,  # noqa: F811
):
    FollowUpAgreement.objects.create(
        person=cast.bas,
        what="Slaap bespreken",
        who="Noor",
        next_date=timezone.localdate() - dt.timedelta(days=20),
        created_by=cast.noor,
    )
    services.assignment_create(actor=cast.noor, person=cast.anna, instrument_id="phq-9")
    found = []

    anna_fills_in_the_phq9_with_a_worrying_answer(log_in(new_page(MOBILE), "anna"))
    assert not Delivery.objects.exists()  # no worker has run: the worklist must not need one

    nurse = log_in(new_page(DESKTOP), "noor")
    nurse.goto("/werklijst/")
    first = nurse.locator("table.worklist tbody tr").first
    expect(first).to_have_class(re.compile(r"\burgent\b"))
    expect(first).to_contain_text("Dringend")
    expect(first).to_contain_text("Zorgelijk antwoord")
    expect(first).to_contain_text("de Boer, Anna")
    found += axe_violations(nurse)
    screenshot(nurse, "worklist-worrying-answer")

    first.get_by_label(re.compile("^Wat is er gedaan?")).fill("Anna gebeld, veiligheid besproken, morgen op consult.")
    first.get_by_role("button", name=re.compile("^Vastleggen")).click()
    expect(nurse).to_have_url(re.compile(r"/werklijst/$"))
    expect(nurse.locator("#messages")).to_contain_text("Vastgelegd")
    first = nurse.locator("table.worklist tbody tr").first
    expect(first).not_to_have_class(re.compile(r"\burgent\b"))
    expect(first).to_contain_text("Slaap bespreken")
    expect(nurse.locator("table.worklist")).not_to_contain_text("Dringend")
    item = AttentionItem.objects.get(person=cast.anna)
    assert item.handled_by == cast.noor and item.handled_note.startswith("Anna gebeld")

    nurse.goto(f"/personen/{cast.anna.pk}/vragenlijsten/")
    expect(nurse.get_by_text(re.compile("Anna gebeld, veiligheid besproken"))).to_be_visible()

    assert found == [], "\n".join(found)
    assert problems.csp_violations() == [] and problems.page_errors == []


def test_marking_as_handled_can_be_undone_and_both_are_announced(
    cast,
    new_page,  # noqa: F811
    log_in,  # noqa: F811
    problems,  # noqa: F811
):
    for person, what in ((cast.anna, "Bloeddruk bespreken"), (cast.bas, "Slaap bespreken")):
        FollowUpAgreement.objects.create(
            person=person, what=what, who="Noor", next_date=timezone.localdate(), created_by=cast.noor
        )
    nurse = log_in(new_page(DESKTOP), "noor")
    nurse.goto("/werklijst/")
    table = nurse.locator("table.worklist")
    expect(table).to_contain_text("Bloeddruk bespreken")

    nurse.get_by_role("button", name=re.compile(r"^Afgehandeld\W+Vervolgafspraak, Anna de Boer")).click()
    status = nurse.locator("#worklist-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_contain_text("Afgehandeld: Bloeddruk bespreken")
    expect(table).not_to_contain_text("Bloeddruk bespreken")
    undo = status.get_by_role("button", name=re.compile("^Ongedaan maken"))
    expect(undo).to_be_focused()
    assert axe_violations(nurse) == []

    undo.click()
    expect(status).to_contain_text("weer op de werklijst")
    expect(table).to_contain_text("Bloeddruk bespreken")
    assert problems.csp_violations() == [] and problems.page_errors == []
