"""Forms of follow-up: parse input only; the services validate and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.careplans.models import FollowUpAgreement
from koers.followup import rhythm
from koers.followup.models import RelativeEvaluationInput
from koers.lib.forms import IdField

PREFERENCE_CHOICES = [
    (rhythm.MORE_OFTEN, _("Vaker")),
    (rhythm.AS_SUGGESTED, _("Zoals voorgesteld")),
    (rhythm.LESS_OFTEN, _("Minder vaak")),
]


class PreferenceForm(forms.Form):
    """Step 1 (GET): what does the person prefer? Shows the suggestion for it."""

    voorkeur = forms.ChoiceField(
        label=_("Hoe vaak wil de cliënt contact?"),
        choices=PREFERENCE_CHOICES,
        initial=rhythm.AS_SUGGESTED,
        widget=forms.RadioSelect,
        required=False,
    )


class RhythmForm(forms.Form):
    """Step 2 (POST): the frequency and next date agreed with the person."""

    frequency = forms.CharField(
        label=_("Hoe vaak?"),
        max_length=FollowUpAgreement._meta.get_field("frequency").max_length,
        help_text=_("Het voorstel staat al ingevuld. U mag het aanpassen."),
        error_messages={"required": _("Schrijf op hoe vaak u het samen bekijkt.")},
    )
    next_date = forms.DateField(
        label=_("Volgende keer"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={
            "required": _("Vul de datum van de volgende keer in."),
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 31-12-2026."),
        },
    )
    agreed = forms.BooleanField(
        label=_("Dit is samen met de cliënt afgesproken"),
        error_messages={"required": _("Spreek het ritme eerst samen met de cliënt af.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frequency"].error_messages["max_length"] = _(
            "Dit is te lang. Gebruik hoogstens %(limit_value)d tekens (nu %(show_value)d)."
        )


_TOO_LONG = _("Dit is te lang. Gebruik hoogstens %(limit_value)d tekens (nu %(show_value)d).")


class EvaluationForm(forms.Form):
    date = forms.DateField(
        label=_("Datum van de evaluatie"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={
            "required": _("Vul de datum van de evaluatie in."),
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 31-12-2026."),
        },
    )
    participants = forms.CharField(
        label=_("Wie deden mee?"),
        max_length=300,
        help_text=_("Bijvoorbeeld: Anna, haar partner Rob en Noor (praktijkondersteuner)."),
        error_messages={"required": _("Schrijf op wie meededen, ook de cliënt.")},
    )
    went_well = forms.CharField(
        label=_("Wat ging goed?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Schrijf op wat goed ging.")},
    )
    should_change = forms.CharField(
        label=_("Wat moet anders in het zorgplan?"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Pas daarna de doelen, acties en vervolgafspraken aan."),
    )
    persons_words = forms.CharField(
        label=_("Wat zegt de cliënt zelf?"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In de eigen woorden van de cliënt. Wat de cliënt zelf schreef, staat hier al."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["max_length"] = _TOO_LONG


class EvaluationInputForm(forms.Form):
    went_well = forms.CharField(
        label=_("Wat ging goed het afgelopen jaar?"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    should_change = forms.CharField(
        label=_("Wat wilt u anders?"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Aan uw doelen, uw acties, of aan de hulp die u krijgt."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["max_length"] = _TOO_LONG


class WorklistFilterForm(forms.Form):
    """Filter and arrange the worklist (GET). Anything unreadable falls back to the whole list."""

    soort = forms.ChoiceField(label=_("Soort"), required=False)
    client = forms.CharField(label=_("Cliënt (naam)"), max_length=100, required=False)
    te_laat = forms.BooleanField(label=_("Alleen wat te laat is"), required=False)
    sorteer = forms.ChoiceField(
        label=_("Sorteren op"),
        required=False,
        choices=[("datum", _("Datum")), ("client", _("Cliënt")), ("soort", _("Soort"))],
    )
    groeperen = forms.BooleanField(label=_("Per cliënt bij elkaar"), required=False)

    def __init__(self, *args, **kwargs):
        from koers.followup.worklist import KIND_LABELS, KIND_WORRYING

        super().__init__(*args, **kwargs)
        kinds = [(kind, label) for kind, label in KIND_LABELS.items() if kind != KIND_WORRYING]
        self.fields["soort"].choices = [("", _("Alles"))] + kinds

    def arrangement(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "kind": data.get("soort") or "",
            "name": (data.get("client") or "").strip(),
            "overdue": bool(data.get("te_laat")),
            "sort": data.get("sorteer") or "datum",
            "group": bool(data.get("groeperen")),
        }


class _Radios(forms.RadioSelect):
    """Radios whose field id is the first option's id, so the error summary's link lands on the
    group (as in goals' forms)."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class RelativeNoteForm(forms.Form):
    """A relative's own question or concern, to the coordinator (issue #13)."""

    text = forms.CharField(
        label=_("Uw vraag of zorg"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Bijvoorbeeld: wat u merkt, waar u mee zit, of wat u zelf nodig heeft."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["max_length"] = _TOO_LONG


class RelativeEvaluationForm(forms.Form):
    """A relative's input to the yearly evaluation: short, in plain words (issue #13)."""

    how_it_went = forms.CharField(
        label=_("Hoe ging het afgelopen jaar, volgens u?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    what_helped = forms.CharField(
        label=_("Wat hielp?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    own_load = forms.TypedChoiceField(
        label=_("Hoe zwaar is het voor uzelf?"),
        choices=RelativeEvaluationInput.OwnLoad.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=_Radios,
    )
    own_load_words = forms.CharField(
        label=_("Wilt u daar iets over zeggen?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    share_with_person = forms.BooleanField(required=False)

    def __init__(self, *args, person_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share_with_person"].label = _("%(name)s mag mijn antwoorden over het jaar lezen") % {
            "name": person_name
        }
        self.fields["share_with_person"].help_text = _(
            "Wat u schrijft over hoe zwaar het voor u is, leest alleen het zorgteam."
        )
        for name in ("how_it_went", "what_helped", "own_load_words"):
            self.fields[name].error_messages["max_length"] = _TOO_LONG
        self.fields["own_load"].error_messages["invalid_choice"] = _("Kies een van de vijf antwoorden.")


class RelativeInviteForm(forms.Form):
    """The person asks one of their relatives for input (the link id, checked by the service)."""

    link = IdField()
