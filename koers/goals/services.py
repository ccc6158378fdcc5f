"""Writes of goals, Goal Attainment Scaling levels, reviews, actions and progress.

Every service checks access *before* its transaction (so a refusal's log row is kept),
validates (``ValidationError`` with a plain-language message; nothing written), then writes,
logs and records the new care-plan version in one transaction.

Unrealistic goals are discussed, not overruled: nothing here refuses a goal for its content.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.careplans.services import care_plan_record_change
from koers.goals.models import GasLevel, Goal, GoalStatusChange, LifeDomain, Responsible
from koers.network import access

Action = access.Action
GOALS = access.Category.GOALS
GOAL = "goals.Goal"

DESCRIPTION_MAX = Goal._meta.get_field("description").max_length
WHY_MAX = Goal._meta.get_field("why_it_matters").max_length
GAS_LEVEL_MAX = GasLevel._meta.get_field("description").max_length
GAS_WEIGHT_MIN, GAS_WEIGHT_MAX = 1, 10
GAS_LEVELS = (-2, -1, 0, 1, 2)


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _too_long(limit: int) -> str:
    return _("Dit is te lang. Gebruik hoogstens %(max)d tekens.") % {"max": limit}


def _clean_gas_levels(gas_levels, errors: dict) -> dict[int, str]:
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
            errors.setdefault("gas_levels", []).append(_too_long(GAS_LEVEL_MAX))
        cleaned[level] = text
    return cleaned


def _clean_goal(
    *,
    description,
    life_domain,
    why_it_matters,
    owner,
    target_date,
    uses_gas,
    gas_weight,
    gas_levels,
    check_gas_levels: bool,
    previous_target_date=None,
) -> dict:
    """Validate a goal's fields; all problems at once, keyed by field name."""
    description = (description or "").strip()
    why_it_matters = (why_it_matters or "").strip()
    errors: dict[str, list[str]] = {}
    if not description:
        errors["description"] = [_("Schrijf uw doel op, in uw eigen woorden.")]
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = [_too_long(DESCRIPTION_MAX)]
    if life_domain not in LifeDomain.values:
        errors["life_domain"] = [_("Kies een levensgebied.")]
    if len(why_it_matters) > WHY_MAX:
        errors["why_it_matters"] = [_too_long(WHY_MAX)]
    if owner not in Responsible.values:
        errors["owner"] = [_("Kies van wie dit doel is.")]
    if target_date is not None:
        if not isinstance(target_date, dt.date) or isinstance(target_date, dt.datetime):
            errors["target_date"] = [_("Vul een geldige datum in.")]
        elif target_date < timezone.localdate() and target_date != previous_target_date:
            errors["target_date"] = [_("De streefdatum kan niet in het verleden liggen.")]
    uses_gas = bool(uses_gas)
    if isinstance(gas_weight, bool) or not isinstance(gas_weight, int):
        errors["gas_weight"] = [_("Het gewicht is een heel getal van 1 tot en met 10.")]
    elif not GAS_WEIGHT_MIN <= gas_weight <= GAS_WEIGHT_MAX:
        errors["gas_weight"] = [_("Het gewicht is een heel getal van 1 tot en met 10.")]
    levels: dict[int, str] = {}
    if uses_gas and check_gas_levels:
        levels = _clean_gas_levels(gas_levels, errors)
    if errors:
        raise ValidationError(errors)
    return {
        "description": description,
        "life_domain": life_domain,
        "why_it_matters": why_it_matters,
        "owner": owner,
        "target_date": target_date,
        "uses_gas": uses_gas,
        "gas_weight": gas_weight,
        "_gas_levels": levels,
    }


def goal_create(
    *,
    actor,
    person,
    description: str,
    life_domain: str,
    why_it_matters: str = "",
    owner: str = "person",
    decision=None,
    lifecycle_status: str = "proposed",
    target_date=None,
    uses_gas: bool = False,
    gas_weight: int = 1,
    gas_levels: dict[int, str] | None = None,
) -> Goal:
    """Set a goal in the person's own words. The person may only propose (status proposed).

    With ``uses_gas`` the five GAS levels (-2..+2) must all be described.
    """
    access.require(actor, person, GOALS, Action.CREATE, object_type=GOAL)
    data = _clean_goal(
        description=description,
        life_domain=life_domain,
        why_it_matters=why_it_matters,
        owner=owner,
        target_date=target_date,
        uses_gas=uses_gas,
        gas_weight=gas_weight,
        gas_levels=gas_levels,
        check_gas_levels=True,
    )
    levels = data.pop("_gas_levels")
    start_statuses = {Goal.LifecycleStatus.PROPOSED, Goal.LifecycleStatus.ACTIVE}
    if lifecycle_status not in start_statuses:
        raise ValidationError({"lifecycle_status": [_("Een nieuw doel is voorgesteld of actief.")]})
    is_self = access.relationship_of(actor, person) == access.Relationship.SELF
    if is_self and lifecycle_status != Goal.LifecycleStatus.PROPOSED:
        raise ValidationError(
            {"lifecycle_status": [_("U stelt een doel voor; samen met uw zorgverlener maakt u het actief.")]}
        )
    if decision is not None and decision.person_id != person.pk:
        raise ValidationError({"decision": [_("Dit besluit hoort niet bij deze persoon.")]})
    now = timezone.now()
    active = lifecycle_status == Goal.LifecycleStatus.ACTIVE
    with transaction.atomic():
        goal = Goal.objects.create(
            person=person,
            decision=decision,
            lifecycle_status=lifecycle_status,
            achievement_status=Goal.AchievementStatus.IN_PROGRESS if active else "",
            start_date=timezone.localdate() if active else None,
            created_by=actor,
            **data,
        )
        GoalStatusChange.objects.create(
            goal=goal,
            lifecycle_status=goal.lifecycle_status,
            achievement_status=goal.achievement_status,
            changed_by=actor,
            changed_at=now,
        )
        if goal.uses_gas:
            GasLevel.objects.bulk_create(
                GasLevel(goal=goal, level=level, description=text) for level, text in sorted(levels.items())
            )
        access.record(actor, person, Action.CREATE, goal)
        care_plan_record_change(
            actor=actor, person=person, summary=_("Doel toegevoegd: %(what)s") % {"what": _short(goal.description)}
        )
    return goal
