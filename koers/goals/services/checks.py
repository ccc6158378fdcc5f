"""What the goals services check, shared by goals, GAS and actions: the goal's lifecycle
(which status may follow which, open or closed), text limits, the five GAS levels and whole
numbers in a range. No writes here.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from koers import access
from koers.goals.models import GasLevel, Goal, GoalReview, GoalStatusChange

Action = access.Action
GOALS = access.Category.GOALS
GOAL = "goals.Goal"
REVIEW = "goals.GoalReview"
ACTION = "goals.Action"
PROGRESS = "goals.ActionProgress"

DESCRIPTION_MAX = Goal._meta.get_field("description").max_length
WHY_MAX = Goal._meta.get_field("why_it_matters").max_length
GAS_LEVEL_MAX = GasLevel._meta.get_field("description").max_length
GAS_WEIGHT_MIN, GAS_WEIGHT_MAX = 1, 10
GAS_LEVELS = (-2, -1, 0, 1, 2)
KEEP = object()  # "leave this field as it is" for optional update arguments

Status = Goal.LifecycleStatus
Achievement = Goal.AchievementStatus

# FHIR R4 Goal.lifecycleStatus, the part of it a care plan needs.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PROPOSED: frozenset({Status.ACTIVE, Status.CANCELLED}),
    Status.ACTIVE: frozenset({Status.ON_HOLD, Status.COMPLETED, Status.CANCELLED}),
    Status.ON_HOLD: frozenset({Status.ACTIVE, Status.CANCELLED}),
    Status.COMPLETED: frozenset(),
    Status.CANCELLED: frozenset(),
}
OPEN_STATUSES = frozenset({Status.PROPOSED, Status.ACTIVE, Status.ON_HOLD})
CLOSED_STATUSES = frozenset(s for s, targets in TRANSITIONS.items() if not targets)  # final: ask first
NOTE_MAX = GoalStatusChange._meta.get_field("note").max_length
REVIEW_NOTE_MAX = GoalReview._meta.get_field("note").max_length


def allowed_transitions(goal: Goal) -> list[str]:
    """The statuses this goal may move to, in a fixed order (for buttons)."""
    targets = TRANSITIONS.get(goal.lifecycle_status, frozenset())
    return [s for s in Status.values if s in targets]


def is_self(actor, person) -> bool:
    return bool(getattr(actor, "is_person", False)) and person.user_id == actor.pk


def closed_goal_error() -> ValidationError:
    return ValidationError(_("Dit doel is afgerond of gestopt. U kunt het niet meer wijzigen."))


def short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def too_long(limit: int) -> str:
    return _("Dit is te lang. Gebruik hoogstens %(max)d tekens.") % {"max": limit}


def clean_int(value, *, low: int, high: int, field: str, message: str, errors: dict):
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors[field] = [message]
        return None
    return value


def clean_gas_levels(gas_levels, errors: dict) -> dict[int, str]:
    """Descriptions of the five GAS levels: all five, each non-empty and not too long."""
    cleaned: dict[int, str] = {}
    raw = gas_levels or {}
    try:
        items = {int(k): (v or "").strip() for k, v in raw.items()}
    except (TypeError, ValueError, AttributeError):
        errors["gas_levels"] = [_("De niveaus van GAS moeten -2, -1, 0, 1 en 2 zijn.")]
        return cleaned
    if set(items) - set(GAS_LEVELS):
        errors["gas_levels"] = [_("De niveaus van GAS moeten -2, -1, 0, 1 en 2 zijn.")]
        return cleaned
    for level in GAS_LEVELS:
        text = items.get(level, "")
        if not text:
            errors.setdefault("gas_levels", []).append(
                _("Beschrijf wat niveau %(level)+d betekent.") % {"level": level}
            )
        elif len(text) > GAS_LEVEL_MAX:
            errors.setdefault("gas_levels", []).append(too_long(GAS_LEVEL_MAX))
        cleaned[level] = text
    return cleaned
