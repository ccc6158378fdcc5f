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
from django.utils.translation import gettext_noop

from koers import access
from koers.careplans.changes import plan_change
from koers.careplans.services import care_plan_record_change
from koers.goals.models import (
    Action as GoalAction,
)
from koers.goals.models import (
    ActionProgress,
    GasLevel,
    Goal,
    GoalReview,
    GoalStatusChange,
    LifeDomain,
    Responsible,
)

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
    gas_baseline=None,
    require_baseline: bool = False,
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
    gas_baseline = _clean_int(
        gas_baseline if uses_gas else None,
        low=-2,
        high=2,
        field="gas_baseline",
        message=_("Kies een niveau van -2 tot en met +2."),
        errors=errors,
    )
    if uses_gas and require_baseline and gas_baseline is None and "gas_baseline" not in errors:
        errors["gas_baseline"] = [_("Kies waar de cliënt nu staat, op een van de vijf niveaus.")]
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
            actor=actor,
            person=person,
            summary=plan_change(gettext_noop("Doel toegevoegd: %(what)s"), what=_short(goal.description)),
        )
    return goal


# --- goals: change, status, GAS levels, review ---------------------------------------------

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


def _is_self(actor, person) -> bool:
    return bool(getattr(actor, "is_person", False)) and person.user_id == actor.pk


def _closed_goal_error() -> ValidationError:
    return ValidationError(_("Dit doel is afgerond of gestopt. U kunt het niet meer wijzigen."))


def _write_gas_levels(goal: Goal, levels: dict[int, str]) -> None:
    existing = {lv.level: lv for lv in GasLevel.objects.filter(goal=goal)}
    for level, text in sorted(levels.items()):
        if level in existing:
            if existing[level].description != text:
                existing[level].description = text
                existing[level].save(update_fields=["description"])
        else:
            GasLevel.objects.create(goal=goal, level=level, description=text)


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
        raise _closed_goal_error()
    if _is_self(actor, person) and goal.lifecycle_status != Status.PROPOSED:
        raise ValidationError(_("U kunt dit doel niet meer zelf wijzigen. Bespreek het met uw zorgverlener."))
    has_levels = GasLevel.objects.filter(goal=goal).count() == len(GAS_LEVELS)
    data = _clean_goal(
        description=description,
        life_domain=life_domain,
        why_it_matters=why_it_matters,
        owner=owner,
        target_date=target_date,
        uses_gas=uses_gas,
        gas_weight=gas_weight,
        gas_levels=gas_levels,
        check_gas_levels=bool(uses_gas) and (gas_levels is not None or not has_levels),
        gas_baseline=goal.gas_baseline if gas_baseline is KEEP else gas_baseline,
        previous_target_date=goal.target_date,
    )
    levels = data.pop("_gas_levels")
    with transaction.atomic():
        locked = Goal.objects.select_for_update().get(pk=goal.pk)
        if locked.lifecycle_status not in OPEN_STATUSES:
            raise _closed_goal_error()
        for field, value in data.items():
            setattr(locked, field, value)
        locked.save(update_fields=[*data, "updated_at"])
        if levels:
            _write_gas_levels(locked, levels)
        access.record(actor, person, Action.UPDATE, locked)
        care_plan_record_change(
            actor=actor,
            person=person,
            summary=plan_change(gettext_noop("Doel gewijzigd: %(what)s"), what=_short(locked.description)),
        )
    return locked


def gas_levels_set(*, actor, goal: Goal, levels: dict[int, str], weight: int | None = None) -> Goal:
    """Describe (or re-describe) the five GAS levels of an open goal and measure it with GAS."""
    person = goal.person
    access.require(actor, person, GOALS, Action.UPDATE, object_type=GOAL, object_id=goal.pk)
    if goal.lifecycle_status not in OPEN_STATUSES:
        raise _closed_goal_error()
    errors: dict[str, list[str]] = {}
    cleaned = _clean_gas_levels(levels, errors)
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
        _write_gas_levels(locked, cleaned)
        access.record(actor, person, Action.UPDATE, locked, detail="gas_levels")
        care_plan_record_change(
            actor=actor,
            person=person,
            summary=plan_change(
                gettext_noop("Niveaus (GAS) vastgelegd voor: %(what)s"), what=_short(locked.description)
            ),
        )
    return locked


