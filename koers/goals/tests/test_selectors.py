"""Selectors: goals with their actions and latest review, the GAS T-score now and over time."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from koers.goals import gas, selectors, services
from koers.goals.models import Goal

pytestmark = pytest.mark.django_db


def test_goals_for_person_with_actions_latest_progress_and_review(cast, make_goal, make_action):
    goal = make_goal(uses_gas=True)
    action = make_action(goal)
    services.action_progress_record(actor=cast.anna_user, action=action, done=False)
    latest_progress = services.action_progress_record(actor=cast.anna_user, action=action, done=True)
    services.goal_review_record(actor=cast.noor, goal=goal, gas_level=-1)
    latest = services.goal_review_record(actor=cast.noor, goal=goal, note="Alleen een toelichting")
    make_goal(person=cast.bas)
    goals = selectors.goals_for_person(cast.anna)
    assert [g.pk for g in goals] == [goal.pk]
    assert goals[0].latest_review == latest
    assert goals[0].latest_gas_level == -1
    assert goals[0].level_descriptions[0] == "Twee keer per week"
    assert goals[0].action_list == [action]
    assert goals[0].action_list[0].latest_progress == latest_progress


def test_goals_for_person_uses_a_fixed_number_of_queries(cast, make_goal, make_action, django_assert_num_queries):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            selectors.goals_for_person(cast.anna)
        return len(ctx.captured_queries)

    make_action(make_goal(uses_gas=True))
    one = count()
    for _ in range(4):
        goal = make_goal(uses_gas=True)
        make_action(goal)
        services.goal_review_record(actor=cast.noor, goal=goal, gas_level=1)
    # Five queries; on PostgreSQL sent together as one statement (koers.lib.compiled.together).
    from django.db import connection

    from koers.lib.compiled import several_statements_at_once

    assert count() == one == (1 if several_statements_at_once(connection) else 5)


def test_group_by_status_in_order_without_empty_groups(cast, make_goal):
    active = make_goal()
    proposed = make_goal(status="proposed")
    groups = selectors.group_by_status(selectors.goals_for_person(cast.anna))
    assert [(g["status"], [x.pk for x in g["goals"]]) for g in groups] == [
        ("proposed", [proposed.pk]),
        ("active", [active.pk]),
    ]


def test_gas_now_counts_active_and_completed_gas_goals_with_weights(cast, make_goal):
    first = make_goal(uses_gas=True, gas_weight=1)
    second = make_goal(uses_gas=True, gas_weight=2)
    on_hold = make_goal(uses_gas=True)
    make_goal()  # no GAS
    services.goal_review_record(actor=cast.noor, goal=first, gas_level=-2)
    services.goal_review_record(actor=cast.noor, goal=first, gas_level=-1)  # the latest counts
    services.goal_review_record(actor=cast.noor, goal=second, gas_level=2)
    services.goal_review_record(actor=cast.noor, goal=second, note="Geen niveau")  # no level: ignored
    services.goal_review_record(actor=cast.noor, goal=on_hold, gas_level=2)
    services.goal_set_status(actor=cast.noor, goal=on_hold, lifecycle_status="on-hold")
    services.goal_set_status(actor=cast.noor, goal=second, lifecycle_status="completed", achievement_status="achieved")
    now = selectors.gas_now(cast.anna)
    assert now["levels"] == [-1, 2]
    assert now["weights"] == [1, 2]
    assert now["t_score"] == pytest.approx(gas.t_score([-1, 2], [1, 2]))


def test_gas_now_is_none_without_reviewed_levels(cast, make_goal):
    make_goal(uses_gas=True)
    assert selectors.gas_now(cast.anna) is None
    assert selectors.gas_history(cast.anna) == []
    assert selectors.gas_chart([]) is None


def test_gas_history_carries_each_goals_latest_level_forward(cast, make_goal):
    start = dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        a = make_goal(uses_gas=True)
        b = make_goal(uses_gas=True, gas_weight=2)
        services.goal_review_record(actor=cast.noor, goal=a, gas_level=-1)
    with time_machine.travel(start + dt.timedelta(days=30), tick=False):
        services.goal_review_record(actor=cast.noor, goal=b, gas_level=0)
        services.goal_review_record(actor=cast.noor, goal=b, gas_level=1)  # same day: the last counts
    with time_machine.travel(start + dt.timedelta(days=60), tick=False):
        services.goal_review_record(actor=cast.noor, goal=a, gas_level=2)
    points = selectors.gas_history(cast.anna)
    assert [p["date"] for p in points] == [dt.date(2026, 3, 1), dt.date(2026, 3, 31), dt.date(2026, 4, 30)]
    assert points[0]["t_score"] == pytest.approx(gas.t_score([-1]))
    assert points[1]["t_score"] == pytest.approx(gas.t_score([-1, 1], [1, 2]))
    assert points[2]["t_score"] == pytest.approx(gas.t_score([2, 1], [1, 2]))
    assert points[-1]["t_score"] == pytest.approx(selectors.gas_now(cast.anna)["t_score"])


def test_the_goals_page_takes_the_gas_rows_from_the_goals_it_read(cast, make_goal):
    """The goals page computes the T-score from the reviews ``goals_for_person`` prefetched
    (issue #18, "Speed"): the same rows as the query, for every status and with or without GAS."""
    start = dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        a = make_goal(uses_gas=True)
        b = make_goal(uses_gas=True, gas_weight=3)
        c = make_goal(uses_gas=True)
        d = make_goal()  # no GAS
        for goal, level in ((a, -1), (b, 0), (c, 1)):
            services.goal_review_record(actor=cast.noor, goal=goal, gas_level=level)
        services.goal_review_record(actor=cast.noor, goal=d, note="Zonder niveau")
        Goal.objects.filter(pk=c.pk).update(lifecycle_status=Goal.LifecycleStatus.ON_HOLD)  # not counted
    with time_machine.travel(start + dt.timedelta(days=3), tick=False):
        services.goal_review_record(actor=cast.noor, goal=a, gas_level=1)
        services.goal_review_record(actor=cast.noor, goal=b, note="Alleen een toelichting")
    rows = selectors.gas_rows_of(selectors.goals_for_person(cast.anna))
    assert rows == selectors._gas_rows(cast.anna) and len(rows) == 3
    assert selectors.gas_history(cast.anna, rows=rows) == selectors.gas_history(cast.anna)
    assert selectors.gas_now(cast.anna, rows=rows) == selectors.gas_now(cast.anna)


def test_gas_chart_coordinates():
    day = timezone.localdate()
    chart = selectors.gas_chart(
        [{"date": day, "t_score": 50.0, "goals": 1}, {"date": day, "t_score": 70.0, "goals": 1}]
    )
    first, second = chart["dots"]
    assert first["x"] == chart["left"] and second["x"] == chart["right"]
    assert second["y"] < first["y"]  # higher score, higher on the chart
    assert [t["value"] for t in chart["ticks"]] == [30, 50, 70]
    single = selectors.gas_chart([{"date": day, "t_score": 95.0, "goals": 3}])
    assert single["dots"][0]["y"] > 0


@pytest.mark.parametrize(("value", "shown"), [(2, "+2"), (1, "+1"), (0, "0"), (-1, "-1"), (None, ""), ("x", "x")])
def test_signed_filter(value, shown):
    from koers.goals.templatetags.goals_tags import signed

    assert signed(value) == shown
