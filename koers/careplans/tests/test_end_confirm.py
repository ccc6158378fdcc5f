"""Ending a follow-up agreement asks first; a one-click post changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.careplans import services
from koers.careplans.models import FollowUpAgreement

pytestmark = pytest.mark.django_db


def test_ending_a_follow_up_asks_first(cast, login):
    agreement = services.follow_up_create(
        actor=cast.noor,
        person=cast.anna,
        what="Bloeddruk meten",
        who="Noor",
        method="consult",
        frequency="elke 3 maanden",
        next_date=timezone.localdate() + dt.timedelta(days=30),
    )
    client = login(cast.noor)
    address = reverse("careplans:follow_up_end", args=[cast.anna.pk, agreement.pk])
    for response in (client.get(address), client.post(address)):
        assert response.status_code == 200
        body = response.content.decode()
        assert "Vervolgafspraak beëindigen?" in body and "Bloeddruk meten" in body
    agreement.refresh_from_db()
    assert agreement.active

    client.post(address, {"bevestigd": "ja"})
    agreement.refresh_from_db()
    assert not agreement.active and FollowUpAgreement.objects.filter(active=False).count() == 1
