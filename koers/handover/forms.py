"""The one form of the summaries: the sender's note ("Toelichting toevoegen")."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.handover.models import HandoverSummary

NOTE_MAX = HandoverSummary._meta.get_field("note").max_length


class NoteForm(forms.Form):
    # Not stripped or length-checked here: the service says what is wrong (one message, one place).
    note = forms.CharField(
        label=_("Toelichting voor de ontvangers"),
        help_text=_("Kort en zonder opmaak, hoogstens 500 tekens. Bijvoorbeeld wat u van de ontvanger vraagt."),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX}),
    )
