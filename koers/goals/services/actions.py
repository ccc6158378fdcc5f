"""Writes of actions (the concrete steps towards a goal) and of their progress.

Actions are plan content (a new care-plan version); progress is history (none).
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
from koers.goals.models import Action as GoalAction
from koers.goals.models import ActionProgress, Goal, Responsible
from koers.goals.services.checks import (
    ACTION,
    GOALS,
    OPEN_STATUSES,
    PROGRESS,
    Action,
    clean_int,
    closed_goal_error,
    short,
    too_long,
)
from koers.lib.problems import problems_of

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
            errors[name] = [too_long(ACTION_MAX[name])]
        data[name] = text
    if not data["what"] and "what" not in errors:
        errors["what"] = [_("Schrijf op wat u gaat doen.")]
    if responsible not in Responsible.values:
        errors["responsible"] = [_("Kies wie het doet.")]
    data["responsible"] = responsible
    data["confidence"] = clean_int(
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


def action_problems(
    *, action: GoalAction | None = None, confidence=None, responsible="", review_date=None, **texts
) -> dict[str, list[str]]:
    """What ``action_create`` (or, given the ``action``, ``action_update``) would refuse in these
    values (its texts by name), found without writing (a form that found problems of its own shows
    these beside them: ``lib.forms.add_problems_beside``)."""
    return problems_of(
        _clean_action,
        values=texts,
        confidence=confidence,
        responsible=responsible,
        review_date=review_date,
        previous_review_date=action.review_date if action is not None else None,
    )


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
        raise closed_goal_error()
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
            summary=plan_change(gettext_noop("Actie toegevoegd: %(what)s"), what=short(action.what)),
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
            summary=plan_change(gettext_noop("Actie gewijzigd: %(what)s"), what=short(locked.what)),
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
        raise closed_goal_error()
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
                what=short(locked.what),
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
        errors["note"] = [too_long(PROGRESS_NOTE_MAX)]
    confidence = clean_int(
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
