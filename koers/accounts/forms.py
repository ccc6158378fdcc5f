from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Code uit uw app (6 cijfers)"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Vul de 6 cijfers uit uw app in.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6}),
    )
