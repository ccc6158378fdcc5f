"""The authorize page's form: DOT's hidden fields, plus the person an app may see (launch/patient)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from oauth2_provider.forms import AllowForm


class SmartAllowForm(AllowForm):
    """``allow`` comes from the button pressed (Toestaan sends ``allow=ja``; Weigeren sends
    nothing, which is no). ``patient`` lists only the persons ``koers.access`` lets this user read;
    the view checks the choice through the access layer again."""

    patient = forms.TypedChoiceField(label=_("Over welke persoon?"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, patients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["patient"].choices = [("", _("Kies een persoon"))] + [
            (person.pk, f"{person.given_name} {person.family_name} ({person.birth_date:%d-%m-%Y})")
            for person in patients
        ]
