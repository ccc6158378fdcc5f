"""The one "action due" rule (koers.goals.due): due from its review date on, overdue stays due."""

import datetime as dt

import pytest

from koers.goals import due
from koers.goals.models import Action, Goal

TODAY = dt.date(2026, 1, 12)


@pytest.fixture
def actions(cast):
    goal = Goal.objects.create(
        person=cast.anna,
        description="Beter slapen",
        life_domain="health",
        lifecycle_status="active",
        created_by=cast.noor,
    )

    def make(offset, status=Action.Status.ACTIVE):
        day = None if offset is None else TODAY + dt.timedelta(days=offset)
        return Action.objects.create(
            person=cast.anna, goal=goal, what=f"Actie {offset}", review_date=day, status=status, created_by=cast.noor
        )

    return make


def test_due_today_and_overdue_by_a_day_are_due_tomorrow_is_not(actions):
    today, tomorrow, yesterday = actions(0), actions(1), actions(-1)
    assert set(due.actions_due(TODAY)) == {today, yesterday}
    assert tomorrow not in due.actions_due(TODAY)


def test_since_leaves_out_older_review_dates(actions):
    today, yesterday, _older = actions(0), actions(-1), actions(-8)
    assert set(due.actions_due(TODAY, since=TODAY - dt.timedelta(days=1))) == {today, yesterday}


def test_only_active_actions_with_a_review_date(actions):
    active = actions(0)
    actions(0, status=Action.Status.DONE)
    actions(-1, status=Action.Status.STOPPED)
    actions(None)
    assert list(due.action_reviews()) == [active]
    assert list(due.actions_due(TODAY)) == [active]
