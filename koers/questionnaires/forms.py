"""Forms of the questionnaires app: parse input only; the services validate and write.

Question fields are built from the instrument's items: a choice item is a group of radios
(fieldset + legend), a number a number input, text a text box. Field names are ``q<index>``
(a linkId may hold characters a field name should not); ``answers()`` maps them back.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.lib.forms import add_service_error  # noqa: F401 - the views use forms.add_service_error
from koers.questionnaires import texts
from koers.questionnaires.models import Assignment, AttentionItem, ImportedInstrument
from koers.questionnaires.own_instruments import IMPORT_MAX_BYTES
from koers.questionnaires.services import NOTE_MAX, TEXT_ANSWER_MAX

TOO_LONG = _("Dit is te lang. Gebruik hoogstens %(limit_value)d tekens.")
DATE_INVALID = _("Vul een geldige datum in, bijvoorbeeld 31-12-2026.")
INTERVALS = tuple(texts.INTERVAL_LABELS.items())


def lang_of(request) -> str:
    return (getattr(request, "LANGUAGE_CODE", None) or "nl").split("-")[0]


class AssignForm(forms.Form):
    instrument_id = forms.ChoiceField(label=_("Vragenlijst"))
    schedule = forms.ChoiceField(
        label=_("Hoe vaak?"),
        choices=Assignment.Schedule.choices,
        initial=Assignment.Schedule.ONCE,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies hoe vaak de vragenlijst ingevuld wordt."),
            "invalid_choice": _("Kies hoe vaak de vragenlijst ingevuld wordt."),
        },
    )
    interval_days = forms.TypedChoiceField(
        label=_("Als het herhaalt: hoe vaak?"),
        choices=[("", _("— kies —")), *INTERVALS],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Kies hoe vaak de vragenlijst terugkomt.")},
    )
    due_date = forms.DateField(
        label=_("Invullen vóór"),
        required=False,
        help_text=_("Niet nodig als de vragenlijst voor elk gesprek terugkomt."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"invalid": DATE_INVALID},
    )
    note = forms.CharField(
        label=_("Toelichting voor de cliënt"),
        help_text=_("De cliënt ziet dit bij de vragenlijst. Bijvoorbeeld: zo zien we samen hoe het gaat."),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": TOO_LONG},
    )

    def __init__(self, *args, available=(), lang="nl", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["instrument_id"]
        field.choices = [("", _("— kies een vragenlijst —"))] + [
            (inst.id, f"{inst.title(lang)}{_(' (eigen licentie)') if imported else ''}") for inst, imported in available
        ]
        field.error_messages["required"] = _("Kies een vragenlijst.")
        field.error_messages["invalid_choice"] = _("Kies een vragenlijst uit de lijst.")
        if not self.is_bound and "due_date" not in self.initial:
            self.initial["due_date"] = timezone.localdate() + dt.timedelta(days=7)


class StartForm(forms.Form):
    """Fill in a questionnaire together with the person now (no assignment needed)."""

    instrument_id = forms.ChoiceField(label=_("Vragenlijst"))

    def __init__(self, *args, available=(), lang="nl", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["instrument_id"]
        field.choices = [("", _("— kies een vragenlijst —"))] + [
            (inst.id, str(inst.title(lang))) for inst, _imported in available
        ]
        field.error_messages["required"] = _("Kies een vragenlijst.")
        field.error_messages["invalid_choice"] = _("Kies een vragenlijst uit de lijst.")
        field.widget.attrs["id"] = "id_start_instrument"


def _question_field(item, lang: str) -> forms.Field:
    kind = item.type
    label = item.text(lang)
    if kind == "choice":
        return forms.ChoiceField(
            label=label,
            choices=[(str(o.code), o.display(lang)) for o in item.options],
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": _("Kies een van de antwoorden.")},
        )
    if kind == "boolean":
        return forms.ChoiceField(
            label=label,
            choices=[("ja", _("Ja")), ("nee", _("Nee"))],
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": _("Kies ja of nee.")},
        )
    if kind in ("integer", "decimal"):
        low, high = item.min_value, item.max_value
        attrs = {"inputmode": "numeric" if kind == "integer" else "decimal"}
        if low is not None:
            attrs["min"] = low
        if high is not None:
            attrs["max"] = high
        # Text, not a number field: the service checks the number, so a bad value gets its message.
        return forms.CharField(label=label, required=False, max_length=30, widget=forms.TextInput(attrs=attrs))
    if kind == "date":
        return forms.CharField(
            label=label, required=False, max_length=10, widget=forms.DateInput(attrs={"type": "date"})
        )
    widget = forms.Textarea(attrs={"rows": 3}) if kind == "text" else forms.TextInput()
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_ANSWER_MAX,
        widget=widget,
        strip=True,
        error_messages={"max_length": TOO_LONG},
    )


class AnswersForm(forms.Form):
    """Some or all questions of an instrument. Every field is optional here: a response in progress
    may be saved half-way; the service says which required questions are still open on completing."""

    def __init__(self, *args, items=(), lang="nl", current=None, authored_at=False, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        self.link_ids: dict[str, str] = {}
        self.items = list(items)
        for index, item in self.items:
            name = f"q{index}"
            self.fields[name] = _question_field(item, lang)
            self.link_ids[name] = item.link_id
            value = current.get(item.link_id)
            if value is not None and not self.is_bound:
                self.initial[name] = ("ja" if value else "nee") if isinstance(value, bool) else str(value)
        if authored_at:
            self.fields["authored_at"] = forms.DateField(
                label=_("Ingevuld op"),
                required=False,
                help_text=_("Alleen nodig als de vragenlijst eerder op papier is ingevuld. Leeg is vandaag."),
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                input_formats=["%Y-%m-%d", "%d-%m-%Y"],
                error_messages={"invalid": DATE_INVALID},
            )

    def question_fields(self):
        return [self[name] for name in self.link_ids]

    def field_for(self, link_id: str) -> str | None:
        for name, known in self.link_ids.items():
            if known == link_id:
                return name
        return None

    def answers(self) -> dict:
        """{linkId: raw answer} for the questions on this form ("" clears an answer)."""
        data = self.cleaned_data
        return {link_id: data.get(name, "") for name, link_id in self.link_ids.items()}

    def authored_datetime(self):
        day = self.cleaned_data.get("authored_at")
        if not day or day == timezone.localdate():
            return None
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


class HandleForm(forms.Form):
    handled_note = forms.CharField(
        label=_("Wat is er gedaan?"),
        help_text=_("Bijvoorbeeld: cliënt gebeld, veiligheid besproken, afspraak gemaakt."),
        max_length=AttentionItem._meta.get_field("handled_note").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Schrijf kort op wat er is gedaan, bijvoorbeeld: gebeld en besproken."),
            "max_length": TOO_LONG,
        },
    )


class ImportForm(forms.Form):
    questionnaire = forms.FileField(
        label=_("FHIR Questionnaire (JSON-bestand)"),
        help_text=_("Een FHIR R4 Questionnaire in JSON, hoogstens 1 MB, met een eigen code (id) en versie."),
        error_messages={
            "required": _("Kies een JSON-bestand met een FHIR Questionnaire."),
            "empty": _("Het bestand is leeg."),
            "invalid": _("Kies een JSON-bestand met een FHIR Questionnaire."),
        },
    )
    licence = forms.CharField(
        label=_("Licentie van uw organisatie"),
        help_text=_("Van wie heeft uw organisatie de licentie, voor welk gebruik en tot wanneer?"),
        max_length=ImportedInstrument._meta.get_field("licence").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Beschrijf de licentie van uw organisatie voor deze vragenlijst."),
            "max_length": TOO_LONG,
        },
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"),
        queryset=None,
        required=True,
        error_messages={"required": _("Kies een organisatie."), "invalid_choice": _("Kies een organisatie.")},
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations is not None and organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first().pk

    def clean_questionnaire(self):
        upload = self.cleaned_data["questionnaire"]
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(_("Het bestand is te groot (hoogstens 1 MB)."))
        return upload.read()
