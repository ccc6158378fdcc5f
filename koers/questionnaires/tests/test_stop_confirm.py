"""Stopping a questionnaire asks first; a one-click post changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koers.questionnaires import services
from koers.questionnaires.models import Assignment

pytestmark = pytest.mark.django_db


def test_stopping_a_questionnaire_asks_first(cast, login):
    assignment = services.assignment_create(actor=cast.noor, person=cast.anna, instrument_id="phq-9")
    client = login(cast.noor)
    address = reverse("questionnaires:assignment_cancel", args=[cast.anna.pk, assignment.pk])
    for response in (client.get(address), client.post(address)):
        assert response.status_code == 200
        body = response.content.decode()
        assert "Vragenlijst stoppen?" in body and 'name="bevestigd" value="ja"' in body
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ACTIVE

    response = client.post(address, {"bevestigd": "ja"}, follow=True)
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.CANCELLED
    assert "is gestopt" in response.content.decode()
    # Asked again after it stopped: the page says so, with nothing to confirm.
    body = client.get(address).content.decode()
    assert "al ingevuld of gestopt" in body and 'name="bevestigd"' not in body
