"""Forms of koers.decisions: they parse input; the services decide and validate again."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from koers.decisions import services
from koers.decisions.models import AidUse, DecisionAid, DecisionConfirmation, SharedDecision
from koers.goals.forms import GasForm
from koers.goals.models import Goal, LifeDomain, Responsible
from koers.lib.forms import IdField


class RadioSelect(forms.RadioSelect):
    """Radios whose field id is the first option's id, so the error summary's link
    (``#{{ field.id_for_label }}``) lands on the group instead of on "#" (the top of the page)."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


INVALID_CHOICE = {"invalid_choice": _("Kies een van de mogelijkheden.")}
YES_NO = [("ja", _("Ja")), ("nee", _("Nee"))]
Participation = SharedDecision.Participation

GOAL_DESCRIPTION_MAX = Goal._meta.get_field("description").max_length
GOAL_WHY_MAX = Goal._meta.get_field("why_it_matters").max_length


def _yes_no(label, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value == "ja",
        widget=RadioSelect,
        error_messages={**INVALID_CHOICE, "required": _("Kies ja of nee.")},
    )


def _text(label, max_length, *, rows=3, required=False, help_text=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class DecisionForm(forms.Form):
    question = forms.CharField(
        label=_("Waarover gaat u samen beslissen?"),
        help_text=_("Schrijf de keuze op als een vraag, bijvoorbeeld: slaapmiddel, slaaptraining of afwachten?"),
        max_length=services.QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consult = forms.ModelChoiceField(
        label=_("Bij welk consult hoort deze vraag?"),
        queryset=None,
        required=False,
        empty_label=_("Bij geen consult"),
        error_messages=INVALID_CHOICE,
    )

    # The agenda item the decision starts from, if any (the view fetches it through the access layer).
    agenda_item = IdField(
        label=_("Agendapunt"),
        required=False,
        error_messages={
            "invalid": _("Dit agendapunt bestaat niet. Begin opnieuw vanaf de agenda."),
            "min_value": _("Dit agendapunt bestaat niet. Begin opnieuw vanaf de agenda."),
            "max_value": _("Dit agendapunt bestaat niet. Begin opnieuw vanaf de agenda."),
        },
    )

    def __init__(self, *args, consults, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consult"].queryset = consults
        self.fields["consult"].label_from_instance = lambda c: date_format(
            timezone.localtime(c.scheduled_at), "j-n-Y H:i"
        )


class ChoiceTalkForm(forms.Form):
    wants_to_participate = _yes_no(
        _("Wil de cliënt meebeslissen over deze keuze?"),
        _("Vertel dat er iets te kiezen valt, en dat de mening van de cliënt daarbij telt."),
    )
    participation = forms.ChoiceField(
        label=_("Hoe wil de cliënt meebeslissen?"),
        choices=Participation.choices,
        widget=RadioSelect,
        error_messages=INVALID_CHOICE,
    )


class PortalChoiceForm(forms.Form):
    """The person's own answer: how do I want to take part in this choice?"""

    participation = forms.ChoiceField(
        label=_("Hoe wilt u meebeslissen?"),
        choices=[
            (Participation.SELF, _("Ik beslis zelf, met informatie van mijn zorgverlener")),
            (Participation.TOGETHER, _("We beslissen samen")),
            (Participation.PROFESSIONAL, _("Ik laat de beslissing over aan mijn zorgverlener")),
        ],
        widget=RadioSelect,
        error_messages={**INVALID_CHOICE, "required": _("Kies hoe u wilt meebeslissen.")},
    )

    def values(self) -> dict:
        participation = self.cleaned_data["participation"]
        return {
            "participation": participation,
            "wants_to_participate": participation != Participation.PROFESSIONAL,
        }


class WhatMattersForm(forms.Form):
    what_matters = _text(
        _("Wat is belangrijk voor de cliënt bij deze keuze?"),
        services.WHAT_MATTERS_MAX,
        rows=5,
        help_text=_("In de eigen woorden van de cliënt. Bijvoorbeeld: zelfstandig blijven, geen bijwerkingen."),
    )


class PortalWhatMattersForm(forms.Form):
    what_matters = _text(
        _("Wat is voor u belangrijk bij deze keuze?"),
        services.WHAT_MATTERS_MAX,
        rows=5,
        help_text=_("Bijvoorbeeld: wat u graag wilt blijven doen, waar u bang voor bent, of wat u wilt vermijden."),
    )


class PortalAgreementForm(forms.Form):
    """The person's own word on a decision (``agreement.decision_confirm``): which button was
    pressed, and for "not yet" what they still want to discuss or know."""

    answer = forms.ChoiceField(
        choices=DecisionConfirmation.Answer.choices,
        widget=forms.HiddenInput,
        error_messages={**INVALID_CHOICE, "required": _("Kies een van de mogelijkheden.")},
    )
    comment = _text(
        _("Wat wilt u nog bespreken of weten?"),
        DecisionConfirmation._meta.get_field("comment").max_length,
        help_text=_("Nodig als u het nog niet eens bent. Uw zorgverlener leest het."),
    )


class DecisionAidForm(forms.Form):
    decision_aid_name = forms.CharField(
        label=_("Naam van de keuzehulp"), max_length=services.AID_NAME_MAX, required=False
    )
    decision_aid_url = forms.CharField(
        label=_("Webadres van de keuzehulp"),
        help_text=_("Begint met https:// of http://. Laat beide velden leeg om de keuzehulp weg te halen."),
        max_length=services.AID_URL_MAX,
        required=False,
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )


class OptionForm(forms.Form):
    title = forms.CharField(label=_("Naam van de optie"), max_length=services.TITLE_MAX)
    description = _text(_("Wat houdt deze optie in?"), services.OPTION_TEXT_MAX["description"])
    within_guideline = _yes_no(
        _("Staat deze optie in de richtlijn?"),
        _("Opties buiten de richtlijn mogen ook. Zeg dan wel dat ze buiten de richtlijn vallen."),
    )
    pros = _text(_("Voordelen"), services.OPTION_TEXT_MAX["pros"])
    cons = _text(_("Nadelen"), services.OPTION_TEXT_MAX["cons"])
    consequences_short = _text(_("Gevolgen op korte termijn"), services.OPTION_TEXT_MAX["consequences_short"], rows=2)
    consequences_mid = _text(_("Gevolgen op middellange termijn"), services.OPTION_TEXT_MAX["consequences_mid"], rows=2)
    consequences_long = _text(_("Gevolgen op lange termijn"), services.OPTION_TEXT_MAX["consequences_long"], rows=2)
    order = forms.IntegerField(
        label=_("Volgorde"),
        help_text=_("Lagere nummers staan eerder. Leeg: achteraan."),
        required=False,
        min_value=0,
        max_value=services.ORDER_MAX,
        error_messages={"invalid": _("Vul een heel getal in.")},
    )

    @staticmethod
    def initial_for(option) -> dict:
        fields = [
            "title",
            "description",
            "pros",
            "cons",
            "consequences_short",
            "consequences_mid",
            "consequences_long",
            "order",
        ]
        initial = {field: getattr(option, field) for field in fields}
        initial["within_guideline"] = "ja" if option.within_guideline else "nee"
        return initial


class TakeTimeForm(forms.Form):
    think_until = forms.DateField(
        label=_("Bedenktijd tot en met"),
        help_text=_("Op of na deze datum bespreekt u samen de keuze."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 2026-12-01."), "required": _("Kies een datum.")},
    )


class DecideForm(forms.Form):
    chosen_option = forms.ModelChoiceField(
        label=_("Welke optie is gekozen?"),
        queryset=None,
        widget=RadioSelect,
        empty_label=None,
        error_messages={
            "invalid_choice": _("Kies een van de opties van deze beslissing."),
            "required": _("Kies een optie."),
        },
    )
    rationale = _text(
        _("Waarom deze keuze?"),
        services.RATIONALE_MAX,
        rows=4,
        required=True,
        help_text=_("Wat gaf de doorslag? Noem wat voor de cliënt belangrijk was."),
    )
    person_agreed = forms.BooleanField(label=_("De cliënt stemt uitdrukkelijk in met deze keuze."), required=False)

    def __init__(self, *args, decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen_option"].queryset = decision.options.all()
        self.fields["chosen_option"].label_from_instance = lambda option: option.title
        self.fields["rationale"].error_messages["required"] = _("Schrijf op waarom voor deze optie is gekozen.")


class WithdrawForm(forms.Form):
    reason = _text(_("Waarom vervalt deze beslissing?"), services.WITHDRAWAL_MAX)


class GoalFromDecisionForm(GasForm):
    """The goal made from a decision, with goal attainment scaling offered (not required)."""

    description = forms.CharField(
        label=_("Het doel, in de woorden van de cliënt"),
        max_length=GOAL_DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    life_domain = forms.ChoiceField(
        label=_("Levensgebied"),
        choices=LifeDomain.choices,
        initial=LifeDomain.HEALTH,
        widget=RadioSelect,
        error_messages=INVALID_CHOICE,
    )
    why_it_matters = _text(_("Waarom is dit belangrijk voor de cliënt?"), GOAL_WHY_MAX)
    owner = forms.ChoiceField(
        label=_("Van wie is dit doel?"),
        choices=Responsible.choices,
        initial=Responsible.PERSON,
        widget=RadioSelect,
        error_messages=INVALID_CHOICE,
    )

    MAIN_FIELDS = ("description", "life_domain", "why_it_matters", "owner")

    def main_fields(self):
        return [self[name] for name in self.MAIN_FIELDS]

    def service_kwargs(self) -> dict:
        return {**{name: self.cleaned_data[name] for name in self.MAIN_FIELDS}, **self.gas_kwargs()}

    @staticmethod
    def initial_for(decision) -> dict:
        """Prefilled from the chosen option and what mattered, within the goal's limits."""
        option = decision.chosen_option
        description = option.title if option else ""
        why = decision.what_matters or decision.rationale
        return {
            "description": description[:GOAL_DESCRIPTION_MAX],
            "why_it_matters": why[:GOAL_WHY_MAX],
            "life_domain": LifeDomain.HEALTH,
            "owner": Responsible.PERSON,
            "gas_weight": 1,
        }


# --- decision aids (keuzehulpen) -------------------------------------------------------------


class AidForm(forms.Form):
    """One entry of the organisation's catalogue of decision aids."""

    name = forms.CharField(label=_("Naam van de keuzehulp"), max_length=DecisionAid._meta.get_field("name").max_length)
    url = forms.CharField(
        label=_("Webadres"),
        help_text=_("Begint met https:// of http://."),
        max_length=DecisionAid._meta.get_field("url").max_length,
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    topic = forms.CharField(
        label=_("Onderwerp"),
        help_text=_("Waarover gaat de keuze? Bijvoorbeeld: slecht slapen, knieklachten."),
        max_length=DecisionAid._meta.get_field("topic").max_length,
    )
    audience = forms.CharField(
        label=_("Voor wie"),
        help_text=_("Bijvoorbeeld: volwassenen, ouderen, naasten."),
        max_length=DecisionAid._meta.get_field("audience").max_length,
        required=False,
    )
    summary = _text(
        _("Korte uitleg in eenvoudige taal"),
        DecisionAid._meta.get_field("summary").max_length,
        help_text=_("Wat helpt deze keuzehulp de cliënt te doen? In korte zinnen, zonder vaktaal."),
    )
    active = forms.BooleanField(label=_("In gebruik: zorgverleners kunnen deze keuzehulp kiezen"), required=False)

    FIELDS = ("name", "url", "topic", "audience", "summary", "active")

    @classmethod
    def initial_for(cls, aid) -> dict:
        return {name: getattr(aid, name) for name in cls.FIELDS}


class AidOfferForm(forms.Form):
    aid = forms.ModelChoiceField(
        label=_("Keuzehulpen van uw organisatie"),
        queryset=None,
        widget=RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Kies een keuzehulp uit de lijst van uw organisatie."),
            "invalid_choice": _("Kies een keuzehulp uit de lijst van uw organisatie."),
        },
    )

    def __init__(self, *args, aids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aid"].queryset = aids
        self.fields["aid"].label_from_instance = lambda aid: f"{aid.name} ({aid.topic})"


class AidUseForm(forms.Form):
    aid_use = forms.ChoiceField(
        label=_("Is de keuzehulp gebruikt?"),
        choices=AidUse.choices,
        widget=RadioSelect,
        error_messages={
            "required": _("Kies of de keuzehulp is aangeboden of gebruikt."),
            "invalid_choice": _("Kies of de keuzehulp is aangeboden of gebruikt."),
        },
    )
