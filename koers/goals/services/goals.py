"""Writes of goals: set a goal in the person's own words, change it, move it along its lifecycle.

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
from django.utils.translation import gettext_noop

from koers import access
from koers.careplans import kept as careplan_kept
from koers.careplans.changes import plan_change
from koers.careplans.services import care_plan_record_change
from koers.goals.models import GasLevel, Goal, GoalStatusChange, LifeDomain, Responsible
from koers.goals.services.checks import (
    DESCRIPTION_MAX,
    GAS_LEVELS,
    GAS_WEIGHT_MAX,
    GAS_WEIGHT_MIN,
    GOAL,
    GOALS,
    KEEP,
    NOTE_MAX,
    OPEN_STATUSES,
    TRANSITIONS,
    WHY_MAX,
    Achievement,
    Action,
    Status,
    clean_gas_levels,
    clean_int,
    closed_goal_error,
    is_self,
    short,
    too_long,
)
from koers.goals.services.gas import write_gas_levels
from koers.goals.versions import goal_version_record
from koers.lib.problems import problems_of


def _clean_words(*, description, life_domain, why_it_matters, owner, errors: dict) -> tuple[str, str]:
    """The goal in the person's words, its life domain, why it matters and whose it is."""
    description = (description or "").strip()
    why_it_matters = (why_it_matters or "").strip()
    if not description:
        errors["description"] = [_("Schrijf uw doel op, in uw eigen woorden.")]
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = [too_long(DESCRIPTION_MAX)]
    if life_domain not in LifeDomain.values:
        errors["life_domain"] = [_("Kies een levensgebied.")]
    if len(why_it_matters) > WHY_MAX:
        errors["why_it_matters"] = [too_long(WHY_MAX)]
    if owner not in Responsible.values:
        errors["owner"] = [_("Kies van wie dit doel is.")]
    return description, why_it_matters


def _clean_target_date(target_date, *, previous_target_date, errors: dict) -> None:
    """A real date, not in the past (unless it is the date the goal already had)."""
    if target_date is None:
        return
    if not isinstance(target_date, dt.date) or isinstance(target_date, dt.datetime):
        errors["target_date"] = [_("Vul een geldige datum in.")]
    elif target_date < timezone.localdate() and target_date != previous_target_date:
        errors["target_date"] = [_("De streefdatum kan niet in het verleden liggen.")]


def _clean_gas(
    *,
    uses_gas: bool,
    gas_weight,
    gas_levels,
    check_gas_levels: bool,
    gas_baseline,
    require_baseline: bool,
    errors: dict,
) -> tuple[dict[int, str], int | None]:
    """Goal Attainment Scaling: the weight, the five level descriptions and the start level."""
    if isinstance(gas_weight, bool) or not isinstance(gas_weight, int):
        errors["gas_weight"] = [_("Het gewicht is een heel getal van 1 tot en met 10.")]
    elif not GAS_WEIGHT_MIN <= gas_weight <= GAS_WEIGHT_MAX:
        errors["gas_weight"] = [_("Het gewicht is een heel getal van 1 tot en met 10.")]
    levels: dict[int, str] = {}
    if uses_gas and check_gas_levels:
        levels = clean_gas_levels(gas_levels, errors)
    gas_baseline = clean_int(
        gas_baseline if uses_gas else None,
        low=-2,
        high=2,
        field="gas_baseline",
        message=_("Kies een niveau van -2 tot en met +2."),
        errors=errors,
    )
    if uses_gas and require_baseline and gas_baseline is None and "gas_baseline" not in errors:
        errors["gas_baseline"] = [_("Kies waar de cliënt nu staat, op een van de vijf niveaus.")]
    return levels, gas_baseline


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
    gas_baseline=None,
    require_baseline: bool = False,
    previous_target_date=None,
) -> dict:
    """Validate a goal's fields; all problems at once, keyed by field name."""
    errors: dict[str, list[str]] = {}
    description, why_it_matters = _clean_words(
        description=description, life_domain=life_domain, why_it_matters=why_it_matters, owner=owner, errors=errors
    )
    _clean_target_date(target_date, previous_target_date=previous_target_date, errors=errors)
    uses_gas = bool(uses_gas)
    levels, gas_baseline = _clean_gas(
        uses_gas=uses_gas,
        gas_weight=gas_weight,
        gas_levels=gas_levels,
        check_gas_levels=check_gas_levels,
        gas_baseline=gas_baseline,
        require_baseline=require_baseline,
        errors=errors,
    )
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
        "gas_baseline": gas_baseline,
        "_gas_levels": levels,
    }


