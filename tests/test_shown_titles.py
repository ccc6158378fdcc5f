"""A shipped questionnaire's title follows the reader's language on every page, not only on the
questionnaire pages.

The assignment and the response keep the Dutch title they were made with (``title``); shown, a
shipped instrument's title is its own FHIR translation in the reader's language
(``title_shown``). A client who chose English read "Fill in questionnaire: Uw ervaring met de
zorg" on her home page, and clicked through to "Your experience of care". Here every page of the
URL walk is read in English by the person, her professional, a relative she shares everything
with and a manager, with the PREM waiting, begun and filled in, and the reminder's text is made
for an English reader.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from koers.network.models import RelativeLink
from koers.notifications import sources
from koers.questionnaires import services
from koers.questionnaires.models import Assignment
from koers.questionnaires.reminders import QUESTIONNAIRE_WAITING
from tests.support.pages import read_every_page

pytestmark = pytest.mark.django_db

DUTCH = "Uw ervaring met de zorg"
ENGLISH = "Your experience of care"
PREM_ANSWERS = {str(n): "2" for n in range(1, 6)}


def prem(cast, *, state: str) -> Assignment:
    """Anna's PREM, due in three days: only waiting, begun, or filled in once and waiting again."""
    due = timezone.localdate() + dt.timedelta(days=3)
    assignment = services.assignment_create(
        actor=cast.noor, person=cast.anna, instrument_id="koers-prem", schedule=Assignment.Schedule.INTERVAL,
        interval_days=90, due_date=due,
    )  # fmt: skip
    if state in ("begun", "filled in"):
        response = services.response_start(actor=cast.anna_user, person=cast.anna, assignment=assignment)
        if state == "filled in":
            services.response_complete(actor=cast.anna_user, response=response, answers=PREM_ANSWERS)
    return assignment


@pytest.mark.parametrize("state", ["waiting", "begun", "filled in"])
def test_every_page_shows_a_shipped_questionnaire_title_in_the_readers_language(cast, state):
    prem(cast, state=state)
    bodies = read_every_page(cast, "en")
    assert RelativeLink.objects.filter(person=cast.anna, user=cast.rob).exists()
    dutch = sorted(url for url, html in bodies.items() if DUTCH in html)
    assert not dutch, f"the PREM's Dutch title on English pages: {dutch}"
    english = {url for url, html in bodies.items() if ENGLISH in html}
    for shown in ("/mijn/route/", f"/personen/{cast.anna.pk}/route/", "/mijn/vragenlijsten/"):
        assert shown in english, f"{shown} does not show the PREM's English title"
    if state != "filled in":  # filled in, the next one is due in 90 days: nothing to do now
        assert "/mijn/" in english
    if state == "waiting":  # begun, it is being filled in; filled in, not due yet
        assert "/werklijst/" in english


def test_a_waiting_questionnaires_reminder_names_it_in_the_readers_language(cast):
    assignment = prem(cast, state="waiting")
    with translation.override("en"):
        found = sources.source_for(QUESTIONNAIRE_WAITING.reason).still_applies([assignment.pk], timezone.now())
    assert found[assignment.pk][1] == ENGLISH
    with translation.override("nl"):
        found = sources.source_for(QUESTIONNAIRE_WAITING.reason).still_applies([assignment.pk], timezone.now())
    assert found[assignment.pk][1] == DUTCH
