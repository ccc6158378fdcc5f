"""Entering values: the quick-entry form and the form for an own item.

Quick entry is one form with a field per measurement type (``v_<code>``, and ``u_<code>`` for
the unit where more than one unit is accepted), so a person answers several diary questions
and a blood pressure in one submit. Everything is optional except that something must be
filled in; the services check units, plausible ranges and duplicate moments.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.monitoring import catalogue
from koers.monitoring.forms.fields import (
    INVALID_CHOICE,
    Radios,
    input_units,
    moment_field,
    now_local,
    type_anchors,
    type_label,
)
from koers.monitoring.models import MeasurementType


class QuickEntryForm(forms.Form):
    """One submit for several items. ``types`` are the MeasurementType rows to ask."""

    def __init__(self, *args, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.types = list(types)
        self.groups: dict[str, list[MeasurementType]] = {"diary": [], "physical": []}
        for mtype in self.types:
            self.fields[f"v_{mtype.code}"] = self._value_field(mtype)
            group = "physical" if mtype.kind == MeasurementType.Kind.PHYSICAL else "diary"
            self.groups[group].append(mtype)
            if group == "physical":
                units = input_units(mtype)
                if len(units) > 1:
                    self.fields[f"u_{mtype.code}"] = forms.ChoiceField(
                        label=_("Eenheid van %(name)s") % {"name": type_label(mtype)},
                        choices=units,
                        initial=units[0][0],
                        required=False,  # not sent: the usual unit
                        error_messages=INVALID_CHOICE,
                    )
        self.fields["effective_at"] = moment_field(initial=now_local)
        self.fields["note"] = forms.CharField(
            label=_("Toelichting"),
            help_text=_("Bijvoorbeeld wat er gebeurde. U hoeft niets te schrijven."),
            max_length=300,
            required=False,
            widget=forms.TextInput,
        )

    def _value_field(self, mtype: MeasurementType) -> forms.Field:
        label = type_label(mtype) if mtype.kind == MeasurementType.Kind.PHYSICAL else catalogue.question(mtype)
        low, high = type_anchors(mtype)
        if mtype.scale == MeasurementType.Scale.RATING:
            help_text = _("0 is %(low)s, 10 is %(high)s.") % {"low": low, "high": high} if low or high else ""
            return forms.TypedChoiceField(
                label=label,
                help_text=help_text,
                choices=[(str(i), str(i)) for i in range(11)],
                coerce=float,
                empty_value=None,
                required=False,
                widget=Radios,
                error_messages=INVALID_CHOICE,
            )
        if mtype.scale == MeasurementType.Scale.VAS:
            help_text = _("Een getal van 0 tot 100: 0 is %(low)s, 100 is %(high)s.") % {"low": low, "high": high}
            return forms.IntegerField(
                label=label,
                help_text=help_text,
                required=False,
                min_value=0,
                max_value=100,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 100}),
                error_messages={
                    "invalid": _("Vul een heel getal van 0 tot 100 in."),
                    "min_value": _("Vul een heel getal van 0 tot 100 in."),
                    "max_value": _("Vul een heel getal van 0 tot 100 in."),
                },
            )
        units = input_units(mtype)
        if len(units) == 1:
            label = _("%(name)s (%(unit)s)") % {"name": label, "unit": units[0][1]}
        return forms.FloatField(
            label=label,
            required=False,
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            error_messages={"invalid": _("Vul een getal in, bijvoorbeeld 72,5.")},
        )

    def value_field(self, mtype):
        return self[f"v_{mtype.code}"]

    def unit_field(self, mtype):
        name = f"u_{mtype.code}"
        return self[name] if name in self.fields else None

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.filled():
            raise forms.ValidationError(_("Vul minstens één vraag in."), code="empty")
        return cleaned

    def filled(self) -> list[tuple[MeasurementType, float, str | None]]:
        """(type, value, unit or None for the canonical unit) of every answered item."""
        found = []
        for mtype in self.types:
            value = self.cleaned_data.get(f"v_{mtype.code}")
            if value is None or value == "":
                continue
            unit = self.cleaned_data.get(f"u_{mtype.code}") or None
            found.append((mtype, float(value), unit))
        return found

    def field_for(self, key: str) -> str:
        """The field a service error keyed by a type code, an entry index or a field name belongs to."""
        if f"v_{key}" in self.fields:
            return f"v_{key}"
        if key.isdigit():
            answered = self.filled() if hasattr(self, "cleaned_data") else []
            if int(key) < len(answered):
                return f"v_{answered[int(key)][0].code}"
        return key


class CustomTypeForm(forms.Form):
    """A person's own item, worded together ("Hoeveel last had ik van de stemmen?")."""

    name = forms.CharField(
        label=_("Uw vraag"),
        help_text=_("Schrijf de vraag zoals u hem elke keer wilt lezen."),
        max_length=200,
        error_messages={"required": _("Schrijf de vraag op.")},
    )
    scale = forms.ChoiceField(
        label=_("Hoe wilt u antwoorden?"),
        choices=[
            (MeasurementType.Scale.RATING, _("Met een getal van 0 tot 10")),
            (MeasurementType.Scale.VAS, _("Met een getal van 0 tot 100")),
        ],
        initial=MeasurementType.Scale.RATING,
        widget=Radios,
        error_messages=INVALID_CHOICE,
    )
    anchor_low = forms.CharField(
        label=_("Wat betekent het laagste getal?"),
        help_text=_("Bijvoorbeeld: helemaal geen last."),
        max_length=80,
        error_messages={"required": _("Schrijf op wat het laagste getal betekent.")},
    )
    anchor_high = forms.CharField(
        label=_("Wat betekent het hoogste getal?"),
        help_text=_("Bijvoorbeeld: heel veel last."),
        max_length=80,
        error_messages={"required": _("Schrijf op wat het hoogste getal betekent.")},
    )
