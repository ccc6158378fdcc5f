"""The in-app messages to a meeting's invitees (registered with ``koers.notifications.sources``
in ``ready()``): invited when a meeting is planned, and told when it is cancelled.

Nothing to sweep: ``services.meeting_plan`` and ``services.meeting_cancel`` put the messages in
the outbox in their own transaction, one per invitee with an account. At send time the outbox asks
the access layer whether the recipient may still read ``MEETING_INVITATION`` of the person (the
person, the care team, and a relative by invitation) and withholds the message otherwise. The
message names no health data: kind, date and place only (never the agenda or decisions).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from koers import access
from koers.lib.dates import moment_text
from koers.meetings.models import Meeting, Participant
from koers.notifications import sources
from koers.notifications.models import Reason
from koers.notifications.texts import url

MEETING = "meetings.Meeting"


def about(meeting: Meeting) -> str:
    """Kind, date and place: nothing of the agenda, the participants or what was decided."""
    return f"{meeting.get_kind_display()}, {moment_text(meeting.starts_at)}, {meeting.place}"


def invitees(meeting: Meeting) -> list[int]:
    """The invited accounts (a person without a portal account gets no message)."""
    user_ids = meeting.participants.filter(user__isnull=False).values_list("user_id", flat=True)
    return list(dict.fromkeys(user_ids))


def due(meeting: Meeting, reason: str, at) -> list[sources.Due]:
    return [
        sources.Due(user_id, meeting.person_id, reason, MEETING, meeting.pk, at, at) for user_id in invitees(meeting)
    ]


def _planned(ids, now):
    rows = Meeting.objects.filter(pk__in=ids, cancelled_at__isnull=True)  # access: outbox rows, checked at send
    return {m.pk: (m.created_at, about(m)) for m in rows}


def _cancelled(ids, now):
    rows = Meeting.objects.filter(pk__in=ids, cancelled_at__isnull=False)  # access: outbox rows, checked at send
    return {m.pk: (m.cancelled_at, about(m)) for m in rows}


def _link(notification) -> str:
    """The recipient's own page of the meeting: the portal, a relative's invitation, the care team's."""
    kind = (
        Participant.objects.filter(meeting_id=notification.subject_id, user_id=notification.recipient_id)
        .values_list("kind", flat=True)
        .first()
    )
    if kind == Participant.Kind.PERSON:
        return url("meetings:portal_list")
    if kind == Participant.Kind.RELATIVE:
        return url("meetings:relative_invitation", person_id=notification.person_id, meeting_id=notification.subject_id)
    return url("meetings:detail", person_id=notification.person_id, meeting_id=notification.subject_id)


INVITED = sources.ReminderSource(
    reason=Reason.MEETING_INVITED,
    name="meeting_invited",
    sweep=lambda now: (),
    still_applies=_planned,
    headline=gettext_lazy("U bent uitgenodigd voor een overleg"),
    category=access.Category.MEETING_INVITATION,
    link=_link,
    category_alone=True,  # a relative reads the invitation by invitation, not by NOTIFICATIONS
)
CANCELLED = sources.ReminderSource(
    reason=Reason.MEETING_CANCELLED,
    name="meeting_cancelled",
    sweep=lambda now: (),
    still_applies=_cancelled,
    headline=gettext_lazy("Een overleg waarvoor u was uitgenodigd is afgezegd"),
    category=access.Category.MEETING_INVITATION,
    link=_link,
    category_alone=True,  # a relative reads the invitation by invitation, not by NOTIFICATIONS
)


def register() -> None:
    """Called from the app's ``ready()``."""
    sources.register(INVITED)
    sources.register(CANCELLED)
