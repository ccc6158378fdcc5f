"""The goals' kept rows (``koers.indicators.goalpoints``) answer "each goal's last decision, and
each GAS goal's latest review, in a period" exactly as the ranking by window does, for every
period; ``koers generate``, the migration and the writes (the goals' services, saves, deletes,
cascades) keep them equal to the status changes, reviews and goals; ``koers indicator_cohorts
check`` finds drift and ``refresh`` repairs it. The indicators counted from them equal the live
statement and the Python definition per unit and quarter, with suppression k=1, 3 and 10
(``test_counting._agree``, through ``_same_everywhere``)."""

from __future__ import annotations

import datetime as dt
import io
import random
from importlib import import_module

import pytest
from django.core.management import call_command
from django.utils import timezone

from koers.goals.models import Goal, GoalReview, GoalStatusChange
from koers.goals.services import gas as gas_services
from koers.goals.services import goals as goal_services
from koers.indicators import goalpoints
from koers.indicators.models import GasReviewPoint, GoalDecisionPoint
from koers.indicators.tests.test_counting import _teams
from koers.indicators.tests.test_kept_cohorts import _generated, _maintenance_reads, _same_everywhere
from koers.network.models import CareTeamMember

D0 = dt.date(2025, 1, 1)
T0 = dt.datetime(2025, 1, 1, 9, tzinfo=dt.UTC)
LEVELS = {-2: "veel minder", -1: "minder", 0: "verwacht", 1: "meer", 2: "veel meer"}


def _ranked(rows, s, e):
    """The live statement's definition for one goal: the values of its latest row (by moment, then
    id) whose day lies in the period, or None."""
    inside = sorted((at, pk, values) for at, pk, day, values in rows if s <= day <= e)
    return inside[-1][2] if inside else None


def _kept(points, s, e):
    found = [p[3:] for p in points if s <= p[1] <= e and (p[2] is None or p[2] > e)]
    assert len(found) <= 1  # at most one row per goal and period: no sort needed
    return found[0] if found else None


@pytest.mark.parametrize("seed", range(40))
def test_the_rows_answer_every_period_as_the_ranking_does(seed):
    rng = random.Random(seed)
    rows = {}
    for _ in range(rng.randint(0, 9)):
        at = T0 + dt.timedelta(days=rng.randint(0, 40), hours=rng.choice((0, 0, 5)))
        rows[(at, rng.randint(1, 99))] = (rng.randint(1, 10), rng.randint(-2, 2))  # moments tie; ids do not
    rows = [(at, pk, at.date(), values) for (at, pk), values in rows.items()]
    points = goalpoints.last_of_day((7, 3, day, at, pk, *values) for at, pk, day, values in rows)
    for s_day in range(-2, 44, 3):
        for length in (0, 1, 4, 11, 60):
            s, e = D0 + dt.timedelta(days=s_day), D0 + dt.timedelta(days=s_day + length)
            assert _kept(points, s, e) == _ranked(rows, s, e), (rows, s, e)


def test_rows_by_hand():
    d = dt.date
    rows = [
        (1, 10, d(2025, 1, 2), T0, 2, False),
        (1, 10, d(2025, 1, 2), T0, 1, True),  # same moment: the id decides
        (1, 10, d(2025, 2, 1), T0 + dt.timedelta(days=30), 4, True),
        (1, 11, d(2025, 1, 5), T0, 5, False),  # another goal of the same person: its own row
        (2, 12, d(2025, 1, 9), T0 + dt.timedelta(days=8), 7, True),
    ]
    assert goalpoints.last_of_day(rows) == [
        (1, d(2025, 1, 2), d(2025, 2, 1), False),
        (1, d(2025, 2, 1), None, True),
        (1, d(2025, 1, 5), None, False),
        (2, d(2025, 1, 9), None, True),
    ]


def _same() -> None:
    assert goalpoints.DECISIONS.drift() == {}
    assert goalpoints.REVIEWS.drift() == {}
    _same_everywhere()


def _open_goal() -> tuple:
    """An active goal of a person in care, with a professional of the person's care team."""
    members = CareTeamMember.objects.filter(ended_at__isnull=True).select_related("professional")
    for member in members.order_by("pk"):
        goal = Goal.objects.filter(person_id=member.person_id, lifecycle_status=Goal.LifecycleStatus.ACTIVE).first()
        if goal is not None:
            return member.professional, goal
    raise AssertionError("no active goal of a person in care")