def goal_set_status(*, actor, goal: Goal, lifecycle_status: str, achievement_status: str = "", note: str = "") -> Goal:
    """Move a goal along its lifecycle (FHIR-like); every change is kept in the status history.

    proposed → active | cancelled; active → on-hold | completed | cancelled;
    on-hold → active | cancelled. Completing needs achieved or not-achieved. The person may
    only withdraw their own proposal (proposed → cancelled).
    """
    person = goal.person
    access.require(actor, person, GOALS, Action.UPDATE, object_type=GOAL, object_id=goal.pk)
    note = (note or "").strip()

    def check(current: str) -> None:
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

    check(goal.lifecycle_status)
    if _is_self(actor, person) and not (
        goal.lifecycle_status == Status.PROPOSED and lifecycle_status == Status.CANCELLED
    ):
        raise ValidationError(_("Bespreek met uw zorgverlener of dit doel verandert."))
    if lifecycle_status == Status.COMPLETED:
        if achievement_status not in (Achievement.ACHIEVED, Achievement.NOT_ACHIEVED):
            raise ValidationError({"achievement_status": [_("Kies of het doel bereikt is of niet.")]})
        achievement = achievement_status
    elif lifecycle_status in (Status.ACTIVE, Status.ON_HOLD):
        achievement = Achievement.IN_PROGRESS
    else:
        achievement = ""
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [_too_long(NOTE_MAX)]})
    with transaction.atomic():
        locked = Goal.objects.select_for_update().get(pk=goal.pk)
        check(locked.lifecycle_status)
        locked.lifecycle_status = lifecycle_status
        locked.achievement_status = achievement
        fields = ["lifecycle_status", "achievement_status", "updated_at"]
        if lifecycle_status == Status.ACTIVE and locked.start_date is None:
            locked.start_date = timezone.localdate()
            fields.append("start_date")
        locked.save(update_fields=fields)
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
                what=_short(locked.description),
            ),
        )
    return locked


def _clean_int(value, *, low: int, high: int, field: str, message: str, errors: dict):
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors[field] = [message]
        return None
    return value


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
        gas_level = _clean_int(
            gas_level,
            low=-2,
            high=2,
            field="gas_level",
            message=_("Kies een niveau van -2 tot en met +2."),
            errors=errors,
        )
    if len(note) > REVIEW_NOTE_MAX:
        errors["note"] = [_too_long(REVIEW_NOTE_MAX)]
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


# --- actions and progress -------------------------------------------------------------------

ACTION_TEXT_FIELDS = (
    "what",
    "when",
    "how_often",
    "where",
    "with_whom",
    "obstacles",
    "obstacle_plan",
    "responsible_name",
)
ACTION_MAX = {name: GoalAction._meta.get_field(name).max_length for name in ACTION_TEXT_FIELDS}
PROGRESS_NOTE_MAX = ActionProgress._meta.get_field("note").max_length


def _clean_action(*, values: dict, confidence, responsible, review_date, previous_review_date=None) -> dict:
    errors: dict[str, list[str]] = {}
    data: dict = {}
    for name in ACTION_TEXT_FIELDS:
        text = (values.get(name) or "").strip()
        if len(text) > ACTION_MAX[name]:
            errors[name] = [_too_long(ACTION_MAX[name])]
        data[name] = text
    if not data["what"] and "what" not in errors:
        errors["what"] = [_("Schrijf op wat u gaat doen.")]
    if responsible not in Responsible.values:
        errors["responsible"] = [_("Kies wie het doet.")]
    data["responsible"] = responsible
    data["confidence"] = _clean_int(
        confidence,
        low=0,
        high=10,
        field="confidence",
        message=_("Kies een getal van 0 tot en met 10."),
        errors=errors,
    )
    if review_date is not None:
        if not isinstance(review_date, dt.date) or isinstance(review_date, dt.datetime):
            errors["review_date"] = [_("Vul een geldige datum in.")]
        elif review_date < timezone.localdate() and review_date != previous_review_date:
            errors["review_date"] = [_("Deze datum kan niet in het verleden liggen.")]
    data["review_date"] = review_date
    if errors:
        raise ValidationError(errors)
    return data


def action_create(
    *,
    actor,
    goal: Goal,
    what: str,
    when: str = "",
    how_often: str = "",
    where: str = "",
    with_whom: str = "",
    obstacles: str = "",
    obstacle_plan: str = "",
    confidence: int | None = None,
    responsible: str = "person",
    responsible_name: str = "",
    review_date=None,
) -> GoalAction:
    """A concrete step towards an open goal: what, when, how often, with whom, what may get in
    the way and what then, and how sure the person is that it will work (0–10)."""
    person = goal.person
    access.require(actor, person, GOALS, Action.CREATE, object_type=ACTION)
    if goal.lifecycle_status not in OPEN_STATUSES:
        raise _closed_goal_error()
    data = _clean_action(
        values={
            "what": what,
            "when": when,
            "how_often": how_often,
            "where": where,
            "with_whom": with_whom,
            "obstacles": obstacles,
            "obstacle_plan": obstacle_plan,
            "responsible_name": responsible_name,
        },
        confidence=confidence,
        responsible=responsible,
        review_date=review_date,
    )
    with transaction.atomic():
        action = GoalAction.objects.create(person=person, goal=goal, created_by=actor, **data)
        access.record(actor, person, Action.CREATE, action)
        care_plan_record_change(
            actor=actor,
            person=person,
            summary=plan_change(gettext_noop("Actie toegevoegd: %(what)s"), what=_short(action.what)),
        )
    return action


