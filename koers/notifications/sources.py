"""The reminder sources: what each feature app reminds people of, registered by that app.

notifications knows no feature. A feature app describes each kind of reminder it raises as a
``ReminderSource`` in its own ``reminders.py`` and registers it in its ``AppConfig.ready()``;
the sweep (``sweeps``), the send-time check (``subjects``) and the inbox texts (``texts``) only
read this registry. Periodic tasks a feature needs beside the sweep (a clean-up) are registered
here as well, and the scheduler command enqueues them with each sweep.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from koers import access
from koers.notifications.models import Reason


@dataclass(frozen=True)
class Due:
    """One reminder to put in the outbox (the dedupe key is recipient, channel, reason, subject,
    due instant)."""

    recipient_id: int
    person_id: int
    reason: str
    subject_type: str
    subject_id: int
    due_at: dt.datetime
    send_after: dt.datetime


class PerInstant(dict):
    """A ``still_applies`` answer {subject id: {due instant: about}} for a reason with several
    reminders per subject (one per instant); the others answer {subject id: (due, about)}."""


@dataclass(frozen=True)
class ReminderSource:
    """One kind of reminder.

    - ``reason``: the ``Reason`` it is stored under (one source per reason).
    - ``name``: the sweep's name, the key in ``sweeps.sweep()``'s answer.
    - ``sweep(now)``: yields a ``Due`` for everything due now; must be idempotent.
    - ``still_applies(subject_ids, now)``: {subject id: (due instant or None, about-text)} for the
      subjects that still apply at send time (or a ``PerInstant``); a subject left out, or with
      another due instant, is no longer this reminder.
    - ``headline``: what the notification says (a lazy translation, read in the reader's language).
    - ``category``: the kind of the person's data the message is about. At send time the
      recipient must still be allowed to read it (``access``: network membership and the
      person's consent as they are then), or the message is withheld (``delivery``).
    - ``link(notification)``: where it leads ("" for nowhere); None: the professional's page
      about the person (``texts.person_page``).
    - ``prepare(notifications)``: optional; looks up for a page of notifications at once what
      their links need.
    - ``category_alone``: the message is addressed to the recipient as the holder of
      ``category`` itself (an invitation to a meeting, which a relative reads by invitation), so
      at send time ``category`` alone decides, not also ``NOTIFICATIONS`` of the person.
    - ``urgent``: an emergency notice (issue #13). Its e-mail is sent at once: not held for quiet
      hours, not folded into the daily digest; and an e-mail row the feature scheduled itself
      (the first contact's, who has no settings page) is sent without the opt-in. Every other
      check (access at send time, still applies, exactly once) is the same. docs/collaboration.md.
    """

    reason: str
    name: str
    sweep: Callable[[dt.datetime], Iterable[Due]]
    still_applies: Callable[[set[int], dt.datetime], Mapping[int, Any]]
    headline: Any
    category: access.Category
    link: Callable[[Any], str] | None = None
    prepare: Callable[[list], None] | None = None
    category_alone: bool = False
    urgent: bool = False


_SOURCES: dict[str, ReminderSource] = {}
_PERIODIC: dict[str, Periodic] = {}


def register(source: ReminderSource) -> ReminderSource:
    """Add ``source`` (called from an app's ``ready()``). Registering the same source again is a
    no-op; another source for a reason already taken is a programming error."""
    if source.reason not in Reason.values:
        raise ValueError(f"unknown reminder reason {source.reason!r}: add it to notifications.models.Reason")
    known = _SOURCES.get(source.reason)
    if known is not None and known != source:
        raise ValueError(f"a reminder source for {source.reason!r} is already registered")
    _SOURCES[source.reason] = source
    return source


def sources() -> list[ReminderSource]:
    """Every registered source, in the order of ``Reason`` (so the sweep runs in a fixed order)."""
    order = {value: index for index, value in enumerate(Reason.values)}
    return sorted(_SOURCES.values(), key=lambda source: order[source.reason])


def source_for(reason: str) -> ReminderSource | None:
    return _SOURCES.get(reason)


def is_urgent(reason: str) -> bool:
    source = _SOURCES.get(reason)
    return source is not None and source.urgent


@dataclass(frozen=True)
class Periodic:
    """A background task the scheduler enqueues: with every sweep, or (``daily_at``) once a day at
    the first sweep from that local time on (``notifications.periodic.claim_daily``)."""

    name: str
    task: Any
    args: tuple = ()
    daily_at: dt.time | None = None


def register_periodic(name: str, task, *, args: tuple = (), daily_at: dt.time | None = None) -> None:
    """A background task (django-tasks ``Task``) the scheduler enqueues with every sweep, or once
    a day from ``daily_at`` (local time) on; ``args`` are passed to it."""
    _PERIODIC[name] = Periodic(name, task, tuple(args), daily_at)


def periodic() -> list[Periodic]:
    return list(_PERIODIC.values())


def periodic_tasks() -> list:
    return [entry.task for entry in _PERIODIC.values()]
