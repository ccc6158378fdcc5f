from django import forms
from django.utils.translation import gettext_lazy as _

from koers.notifications.models import NotificationPreference


class PreferencesForm(forms.Form):
    email = forms.BooleanField(
        label=_("Stuur mij ook een e-mail"),
        required=False,
        help_text=_(
            "Berichten in Koers krijgt u altijd. In de e-mail staat alleen dát er een bericht is, "
            "niet waar het over gaat."
        ),
    )
    frequency = forms.ChoiceField(
        label=_("Hoe vaak wilt u een e-mail?"),
        choices=NotificationPreference.Frequency.choices,
        widget=forms.RadioSelect,
        initial=NotificationPreference.Frequency.IMMEDIATE,
    )
    quiet_start = forms.TimeField(
        label=_("Rustige uren: van"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("In de rustige uren sturen we geen e-mail. Die komt daarna. Bijvoorbeeld van 22:00 tot 08:00."),
    )
    quiet_end = forms.TimeField(
        label=_("Rustige uren: tot"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
