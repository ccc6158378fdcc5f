"""The follow-up rhythm's fact, kept per person (issue #16; ``koers.indicators.models.FollowUpSpan``).

``counting`` asks per person and period for the earliest "next time" (``next_date``) of the
person's follow-up agreements running on the period's day (its end, or today): created on or
before that day and not ended on or before it (days in the project's time zone). Grouping every
agreement per person and period for every request was the largest share of the page's statement
at 100,000 people after the cohorts were kept (docs/performance.md). That earliest date is a step
function of the day, constant between the days agreements start or end: kept as spans
``[started_on, ended_on)`` with their value, merged where neighbours agree, so a day meets at most
one span and the statement filters instead of grouping.

Computed again from the agreements for the persons touched (never adjusted by a delta): after
every save or delete of an agreement, in the writer's transaction (``koers.indicators.keeping``).
Writes that send no signals (``bulk_create`` in ``koers generate``, a queryset ``update``) call
``refresh`` themselves; ``koers indicator_cohorts check`` recomputes everything and reports drift,
``refresh`` repairs it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models.functions import TruncDate
from django.utils import timezone

from koers.careplans.models import FollowUpAgreement
from koers.indicators.models import FollowUpSpan
from koers.indicators.perperson import Kept

FIELDS = ("person_id", "started_on", "ended_on", "earliest")
Agreement = tuple[dt.date, dt.date | None, dt.date]  # (first day, end's day or None, next date)


def steps(agreements: list[Agreement]) -> list[tuple[dt.date, dt.date | None, dt.date]]:
    """(from, to or None, earliest next date) of one person's agreements, by day. Pure."""
    running = [(b, f, n) for b, f, n in agreements if f is None or f > b]
    days = sorted({b for b, _f, _n in running} | {f for _b, f, _n in running if f is not None})
    found: list[list] = []
    for i, day in enumerate(days):
        until = days[i + 1] if i + 1 < len(days) else None
        dates = [n for b, f, n in running if b <= day and (f is None or f > day)]
        earliest = min(dates) if dates else None
        if found and found[-1][1] == day and found[-1][2] == earliest:
            found[-1][1] = until  # the same earliest date goes on
        elif earliest is not None:
            found.append([day, until, earliest])
    return [(b, f, n) for b, f, n in found]


def spans(rows: Iterable[tuple]) -> list[tuple]:
    """Agreements (person, first day, end's day or None, next date or None) to ``FollowUpSpan``
    values in ``FIELDS`` order. Pure."""
    per_person: dict[int, list[Agreement]] = defaultdict(list)
    for person_id, b, f, next_date in rows:
        if next_date is not None:
            per_person[person_id].append((b, f, next_date))
    return [(pid, *step) for pid, agreements in sorted(per_person.items()) for step in steps(agreements)]


def _agreement_rows(person_ids: list[int]) -> list[tuple]:
    rows = FollowUpAgreement.objects.filter(person_id__in=person_ids, next_date__isnull=False)
    with timezone.override(timezone.get_default_timezone()):
        return list(rows.values_list("person_id", TruncDate("created_at"), TruncDate("ended_at"), "next_date"))


KEPT = Kept(FollowUpSpan, FIELDS, _agreement_rows, spans)
refresh, refresh_all, drift = KEPT.refresh, KEPT.refresh_all, KEPT.drift
