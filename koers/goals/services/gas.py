"""Goal Attainment Scaling (GAS): describe the five levels of a goal, and review a goal
(how far did we get, on which level). Reviews are history, not plan content.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from koers import access
from koers.careplans.changes import plan_change
from koers.careplans.services import care_plan_record_change
from koers.goals.models import GasLevel, Goal, GoalReview
from koers.goals.services.checks import (
    GAS_WEIGHT_MAX,
    GAS_WEIGHT_MIN,
    GOAL,
    GOALS,
    OPEN_STATUSES,
    REVIEW,
    REVIEW_NOTE_MAX,
    Action,
    Status,
    clean_gas_levels,
    clean_int,
    closed_goal_error,
    short,
    too_long,
)
from koers.goals.versions import goal_version_record


def write_gas_levels(goal: Goal, levels: dict[int, str]) -> None:
    existing = {lv.level: lv for lv in GasLevel.objects.filter(goal=goal)}
    for level, text in sorted(levels.items()):
        if level in existing:
            if existing[level].description != text:
                existing[level].description = text
                existing[level].save(update_fields=["description"])
        else:
            GasLevel.objects.create(goal=goal, level=level, description=text)


def gas_levels_set(*, actor, goal: Goal, levels: dict[int, str], weight: int | None = None) -> Goal:
    """Describe (or re-describe) the five GAS levels of an open goal and measure it with GAS."""
    person = goal.person
    access.require(actor, person, GOALS, Action.UPDATE, object_type=GOAL, object_id=goal.pk)
    if goal.lifecycle_status not in OPEN_STATUSES:
        raise closed_goal_error()
    errors: dict[str, list[str]] = {}
    cleaned = clean_gas_levels(levels, errors)
    if weight is not None and (
        isinstance(weight, bool) or not isinstance(weight, int) or not GAS_WEIGHT_MIN <= weight <= GAS_WEIGHT_MAX
    ):
        errors["gas_weight"] = [_("Het gewicht is een heel getal van 1 tot en met 10.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Goal.objects.select_for_update().get(pk=goal.pk)
        locked.uses_gas = True
        fields = ["uses_gas", "updated_at"]
        if weight is not None:
            locked.gas_weight = weight
            fields.append("gas_weight")
        locked.save(update_fields=fields)
        write_gas_levels(locked, cleaned)
        goal_version_record(locked)
        access.record(actor, person, Action.UPDATE, locked, detail="gas_levels")
        care_plan_record_change(
            actor=actor,
            person=person,
            summary=plan_change(
                gettext_noop("Niveaus (GAS) vastgelegd voor: %(what)s"), what=short(locked.description)
            ),
        )
    return locked


def goal_review_record(
    *, actor, goal: Goal, gas_level: int | None = None, note: str = "", reviewed_at=None
) -> GoalReview:
    """Look back on a goal: how far did we get? A GAS level only for goals measured with GAS.

    Reviews are history, not plan content: no new care-plan version.
    """
    person = goal.person
    access.require(actor, person, GOALS, Action.CREATE, object_type=REVIEW)
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if goal.lifecycle_status in (Status.PROPOSED, Status.CANCELLED):
        raise ValidationError(_("Een voorgesteld of gestopt doel kunt u niet evalueren."))
    if gas_level is not None and gas_level != "" and not goal.uses_gas:
        errors["gas_level"] = [_("Dit doel wordt niet gemeten met GAS. Laat het niveau leeg.")]
    else:
        gas_level = clean_int(
            gas_level,
            low=-2,
            high=2,
            field="gas_level",
            message=_("Kies een niveau van -2 tot en met +2."),
            errors=errors,
        )
    if len(note) > REVIEW_NOTE_MAX:
        errors["note"] = [too_long(REVIEW_NOTE_MAX)]
    if not errors and gas_level is None and not note:
        errors["note"] = [_("Kies een niveau of schrijf op hoe het gaat.")]
    if reviewed_at is not None and reviewed_at > timezone.now():
        errors["reviewed_at"] = [_("De datum van de evaluatie kan niet in de toekomst liggen.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = GoalReview.objects.create(
            goal=goal,
            reviewed_at=reviewed_at or timezone.now(),
            gas_level=gas_level,
            note=note,
            reviewed_by=actor,
        )
        access.record(actor, person, Action.CREATE, review)
    return review
