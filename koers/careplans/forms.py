"""Forms of the care plan: parse input only; the services validate and write."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.careplans.models import CarePlanSignOff, FollowUpAgreement
from koers.lib.dates import moment_text


class FollowUpForm(forms.Form):
    what = forms.CharField(
        label=_("Wat bekijken we?"),
        max_length=FollowUpAgreement._meta.get_field("what").max_length,
        help_text=_("Bijvoorbeeld: hoe het gaat met slapen, of de bloeddruk."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    who = forms.CharField(
        label=_("Wie doet het?"),
        max_length=FollowUpAgreement._meta.get_field("who").max_length,
        help_text=_("Bijvoorbeeld: Noor (praktijkondersteuner) en Anna samen."),
    )
    method = forms.ChoiceField(
        label=_("Hoe?"),
        choices=FollowUpAgreement.Method.choices,
        initial=FollowUpAgreement.Method.CONSULT,
        widget=forms.RadioSelect,
    )
    # "Hoe vaak?" is not asked here: the rhythm is agreed in one place, the rhythm page
    # (koers.followup), with Koers's suggestion from the support level.
    next_date = forms.DateField(
        label=_("Volgende keer"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een geldige datum in, bijvoorbeeld 31-12-2026.")},
    )

    def __init__(self, *args, previous_next_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous_next_date = previous_next_date
        self.fields["what"].error_messages["required"] = _("Schrijf op wat u samen gaat bekijken.")
        self.fields["who"].error_messages["required"] = _("Schrijf op wie het doet.")
        self.fields["method"].error_messages["required"] = _("Kies hoe u het doet.")
        self.fields["method"].error_messages["invalid_choice"] = _("Kies hoe u het doet.")
        self.fields["next_date"].input_formats = ["%Y-%m-%d", "%d-%m-%Y"]
        for name in ("what", "who"):
            self.fields[name].error_messages["max_length"] = _(
                "Dit is te lang. Gebruik hoogstens %(limit_value)d tekens (nu %(show_value)d)."
            )

    def clean_next_date(self):
        """Early, friendly feedback (the service checks the same): not in the past, unless unchanged."""
        value = self.cleaned_data.get("next_date")
        if value and value < timezone.localdate() and value != self.previous_next_date:
            raise forms.ValidationError(_("De volgende keer kan niet in het verleden liggen."))
        return value


MAX_NUMBER = 2**31 - 1  # a version number beyond any database integer is simply unknown


def _when(moment) -> str:
    return moment_text(moment)


def _label(number, moment, agreed=False) -> str:
    if agreed:
        return _("versie %(number)s (%(date)s, afgesproken)") % {"number": number, "date": _when(moment)}
    return _("versie %(number)s (%(date)s)") % {"number": number, "date": _when(moment)}


class CompareForm(forms.Form):
    """Two version numbers from the query string (?van=N&naar=M)."""

    van = forms.IntegerField(label=_("Van versie"), min_value=1, max_value=MAX_NUMBER)
    naar = forms.IntegerField(label=_("Naar versie"), min_value=1, max_value=MAX_NUMBER)

    def __init__(self, *args, numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, _label(n, d, *agreed)) for n, d, *agreed in numbers]
        for name in ("van", "naar"):
            field = self.fields[name]
            field.widget = forms.Select(choices=choices)
            field.error_messages["required"] = _("Kies een versie.")
            field.error_messages["invalid"] = _("Dit is geen versienummer. Kies een versie uit de lijst.")
            field.error_messages["min_value"] = _("Dit versienummer bestaat niet. Kies een versie uit de lijst.")
            field.error_messages["max_value"] = field.error_messages["min_value"]


class SaveVersionForm(forms.Form):
    summary = forms.CharField(
        label=_("Wat hebben jullie afgesproken?"),
        max_length=300,
        required=False,
        help_text=_("Een korte zin, bijvoorbeeld: wat belangrijk is, is aangepast. Mag leeg blijven."),
    )


class SignOffForm(forms.Form):
    """The person's word on the current version of their plan (``signoff.care_plan_sign_off``):
    which button was pressed, the version the page showed, and their comment."""

    number = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_NUMBER)
    answer = forms.ChoiceField(choices=CarePlanSignOff.Answer.choices, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Uw opmerking over deze versie"),
        help_text=_("Bijvoorbeeld wat u anders wilt, of wat u nog wilt bespreken. Uw zorgverlener leest het."),
        max_length=CarePlanSignOff._meta.get_field("comment").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
