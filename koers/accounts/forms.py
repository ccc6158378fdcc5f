from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form with a plain-language message and no autofocus.

    No autofocus: keyboard and screen-reader users start at the top of the page, where the
    skip link is the first Tab stop, as on every other page. The message is the same for an
    unknown username and a wrong password, so the form does not tell which accounts exist.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Deze gebruikersnaam en dit wachtwoord horen niet bij elkaar. Let op hoofdletters en probeer het opnieuw."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        # Django sets the length on the field but checks it nowhere: a longer name reached
        # authenticate() and django-axes' 255-character column (a server error on PostgreSQL).
        self.fields["username"].validators.append(
            MaxLengthValidator(get_user_model()._meta.get_field("username").max_length)
        )


class KoersPasswordChangeForm(PasswordChangeForm):
    """Django's password change form: plain-text help (no HTML list inside a paragraph), no autofocus."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        self.fields["old_password"].label = _("Uw huidige wachtwoord")
        self.fields["new_password1"].label = _("Nieuw wachtwoord")
        self.fields["new_password1"].help_text = _(
            "Minstens 10 tekens. Niet alleen cijfers, geen veelgebruikt wachtwoord en niet te veel zoals uw naam."
        )
        self.fields["new_password2"].label = _("Nieuw wachtwoord nog een keer")
        self.fields["new_password2"].help_text = _("Zo weten we zeker dat u zich niet vergist heeft.")


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Code uit uw app (6 cijfers)"),
        regex=r"^\d{3} ?\d{3}$",
        strip=True,
        error_messages={
            "invalid": _("Vul de 6 cijfers uit uw app in."),
            "required": _("Vul de 6 cijfers uit uw app in."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 7}),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "")


_CODE_WIDGET = forms.TextInput(
    attrs={"autocomplete": "one-time-code", "autocapitalize": "characters", "spellcheck": "false", "maxlength": 20}
)


class CodeForm(forms.Form):
    """An activation, enrolment or reset code as printed: 12 letters and digits, dashes optional."""

    code = forms.RegexField(
        label=_("Code van uw praktijk (12 tekens)"),
        regex=r"^[0-9A-Za-z][0-9A-Za-z -]{10,18}[0-9A-Za-z]$",
        strip=True,
        help_text=_("Bijvoorbeeld ABCD-EFGH-JKLM. Streepjes en hoofdletters mag u weglaten."),
        error_messages={
            "invalid": _("Vul de code van 12 tekens in, zoals die in uw brief, e-mail of op het briefje staat."),
            "required": _("Vul de code van 12 tekens in, zoals die in uw brief, e-mail of op het briefje staat."),
        },
        widget=_CODE_WIDGET,
    )


class ActivationForm(CodeForm):
    """A new account: username, the code and a password of the holder's own choosing."""

    field_order = ["username", "code", "new_password1", "new_password2"]

    username = forms.CharField(
        label=_("Gebruikersnaam"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={"required": _("Vul uw gebruikersnaam in. Die staat in uw brief of e-mail.")},
    )
    new_password1 = forms.CharField(
        label=_("Kies een wachtwoord"),
        strip=False,
        help_text=_(
            "Minstens 10 tekens. Niet alleen cijfers, geen veelgebruikt wachtwoord en niet te veel zoals uw naam."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Kies een wachtwoord.")},
    )
    new_password2 = forms.CharField(
        label=_("Hetzelfde wachtwoord nog een keer"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Vul het wachtwoord nog een keer in.")},
    )

    def clean(self):
        data = super().clean()
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("De twee wachtwoorden zijn niet hetzelfde. Probeer het opnieuw."))
        return data


class IssueForm(forms.Form):
    """What a colleague or the care team hands over, and how."""

    purpose = forms.ChoiceField(label=_("Waarvoor is de code?"), widget=forms.RadioSelect)
    channel = forms.ChoiceField(label=_("Hoe geeft u de code door?"), widget=forms.RadioSelect)

    def __init__(self, *args, purposes, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = purposes
        self.fields["channel"].choices = channels
        if len(purposes) == 1:
            self.fields["purpose"].initial = purposes[0][0]
