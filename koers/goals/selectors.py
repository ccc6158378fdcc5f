"""Reads of goals, actions, reviews and the GAS T-score. Fixed number of queries, whatever the size.

The caller has already checked access (the page decorators do).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone

from koers.goals import gas
from koers.goals.models import Action, ActionProgress, GasLevel, Goal, GoalReview
from koers.lib.compiled import attach, planned, sends_together, together

Status = Goal.LifecycleStatus

# The order in which goals are grouped on the pages: what needs attention first.
STATUS_ORDER = (Status.PROPOSED, Status.ACTIVE, Status.ON_HOLD, Status.COMPLETED, Status.CANCELLED)
GAS_COUNTED = (Status.ACTIVE, Status.COMPLETED)


def _goals_queryset(person):
    actions = Action.objects.order_by("created_at", "id").prefetch_related(
        Prefetch("progress", queryset=ActionProgress.objects.order_by("-recorded_at", "-id"), to_attr="progress_list")
    )
    return (
        Goal.objects.filter(person=person)
        .prefetch_related(
            Prefetch("actions", queryset=actions, to_attr="action_list"),
            "gas_levels",
            Prefetch("reviews", queryset=GoalReview.objects.order_by("-reviewed_at", "-id"), to_attr="review_list"),
        )
        .order_by("created_at", "id")
    )


def _decorate(goal: Goal) -> Goal:
    goal.latest_review = goal.review_list[0] if goal.review_list else None
    goal.latest_gas_level = next((r.gas_level for r in goal.review_list if r.gas_level is not None), None)
    goal.level_descriptions = {lv.level: lv.description for lv in goal.gas_levels.all()}
    for action in goal.action_list:
        action.latest_progress = action.progress_list[0] if action.progress_list else None
    return goal


def goals_for_person(person) -> list[Goal]:
    """All goals of a person with ``action_list`` (each with ``latest_progress``),
    ``latest_review``, ``latest_gas_level`` and ``level_descriptions``. Five queries, each
    compiled once per process (``koers.lib.compiled``) and sent together (one round trip on
    PostgreSQL); the same objects as ``_goals_queryset`` with its prefetches
    (tests/test_compiled_pages.py compares them)."""
    reads = _goal_reads(person)
    if sends_together(Goal):
        goals, actions, progress, levels, reviews = together(*reads.values())
        if not goals:
            return []
    else:  # one statement each: nothing more without goals, no progress without actions
        goals = together(reads["goals"])[0]
        if not goals:
            return []
        actions = together(reads["actions"])[0]
        progress = together(reads["progress"])[0] if actions else []
        levels, reviews = together(reads["levels"], reads["reviews"])
    attach(actions, progress, field="action", to_attr="progress_list")
    attach(goals, actions, field="goal", to_attr="action_list")
    attach(goals, levels, field="goal", related="gas_levels")
    attach(goals, reviews, field="goal", to_attr="review_list")
    return [_decorate(goal) for goal in goals]


def _goal_reads(person) -> dict:
    """The five reads of ``goals_for_person``, each compiled once per process."""
    return {
        "goals": planned(
            lambda p: Goal.objects.filter(person_id=p.person_id).order_by("created_at", "id"), person_id=person.pk
        ),
        "actions": planned(
            lambda p: Action.objects.filter(goal__person_id=p.person_id).order_by("created_at", "id"),
            person_id=person.pk,
        ),
        "progress": planned(
            lambda p: ActionProgress.objects.filter(action__goal__person_id=p.person_id).order_by(
                "-recorded_at", "-id"
            ),
            person_id=person.pk,
        ),
        "levels": planned(lambda p: GasLevel.objects.filter(goal__person_id=p.person_id), person_id=person.pk),
        "reviews": planned(
            lambda p: GoalReview.objects.filter(goal__person_id=p.person_id).order_by("-reviewed_at", "-id"),
            person_id=person.pk,
        ),
    }


def goals_from_decision(decision) -> list[Goal]:
    """The goals made from one shared decision, oldest first, with the same extras as
    ``goals_for_person`` (``latest_gas_level``, ``level_descriptions``). Five queries."""
    return [_decorate(goal) for goal in _goals_queryset(decision.person).filter(decision=decision)]


def goal_detail(goal: Goal) -> Goal:
    """One goal (already fetched through ``access.object_for``) with the same extras, its
    status history and all reviews (newest first)."""
    decorated = _decorate(_goals_queryset(goal.person).prefetch_related("status_history").get(pk=goal.pk))
    return decorated


def group_by_status(goals: list[Goal], statuses=STATUS_ORDER) -> list[dict]:
    """[{status, label, goals}] in ``STATUS_ORDER``, leaving out empty groups."""
    groups = []
    for status in statuses:
        in_group = [g for g in goals if g.lifecycle_status == status]
        if in_group:
            groups.append({"status": status, "label": Status(status).label, "goals": in_group})
    return groups


def _gas_rows(person) -> list[tuple]:
    """(reviewed_at, review id, goal id, level, weight) of every GAS review that counts, oldest first."""
    return list(
        GoalReview.objects.filter(
            goal__person=person,
            goal__uses_gas=True,
            goal__lifecycle_status__in=GAS_COUNTED,
            gas_level__isnull=False,
        )
        .order_by("reviewed_at", "id")
        .values_list("reviewed_at", "id", "goal_id", "gas_level", "goal__gas_weight")
    )


def gas_rows_of(goals: list[Goal]) -> list[tuple]:
    """The rows ``_gas_rows`` reads, taken from goals as ``goals_for_person`` gives them (all the
    person's goals with their ``review_list``): no query."""
    rows = [
        (review.reviewed_at, review.pk, goal.pk, review.gas_level, goal.gas_weight)
        for goal in goals
        if goal.uses_gas and goal.lifecycle_status in GAS_COUNTED
        for review in goal.review_list
        if review.gas_level is not None
    ]
    return sorted(rows, key=lambda row: (row[0], row[1]))


def gas_history(person, *, rows=None) -> list[dict]:
    """The GAS T-score at each review date: one point per day with a GAS review, carrying
    forward each goal's latest level. Counts goals measured with GAS that are active or
    completed now, with their weights. One query, none when given ``rows`` (``gas_rows_of``)."""
    points: list[dict] = []
    latest: dict[int, tuple[int, int]] = {}
    for reviewed_at, _id, goal_id, level, weight in _gas_rows(person) if rows is None else rows:
        day = timezone.localdate(reviewed_at)
        latest[goal_id] = (level, weight)
        levels = [lv for lv, _w in latest.values()]
        weights = [w for _lv, w in latest.values()]
        point = {"date": day, "t_score": gas.t_score(levels, weights), "goals": len(levels)}
        if points and points[-1]["date"] == day:
            points[-1] = point
        else:
            points.append(point)
    return points


def gas_now(person, *, rows=None) -> dict | None:
    """The plan's GAS T-score now: the latest reviewed level of each GAS goal that is active
    or completed, with its weight. None when no such goal has a reviewed level. One query, none
    when given ``rows`` (``gas_rows_of``)."""
    rows = _gas_rows(person) if rows is None else rows
    latest = {goal_id: (level, weight) for _at, _id, goal_id, level, weight in rows}
    if not latest:
        return None
    levels = [lv for lv, _w in latest.values()]
    weights = [w for _lv, w in latest.values()]
    return {"t_score": gas.t_score(levels, weights), "levels": levels, "weights": weights, "goals": len(levels)}


# --- a small line chart, drawn on the server ------------------------------------------------

CHART_WIDTH, CHART_HEIGHT = 320, 160
CHART_PAD_LEFT, CHART_PAD_RIGHT, CHART_PAD_TOP, CHART_PAD_BOTTOM = 36, 12, 10, 26


def gas_chart(points: list[dict]) -> dict | None:
    """Coordinates for an inline SVG line chart of T-scores over time (pure; no queries).

    The y axis runs from 20 to 80 (widened if a score falls outside), with a line at 50, the
    expected outcome. Points are spaced evenly, one per review date.
    """
    if not points:
        return None
    scores = [p["t_score"] for p in points]
    low = min(20.0, min(scores) - 5)
    high = max(80.0, max(scores) + 5)
    inner_w = CHART_WIDTH - CHART_PAD_LEFT - CHART_PAD_RIGHT
    inner_h = CHART_HEIGHT - CHART_PAD_TOP - CHART_PAD_BOTTOM

    def y(value: float) -> float:
        return round(CHART_PAD_TOP + (high - value) / (high - low) * inner_h, 1)

    step = inner_w / (len(points) - 1) if len(points) > 1 else 0
    dots = []
    for index, point in enumerate(points):
        x = round(CHART_PAD_LEFT + (index * step if len(points) > 1 else inner_w / 2), 1)
        dots.append({"x": x, "y": y(point["t_score"]), **point})
    ticks = [{"value": v, "y": y(v)} for v in (30, 50, 70)]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_PAD_LEFT,
        "right": CHART_WIDTH - CHART_PAD_RIGHT,
        "bottom": CHART_HEIGHT - CHART_PAD_BOTTOM,
        "label_y": CHART_HEIGHT - 8,
        "polyline": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "dots": dots,
        "ticks": ticks,
        "first": points[0]["date"],
        "last": points[-1]["date"],
    }