@pytest.mark.django_db
def test_generate_fills_the_rows_and_the_writes_keep_them():
    _generated(seed=8, people=15)
    _teams()
    assert GoalDecisionPoint.objects.exists() and GasReviewPoint.objects.exists()
    _same()

    actor, goal = _open_goal()
    now = timezone.now()
    goal = gas_services.gas_levels_set(actor=actor, goal=goal, levels=LEVELS, weight=3)  # now measured with GAS
    _same()
    for days, level in ((200, -1), (200, 0), (1, 2)):  # two on one day: the later one counts
        gas_services.goal_review_record(actor=actor, goal=goal, gas_level=level, reviewed_at=now - dt.timedelta(days))
    assert GasReviewPoint.objects.filter(person_id=goal.person_id, weight=3).count() >= 2
    _same()
    goal = goal_services.goal_set_status(
        actor=actor, goal=goal, lifecycle_status="completed", achievement_status="achieved"
    )
    assert GoalDecisionPoint.objects.filter(person_id=goal.person_id, achieved=True).exists()
    _same()

    change = GoalStatusChange.objects.filter(goal=goal).order_by("-changed_at", "-id").first()
    change.changed_at = now - dt.timedelta(days=300)  # a save: into an earlier quarter
    change.save(update_fields=["changed_at"])
    _same()
    review = GoalReview.objects.filter(goal=goal, gas_level__isnull=False).order_by("-reviewed_at").first()
    review.gas_level = -2
    review.save()
    _same()
    Goal.objects.filter(pk=goal.pk).update(gas_weight=5)  # no signal: the next save carries it
    goal.refresh_from_db()
    goal.save()
    assert GasReviewPoint.objects.filter(person_id=goal.person_id, weight=5).exists()
    _same()

    review.delete()
    _same()
    change.delete()
    _same()
    goal.delete()  # its reviews and status changes go by the cascade
    _same()
    person = Goal.objects.filter(reviews__gas_level__isnull=False, uses_gas=True).first().person
    person.delete()
    assert not GasReviewPoint.objects.filter(person_id=person.pk).exists()
    assert not GoalDecisionPoint.objects.filter(person_id=person.pk).exists()
    _same()


@pytest.mark.django_db
def test_the_command_finds_drifted_goal_rows_and_refresh_repairs_them():
    _generated(seed=9, people=10)
    call_command("indicator_cohorts", "check", stdout=(out := io.StringIO()))
    assert "OK, no drift" in out.getvalue()
    review = GoalReview.objects.filter(goal__uses_gas=True, gas_level__isnull=False).select_related("goal").first()
    GoalReview.objects.filter(pk=review.pk).update(gas_level=2 if review.gas_level < 2 else -2)  # no signal
    change = GoalStatusChange.objects.filter(achievement_status__in=goalpoints.DECIDED).select_related("goal").first()
    GoalStatusChange.objects.filter(pk=change.pk).delete()  # a queryset delete sends the signal: do it raw
    GoalDecisionPoint.objects.create(person_id=change.goal.person_id, day=D0, next_day=None, achieved=True)
    with pytest.raises(SystemExit):
        call_command("indicator_cohorts", "check", stdout=(out := io.StringIO()), stderr=io.StringIO())
    assert f"person {review.goal.person_id}: " in out.getvalue() and "GAS reviews" in out.getvalue()
    assert "goal decisions" in out.getvalue()
    assert {review.goal.person_id, change.goal.person_id} <= set(_maintenance_reads("IndicatorKeptRows"))
    call_command("indicator_cohorts", "refresh", stdout=io.StringIO())
    assert goalpoints.DECISIONS.drift() == {} and goalpoints.REVIEWS.drift() == {}


@pytest.mark.django_db
def test_the_migration_fills_the_rows_for_the_goals_already_there():
    _generated(seed=10, people=8)
    GoalDecisionPoint.objects.all().delete()  # as before the migration
    GasReviewPoint.objects.all().delete()
    assert goalpoints.DECISIONS.drift() and goalpoints.REVIEWS.drift()
    import_module("koers.indicators.migrations.0004_goal_points").backfill(None, None)
    assert GoalDecisionPoint.objects.exists() and GasReviewPoint.objects.exists()
    assert goalpoints.DECISIONS.drift() == {} and goalpoints.REVIEWS.drift() == {}