def _check_start(*, actor, person, lifecycle_status: str, decision) -> None:
    """A new goal is proposed or active (the person only proposes), from a decision of this person."""
    start_statuses = {Goal.LifecycleStatus.PROPOSED, Goal.LifecycleStatus.ACTIVE}
    if lifecycle_status not in start_statuses:
        raise ValidationError({"lifecycle_status": [_("Een nieuw doel is voorgesteld of actief.")]})
    is_self_actor = access.relationship_of(actor, person) == access.Relationship.SELF
    if is_self_actor and lifecycle_status != Goal.LifecycleStatus.PROPOSED:
        raise ValidationError(
            {"lifecycle_status": [_("U stelt een doel voor; samen met uw zorgverlener maakt u het actief.")]}
        )
    if decision is not None and decision.person_id != person.pk:
        raise ValidationError({"decision": [_("Dit besluit hoort niet bij deze persoon.")]})


def _write_new_goal(*, actor, person, data: dict, levels: dict[int, str], decision, lifecycle_status: str) -> Goal:
    """The goal row, its first status-history row and (with GAS) its five level descriptions."""
    active = lifecycle_status == Goal.LifecycleStatus.ACTIVE
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
        changed_at=timezone.now(),
    )
    if goal.uses_gas:
        GasLevel.objects.bulk_create(
            GasLevel(goal=goal, level=level, description=text) for level, text in sorted(levels.items())
        )
        careplan_kept.rows_written([goal.person_id])  # bulk_create sends no signals
    goal_version_record(goal)
    return goal


