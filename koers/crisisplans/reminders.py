"""The reminder the crisis plan raises (registered with ``koers.notifications.sources`` in
``ready()``): signs reported → the person's coordinator, at once (issue #13, ``reports.py``).

The services put it in the outbox when the report is made; the sweep offers it again for the
reports of the last days (idempotent: the outbox ignores what it already has), so a report made
while nobody was coordinator reaches the coordinator named since within one sweep. The message
names no signs and no words: they are on the crisis-plan page it links to.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from koers import access
from koers.crisisplans.models import Phase, SignReport
from koers.network.models import CareTeamMember
from koers.notifications import sources
from koers.notifications.models import Reason
from koers.notifications.texts import url

REPORT = "crisisplans.SignReport"
SWEEP_DAYS = 2
SIGNALLED = (Phase.EARLY_SIGNS, Phase.CRISIS)


def _open_reports(since):
    """Reports that tell the coordinator: every relative's, and the person's own in early signs or
    crisis (not a phase a professional recorded: ``reports.phase_record``)."""
    rows = SignReport.objects.filter(created_at__gte=since, by_professional=False).exclude(
        by_person=True, phase=Phase.GOING_WELL
    )
    return rows.values_list("pk", "person_id", "created_at")  # access: outbox rows, checked at send time


def reports_made(now: dt.datetime):
    rows = list(_open_reports(now - dt.timedelta(days=SWEEP_DAYS)))
    coordinators = dict(
        CareTeamMember.objects.filter(
            person_id__in={r[1] for r in rows}, role=CareTeamMember.Role.RESPONSIBLE, ended_at__isnull=True
        ).values_list("person_id", "professional_id")
    )
    for pk, person_id, created_at in rows:
        if person_id in coordinators:
            yield sources.Due(
                coordinators[person_id], person_id, Reason.CRISIS_REPORT, REPORT, pk, created_at, created_at
            )


def _still(ids, now):
    rows = SignReport.objects.filter(pk__in=ids).values_list("pk", "created_at")  # access: outbox rows
    return {pk: (created_at, "") for pk, created_at in rows}


CRISIS_REPORT = sources.ReminderSource(
    reason=Reason.CRISIS_REPORT,
    name="crisis_reports",
    sweep=reports_made,
    still_applies=_still,
    headline=gettext_lazy("Er zijn signalen gemeld uit het crisisplan"),
    category=access.Category.CRISIS_REPORTS,
    link=lambda notification: url("crisisplans:plan", person_id=notification.person_id),
)


def register() -> None:
    sources.register(CRISIS_REPORT)
