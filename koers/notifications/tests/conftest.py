import datetime as dt

import pytest
from django.db import connection

from koers.goals.models import Action, Goal

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
