"""The questionnaire trajectories' series, kept (issue #16; ``koers.indicators.models.TrajectoryPoint``).

``counting`` asks per unit and period, for every series (a person's scorable scores with a total
of one instrument, PREM left out, ordered by moment and id), for its latest score in the period
if that is not the series' first, with the series' first total (``classify`` then says improved,
unchanged, ...). Two window sorts over every score per request were the largest part of the page's
statement at 100,000 people (docs/performance.md). A series' days rise with its moments, so the
latest score in a period is the last score of the period's last day with a score, and that is the
one whose series' next score (if any) falls after the period. Kept per score that is not its
series' first and is the last of its day: its day, the next score's day, its total and the first
total; a period then meets at most one row per series, by a filter and no sort.

Computed again from the scores for the persons touched (never adjusted by a delta): after every
save or delete of a score, in the writer's transaction (``koers.indicators.keeping``). Writes that
send no signals (``bulk_create``, ``COPY`` in ``koers generate``, a queryset ``update``) call
``refresh`` themselves; ``koers indicator_cohorts check`` recomputes everything and reports drift,
``refresh`` repairs it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models.functions import TruncDate
from django.utils import timezone

from koers.indicators.counting import PREM  # not a trajectory: PREM is counted per team
from koers.indicators.models import TrajectoryPoint
from koers.people.models import Person
from koers.questionnaires.models import Score

FIELDS = ("person_id", "instrument_id", "day", "next_day", "first_total", "total")


def points(rows: Iterable[tuple]) -> list[tuple]:
    """Scores (person, instrument, day, total, moment, id) to ``TrajectoryPoint`` values in
    ``FIELDS`` order. Pure."""
    series: dict[tuple, list[tuple]] = defaultdict(list)
    for person_id, instrument_id, day, total, at, pk in rows:
        series[(person_id, instrument_id)].append((at, pk, day, total))
    found = []
    for (person_id, instrument_id), scores in sorted(series.items()):
        scores.sort()
        first_total = scores[0][3]
        for k, (_at, _pk, day, total) in enumerate(scores):
            next_day = scores[k + 1][2] if k + 1 < len(scores) else None
            if k >= 1 and next_day != day:
                found.append((person_id, instrument_id, day, next_day, first_total, total))
    return found


def _score_rows(person_ids: list[int]) -> list[tuple]:
    rows = Score.objects.filter(person_id__in=person_ids, scorable=True, total__isnull=False).exclude(
        instrument_id=PREM
    )
    with timezone.override(timezone.get_default_timezone()):
        return list(rows.values_list("person_id", "instrument_id", TruncDate("authored_at"), "total", "authored_at", "id"))


def refresh(person_ids: Iterable[int]) -> int:
    """Compute these persons' points again from their scores, in the caller's transaction (returns
    the number of rows written). The persons' rows are locked first, as for the cohorts."""
    ids = sorted({pid for pid in person_ids if pid is not None})
    if not ids:
        return 0
    with transaction.atomic():
        list(Person.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").values_list("pk"))
        TrajectoryPoint.objects.filter(person_id__in=ids).delete()
        values = points(_score_rows(ids))
        TrajectoryPoint.objects.bulk_create([TrajectoryPoint(**dict(zip(FIELDS, v, strict=True))) for v in values], 2000)
    return len(values)


def _chunks(batch: int):
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        yield ids[start : start + batch]


def refresh_all(*, batch: int = 5000) -> int:
    """Every person's points computed again (backfill and repair); returns the number of persons."""
    count = 0
    for chunk in _chunks(batch):
        refresh(chunk)
        count += len(chunk)
    return count


def drift(*, batch: int = 5000) -> dict[int, tuple[list, list]]:
    """{person_id: (kept, computed)} for every person whose kept points differ from their scores."""
    found: dict[int, tuple[list, list]] = {}
    for chunk in _chunks(batch):
        kept, computed = defaultdict(list), defaultdict(list)
        for row in TrajectoryPoint.objects.filter(person_id__in=chunk).values_list(*FIELDS):
            kept[row[0]].append(tuple(row))
        for row in points(_score_rows(chunk)):
            computed[row[0]].append(tuple(row))
        for pid in chunk:
            if Counter(kept[pid]) != Counter(computed[pid]):
                found[pid] = (sorted(kept[pid], key=repr), sorted(computed[pid], key=repr))
    return found
