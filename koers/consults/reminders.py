"""The reminder consults raises (registered with ``koers.notifications.sources`` in ``ready()``):
a planned consult in the next 24 hours → the person."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from koers import access
from koers.consults.models import Consult
from koers.notifications import sources
from koers.notifications.models import Reason
from koers.notifications.sweeps import CHUNK, Due
from koers.notifications.texts import url

APPOINTMENT_AHEAD = dt.timedelta(hours=24)


def appointments_coming(now: dt.datetime):
    """A planned consult in the next 24 hours → the person. The due instant is the consult's
    time, so a rescheduled consult gets its own reminder."""
    rows = Consult.objects.filter(
        status=Consult.Status.PLANNED,
        scheduled_at__gt=now,
        scheduled_at__lte=now + APPOINTMENT_AHEAD,
        person__user__isnull=False,
        person__user__is_active=True,
    ).values_list("pk", "person_id", "person__user_id", "scheduled_at")
    for pk, person_id, user_id, at in rows.iterator(chunk_size=CHUNK):
        yield Due(user_id, person_id, Reason.APPOINTMENT_COMING, "consults.Consult", pk, at, now)


def _still_applies(ids, now):
    rows = Consult.objects.filter(pk__in=ids, status=Consult.Status.PLANNED, scheduled_at__gt=now)
    return {c.pk: (c.scheduled_at, "") for c in rows.only("pk", "scheduled_at")}


APPOINTMENT_COMING = sources.ReminderSource(
    reason=Reason.APPOINTMENT_COMING,
    name="appointments_coming",
    sweep=appointments_coming,
    still_applies=_still_applies,
    headline=gettext_lazy("U heeft binnenkort een afspraak"),
    category=access.Category.CONSULTS,
    link=lambda notification: url("consults:portal_prepare"),
)


def register() -> None:
    sources.register(APPOINTMENT_COMING)
