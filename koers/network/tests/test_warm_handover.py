"""Warm hand-over of the coordinator (issue #13): a required note for the new coordinator, an
overlap after which the former coordinator leaves by themself, and what the person sees."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.network import tasks
from koers.network.coordination import coordinator_hand_over, coordinator_of, handover_overlaps_end
from koers.network.models import CareTeamMember, CoordinatorHandover
from koers.notifications import sources

pytestmark = pytest.mark.django_db

NOTE = "Anna slaapt slecht; slaaptraining is aangevraagd. Bel haar liever na 10 uur."


def membership(person, professional):
    return CareTeamMember.objects.get(person=person, professional=professional, ended_at=None)


def test_the_note_is_required_and_nothing_changes_without_it(cast):
    with pytest.raises(ValidationError) as error:
        coordinator_hand_over(actor=cast.noor, person=cast.anna, to=membership(cast.anna, cast.gert), note="  ")
    assert "note" in error.value.message_dict
    assert coordinator_of(cast.anna).professional == cast.noor
    assert not CoordinatorHandover.objects.exists()


def test_the_overlap_cannot_end_in_the_past(cast):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        coordinator_hand_over(
            actor=cast.noor, person=cast.anna, to=membership(cast.anna, cast.gert), note=NOTE, overlap_until=yesterday
        )
    assert "overlap_until" in error.value.message_dict
    assert coordinator_of(cast.anna).professional == cast.noor


def test_the_former_coordinator_stays_through_the_overlap_and_then_leaves_by_itself(cast, login):
    until = timezone.localdate() + dt.timedelta(days=14)
    coordinator_hand_over(
        actor=cast.noor, person=cast.anna, to=membership(cast.anna, cast.gert), note=NOTE, overlap_until=until
    )
    handover = CoordinatorHandover.objects.get()
    assert handover.from_member.professional == cast.noor and handover.to_member.professional == cast.gert
    assert handover.note == NOTE and handover.overlap_until == until
    assert handover_overlaps_end(today=until) == 0  # the last day of the overlap: still in
    assert membership(cast.anna, cast.noor).role == CareTeamMember.Role.MEMBER
    assert handover_overlaps_end(today=until + dt.timedelta(days=1)) == 1
    assert not CareTeamMember.objects.filter(person=cast.anna, professional=cast.noor, ended_at=None).exists()
    assert AccessLogEntry.objects.filter(
        user=None, person=cast.anna, object_type="network.CareTeamMember", detail__startswith="ended"
    ).exists()
    assert handover_overlaps_end(today=until + dt.timedelta(days=2)) == 0  # once
    # The next request of the former coordinator is a missing record.
    assert login(cast.noor).get(reverse("network:network", args=[cast.anna.pk])).status_code == 404


def test_the_periodic_task_is_registered_and_ends_the_overlap(cast):
    assert tasks.handover_overlaps_end in sources.periodic_tasks()
    until = timezone.localdate() + dt.timedelta(days=3)
    coordinator_hand_over(
        actor=cast.noor, person=cast.anna, to=membership(cast.anna, cast.gert), note=NOTE, overlap_until=until
    )
    with time_machine.travel(timezone.now() + dt.timedelta(days=5)):
        tasks.handover_overlaps_end.call()
    assert CareTeamMember.objects.get(person=cast.anna, professional=cast.noor).ended_at is not None


def test_without_an_overlap_date_the_former_coordinator_stays(cast):
    coordinator_hand_over(actor=cast.noor, person=cast.anna, to=membership(cast.anna, cast.gert), note=NOTE)
    assert handover_overlaps_end(today=timezone.localdate() + dt.timedelta(days=400)) == 0
    assert membership(cast.anna, cast.noor).role == CareTeamMember.Role.MEMBER


def test_the_new_coordinator_reads_the_note_and_the_person_sees_only_that_it_happened(cast, login):
    until = timezone.localdate() + dt.timedelta(days=14)
    coordinator_hand_over(
        actor=cast.noor, person=cast.anna, to=membership(cast.anna, cast.gert), note=NOTE, overlap_until=until
    )
    page = login(cast.gert).get(reverse("network:network", args=[cast.anna.pk])).content.decode()
    assert NOTE in page and "Overdrachtsnotitie voor u" in page
    page = login(cast.noor).get(reverse("network:network", args=[cast.anna.pk])).content.decode()
    assert NOTE not in page and "blijft betrokken tot en met" in page
    portal = login(cast.anna_user).get(reverse("network:portal_network")).content.decode()
    assert "Gert de Vries" in portal and "Regiebehandelaar sinds" in portal
    assert "is de regie overgedragen van Noor Bakker aan Gert de Vries" in portal
    assert NOTE not in portal


def test_the_page_asks_first_and_carries_the_note_and_the_date(cast, login):
    client = login(cast.noor)
    url = reverse("network:network", args=[cast.anna.pk])
    until = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    data = {"do": "hand_over", "ho-to": membership(cast.anna, cast.gert).pk, "ho-note": NOTE, "ho-overlap_until": until}
    response = client.post(url, data)
    assert response.status_code == 200 and "daarna gaat u er vanzelf uit" in response.content.decode()
    assert not CoordinatorHandover.objects.exists()
    response = client.post(url, {**data, "bevestigd": "ja"})
    assert response.status_code == 302
    assert CoordinatorHandover.objects.get().overlap_until.isoformat() == until
    response = client.post(url, {"do": "hand_over", "ho-to": membership(cast.anna, cast.noor).pk, "ho-note": ""})
    assert response.status_code == 200 and CoordinatorHandover.objects.count() == 1
