"""Issue #13, done-when: a medication change in the GGZ team produces a summary
(overdrachtsbericht) that the GP, of another organisation in the network, sees in their
workspace when the person consented to the CLINICAL topic for them, and not otherwise."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from koers import access
from koers.audit.models import AccessLogEntry
from koers.handover.models import HandoverDelivery, HandoverSummary
from koers.network.models import CareTeamMember
from koers.network.services import consent_set
from koers.people.models import Medication
from koers.people.services import medication_update

pytestmark = pytest.mark.django_db


def join_ggz(cast):
    """Pieter of the GGZ team joins Anna's network (another organisation than the GP practice)."""
    return CareTeamMember.objects.create(
        person=cast.anna,
        professional=cast.pieter,
        organisation=cast.ggz,
        role=CareTeamMember.Role.MEMBER,
        assigned_by=cast.noor,
        started_at=timezone.now(),
    )


def change_medication(cast):
    medication = Medication.objects.create(person=cast.anna, name="Quetiapine", dosage="100 mg")
    medication_update(actor=cast.pieter, medication=medication, dosage="200 mg 's avonds")
    return HandoverSummary.objects.get(person=cast.anna)


def inbox(client, user):
    client.force_login(user)
    return client.get(reverse("handover:inbox"))


def test_the_gp_with_consent_for_clinical_sees_the_summary(cast, client):
    join_ggz(cast)
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.gert, topic="clinical", granted=True)
    summary = change_medication(cast)

    assert summary.kind == HandoverSummary.Kind.MEDICATION
    assert summary.sender == cast.pieter
    delivery = HandoverDelivery.objects.get(summary=summary, recipient=cast.gert)
    assert delivery.delivered_at is not None and delivery.read_at is None
    assert AccessLogEntry.objects.filter(
        user=cast.pieter, person=cast.anna, object_type="handover.HandoverDelivery", object_id=str(delivery.pk)
    ).exists()

    response = inbox(client, cast.gert)
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("handover:summary", args=[cast.anna.pk, summary.pk]) in page
    assert "ongelezen" in page and "medicatie gestart, gewijzigd of gestopt" in page

    response = client.get(reverse("handover:summary", args=[cast.anna.pk, summary.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Quetiapine" in page and "200 mg" in page
    delivery.refresh_from_db()
    assert delivery.read_at is not None
    assert AccessLogEntry.objects.filter(
        user=cast.gert, person=cast.anna, action="U", object_id=str(delivery.pk), detail="read"
    ).exists()


def test_without_consent_for_clinical_the_gp_gets_nothing(cast, client):
    join_ggz(cast)
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.gert, topic="clinical", granted=False)
    summary = change_medication(cast)

    assert not HandoverDelivery.objects.filter(summary=summary, recipient=cast.gert).exists()
    assert HandoverDelivery.objects.filter(summary=summary, recipient=cast.noor).exists()  # she did not withdraw
    link = reverse("handover:summary", args=[cast.anna.pk, summary.pk])
    assert link not in inbox(client, cast.gert).content.decode()

    refused = AccessLogEntry.objects.filter(user=cast.gert, outcome=access.Outcome.REFUSED).count()
    response = client.get(reverse("handover:summary", args=[cast.anna.pk, summary.pk]))
    assert response.status_code == 404
    assert AccessLogEntry.objects.filter(user=cast.gert, outcome=access.Outcome.REFUSED).count() == refused + 1


def test_consent_withdrawn_after_delivery_hides_it_like_a_missing_one(cast, client):
    join_ggz(cast)
    summary = change_medication(cast)
    assert HandoverDelivery.objects.filter(summary=summary, recipient=cast.gert).exists()  # default: clinical open
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.gert, topic="clinical", granted=False)

    assert reverse("handover:summary", args=[cast.anna.pk, summary.pk]) not in inbox(client, cast.gert).content.decode()
    response = client.get(reverse("handover:summary", args=[cast.anna.pk, summary.pk]))
    missing = client.get(reverse("handover:summary", args=[cast.anna.pk, summary.pk + 999]))
    assert response.status_code == missing.status_code == 404
