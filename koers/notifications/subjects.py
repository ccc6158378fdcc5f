"""What a reminder is about: does it still apply at send time?

Each reason's source (``sources.ReminderSource.still_applies``, registered by the app that owns
the subject) answers for a batch of outbox rows with one query per reason and reader language,
and gives the few words the notification shows — in the language its reader chose (as the
e-mails: ``accounts.language.language_of``), since they are kept with the message.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import translation

from koers.accounts.language import language_of
from koers.notifications import sources


def still_relevant(rows, *, now: dt.datetime) -> dict[int, str]:
    """{row id: about-text} for the rows whose subject still applies *with the same due instant*
    (a moved review date or a rescheduled consult is a new reminder, not this one)."""
    by_reason = defaultdict(list)
    for row in rows:
        by_reason[row.reason, language_of(row.recipient)].append(row)
    out: dict[int, str] = {}
    for (reason, language), group in by_reason.items():
        source = sources.source_for(reason)
        if source is None:
            continue
        with translation.override(language):
            found = source.still_applies({r.subject_id for r in group}, now)
        for row in group:
            hit = found.get(row.subject_id)
            if isinstance(found, sources.PerInstant):  # several reminders per subject, one per instant
                about = (hit or {}).get(row.due_at)
                hit = (row.due_at, about) if about is not None else None
            if hit is not None and (hit[0] is None or hit[0] == row.due_at):
                out[row.pk] = hit[1]
    return out
