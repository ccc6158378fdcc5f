"""Stored versions of a goal (``GoalVersion``; issue #15, FHIR vread and ``_history``).

``goal_version_record`` is called by every goals service that changes a goal (create, update,
status, GAS levels), inside its transaction, after the goal row and its GAS levels are written.
``snapshot_of`` is pure (the goal's own fields in JSON terms); the data migration that gave each
existing goal its first version uses it too.
"""

from __future__ import annotations

from koers.goals.models import GasLevel, Goal, GoalVersion

FIELDS = (
    "description",
    "life_domain",
    "lifecycle_status",
    "achievement_status",
    "why_it_matters",
    "owner",
    "uses_gas",
    "gas_weight",
    "gas_baseline",
)
DATES = ("start_date", "target_date")


def snapshot_of(goal, levels) -> dict:
    """The goal's own fields (dates as ISO text) and its GAS levels as [[level, description], …]."""
    snapshot = {name: getattr(goal, name) for name in FIELDS}
    for name in DATES:
        value = getattr(goal, name)
        snapshot[name] = value.isoformat() if value else None
    snapshot["gas_levels"] = sorted([lv.level, lv.description] for lv in levels)
    return snapshot


def goal_version_record(goal: Goal) -> GoalVersion:
    """Append the goal's state as just saved (its ``updated_at`` names the version)."""
    levels = GasLevel.objects.filter(goal_id=goal.pk)
    return GoalVersion.objects.create(
        goal_id=goal.pk, person_id=goal.person_id, updated_at=goal.updated_at, snapshot=snapshot_of(goal, levels)
    )
