"""Shared set-up of the handover tests: two summaries about Anna, sent a day apart."""

import pytest
import time_machine
from django.utils import timezone

from koers.handover.models import HandoverSummary
from koers.network.models import CareTeamMember
from koers.people.services import medication_add


@pytest.fixture
def sent(cast):
    """Pieter (GGZ) joins Anna's network and starts two medicines: two medication summaries."""
    CareTeamMember.objects.create(
        person=cast.anna,
        professional=cast.pieter,
        organisation=cast.ggz,
        role=CareTeamMember.Role.MEMBER,
        assigned_by=cast.noor,
        started_at=timezone.now(),
    )
    with time_machine.travel("2026-11-02 09:00 +0000", tick=False):
        medication_add(actor=cast.pieter, person=cast.anna, name="Lithium", dosage="400 mg")
    with time_machine.travel("2026-11-03 09:00 +0000", tick=False):
        medication_add(actor=cast.pieter, person=cast.anna, name="Quetiapine", dosage="50 mg")
    return list(HandoverSummary.objects.order_by("created_at"))
