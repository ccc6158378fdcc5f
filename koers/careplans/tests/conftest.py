"""Builders for the care-plan tests. ORM only: the goals and decisions services are not ours."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from koers.careplans import services
from koers.decisions.models import DecisionOption, SharedDecision
from koers.goals.models import Action, Goal


def add_goal(person, actor, description="Weer een eind kunnen fietsen", **extra):
    fields = {"life_domain": "health", "lifecycle_status": "active", **extra}
    return Goal.objects.create(person=person, created_by=actor, description=description, **fields)


def add_action(goal, actor, what="Elke dag tien minuten fietsen", **extra):
    return Action.objects.create(person=goal.person, goal=goal, created_by=actor, what=what, **extra)


def add_decision(person, actor, question="Fysiotherapie of zelf trainen?", choice="Zelf trainen"):
    decision = SharedDecision.objects.create(person=person, created_by=actor, question=question)
    option = DecisionOption.objects.create(decision=decision, title=choice)
    decision.chosen_option = option
    decision.status = SharedDecision.Status.DECIDED
    decision.person_agreed = True
    decision.decided_at = timezone.now()
    decision.decided_by = actor
    decision.save()
    return decision


def record(person, actor, summary="Wijziging"):
    """What the goals and decisions services do after a change: record a new plan version."""
    with transaction.atomic():
        return services.care_plan_record_change(actor=actor, person=person, summary=summary)


@pytest.fixture
def plan_builder(cast):
    from types import SimpleNamespace

    return SimpleNamespace(goal=add_goal, action=add_action, decision=add_decision, record=record)


@pytest.fixture
def sessions(settings):
    """Switch on the production session window (the test settings make every change a version)."""
    settings.KOERS_CAREPLAN_SESSION_IDLE_MINUTES = 60
    return settings