def action_update(
    *,
    actor,
    action: GoalAction,
    what: str,
    when: str = "",
    how_often: str = "",
    where: str = "",
    with_whom: str = "",
    obstacles: str = "",
    obstacle_plan: str = "",
    confidence: int | None = None,
    responsible: str = "person",
    responsible_name: str = "",
    review_date=None,
) -> GoalAction:
    """Change an action that is still going on."""
    person = action.person
    access.require(actor, person, GOALS, Action.UPDATE, object_type=ACTION, object_id=action.pk)
    if action.status != GoalAction.Status.ACTIVE:
        raise ValidationError(_("Deze actie is gedaan of gestopt. Zet hem eerst weer op bezig."))
    data = _clean_action(
        values={
            "what": what,
            "when": when,
            "how_often": how_often,
            "where": where,
            "with_whom": with_whom,
            "obstacles": obstacles,
            "obstacle_plan": obstacle_plan,
            "responsible_name": responsible_name,
        },
        confidence=confidence,
        responsible=responsible,
        review_date=review_date,
        previous_review_date=action.review_date,
    )
    with transaction.atomic():
        locked = GoalAction.objects.select_for_update().get(pk=action.pk)
        if locked.status != GoalAction.Status.ACTIVE:
            raise ValidationError(_("Deze actie is gedaan of gestopt. Zet hem eerst weer op bezig."))
        for field, value in data.items():
            setattr(locked, field, value)
        locked.save(update_fields=[*data, "updated_at"])
        access.record(actor, person, Action.UPDATE, locked)
        care_plan_record_change(
            actor=actor,
            person=person,
            summary=plan_change(gettext_noop("Actie gewijzigd: %(what)s"), what=_short(locked.what)),
        )
    return locked


def action_set_status(*, actor, action: GoalAction, status: str) -> GoalAction:
    """Mark an action done, stopped, or going on again (only while its goal is open)."""
    person = action.person
    access.require(actor, person, GOALS, Action.UPDATE, object_type=ACTION, object_id=action.pk)
    if status not in GoalAction.Status.values:
        raise ValidationError({"status": [_("Kies een geldige status.")]})
    if status == action.status:
        raise ValidationError({"status": [_("De actie heeft deze status al.")]})
    if status == GoalAction.Status.ACTIVE and action.goal.lifecycle_status not in OPEN_STATUSES:
        raise _closed_goal_error()
    with transaction.atomic():
        locked = GoalAction.objects.select_for_update().get(pk=action.pk)
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        access.record(actor, person, Action.UPDATE, locked, detail=f"status:{status}")
        care_plan_record_change(
            actor=actor,
            person=person,
            summary=plan_change(
                gettext_noop("Actie %(status)s: %(what)s"),
                status=GoalAction.Status(status).label,
                what=_short(locked.what),
            ),
        )
    return locked


def action_progress_record(
    *, actor, action: GoalAction, done: bool | None = None, note: str = "", confidence: int | None = None
) -> ActionProgress:
    """How did it go? Noted by the person in the portal or by a professional.

    Progress is history, not plan content: no new care-plan version.
    """
    person = action.person
    access.require(actor, person, GOALS, Action.CREATE, object_type=PROGRESS)
    if action.status != GoalAction.Status.ACTIVE:
        raise ValidationError(_("Deze actie is gedaan of gestopt. U kunt er geen voortgang meer bij schrijven."))
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if done is not None and not isinstance(done, bool):
        errors["done"] = [_("Kies gelukt of niet gelukt.")]
    if len(note) > PROGRESS_NOTE_MAX:
        errors["note"] = [_too_long(PROGRESS_NOTE_MAX)]
    confidence = _clean_int(
        confidence, low=0, high=10, field="confidence", message=_("Kies een getal van 0 tot en met 10."), errors=errors
    )
    if not errors and done is None and not note:
        errors["done"] = [_("Kies gelukt of niet gelukt, of schrijf op hoe het ging.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        progress = ActionProgress.objects.create(
            action=action,
            recorded_at=timezone.now(),
            recorded_by=actor,
            done=done,
            note=note,
            confidence=confidence,
        )
        access.record(actor, person, Action.CREATE, progress)
    return progress
