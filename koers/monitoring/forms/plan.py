"""The measurement plan (the care team's): a target for one item, and a treatment-change mark."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TargetForm(forms.Form):
    low = forms.FloatField(
        label=_("Ondergrens"),
        required=False,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"invalid": _("Vul een getal in, bijvoorbeeld 4,5.")},
    )
    high = forms.FloatField(
        label=_("Bovengrens"),
        required=False,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"invalid": _("Vul een getal in, bijvoorbeeld 7,5.")},
    )
    signal_target = forms.BooleanField(
        label=_("Zorgteam laten weten als een waarde buiten het streefgebied valt"), required=False
    )
    signal_usual = forms.BooleanField(
        label=_("Zorgteam laten weten als een waarde ver buiten het gewone van deze persoon valt"), required=False
    )
    agreed_with_person = forms.BooleanField(label=_("Dit is samen met de cliënt afgesproken"), required=False)
    note = forms.CharField(label=_("Toelichting"), max_length=300, required=False, widget=forms.TextInput)


class PhaseForm(forms.Form):
    starts_on = forms.DateField(
        label=_("Vanaf welke dag?"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"required": _("Vul een datum in."), "invalid": _("Vul een datum in, bijvoorbeeld 01-03-2026.")},
    )
    label = forms.CharField(
        label=_("Wat veranderde er?"),
        help_text=_("Bijvoorbeeld: start sertraline 50 mg, of: start slaaptraining."),
        max_length=200,
        error_messages={"required": _("Schrijf op wat er veranderde.")},
    )
    note = forms.CharField(
        label=_("Toelichting"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    link = forms.ChoiceField(
        label=_("Hoort bij (niet verplicht)"),
        help_text=_("Het medicijn of het gezamenlijke besluit waar deze verandering over gaat."),
        required=False,
        error_messages={"invalid_choice": _("Kies een medicijn of besluit uit de lijst.")},
    )

    def __init__(self, *args, medications=(), decisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Nergens bij"))]
        if medications:
            choices.append(
                (
                    _("Medicijnen"),
                    [(f"medication:{m.pk}", " ".join(filter(None, [m.name, m.dosage]))) for m in medications],
                )
            )
        if decisions:
            choices.append((_("Gezamenlijke besluiten"), [(f"decision:{d.pk}", d.question) for d in decisions]))
        self.fields["link"].choices = choices

    def service_data(self) -> dict:
        """The cleaned data as the service takes it: ``link`` becomes ``medication``/``decision`` ids."""
        data = dict(self.cleaned_data)
        kind, _sep, pk = data.pop("link", "").partition(":")
        if kind in {"medication", "decision"}:
            data[kind] = int(pk)
        return data
