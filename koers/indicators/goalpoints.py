"""Goal attainment's and the GAS T-score's facts, kept per goal (issue #16;
``koers.indicators.models.GoalDecisionPoint`` and ``GasReviewPoint``).

``counting`` asks per unit and period for every goal's last decision (achieved / not achieved) in
the period and for every GAS goal's latest review with a level in it (of two on one day the later
one, by moment and then id, as in the reference). Ranking every decision and review per goal and
period by window was ~0.4 s of the page's statement at 100,000 people (docs/performance.md). A
goal's days rise with its moments, so the latest in a period is the last of the period's last day
with one, and that is the one whose goal's next one (if any) falls after the period: kept per
decision or review that is the last of its goal's day, with the next one's day, the same shape as
the trajectories' points (``koers.indicators.trajectories``). A period meets at most one row per
goal, by a filter and no sort.

Computed again from the rows for the persons touched (never adjusted by a delta): after every save
or delete of a status change, a review or a goal (its GAS use and weight), in the writer's
transaction (``koers.indicators.keeping``). Writes that send no signals (``bulk_create`` in
``koers generate``, a queryset ``update``) call ``refresh`` themselves; ``koers indicator_cohorts
check`` recomputes everything and reports drift, ``refresh`` repairs it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models.functions import TruncDate
from django.utils import timezone

from koers.goals.models import Goal, GoalReview, GoalStatusChange
from koers.indicators.models import GasReviewPoint, GoalDecisionPoint
from koers.indicators.perperson import Kept

DECIDED = (Goal.AchievementStatus.ACHIEVED, Goal.AchievementStatus.NOT_ACHIEVED)
DECISION_FIELDS = ("person_id", "day", "next_day", "achieved")
REVIEW_FIELDS = ("person_id", "day", "next_day", "weight", "level")


def last_of_day(rows: Iterable[tuple]) -> list[tuple]:
    """Rows (person, goal, day, moment, id, *values) to (person, day, next day or None, *values)
    for every row that is the last of its goal's day, by moment and then id. Pure."""
    per_goal: dict[tuple, list[tuple]] = defaultdict(list)
    for person_id, goal_id, day, at, pk, *values in rows:
        per_goal[(person_id, goal_id)].append((at, pk, day, tuple(values)))
    found = []
    for (person_id, _goal_id), items in sorted(per_goal.items()):
        items.sort(key=lambda item: (item[0], item[1]))
        for k, (_at, _pk, day, values) in enumerate(items):
            next_day = items[k + 1][2] if k + 1 < len(items) else None
            if next_day != day:
                found.append((person_id, day, next_day, *values))
    return found


def _local(queryset, *columns) -> list[tuple]:
    with timezone.override(timezone.get_default_timezone()):
        return list(queryset.values_list(*columns))


def _decision_rows(person_ids: list[int]) -> list[tuple]:
    rows = GoalStatusChange.objects.filter(goal__person_id__in=person_ids, achievement_status__in=DECIDED)
    found = _local(
        rows, "goal__person_id", "goal_id", TruncDate("changed_at"), "changed_at", "id", "achievement_status"
    )
    return [(*row[:5], row[5] == Goal.AchievementStatus.ACHIEVED) for row in found]


def _review_rows(person_ids: list[int]) -> list[tuple]:
    rows = GoalReview.objects.filter(goal__person_id__in=person_ids, goal__uses_gas=True, gas_level__isnull=False)
    columns = ("goal__person_id", "goal_id", TruncDate("reviewed_at"), "reviewed_at", "id")
    return _local(rows, *columns, "goal__gas_weight", "gas_level")


DECISIONS = Kept(GoalDecisionPoint, DECISION_FIELDS, _decision_rows, last_of_day)
REVIEWS = Kept(GasReviewPoint, REVIEW_FIELDS, _review_rows, last_of_day)


def refresh(person_ids: Iterable[int]) -> int:
    """Both tables computed again for these persons; returns the number of rows written."""
    ids = list(person_ids)
    return DECISIONS.refresh(ids) + REVIEWS.refresh(ids)


def refresh_all(*, batch: int = 5000) -> int:
    DECISIONS.refresh_all(batch=batch)
    return REVIEWS.refresh_all(batch=batch)
