"""The page's filter: which unit, which dates. Checks types; the periods module checks the range."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class IndicatorFilterForm(forms.Form):
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    van = forms.DateField(label=_("Vanaf (datum)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    tot = forms.DateField(label=_("Tot en met (datum)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("De hele organisatie"))] + [(t.id, t.name) for t in teams]

    def clean(self):
        data = super().clean()
        if data.get("van") and data.get("tot") and data["tot"] < data["van"]:
            raise forms.ValidationError(_("De einddatum ligt voor de begindatum."))
        return data
