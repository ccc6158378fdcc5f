"""What the monitoring forms share: how a measurement type is asked (its label, anchors, units),
the moment field, and radio buttons that the error summary can link to."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.monitoring import catalogue
from koers.monitoring.models import MeasurementType

INVALID_CHOICE = {"invalid_choice": _("Kies een van de mogelijkheden.")}
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%d-%m-%Y"]


class Radios(forms.RadioSelect):
    """Radio buttons whose field id is the first option's id, so the shared error summary's
    link (``#{{ field.id_for_label }}``) lands on the group."""

    def id_for_label(self, id_, index=None):
        if index is None and id_:
            return f"{id_}_0"
        return super().id_for_label(id_, index)


def type_label(mtype: MeasurementType) -> str:
    return str(catalogue.label(mtype))


def type_anchors(mtype: MeasurementType) -> tuple[str, str]:
    low, high = catalogue.anchors(mtype) or ("", "")
    return str(low or ""), str(high or "")


def input_units(mtype: MeasurementType) -> list[tuple[str, str]]:
    """(UCUM code, what people read) of the units a value may be entered in; canonical first.

    One choice per conversion: spellings of the same unit that device exports use (lb, lbs,
    [lb_av]; mmHg, mm[Hg]) are accepted on import but would only clutter a choice list."""
    factors = catalogue.spec(mtype).accepted_units
    seen: set[float] = set()
    choices = []
    for code in catalogue.accepted_units(mtype):
        factor = factors.get(code, 1.0)
        if factor not in seen:
            seen.add(factor)
            choices.append((code, catalogue.input_unit_label(code)))
    return choices


def now_local() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def moment_field(**kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=_("Wanneer?"),
        help_text=_("Staat op nu. Verander het als u iets van eerder invult."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=DATETIME_FORMATS,
        error_messages={
            "required": _("Vul in wanneer het was."),
            "invalid": _("Vul een datum en tijd in, bijvoorbeeld 14-03-2026 09:30."),
        },
        **kwargs,
    )
