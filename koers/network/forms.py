"""Forms of koers.network: they parse and check types; the services check the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koers import access
from koers.accounts.models import User
from koers.lib.forms import IdField
from koers.network.models import CareTeamMember


class CareTeamAddForm(forms.Form):
    professional = forms.ModelChoiceField(label=_("Collega"), queryset=User.objects.none())
    role = forms.ChoiceField(
        label=_("Rol in het zorgteam"), choices=CareTeamMember.Role.choices, initial=CareTeamMember.Role.MEMBER
    )

    def __init__(self, *args, colleagues, coordinator_taken: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = colleagues
        if coordinator_taken:
            # One coordinator per person: the role moves by hand-over (page Netwerk), not here.
            self.fields["role"].choices = [(CareTeamMember.Role.MEMBER, CareTeamMember.Role.MEMBER.label)]
        self.fields["professional"].label_from_instance = lambda u: (
            f"{u.display_name()} — {u.get_discipline_display()}" if u.discipline else u.display_name()
        )


class CareTeamEndForm(forms.Form):
    membership = IdField()


class ConsentToggleForm(forms.Form):
    """One cell of "Wie mag wat zien": a member, a topic and the new state."""

    member = IdField()
    topic = forms.ChoiceField(choices=[(t.value, t.value) for t in access.MEMBER_TOPICS], widget=forms.HiddenInput)
    granted = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1", widget=forms.HiddenInput
    )


class ResearchConsentForm(forms.Form):
    """The person's one choice about research use (issue #16); a form of its own on the page."""

    research_form = forms.CharField(widget=forms.HiddenInput, initial="1")
    granted = forms.BooleanField(label=_("Ik doe mee aan onderzoek, zonder mijn naam"), required=False)
