"""When an assignment is due, open and late: the one set of rules, read by the person's pages,
the worklist, the reminders, the calendar feed and the overview pages alike.

- Once: due by ``due_date``. Every N days: due by ``due_date`` (moved on by N days at each
  completion). Both are "dated" (``dated_assignments``, ``assignments_due``).
- Before each consult: no date of its own; due by the first consult (not cancelled) after the
  last completion (or the assignment), open ``OPEN_WINDOW_DAYS`` before it
  (``before_consult_opening``).
- Late: ``due_state(...).overdue`` in Python, ``overdue_filter`` in SQL (the same rule).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from koers.consults.models import Consult
from koers.questionnaires.models import Assignment, shown_title_of

# An assignment shows up as "to fill in" this many days before it is due again.
OPEN_WINDOW_DAYS = 7


@dataclass(frozen=True)
class Due:
    """When an assignment is due, whether the person can fill it in now, and whether it is late."""

    date: dt.date | None
    is_open: bool
    overdue: bool
    consult_at: dt.datetime | None = None


def due_state(
    *,
    schedule: str,
    status: str,
    due_date: dt.date | None,
    interval_days: int | None,
    assigned_at: dt.datetime,
    last_completed_at: dt.datetime | None,
    consult_times: list[dt.datetime],
    now: dt.datetime,
) -> Due:
    """Pure. Once: due by ``due_date``. Every N days: due by ``due_date`` (moved on by N days at
    each completion); open from ``OPEN_WINDOW_DAYS`` before (or half the interval, if shorter).
    Before each consult: due by the first consult (not cancelled) after the last completion (or
    the assignment); late when that consult has passed without it; open in the week before."""
    today = timezone.localdate(now)
    if status != Assignment.Status.ACTIVE:
        return Due(date=None, is_open=False, overdue=False)
    if schedule == Assignment.Schedule.BEFORE_CONSULT:
        since = last_completed_at or assigned_at
        upcoming = sorted(t for t in consult_times if t > since)
        if not upcoming:
            return Due(date=None, is_open=False, overdue=False)
        consult_at = upcoming[0]
        date = timezone.localdate(consult_at)
        return Due(
            date=date,
            is_open=today >= date - dt.timedelta(days=OPEN_WINDOW_DAYS),
            overdue=consult_at < now,
            consult_at=consult_at,
        )
    if due_date is None:
        return Due(date=None, is_open=True, overdue=False)
    if schedule == Assignment.Schedule.INTERVAL and last_completed_at is not None:
        window = min(OPEN_WINDOW_DAYS, max((interval_days or 0) // 2, 0))
        is_open = today >= due_date - dt.timedelta(days=window)
    else:
        is_open = True
    return Due(date=due_date, is_open=is_open, overdue=due_date < today)


def overdue_filter(now=None, *, today=None) -> Q:
    """``due_state(...).overdue`` as a query filter on Assignment (the same rule, in SQL): active,
    and either past its due date, or — before each consult — a consult (not cancelled) has passed
    since the last completion (or since it was assigned). ``today`` is ``timezone.localdate(now)``
    unless given (a query compiled once takes both as parameters: ``koers.lib.compiled``)."""
    now = now or timezone.now()
    today = today if today is not None else timezone.localdate(now)
    consult_passed = Exists(
        Consult.objects.filter(
            person=OuterRef("person"),
            scheduled_at__lt=now,
            scheduled_at__gt=Coalesce(OuterRef("last_completed_at"), OuterRef("assigned_at")),
        ).exclude(status=Consult.Status.CANCELLED)
    )
    before_consult = Q(schedule=Assignment.Schedule.BEFORE_CONSULT)
    return Q(status=Assignment.Status.ACTIVE) & (
        (~before_consult & Q(due_date__lt=today)) | (before_consult & consult_passed)
    )


def dated_assignments(*, since: dt.date | None = None, until: dt.date | None = None) -> QuerySet[Assignment]:
    """Active assignments with a due date (once, every N days), due on or after ``since`` and on
    or before ``until`` when given."""
    qs = Assignment.objects.filter(status=Assignment.Status.ACTIVE, due_date__isnull=False)
    if since is not None:
        qs = qs.filter(due_date__gte=since)
    if until is not None:
        qs = qs.filter(due_date__lte=until)
    return qs


def assignments_due(on: dt.date, *, since: dt.date | None = None) -> QuerySet[Assignment]:
    """Dated assignments due on ``on``: due date ``on`` or earlier (from ``since``, when given)."""
    return dated_assignments(since=since, until=on)


def next_consult_at() -> Subquery:
    """The assignment's first consult (not cancelled) after its last completion, or after it was
    assigned: the moment a "before each consult" questionnaire is for (the rule of ``due_state``)."""
    return Subquery(
        Consult.objects.filter(
            person=OuterRef("person"),
            scheduled_at__gt=Coalesce(OuterRef("last_completed_at"), OuterRef("assigned_at")),
        )
        .exclude(status=Consult.Status.CANCELLED)
        .order_by("scheduled_at")
        .values("scheduled_at")[:1]
    )


def before_consult_opening(assignments: QuerySet[Assignment]) -> dict[int, tuple[dt.date, int, int, str]]:
    """For the active "before each consult" assignments among ``assignments``: {pk: (the day it
    opens, person_id, the person's user id, its title in the active language)}. It opens
    ``OPEN_WINDOW_DAYS`` before the first consult (not cancelled) after the last completion, or
    after the assignment (the rule of ``due_state``), so a rescheduled consult gives a new day and
    a completion makes the old one void. One query."""
    first_consult = next_consult_at()
    rows = (
        assignments.filter(status=Assignment.Status.ACTIVE, schedule=Assignment.Schedule.BEFORE_CONSULT)
        .annotate(consult_at=first_consult)
        .filter(consult_at__isnull=False)
        .values_list("pk", "person_id", "person__user_id", "instrument_id", "imported_id", "title", "consult_at")
    )
    return {
        pk: (
            timezone.localdate(consult_at) - dt.timedelta(days=OPEN_WINDOW_DAYS),
            person_id,
            user_id,
            shown_title_of(instrument_id, imported_id, title),
        )
        for pk, person_id, user_id, instrument_id, imported_id, title, consult_at in rows
    }
