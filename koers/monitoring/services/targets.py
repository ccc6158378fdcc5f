"""Targets: what the professional and the person agreed about one type, and what is signalled.

Part of the measurement plan (``access.Category.MEASUREMENT_PLAN``): the care team writes it,
the person reads it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from koers import access
from koers.lib.problems import problems_of
from koers.monitoring import catalogue
from koers.monitoring.models import Target
from koers.monitoring.selectors import types_by_code
from koers.monitoring.services.entry import resolve_type, too_long

Action = access.Action
MEASUREMENT_PLAN = access.Category.MEASUREMENT_PLAN
TARGET = "monitoring.Target"
TARGET_NOTE_MAX = Target._meta.get_field("note").max_length


def _bound(raw, spec, errors, name) -> float | None:
    if raw in (None, ""):
        return None
    try:
        number = catalogue.to_number(raw)
    except ValueError:
        errors[name] = [_("Vul een getal in, bijvoorbeeld 5,4.")]
        return None
    if not spec.low <= number <= spec.high:
        errors[name] = [
            _("Dit getal kan niet kloppen voor deze meting (tussen %(low)s en %(high)s).")
            % {"low": catalogue.fmt(spec.low, spec.decimals), "high": catalogue.fmt(spec.high, spec.decimals)}
        ]
        return None
    return number


def _target_fields(*, person, type, low, high, note) -> dict:
    """The agreement's own fields, each checked on its own: all problems at once."""
    mtype = resolve_type(person, type, types_by_code(person))
    if mtype is None:
        raise ValidationError({"type": [_("Kies een meting.")]})
    spec = catalogue.spec(mtype)
    errors: dict[str, list[str]] = {}
    low_v = _bound(low, spec, errors, "low")
    high_v = _bound(high, spec, errors, "high")
    note = (note or "").strip()
    if len(note) > TARGET_NOTE_MAX:
        errors["note"] = [too_long(TARGET_NOTE_MAX)]
    if errors:
        raise ValidationError(errors)
    return {"type": mtype, "low": low_v, "high": high_v, "note": note}


def _check_together(*, low, high, signal_target, signal_usual) -> None:
    """What needs both bounds read: the lower below the upper, and a bound for what is signalled."""
    if low is not None and high is not None and low >= high:
        raise ValidationError({"low": [_("De ondergrens moet lager zijn dan de bovengrens.")]})
    if low is None and high is None and not signal_usual:
        raise ValidationError(
            {
                "high": [
                    _(
                        "Vul een ondergrens, een bovengrens of allebei in, "
                        "of laat weten bij waarden ver buiten het gewone."
                    )
                ]
            }
        )
    if signal_target and low is None and high is None:
        raise ValidationError(
            {"signal_target": [_("Zonder grens kan Koers niet laten weten wanneer een waarde erbuiten valt.")]}
        )


def target_problems(*, person, type, low=None, high=None, note="", **_choices) -> dict[str, list[str]]:
    """What ``target_set`` would refuse in these fields each on its own, found without writing (a
    form that found problems of its own shows these beside them: ``lib.forms.add_problems_beside``).
    What needs both bounds waits until the form could read both."""
    return problems_of(_target_fields, person=person, type=type, low=low, high=high, note=note)


def target_set(
    *,
    actor,
    person,
    type,
    low=None,
    high=None,
    signal_target: bool = False,
    signal_usual: bool = False,
    agreed_with_person: bool = False,
    note: str = "",
) -> Target:
    """What the professional and the person agreed about one type: a target range (either bound
    may be open) and whether values outside it, or far outside the usual, are signalled to the
    care team. Care team only; replaces an earlier agreement."""
    access.require(actor, person, MEASUREMENT_PLAN, Action.UPDATE, object_type=TARGET)
    fields = _target_fields(person=person, type=type, low=low, high=high, note=note)
    mtype, low_v, high_v, note = fields["type"], fields["low"], fields["high"], fields["note"]
    _check_together(low=low_v, high=high_v, signal_target=signal_target, signal_usual=signal_usual)
    with transaction.atomic():
        target, _created = Target.objects.update_or_create(
            person=person,
            type=mtype,
            defaults={
                "low": low_v,
                "high": high_v,
                "signal_target": bool(signal_target),
                "signal_usual": bool(signal_usual),
                "agreed_with_person": bool(agreed_with_person),
                "note": note,
                "set_by": actor,
            },
        )
        access.record(actor, person, Action.UPDATE, target)
    return target


def target_remove(*, actor, target: Target) -> None:
    """End an agreement about one type (care team only); its values stay."""
    person = target.person
    access.require(actor, person, MEASUREMENT_PLAN, Action.DELETE, object_type=TARGET)
    with transaction.atomic():
        access.record(actor, person, Action.DELETE, target)
        target.delete()
