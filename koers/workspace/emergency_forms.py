"""Forms of emergency access: they parse and check types; ``koers.workspace.emergency`` checks the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.network.models import EmergencyAccess
from koers.workspace.emergency import HOURS
from koers.workspace.emergency_notices import TOPIC_WORDS


class EmergencyStartForm(forms.Form):
    identifier = forms.CharField(
        label=_("BSN of Koers-nummer"),
        max_length=20,
        help_text=_("Het exacte nummer. Zoeken op naam kan hier niet."),
    )
    birth_date = forms.DateField(label=_("Geboortedatum"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Waarom moet u met spoed in dit dossier kijken?"), widget=forms.Textarea)
    topics = forms.MultipleChoiceField(
        label=_("Wat wilt u zien?"),
        choices=[(t.value, w) for t, w in TOPIC_WORDS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    hours = forms.TypedChoiceField(
        label=_("Hoe lang?"),
        coerce=int,
        choices=[(h, _("%(hours)s uur") % {"hours": h}) for h in HOURS],
        initial=4,
    )


class EmergencyReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Uw oordeel"), choices=EmergencyAccess.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Toelichting"), widget=forms.Textarea, required=False)
    confirmed = forms.BooleanField(label=_("Ik heb de reden en de inzage bekeken en leg dit oordeel vast."))
