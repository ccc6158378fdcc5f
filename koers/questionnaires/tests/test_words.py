"""Issue #14: the professional's trajectory keeps the RCI but explains it (a link to a glossary
on the page, reachable with the keyboard) and gives dates in words ("3 december 2026")."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.questionnaires.tests.test_views import PHQ9_HIGH, PHQ9_MILD, complete_together

pytestmark = pytest.mark.django_db

MONTHS = "januari februari maart april mei juni juli augustus september oktober november december".split()


def test_trajectory_explains_the_rci_and_uses_dutch_dates(cast, login):
    for days, answers in ((150, PHQ9_HIGH), (10, PHQ9_MILD), (5, PHQ9_MILD)):
        complete_together(cast, cast.anna, "phq-9", answers, days)
    response = login(cast.noor).get(reverse("questionnaires:trajectory", args=[cast.anna.pk, "phq-9"]))
    html = response.content.decode()
    assert '<a class="term" href="#begrip-rci" title="RCI (betrouwbare-veranderingsindex' in html
    assert '<dfn id="begrip-rci" tabindex="-1">RCI</dfn>' in html
    latest = timezone.localdate() - timezone.timedelta(days=5)
    assert f"{latest.day} {MONTHS[latest.month - 1]} {latest.year}" in html
    assert not re.search(r">\d{1,2}-\d{1,2}-\d{4}<", html)  # no 3-12-2026 in the table


def test_the_prem_title_follows_the_language(cast, client):
    """A questionnaire's title is stored in Dutch on the assignment and the response; shown, it
    follows the language of the page (the instrument's own FHIR translation)."""
    from django.utils import translation

    from koers.questionnaires import services

    services.assignment_create(actor=cast.noor, person=cast.anna, instrument_id="koers-prem")
    started = services.response_start(actor=cast.noor, person=cast.anna, instrument_id="koers-prem")
    try:
        client.force_login(cast.anna_user)
        mine = client.get(reverse("questionnaires:portal_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        client.force_login(cast.noor)
        theirs = client.get(reverse("questionnaires:list", args=[cast.anna.pk]), HTTP_ACCEPT_LANGUAGE="en")
        filling = client.get(reverse("questionnaires:fill", args=[cast.anna.pk, started.pk]), HTTP_ACCEPT_LANGUAGE="en")
    finally:
        translation.activate("nl")
    for page in (mine, theirs.content.decode(), filling.content.decode()):
        assert "Your experience of care" in page
        assert "Uw ervaring met de zorg" not in page
    dutch = client.get(reverse("questionnaires:list", args=[cast.anna.pk])).content.decode()
    assert "Uw ervaring met de zorg" in dutch
