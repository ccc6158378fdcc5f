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

from collections import defaultdict
from collections.abc import Iterable

from django.db.models.functions import TruncDate
from django.utils import timezone

from koers.indicators.counting import PREM  # not a trajectory: PREM is counted per team
from koers.indicators.models import TrajectoryPoint
from koers.indicators.perperson import Kept
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
        columns = ("person_id", "instrument_id", TruncDate("authored_at"), "total", "authored_at", "id")
        return list(rows.values_list(*columns))


KEPT = Kept(TrajectoryPoint, FIELDS, _score_rows, points)
refresh, refresh_all, drift = KEPT.refresh, KEPT.refresh_all, KEPT.drift
