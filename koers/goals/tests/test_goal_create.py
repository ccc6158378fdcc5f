"""goal_create: the entry point other apps (decisions) call."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from koers.access import NotFound
from koers.audit.models import AccessLogEntry
from koers.careplans.models import CarePlanVersion
from koers.goals import services
from koers.goals.models import GasLevel, Goal, GoalStatusChange

LEVELS = {-2: "Nooit", -1: "Soms", 0: "Twee keer per week", 1: "Drie keer", 2: "Elke dag"}


@pytest.mark.django_db
def test_goal_create_writes_goal_history_levels_log_and_plan_version(cast):
    goal = services.goal_create(
        actor=cast.noor,
        person=cast.anna,
        description="Weer wandelen met de hond",
        life_domain="health",
        lifecycle_status="active",
        uses_gas=True,
        gas_weight=2,
        gas_levels=LEVELS,
    )
    assert goal.lifecycle_status == "active"
    assert goal.achievement_status == "in-progress"
    assert GoalStatusChange.objects.filter(goal=goal, lifecycle_status="active").count() == 1
    assert sorted(GasLevel.objects.filter(goal=goal).values_list("level", flat=True)) == [-2, -1, 0, 1, 2]
    assert AccessLogEntry.objects.filter(user=cast.noor, action="C", object_type="goals.Goal").count() == 1
    version = CarePlanVersion.objects.get(care_plan__person=cast.anna)
    assert version.snapshot["goals"][0]["description"] == "Weer wandelen met de hond"


@pytest.mark.django_db
def test_the_person_may_propose_but_not_activate(cast):
    goal = services.goal_create(actor=cast.anna_user, person=cast.anna, description="Meer slapen", life_domain="health")
    assert goal.lifecycle_status == "proposed"
    with pytest.raises(ValidationError):
        services.goal_create(
            actor=cast.anna_user, person=cast.anna, description="X", life_domain="health", lifecycle_status="active"
        )


@pytest.mark.django_db
def test_goal_create_refused_for_a_stranger_leaves_a_refused_row(cast):
    with pytest.raises(NotFound):
        services.goal_create(actor=cast.sam, person=cast.anna, description="X", life_domain="health")
    assert AccessLogEntry.objects.filter(user=cast.sam, outcome="refused").count() == 1
    assert not Goal.objects.exists()
