"""Own items: a question the person and professional define together, and stopping one.

Both the person and the care team may define and stop an own item; its values stay.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from koers import access
from koers.monitoring import catalogue
from koers.monitoring.models import MeasurementType
from koers.monitoring.services.entry import MEASUREMENTS, too_long

Action = access.Action
TYPE = "monitoring.MeasurementType"
MAX_CUSTOM_TYPES = 30
NAME_MAX = MeasurementType._meta.get_field("name").max_length
ANCHOR_MAX = MeasurementType._meta.get_field("anchor_low").max_length


def custom_type_create(
    *, actor, person, name: str, scale: str = MeasurementType.Scale.RATING, anchor_low: str = "", anchor_high: str = ""
) -> MeasurementType:
    """An own item that the person and professional define together ("how much did the voices
    bother me"), rated 0-10 (or 0-100 on a slider). Both the person and the care team may."""
    access.require(actor, person, MEASUREMENTS, Action.CREATE, object_type=TYPE)
    errors: dict[str, list[str]] = {}
    name = " ".join((name or "").split())
    anchor_low, anchor_high = (anchor_low or "").strip(), (anchor_high or "").strip()
    if not name:
        errors["name"] = [_("Schrijf op wat u wilt bijhouden, bijvoorbeeld: Hoeveel last had ik van de stemmen?")]
    elif len(name) > NAME_MAX:
        errors["name"] = [too_long(NAME_MAX)]
    elif MeasurementType.objects.filter(person=person, active=True, name__iexact=name).exists():
        errors["name"] = [_("Deze vraag houdt u al bij.")]
    if scale not in (MeasurementType.Scale.RATING, MeasurementType.Scale.VAS):
        errors["scale"] = [_("Kies een schaal van 0 tot 10 of van 0 tot 100.")]
    for field_name, text in (("anchor_low", anchor_low), ("anchor_high", anchor_high)):
        if len(text) > ANCHOR_MAX:
            errors[field_name] = [too_long(ANCHOR_MAX)]
    if not errors and MeasurementType.objects.filter(person=person, active=True).count() >= MAX_CUSTOM_TYPES:
        errors["name"] = [_("U houdt al %(max)d eigen vragen bij. Zet er eerst een stop.") % {"max": MAX_CUSTOM_TYPES}]
    if errors:
        raise ValidationError(errors)
    high = 10.0 if scale == MeasurementType.Scale.RATING else 100.0
    with transaction.atomic():
        mtype = MeasurementType.objects.create(
            code="custom-new",
            kind=MeasurementType.Kind.CUSTOM,
            scale=scale,
            unit=catalogue.SCORE_UNIT,
            plausible_low=0.0,
            plausible_high=high,
            decimals=0,
            higher_is_better=None,
            person=person,
            name=name,
            anchor_low=anchor_low,
            anchor_high=anchor_high,
            created_by=actor,
        )
        mtype.code = f"custom-{mtype.pk}"
        mtype.save(update_fields=["code"])
        access.record(actor, person, Action.CREATE, mtype)
    return mtype


def custom_type_retire(*, actor, mtype: MeasurementType) -> MeasurementType:
    """Stop an own item: no longer asked or offered; its values stay and can still be seen."""
    person = mtype.person
    if person is None:
        raise ValidationError(_("Alleen eigen vragen kunnen worden gestopt."))
    access.require(actor, person, MEASUREMENTS, Action.UPDATE, object_type=TYPE, object_id=mtype.pk)
    with transaction.atomic():
        mtype.active = False
        mtype.save(update_fields=["active"])
        access.record(actor, person, Action.UPDATE, mtype, detail="retired")
    return mtype
