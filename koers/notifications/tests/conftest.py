import datetime as dt

import pytest
from django.db import connection

from koers.goals.models import Action, Goal
from tests.support.testing import empty_access_log_for_flush

postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (row locks, separate connections); the single-connection variant runs on SQLite",
)


def make_actions(person, professional, review_date: dt.date, n: int = 1):
    goal = Goal.objects.create(
        person=person,
        description="Beter slapen",
        life_domain="health",
        lifecycle_status="active",
        created_by=professional,
    )
    return Action.objects.bulk_create(
        [
            Action(person=person, goal=goal, what=f"Actie {i}", review_date=review_date, created_by=professional)
            for i in range(n)
        ]
    )


@pytest.fixture
def flushable_db(transactional_db):
    """A transactional test (workers that close or share connections) whose access-log rows can be
    flushed afterwards on SQLite — the same purge window the root conftest opens for live_server tests."""
    yield
    empty_access_log_for_flush()
