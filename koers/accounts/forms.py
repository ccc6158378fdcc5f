from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
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
