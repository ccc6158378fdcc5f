"""Fixing a stored value: correct it (the person and the care team) or remove it (the care team).

The moment of a corrected value stays; only its number, unit and note change, checked like a
new value. Removing is for a value entered by mistake; the person corrects instead.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from koers import access
from koers.monitoring.entries import Entry
from koers.monitoring.models import Observation
from koers.monitoring.services.entry import MEASUREMENTS, OBSERVATION, entries_check

Action = access.Action


def observation_correct(
    *, actor, observation: Observation, value, unit: str | None = None, note: str | None = None
) -> Observation:
    """Correct a value (typing error). The person and the care team may; the time stays."""
    person = observation.person
    access.require(actor, person, MEASUREMENTS, Action.UPDATE, object_type=OBSERVATION, object_id=observation.pk)
    entry = Entry(type=observation.type, value=value, unit=unit, effective_at=observation.effective_at,
                  note=observation.note if note is None else note, key="value")  # fmt: skip
    # The value being corrected is itself "at that moment": only number/unit/range errors count.
    checked = entries_check(
        person=person, entries=[entry], on_existing="ignore", known={observation.type.code: observation.type}
    )
    if checked.errors:
        raise ValidationError({"value": [e["message"] for e in checked.errors]})
    number = checked.rows[0].value
    with transaction.atomic():
        locked = Observation.objects.select_for_update().get(pk=observation.pk)
        before = locked.value
        locked.value = round(number, 6)
        locked.note = (entry.note or "").strip()
        locked.save(update_fields=["value", "note"])
        access.record(actor, person, Action.UPDATE, locked, detail=f"value {before:g} -> {locked.value:g}")
    return locked


def observation_remove(*, actor, observation: Observation) -> None:
    """Remove a value entered by mistake (care team; the person corrects instead)."""
    person = observation.person
    access.require(actor, person, MEASUREMENTS, Action.DELETE, object_type=OBSERVATION, object_id=observation.pk)
    with transaction.atomic():
        access.record(actor, person, Action.DELETE, observation)
        observation.delete()
