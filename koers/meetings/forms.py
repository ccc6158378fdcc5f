from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.goals.models import LifeDomain, Responsible
from koers.lib.forms import ModelIdsField
from koers.meetings import selectors
from koers.meetings.models import Meeting


class _Relatives(ModelIdsField):
    def label_from_instance(self, obj):
        return f"{obj.user.display_name()} ({obj.relationship})"


class _Members(ModelIdsField):
    def label_from_instance(self, obj):
        return f"{obj.professional.display_name()}, {obj.organisation.name}"


class _Goals(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.description


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort overleg"), choices=Meeting.Kind.choices, widget=forms.RadioSelect)
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Tijd"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(
        label=_("Plaats of videoverbinding"),
        max_length=300,
        help_text=_("Bijvoorbeeld de kamer en het adres, of hoe deelnemers met video meedoen."),
    )
    agenda = forms.CharField(
        label=_("Agendapunten"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Eén punt per regel."),
    )
    invite_person = forms.BooleanField(label=_("De cliënt uitnodigen"), required=False, initial=True)
    relatives = _Relatives(
        label=_("Naasten uitnodigen"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen naasten die de cliënt zelf noemde."),
    )
    members = _Members(
        label=_("Zorgverleners uit het netwerk uitnodigen"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relatives"].queryset = selectors.relatives_to_invite(person)
        self.fields["members"].queryset = selectors.members_to_invite(person)

    def service_arguments(self) -> dict:
        """The service's arguments; after an invalid form, those of the fields it could read (no
        moment without both a date and a time), for ``meeting_plan_problems``."""
        data = dict(self.cleaned_data)
        date, time = data.pop("date", None), data.pop("time", None)
        data["starts_at"] = (
            timezone.make_aware(dt.datetime.combine(date, time)) if date is not None and time is not None else None
        )
        return data


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Wat is besloten"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    what = forms.CharField(
        label=_("Actie: wat wordt er gedaan?"),
        required=False,
        max_length=300,
        help_text=_("Vul dit in als iemand iets gaat doen. Het komt dan als actie in het zorgplan."),
    )
    responsible = forms.ChoiceField(
        label=_("Wie doet het?"),
        choices=Responsible.choices,
        initial=Responsible.PROFESSIONAL,
        widget=forms.RadioSelect,
    )
    responsible_name = forms.CharField(label=_("Naam (wie precies)"), required=False, max_length=200)
    review_date = forms.DateField(
        label=_("Wanneer kijken we hoe het gaat?"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    goal = _Goals(label=_("Onder welk doel valt de actie?"), queryset=None, required=False)
    new_goal = forms.CharField(
        label=_("Of een nieuw doel"),
        required=False,
        max_length=1000,
        help_text=_("Alleen als geen bestaand doel past."),
    )
    life_domain = forms.ChoiceField(
        label=_("Levensgebied van het nieuwe doel"), choices=[("", "—"), *LifeDomain.choices], required=False
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = selectors.open_goals(person)
