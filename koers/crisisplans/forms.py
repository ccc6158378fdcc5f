"""Forms of the crisis plan: lists as text areas (one item per line), people to call as a small
formset. Plain HTML forms: they work without a script, on any phone."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.crisisplans import lists, phones
from koers.crisisplans.services import phone_error

ONE_PER_LINE = _("Eén per regel.")
EXTRA_CONTACTS = 2


def _lines(label, help_text=ONE_PER_LINE):
    return forms.CharField(label=label, help_text=help_text, required=False, widget=forms.Textarea(attrs={"rows": 4}))


class PhaseForm(forms.Form):
    """One phase. Labels come from the view: they differ per phase (B1, "u")."""

    signs = _lines(_("Hieraan merkt u het"))
    triggers = _lines(_("Dit kan het uitlokken"))
    self_care = _lines(_("Dit doet u zelf"))
    others_do = _lines(_("Dit mogen anderen doen"))
    others_avoid = _lines(_("Dit liever niet doen"))

    def __init__(self, *args, phase_labels: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in (phase_labels or {}).items():
            self.fields[name].label = label

    def lists(self) -> dict:
        return {name: lists.from_lines(self.cleaned_data[name]) for name in self.fields}


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=100, required=False)
    relation = forms.CharField(label=_("Wie is dit voor u?"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Telefoonnummer"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean(self):
        data = super().clean()
        name, phone = data.get("name", "").strip(), data.get("phone", "").strip()
        if (name or data.get("relation", "").strip()) and not phone:
            self.add_error("phone", _("Schrijf het telefoonnummer op."))
        elif phone and phones.normalise(phone) is None:
            self.add_error("phone", phone_error())
        if phone and not name:
            self.add_error("name", _("Schrijf de naam op van wie u kunt bellen."))
        return data


ContactFormSet = forms.formset_factory(ContactForm, extra=EXTRA_CONTACTS, max_num=10, absolute_max=10)


class AgreementsForm(forms.Form):
    takeover = forms.CharField(
        label=_("Wie mag wat van u overnemen?"),
        help_text=_("Bijvoorbeeld: mijn moeder mag mijn post en geldzaken regelen."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    medication_wishes = forms.CharField(
        label=_("Wat wilt u over medicijnen afspreken?"),
        help_text=_("Bijvoorbeeld: welke medicijnen helpen u, en welke wilt u liever niet."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    where_to_go = forms.CharField(
        label=_("Waar wilt u heen als het thuis niet meer gaat?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    care_for_others = forms.CharField(
        label=_("Wie zorgt dan voor uw kinderen of huisdieren?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
