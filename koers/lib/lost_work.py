"""Background work whose worker was lost (killed mid-run, its queue lost) is taken up again.

A row of work (an import, an export) has a ``status`` that goes ``queued`` → ``running`` → an end,
an ``attempt`` (which run has it: 1 for the first worker to take it up) and ``alive_at`` (its last
sign of life: asked, taken up, a step done). The pattern, shared by the import, the person's export
and the FHIR ``$export``:

- ``claim``: a worker takes up a *queued* row only (never one another worker runs), and with it the
  next attempt;
- ``this_run``: every later write of that worker — progress, the final "done", a failure — goes
  through the row *as long as it is still on that attempt*, so a worker that was thought lost and
  wakes up writes nothing (its final transaction stores nothing, its file is removed);
- ``resume_lost``: the periodic sweep finds rows silent for ``resume_after``, puts them back to
  ``queued`` and hands them to a worker again — a copy still in the queue is harmless, only a queued
  row is claimed — and gives up (ends) those tried ``max_attempts`` times or waiting too long.

A worker whose final transaction has already marked the row done, but not yet committed, holds
the row's lock: the sweep skips that row (``skip_locked``). Before that UPDATE its inserts lock
nothing the sweep reads (Django's foreign keys are checked at commit), so a worker that hangs
there may see its row taken up again: the new run waits on the rows it would insert twice until
the old transaction ends, which then stores nothing. Nothing here is a queue: the work itself goes
through django-tasks.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)

QUEUED, RUNNING = "queued", "running"


def claim(queryset: models.QuerySet, pk: int, **also) -> tuple[models.Model | None, bool]:
    """The row (locked while it is claimed; ``None`` when there is none), and whether this worker
    took it up: only a queued row is, as ``running`` on the next attempt. ``also``: other fields
    to set with it (progress back to 0)."""
    with transaction.atomic():
        row = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
        if row is None or row.status != QUEUED:
            return row, False
        row.status, row.attempt, row.alive_at = RUNNING, row.attempt + 1, timezone.now()
        for name, value in also.items():
            setattr(row, name, value)
        row.save(update_fields=["status", "attempt", "alive_at", *also])
    return row, True


def this_run(row: models.Model) -> models.QuerySet:
    """The row, as long as it is still running on the attempt this worker claimed."""
    return type(row).objects.filter(pk=row.pk, status=RUNNING, attempt=row.attempt)


class Pulse:
    """A sign of life of a long step, written at most every ``every`` (a write per chunk would
    cost more than it tells); ``beat`` may be called as often as convenient, from any thread."""

    def __init__(self, row: models.Model, every: dt.timedelta = dt.timedelta(minutes=1)):
        self.row, self.every, self.last = row, every, timezone.now()

    def beat(self, **also) -> None:
        now = timezone.now()
        if also or now - self.last >= self.every:
            self.last = now
            this_run(self.row).update(alive_at=now, **also)


def resume_lost(
    waiting: models.QuerySet,
    *,
    now: dt.datetime,
    resume_after: dt.timedelta,
    max_attempts: int,
    too_old: Q,
    ended: dict | Callable[[models.Model], dict],
    enqueue: Callable[[int], object],
    reset: dict | None = None,
    on_ended: Callable[[models.Model], None] | None = None,
) -> dict:
    """The sweep over ``waiting`` (rows of one kind of work, queued or running): rows matching
    ``too_old``, or running and silent after ``max_attempts`` runs, are ended with the values
    ``ended`` (or ``ended(row)``'s, for a message in the row's reader's language; then
    ``on_ended(row)``: remove what its runs left); the other rows silent for
    ``resume_after`` are queued again with ``reset`` and, after the commit, ``enqueue(pk)``.
    Returns how many were resumed and how many ended."""
    waiting = waiting.filter(status__in=[QUEUED, RUNNING])
    silent = Q(alive_at__lt=now - resume_after)
    given_up = 0
    for row in waiting.filter(too_old | (silent & Q(status=RUNNING, attempt__gte=max_attempts))):
        # Only as the sweep saw it: a worker that finished it meanwhile keeps its end.
        values = ended(row) if callable(ended) else ended
        if type(row).objects.filter(pk=row.pk, status=row.status, attempt=row.attempt).update(**values):
            given_up += 1
            if on_ended is not None:
                on_ended(row)
    with transaction.atomic():
        # skip_locked: a row whose worker marked it done and is committing right now is not lost.
        lost = list(waiting.filter(silent).select_for_update(skip_locked=True).values_list("pk", flat=True))
        waiting.model.objects.filter(pk__in=lost).update(status=QUEUED, alive_at=now, **(reset or {}))
        for pk in lost:
            transaction.on_commit(lambda pk=pk: enqueue(pk))
    if lost or given_up:
        name = waiting.model._meta.label
        logger.warning("%s: %d lost by their worker queued again, %d given up", name, len(lost), given_up)
    return {"resumed": len(lost), "ended": given_up}
