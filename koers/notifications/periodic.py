"""Once-a-day tasks for ``koers scheduler``: the scheduler ticks every few minutes, so a daily task
needs a marker of the day it last ran. ``claim_daily`` takes today's slot (the first tick from the
task's local time on) for exactly one scheduler: a conditional update of the task's
``PeriodicRun`` row, true for the caller that moved it. A scheduler that was down at that time
enqueues the task at its first tick after it; a restart enqueues nothing twice."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from koers.notifications.models import PeriodicRun

# When the nightly maintenance (the kept tables' repair) is enqueued: local time, outside surgery hours.
NIGHTLY = dt.time(3, 0)


def slot(at: dt.time, now: dt.datetime) -> dt.datetime:
    """The latest moment at or before ``now`` at local time ``at`` (today's, or yesterday's when
    ``now`` is earlier in the day)."""
    local = timezone.localtime(now)
    today = dt.datetime.combine(local.date(), at, tzinfo=local.tzinfo)
    if local < today:
        return dt.datetime.combine(local.date() - dt.timedelta(days=1), at, tzinfo=local.tzinfo)
    return today


def claim_daily(name: str, at: dt.time, *, now: dt.datetime | None = None) -> bool:
    """True once per day's slot: the caller enqueues the task."""
    now = now or timezone.now()
    since = slot(at, now)
    PeriodicRun.objects.get_or_create(name=name)
    due = Q(last_enqueued_at__isnull=True) | Q(last_enqueued_at__lt=since)
    return PeriodicRun.objects.filter(due, name=name).update(last_enqueued_at=now) == 1