def goal_problems(*, lifecycle_status=None, **values) -> dict[str, list[str]]:
    """What ``goal_create`` would refuse in these values (its keyword arguments but the actor, the
    person and the decision), found without writing (a form that found problems of its own shows
    these beside them: ``lib.forms.add_problems_beside``). The status is checked against the actor
    when writing; there is nothing to say about it beforehand."""
    return problems_of(_clean_goal, check_gas_levels=True, **values)


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
    gas_baseline: int | None = None,
) -> Goal:
    """Set a goal in the person's own words. The person may only propose (status proposed).

    With ``uses_gas`` the five GAS levels (-2..+2) must all be described, and
    ``gas_baseline`` says on which of them the person starts (−2..+2). A goal made from a
    shared decision (``decision``) with GAS needs that start: attainment is read from it.
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
        gas_baseline=gas_baseline,
        require_baseline=decision is not None,
    )
    levels = data.pop("_gas_levels")
    _check_start(actor=actor, person=person, lifecycle_status=lifecycle_status, decision=decision)
    with transaction.atomic():
        goal = _write_new_goal(
            actor=actor, person=person, data=data, levels=levels, decision=decision, lifecycle_status=lifecycle_status
        )
        access.record(actor, person, Action.CREATE, goal)
        care_plan_record_change(
            actor=actor,
            person=person,
            summary=plan_change(gettext_noop("Doel toegevoegd: %(what)s"), what=short(goal.description)),
        )
    return goal


def _as_it_is(goal: Goal, *, uses_gas, gas_levels, gas_baseline) -> dict:
    """What checking a change of ``goal`` takes from the goal as it is: its five levels need
    writing only when GAS is switched on without them, its start level stays unless given (KEEP),
    and its own target date stays acceptable once passed."""
    has_levels = GasLevel.objects.filter(goal=goal).count() == len(GAS_LEVELS)
    return {
        "check_gas_levels": bool(uses_gas) and (gas_levels is not None or not has_levels),
        "gas_baseline": goal.gas_baseline if gas_baseline is KEEP else gas_baseline,
        "previous_target_date": goal.target_date,
    }


def goal_update_problems(*, goal: Goal, uses_gas=False, gas_levels=None, gas_baseline=KEEP, **values):
    """What ``goal_update`` would refuse in these values (its keyword arguments but the actor),
    found without writing, like ``goal_problems``; whether the goal may still be changed is
    checked when writing."""
    kept = _as_it_is(goal, uses_gas=uses_gas, gas_levels=gas_levels, gas_baseline=gas_baseline)
    return problems_of(_clean_goal, uses_gas=uses_gas, gas_levels=gas_levels, **values, **kept)


def goal_update(
    *,
    actor,
    goal: Goal,
    description: str,
    life_domain: str,
    why_it_matters: str = "",
    owner: str = "person",
    target_date=None,
    uses_gas: bool = False,
    gas_weight: int = 1,
    gas_levels: dict[int, str] | None = None,
    gas_baseline=KEEP,
) -> Goal:
    """Change an open goal. The person may change a goal only while it is still a proposal.

    Switching GAS on needs the five level descriptions (``gas_levels``) unless the goal has
    them; given ``gas_levels`` replace the descriptions. ``gas_baseline`` (the start level)
    stays as it is unless given.
    """
    person = goal.person
    access.require(actor, person, GOALS, Action.UPDATE, object_type=GOAL, object_id=goal.pk)
    if goal.lifecycle_status not in OPEN_STATUSES:
        raise closed_goal_error()
    if is_self(actor, person) and goal.lifecycle_status != Status.PROPOSED:
        raise ValidationError(_("U kunt dit doel niet meer zelf wijzigen. Bespreek het met uw zorgverlener."))
    data = _clean_goal(
        description=description,
        life_domain=life_domain,
        why_it_matters=why_it_matters,
        owner=owner,
        target_date=target_date,
        uses_gas=uses_gas,
        gas_weight=gas_weight,
        gas_levels=gas_levels,
        **_as_it_is(goal, uses_gas=uses_gas, gas_levels=gas_levels, gas_baseline=gas_baseline),
    )
    levels = data.pop("_gas_levels")
    with transaction.atomic():
        locked = Goal.objects.select_for_update().get(pk=goal.pk)
        if locked.lifecycle_status not in OPEN_STATUSES:
            raise closed_goal_error()
        for field, value in data.items():
            setattr(locked, field, value)
        locked.save(update_fields=[*data, "updated_at"])
        if levels:
            write_gas_levels(locked, levels)
        goal_version_record(locked)
        access.record(actor, person, Action.UPDATE, locked)
        care_plan_record_change(
            actor=actor,
            person=person,
            summary=plan_change(gettext_noop("Doel gewijzigd: %(what)s"), what=short(locked.description)),
        )
    return locked


def _check_transition(current: str, lifecycle_status: str) -> None:
    if lifecycle_status not in Status.values:
        raise ValidationError({"lifecycle_status": [_("Kies een geldige status.")]})
    if lifecycle_status not in TRANSITIONS.get(current, frozenset()):
        raise ValidationError(
            {
                "lifecycle_status": [
                    _("Een doel dat %(current)s is, kan niet %(new)s worden.")
                    % {"current": Status(current).label, "new": Status(lifecycle_status).label}
                ]
            }
        )


def _achievement(lifecycle_status: str, achievement_status: str) -> str:
    """Completing needs achieved or not-achieved; an active or paused goal is in progress."""
    if lifecycle_status == Status.COMPLETED:
        if achievement_status not in (Achievement.ACHIEVED, Achievement.NOT_ACHIEVED):
            raise ValidationError({"achievement_status": [_("Kies of het doel bereikt is of niet.")]})
        return achievement_status
    if lifecycle_status in (Status.ACTIVE, Status.ON_HOLD):
        return Achievement.IN_PROGRESS
    return ""


def goal_set_status(*, actor, goal: Goal, lifecycle_status: str, achievement_status: str = "", note: str = "") -> Goal:
    """Move a goal along its lifecycle (FHIR-like); every change is kept in the status history.

    proposed → active | cancelled; active → on-hold | completed | cancelled;
    on-hold → active | cancelled. Completing needs achieved or not-achieved. The person may
    only withdraw their own proposal (proposed → cancelled).
    """
    person = goal.person
    access.require(actor, person, GOALS, Action.UPDATE, object_type=GOAL, object_id=goal.pk)
    note = (note or "").strip()
    _check_transition(goal.lifecycle_status, lifecycle_status)
    if is_self(actor, person) and not (
        goal.lifecycle_status == Status.PROPOSED and lifecycle_status == Status.CANCELLED
    ):
        raise ValidationError(_("Bespreek met uw zorgverlener of dit doel verandert."))
    achievement = _achievement(lifecycle_status, achievement_status)
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [too_long(NOTE_MAX)]})
    with transaction.atomic():
        locked = Goal.objects.select_for_update().get(pk=goal.pk)
        _check_transition(locked.lifecycle_status, lifecycle_status)
        locked.lifecycle_status = lifecycle_status
        locked.achievement_status = achievement
        fields = ["lifecycle_status", "achievement_status", "updated_at"]
        if lifecycle_status == Status.ACTIVE and locked.start_date is None:
            locked.start_date = timezone.localdate()
            fields.append("start_date")
        locked.save(update_fields=fields)
        goal_version_record(locked)
        GoalStatusChange.objects.create(
            goal=locked,
            lifecycle_status=lifecycle_status,
            achievement_status=achievement,
            note=note,
            changed_by=actor,
            changed_at=timezone.now(),
        )
        access.record(actor, person, Action.UPDATE, locked, detail=f"status:{lifecycle_status}")
        care_plan_record_change(
            actor=actor,
            person=person,
            summary=plan_change(
                gettext_noop("Doel %(status)s: %(what)s"),
                status=Status(lifecycle_status).label,
                what=short(locked.description),
            ),
        )
    return locked
