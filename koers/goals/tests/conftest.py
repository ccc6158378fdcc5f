"""Builders for the goals tests: through the services under test (goal_create etc.)."""

from __future__ import annotations

import pytest

from koers.goals import services

LEVELS = {-2: "Nooit buiten", -1: "Eén keer per week", 0: "Twee keer per week", 1: "Vier keer", 2: "Elke dag"}


@pytest.fixture
def make_goal(cast):
    def _make(person=None, actor=None, description="Weer wandelen met de hond", status="active", **extra):
        fields = {"life_domain": "health", "lifecycle_status": status, **extra}
        if fields.get("uses_gas") and "gas_levels" not in fields:
            fields["gas_levels"] = LEVELS
        return services.goal_create(
            actor=actor or cast.noor, person=person or cast.anna, description=description, **fields
        )

    return _make


@pytest.fixture
def make_action(cast):
    def _make(goal, actor=None, what="Elke ochtend een rondje om het blok", **extra):
        return services.action_create(actor=actor or cast.noor, goal=goal, what=what, **extra)

    return _make
