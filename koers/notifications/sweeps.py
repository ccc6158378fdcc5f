"""Finding what is due and putting it in the outbox — idempotent.

A sweep may run any number of times (every few minutes, twice at once, after a crash): each
reminder is one outbox row because the dedupe key (recipient, channel, reason, subject, due
instant) is unique in the database and rows are inserted with ON CONFLICT DO NOTHING. Reminders
are scheduled for the in-app channel (the reminder of record); email is added when the in-app
message is delivered, according to the preferences at that time.

What is due comes from the reminder sources the feature apps register (``sources``); this
module knows none of them. A reminder more than ``LOOKBACK`` old is not scheduled any more (a
Koers switched on for the first time does not flood people with last year's dates).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from koers.notifications import sources as registry
from koers.notifications import timing
from koers.notifications.models import Channel, Delivery
from koers.notifications.sources import Due

__all__ = ["CHUNK", "LOOKBACK", "Due", "open_rows", "schedule", "sweep", "window"]

LOOKBACK = dt.timedelta(days=7)
CHUNK = 5000


def window(now: dt.datetime) -> tuple[dt.date, dt.date]:
    """The local dates a date-only reminder may fall on now: from ``LOOKBACK`` ago to today."""
    today = now.astimezone(timing.LOCAL).date()
    return (now - LOOKBACK).astimezone(timing.LOCAL).date(), today


def schedule(items, *, now: dt.datetime, channel: str = Channel.IN_APP) -> int:
    """Insert outbox rows for ``items`` (in-app, unless an urgent source schedules its own e-mail),
    ignoring those that exist. Returns how many were offered; count the table to know how many
    were new."""
    offered = 0
    batch = []
    for item in items:
        batch.append(
            Delivery(
                recipient_id=item.recipient_id,
                person_id=item.person_id,
                channel=channel,
                reason=item.reason,
                subject_type=item.subject_type,
                subject_id=item.subject_id,
                due_at=item.due_at,
                send_after=item.send_after,
                created_at=now,
            )
        )
        if len(batch) >= CHUNK:
            Delivery.objects.bulk_create(batch, ignore_conflicts=True)
            offered += len(batch)
            batch = []
    if batch:
        Delivery.objects.bulk_create(batch, ignore_conflicts=True)
        offered += len(batch)
    return offered


def _run(source, now: dt.datetime) -> tuple[str, object]:
    """A registered ``ReminderSource``, or a plain sweep function ``f(now)``."""
    if isinstance(source, registry.ReminderSource):
        return source.name, source.sweep(now)
    return source.__name__, source(now)


def sweep(*, now: dt.datetime | None = None, sources=None) -> dict[str, int]:
    """Run every registered source once (or only ``sources``). Returns {source name: reminders
    offered}."""
    now = now or timezone.now()
    offered = {}
    for source in sources or registry.sources():
        name, items = _run(source, now)
        offered[name] = schedule(items, now=now)
    return offered


def open_rows() -> Q:
    return Q(state__in=[Delivery.State.PENDING, Delivery.State.SENDING])
