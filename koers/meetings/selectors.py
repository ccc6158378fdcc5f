"""Reads of meetings. The person comes from the page's decorator (the guard); one meeting is
fetched with ``access.object_for``; a relative's invitation only among the meetings they are
invited to."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from koers import access
from koers.goals.models import Goal
from koers.goals.services import OPEN_STATUSES
from koers.meetings.models import Decision, Meeting, Participant
from koers.network.models import CareTeamMember, RelativeLink

_DECISIONS = Prefetch("decisions", queryset=Decision.objects.select_related("action", "action__goal"))
_PARTICIPANTS = Prefetch("participants", queryset=Participant.objects.order_by("kind", "name"))


def meetings_of(person) -> QuerySet[Meeting]:
    """The person's meetings with participants and decisions (three queries)."""
    return Meeting.objects.filter(person=person).prefetch_related(_PARTICIPANTS, _DECISIONS)


def meeting_of(user, person, meeting_id) -> Meeting:
    return access.object_for(user, meetings_of(person), meeting_id, person=person)


def invitation_of(user, person, meeting_id) -> Meeting:
    """A meeting the user is invited to; any other answers like a missing one."""
    invited = Meeting.objects.filter(person=person, participants__user=user).distinct()
    return access.object_for(user, invited, meeting_id, person=person)


def relatives_to_invite(person) -> QuerySet[RelativeLink]:
    return RelativeLink.objects.filter(person=person).select_related("user").order_by("user__first_name")


def members_to_invite(person) -> QuerySet[CareTeamMember]:
    return (
        CareTeamMember.objects.filter(person=person, ended_at__isnull=True)
        .select_related("professional", "organisation")
        .order_by("organisation__name", "professional__first_name")
    )


def open_goals(person) -> QuerySet[Goal]:
    return Goal.objects.filter(person=person, lifecycle_status__in=OPEN_STATUSES).order_by("created_at")


def invitations_for_relative(user, *, now=None) -> list[Meeting]:
    """A relative's coming meetings they are invited to, while the person still names them
    (their ``RelativeLink``): the invitation opens ``MEETING_INVITATION``, not consent."""
    since = (now or timezone.now()) - dt.timedelta(hours=12)
    # access: the user's own invitations, only of persons whose relative link to them still exists
    invited = Meeting.objects.filter(
        participants__user=user, participants__relative__user=user, starts_at__gte=since
    ).select_related("person")
    return list(invited.distinct().order_by("starts_at"))
