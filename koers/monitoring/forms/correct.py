"""The form for correcting one stored value (``views.correct``): the value, its unit, the note.

The moment stays as it was (``services.observation_correct`` keeps it). The form only parses;
the service converts the unit, checks the plausible range and decides.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.monitoring import catalogue
from koers.monitoring.forms.fields import INVALID_CHOICE, Radios, input_units, type_anchors, type_label
from koers.monitoring.models import MeasurementType, Observation

NOTE_MAX = Observation._meta.get_field("note").max_length
EXTRA_DECIMALS = 2  # a value converted from another unit shows a little more than the usual decimals


def value_text(observation: Observation) -> str:
    """The stored value as the form shows it (canonical unit, Dutch decimal comma)."""
    mtype = observation.type
    if mtype.scale == MeasurementType.Scale.NUMBER:
        return catalogue.fmt(observation.value, mtype.decimals + EXTRA_DECIMALS)
    return str(round(observation.value))


class CorrectionForm(forms.Form):
    """``value`` like the quick entry asks it (0–10 radios, 0–100, or a number with a unit
    choice), required here; ``unit`` only where more than one unit is accepted; ``note``."""

    def __init__(self, *args, observation: Observation, **kwargs):
        mtype = observation.type
        self.mtype = mtype
        self.units = input_units(mtype)
        self.canonical = self.units[0][0]
        initial = {"value": value_text(observation), "note": observation.note}
        if len(self.units) > 1:
            initial["unit"] = self.canonical
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["value"] = self._value_field(mtype)
        if len(self.units) > 1:
            self.fields["unit"] = forms.ChoiceField(
                label=_("Eenheid"),
                choices=self.units,
                required=False,  # not sent: the usual unit
                error_messages=INVALID_CHOICE,
            )
        self.fields["note"] = forms.CharField(
            label=_("Toelichting"),
            help_text=_("Bijvoorbeeld wat er gebeurde. U hoeft niets te schrijven."),
            max_length=NOTE_MAX,
            required=False,
            widget=forms.TextInput,
            error_messages={"max_length": _("Dit is te lang. Gebruik hoogstens %(limit_value)d tekens.")},
        )

    def _value_field(self, mtype: MeasurementType) -> forms.Field:
        low, high = type_anchors(mtype)
        if mtype.scale == MeasurementType.Scale.RATING:
            return forms.TypedChoiceField(
                label=_("Nieuwe waarde van %(name)s") % {"name": type_label(mtype)},
                help_text=_("0 is %(low)s, 10 is %(high)s.") % {"low": low, "high": high} if low or high else "",
                choices=[(str(i), str(i)) for i in range(11)],
                coerce=float,
                widget=Radios,
                error_messages={**INVALID_CHOICE, "required": _("Kies een getal van 0 tot 10.")},
            )
        if mtype.scale == MeasurementType.Scale.VAS:
            message = _("Vul een heel getal van 0 tot 100 in.")
            return forms.IntegerField(
                label=_("Nieuwe waarde van %(name)s") % {"name": type_label(mtype)},
                help_text=_("Een getal van 0 tot 100: 0 is %(low)s, 100 is %(high)s.") % {"low": low, "high": high},
                min_value=0,
                max_value=100,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 100}),
                error_messages={"required": message, "invalid": message, "min_value": message, "max_value": message},
            )
        label = _("Nieuwe waarde van %(name)s") % {"name": type_label(mtype)}
        if len(self.units) == 1:
            label = _("%(name)s (%(unit)s)") % {"name": label, "unit": self.units[0][1]}
        return forms.FloatField(
            label=label,
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            error_messages={
                "required": _("Vul de juiste waarde in."),
                "invalid": _("Vul een getal in, bijvoorbeeld 72,5."),
            },
        )

    def unit(self) -> str | None:
        """The chosen unit, or None for the usual (canonical) one."""
        unit = self.cleaned_data.get("unit") or self.canonical
        return None if unit == self.canonical else unit

    def value_unchanged(self) -> bool:
        """The value field still holds the stored value as shown, in the usual unit."""
        sent = str(self.data.get(self.add_prefix("value"), "")).strip()
        return sent == self.initial["value"] and self.unit() is None
