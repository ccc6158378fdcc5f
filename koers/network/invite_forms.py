"""Forms of the network pages: inviting, handing over, the first contact, accepting.

They parse and check types; the services (koers.network.invitations, .coordination) check the rest.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import User
from koers.lib.forms import IdField
from koers.network.models import CareTeamMember, Invitation, RelativeLink

DELIVERY_HELP = _("Een link per e-mail, of een code die u één keer op het scherm ziet en zelf doorgeeft.")


class RelativeInviteForm(forms.Form):
    relationship = forms.CharField(
        label=_("Wie is deze naaste?"), max_length=100, help_text=_("Bijvoorbeeld: partner, moeder, buurvrouw.")
    )
    delivery = forms.ChoiceField(
        label=_("Hoe krijgt de naaste de uitnodiging?"),
        choices=Invitation.Delivery.choices,
        widget=forms.RadioSelect,
        initial=Invitation.Delivery.CODE,
        help_text=DELIVERY_HELP,
    )
    email = forms.EmailField(label=_("E-mailadres van de naaste"), required=False)
    consent = forms.BooleanField(label=_("De cliënt heeft hiermee ingestemd"), required=False)

    def __init__(self, *args, professional: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not professional:
            del self.fields["consent"]  # the person invites: their own act is their consent


class ProfessionalInviteForm(forms.Form):
    handle = forms.CharField(
        label=_("Gebruikersnaam of e-mailadres in Koers"),
        max_length=254,
        help_text=_("Vraag de zorgverlener om de gebruikersnaam of het e-mailadres waarmee hij of zij in Koers werkt."),
    )
    delivery = forms.ChoiceField(
        label=_("Hoe krijgt de zorgverlener de uitnodiging?"),
        choices=Invitation.Delivery.choices,
        widget=forms.RadioSelect,
        initial=Invitation.Delivery.EMAIL,
        help_text=DELIVERY_HELP,
    )
    consent = forms.BooleanField(
        label=_("De cliënt heeft ermee ingestemd dat deze zorgverlener in het netwerk komt"),
        error_messages={"required": _("Nodig een zorgverlener alleen uit als de cliënt daarmee instemt.")},
    )


class HandOverForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Nieuwe regiebehandelaar"), queryset=CareTeamMember.objects.none())
    note = forms.CharField(
        label=_("Overdrachtsnotitie"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Voor de nieuwe regiebehandelaar: wat loopt er, wat is afgesproken, waar moet die op letten."),
    )
    overlap_until = forms.DateField(
        label=_("U blijft betrokken tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Een overlap: tot en met deze dag blijft u in het netwerk als betrokken zorgverlener, daarna gaat u er "
            "vanzelf uit. Leeg: u blijft betrokken tot u zich afmeldt."
        ),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = members
        self.fields["to"].label_from_instance = lambda m: f"{m.professional.display_name()} — {m.organisation}"


class FirstContactForm(forms.Form):
    link = forms.ModelChoiceField(
        label=_("Eerste contactpersoon"),
        queryset=RelativeLink.objects.none(),
        required=False,
        empty_label=_("Geen eerste contactpersoon"),
    )

    def __init__(self, *args, relatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["link"].queryset = relatives
        self.fields["link"].label_from_instance = lambda r: f"{r.user.display_name()} ({r.relationship})"


class InvitationIdForm(forms.Form):
    invitation = IdField()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Uitnodigingscode"), max_length=100, help_text=_("De code die u kreeg, bijvoorbeeld ABCD-EFGH-JKLM.")
    )


class NewRelativeAccountForm(forms.Form):
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    username = forms.CharField(
        label=_("Gebruikersnaam"), max_length=150, help_text=_("Hiermee logt u voortaan in. Kies iets wat u onthoudt.")
    )
    password1 = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Wachtwoord nog een keer"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # In the language of this request, not of the moment the module was imported.
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        username_field = User._meta.get_field("username")
        for validator in username_field.validators:
            validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Deze gebruikersnaam is al in gebruik. Kies een andere."))
        return username

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("De twee wachtwoorden zijn niet hetzelfde."))
        elif first:
            candidate = User(
                username=data.get("username", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class RelativeLinkIdForm(forms.Form):
    link = IdField()
