"""Its part of the caseload's "needs attention" summary (registry ``koers.people.attention``):
goals the person proposed, and the earliest review date of an active action (due from that day
on, ``goals.due``)."""

from __future__ import annotations

from django.db.models import Min

from koers.goals import due
from koers.goals.models import Goal
from koers.people import attention


def goals_proposed(person_ids: list[int] | None) -> dict[int, dict]:
    qs = Goal.objects.filter(lifecycle_status=Goal.LifecycleStatus.PROPOSED)
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    return {pid: {"goals_proposed": True} for pid in qs.order_by().values_list("person_id", flat=True).distinct()}


def action_reviews(person_ids: list[int] | None) -> dict[int, dict]:
    qs = due.action_reviews()
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    rows = qs.order_by().values("person_id").annotate(first=Min("review_date")).values_list("person_id", "first")
    return {pid: {"action_review_on": first} for pid, first in rows}


def register() -> None:
    attention.register(
        attention.Source(
            key="goals_proposed", models=("goals.Goal",), columns=("goals_proposed",), compute=goals_proposed
        )
    )
    attention.register(
        attention.Source(
            key="action_review", models=("goals.Action",), columns=("action_review_on",), compute=action_reviews
        )
    )
