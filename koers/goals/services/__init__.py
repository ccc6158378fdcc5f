"""Writes of goals, Goal Attainment Scaling levels, reviews, actions and progress.

``goals`` (create, change, lifecycle), ``gas`` (the five levels, reviews), ``actions``
(actions and their progress); ``checks`` holds what they share (the lifecycle's transitions,
text limits, the GAS levels). Import the services from here: ``from koers.goals import services``.
"""

from koers.goals.services.actions import (
    action_create,
    action_problems,
    action_progress_record,
    action_set_status,
    action_update,
)
from koers.goals.services.checks import CLOSED_STATUSES, KEEP, OPEN_STATUSES, TRANSITIONS, allowed_transitions
from koers.goals.services.gas import gas_levels_set, goal_review_record
from koers.goals.services.goals import (
    goal_create,
    goal_problems,
    goal_set_status,
    goal_update,
    goal_update_problems,
)

__all__ = [
    "CLOSED_STATUSES",
    "KEEP",
    "OPEN_STATUSES",
    "TRANSITIONS",
    "action_create",
    "action_problems",
    "action_progress_record",
    "action_set_status",
    "action_update",
    "allowed_transitions",
    "gas_levels_set",
    "goal_create",
    "goal_problems",
    "goal_review_record",
    "goal_set_status",
    "goal_update",
    "goal_update_problems",
]
