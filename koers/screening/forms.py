"""Forms of the screening app: parse input only; the services validate and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from koers.lib.forms import add_service_error  # noqa: F401 - the views use forms.add_service_error
from koers.screening import targets
from koers.screening.letter import NAMES
from koers.screening.models import LabLetter, SomaticScreening

DATE_INVALID = _("Vul een geldige datum in, bijvoorbeeld 31-12-2026.")
TOO_LONG = _("Dit is te lang. Gebruik hoogstens %(limit_value)d tekens.")


def measure_choices(*, entered_only: bool = False):
    return [(m.code, NAMES[m.code]) for m in targets.measures().values() if not (entered_only and m.derived)]


def unit_choices():
    units = []
    for m in targets.measures().values():
        for unit in m.accepted_units:
            if unit not in units:
                units.append(unit)
    return [(u, u) for u in units]


def _date(label, *, required=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"invalid": DATE_INVALID, "required": _("Vul een datum in.")},
    )


class MeasurementForm(forms.Form):
    measure = forms.ChoiceField(
        label=_("Wat is gemeten?"), choices=(), error_messages={"invalid_choice": _("Kies wat er gemeten is.")}
    )
    value = forms.CharField(
        label=_("Waarde"),
        max_length=50,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Een getal, bijvoorbeeld 5,4."),
        error_messages={"required": _("Vul een waarde in."), "max_length": TOO_LONG},
    )
    unit = forms.ChoiceField(
        label=_("Eenheid"),
        choices=(),
        help_text=_("Gewicht in kg, lengte en buikomvang in cm, bloeddruk in mm[Hg], bloedwaarden in mmol/L."),
        error_messages={"invalid_choice": _("Kies een eenheid.")},
    )
    taken_at = _date(_("Datum van de meting"))
    for_screening = forms.BooleanField(label=_("Hoort bij de jaarlijkse lichamelijke controle"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = measure_choices(entered_only=True)
        self.fields["unit"].choices = unit_choices()


class ImportForm(forms.Form):
    payload = forms.CharField(
        label=_("FHIR Observation of Bundle (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Plak hier de uitslagen uit het laboratorium of het huisartssysteem."),
    )
    file = forms.FileField(label=_("Of kies een bestand"), required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > 1_000_000:
                raise ValidationError(_("Het bestand is te groot (hoogstens 1 MB)."))
            try:
                data["payload"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise ValidationError(_("Dit bestand is geen tekst (UTF-8).")) from None
        if not (data.get("payload") or "").strip():
            raise ValidationError(_("Plak de uitslagen of kies een bestand."))
        return data


class TargetForm(forms.Form):
    measure = forms.ChoiceField(label=_("Meting"), choices=(), error_messages={"invalid_choice": _("Kies een meting.")})
    low = forms.CharField(label=_("Ondergrens (in de eenheid van de meting)"), required=False, max_length=20)
    high = forms.CharField(label=_("Bovengrens (in de eenheid van de meting)"), required=False, max_length=20)
    reason = forms.CharField(
        label=_("Waarom dit eigen streefdoel?"), required=False, max_length=300, error_messages={"max_length": TOO_LONG}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [
            (m.code, f"{NAMES[m.code]} ({m.unit})") for m in targets.measures().values() if m.code != "height"
        ]


class PlanForm(forms.Form):
    due_date = _date(_("Wanneer is de controle gepland?"))


class ScreeningForm(forms.Form):
    done_on = _date(_("Gedaan op"))
    side_effects = forms.CharField(
        label=_("Bijwerkingen van medicijnen"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG},
    )
    smoking = forms.ChoiceField(
        label=_("Roken"), choices=SomaticScreening.Smoking.choices, required=False, widget=forms.RadioSelect
    )
    alcohol_units_per_week = forms.IntegerField(
        label=_("Glazen alcohol per week"),
        required=False,
        min_value=0,
        max_value=500,
        error_messages={
            "invalid": _("Vul een aantal glazen per week in (0 of meer)."),
            "min_value": _("Vul een aantal glazen per week in (0 of meer)."),
            "max_value": _("Vul een aantal glazen per week in (0 of meer)."),
        },
    )
    drugs = forms.CharField(label=_("Drugs"), required=False, max_length=300, error_messages={"max_length": TOO_LONG})
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG},
    )


class GoalFromFlagForm(forms.Form):
    measure = forms.ChoiceField(
        label=_("Bij welke uitslag?"), choices=(), error_messages={"invalid_choice": _("Kies een meting.")}
    )
    description = forms.CharField(
        label=_("Het doel, in de woorden van de cliënt"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alleen als de cliënt dit zelf wil. Bijvoorbeeld: ik wil weer een half uur kunnen wandelen."),
        error_messages={"required": _("Schrijf het doel op, in de woorden van de cliënt."), "max_length": TOO_LONG},
    )
    why_it_matters = forms.CharField(
        label=_("Waarom is dit belangrijk voor de cliënt?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": TOO_LONG},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = measure_choices()


class LetterForm(forms.Form):
    title = forms.CharField(
        label=_("Titel"),
        max_length=LabLetter._meta.get_field("title").max_length,
        error_messages={"max_length": TOO_LONG},
    )
    body = forms.CharField(
        label=_("Tekst van de brief"),
        max_length=LabLetter._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_("Lees de brief na. Pas aan wat niet klopt of niet past bij deze cliënt."),
        error_messages={"max_length": TOO_LONG},
    )
