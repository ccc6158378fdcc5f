"""Issue #13: invitees get an in-app message when a meeting is planned and when it is cancelled;
a meeting is cancelled by the care team through a confirmation page, and stays, shown as cancelled."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from koers import access
from koers.audit.models import AccessLogEntry
from koers.lib.dates import day_text
from koers.meetings import services
from koers.meetings.models import Meeting
from koers.network.models import CareTeamMember, RelativeLink
from koers.notifications import delivery
from koers.notifications.models import Notification, Reason


@pytest.fixture
def meeting(cast):
    pieter = CareTeamMember.objects.create(
        person=cast.anna,
        professional=cast.pieter,
        organisation=cast.ggz,
        assigned_by=cast.noor,
        started_at=timezone.now(),
    )
    return services.meeting_plan(
        actor=cast.noor,
        person=cast.anna,
        kind="network",
        starts_at=timezone.now() + dt.timedelta(days=7),
        place="Wijkcentrum De Linde, kamer 3",
        agenda="Slaapproblemen en medicatie",
        relatives=[RelativeLink.objects.get(person=cast.anna, user=cast.rob)],
        members=[pieter],
    )


def _messages(reason):
    delivery.deliver_all(now=timezone.now() + dt.timedelta(minutes=1))
    return {n.recipient_id: n for n in Notification.objects.filter(reason=reason)}


@pytest.mark.django_db
def test_planning_sends_each_invitee_a_message_naming_no_health_data(cast, meeting):
    got = _messages(Reason.MEETING_INVITED)
    assert set(got) == {cast.anna_user.pk, cast.rob.pk, cast.pieter.pk}
    when = day_text(meeting.starts_at)  # in words, as on every page the person reads
    for note in got.values():
        assert "Wijkcentrum De Linde" in note.about and "Slaap" not in note.about
        assert when in note.about, note.about
    assert cast.noor.pk not in got  # the planner was not invited here


@pytest.mark.django_db
def test_cancel_keeps_the_meeting_marks_it_and_tells_the_invitees(cast, meeting):
    services.meeting_cancel(actor=cast.pieter, meeting=meeting, reason="Pieter is ziek")
    meeting.refresh_from_db()
    assert meeting.cancelled and meeting.cancelled_by == cast.pieter and meeting.cancel_reason == "Pieter is ziek"
    assert set(_messages(Reason.MEETING_CANCELLED)) == {cast.anna_user.pk, cast.rob.pk, cast.pieter.pk}
    assert not Notification.objects.filter(reason=Reason.MEETING_INVITED).exists()  # withheld: no longer so
    assert AccessLogEntry.objects.filter(
        user=cast.pieter, action="U", object_type="meetings.Meeting", detail="cancelled"
    ).exists()
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=cast.pieter, meeting=meeting, reason="nogmaals")


@pytest.mark.django_db
def test_only_the_care_team_cancels_and_a_reason_is_required(cast, meeting):
    for outsider in (cast.rob, cast.anna_user, cast.sam):
        with pytest.raises(access.NotFound):
            services.meeting_cancel(actor=outsider, meeting=meeting, reason="weg")
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=cast.noor, meeting=meeting, reason="  ")
    assert not Meeting.objects.get(pk=meeting.pk).cancelled


@pytest.mark.django_db
def test_cancel_page_asks_first_then_cancels_and_everyone_sees_cancelled(cast, client, meeting):
    url = reverse("meetings:cancel", args=[cast.anna.pk, meeting.pk])
    client.force_login(cast.noor)
    assert client.get(url).status_code == 200
    client.post(url, {"reden": "Te weinig deelnemers"})
    assert not Meeting.objects.get(pk=meeting.pk).cancelled  # no answer: the question again
    response = client.post(url, {"bevestigd": "ja", "reden": "Te weinig deelnemers"})
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).cancelled
    detail = client.get(reverse("meetings:detail", args=[cast.anna.pk, meeting.pk]))
    assert "Afgezegd" in detail.content.decode()
    client.force_login(cast.anna_user)
    assert "Afgezegd" in client.get(reverse("meetings:portal_list")).content.decode()
    client.force_login(cast.rob)
    page = client.get(reverse("meetings:relative_invitation", args=[cast.anna.pk, meeting.pk]))
    assert "Afgezegd" in page.content.decode()


@pytest.mark.django_db
def test_a_relative_no_longer_linked_at_send_time_gets_no_message(cast, meeting):
    RelativeLink.objects.filter(person=cast.anna, user=cast.rob).update(ended_at=timezone.now())
    got = _messages(Reason.MEETING_INVITED)
    assert cast.rob.pk not in got and cast.pieter.pk in got
