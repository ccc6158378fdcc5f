"""Builders for the crisis plan tests."""

from __future__ import annotations

import pytest

from koers.crisisplans import services

EMPTY = {"signs": [], "triggers": [], "self_care": [], "others_do": [], "others_avoid": [], "contacts": []}


def save_phase(actor, person, phase="early_signs", **given):
    return services.crisis_plan_phase_update(actor=actor, person=person, phase=phase, **{**EMPTY, **given})


@pytest.fixture
def early(cast):
    """Anna's early signs, saved by herself."""
    return save_phase(
        cast.anna_user,
        cast.anna,
        signs=["Slecht slapen", "Piekeren"],
        self_care=["Wandelen"],
        contacts=[{"name": "Noor", "relation": "praktijkondersteuner", "phone": "06 12345678"}],
    )
