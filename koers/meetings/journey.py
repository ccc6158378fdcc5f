"""Meetings (MDO, netwerkberaad) on the person's metro map (``koers.journey.registry``, issue #17)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.journey import registry
from koers.meetings.models import Meeting


def _url(meeting: Meeting, audience: str) -> str:
    if audience == registry.WORKSPACE:
        return reverse("meetings:detail", args=[meeting.person_id, meeting.pk])
    if audience == registry.PORTAL:
        return reverse("meetings:portal_list")
    return ""


def gather(person, audience, categories):
    meetings = Meeting.objects.filter(person=person, cancelled_at__isnull=True).select_related(
        "created_by__organisation"
    )
    now = timezone.now()
    for meeting in meetings:
        yield registry.Event(
            when=meeting.starts_at,
            kind=registry.MEETING,
            line=registry.organisation_line(meeting.created_by.organisation),
            title=_("Overleg met uw netwerk")
            if meeting.kind == Meeting.Kind.NETWORK
            else _("Overleg van uw zorgverleners"),
            url=_url(meeting, audience),
            planned=meeting.starts_at >= now,
        )


def register() -> None:
    registry.register(registry.Provider("meetings", str(access.Category.CONSULT_RECORDS), gather))
