"""Forms of koers.consults: they parse input; the services decide and validate again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from koers.consults import services, spheres
from koers.consults.models import AgendaItem, Consult

MINUTES_MESSAGE = _("Een consult duurt 5 tot 240 minuten.")
INVALID_CHOICE = {"invalid_choice": _("Kies een van de mogelijkheden.")}


class Radios(forms.RadioSelect):
    """Radio buttons whose field id is the first option's id, so the shared error summary's
    link (``#{{ field.id_for_label }}``) lands on the group. Our fieldset template labels each
    option itself; the legend names the group."""

    def id_for_label(self, id_, index=None):
        if index is None and id_:
            return f"{id_}_0"
        return super().id_for_label(id_, index)


class ConsultForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Datum en tijd"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
        error_messages={"invalid": _("Vul een datum en tijd in, bijvoorbeeld 2026-03-14 09:30.")},
    )
    kind = forms.ChoiceField(label=_("Soort consult"), choices=Consult.Kind.choices, error_messages=INVALID_CHOICE)
    planned_minutes = forms.IntegerField(
        label=_("Geplande duur in minuten"),
        help_text=_("Zo lang of kort als deze cliënt nodig heeft: 5 tot 240 minuten."),
        min_value=services.MIN_MINUTES,
        max_value=services.MAX_MINUTES,
        initial=20,
        error_messages={
            "invalid": _("Vul een heel getal in."),
            "min_value": MINUTES_MESSAGE,
            "max_value": MINUTES_MESSAGE,
        },
    )
    professional = forms.ModelChoiceField(
        label=_("Zorgverlener"), queryset=None, empty_label=None, error_messages=INVALID_CHOICE
    )

    def __init__(self, *args, professionals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = professionals
        self.fields["professional"].label_from_instance = lambda u: u.display_name()


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Onderwerp"), max_length=services.MAX_TITLE)
    detail = forms.CharField(
        label=pgettext_lazy("agenda item", "Toelichting"),
        max_length=services.MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    domain = forms.ChoiceField(
        label=_("Waar gaat het over?"),
        choices=AgendaItem.Domain.choices,
        initial=AgendaItem.Domain.HEALTH_AND_BEHAVIOUR,
        widget=Radios,
        help_text=_(
            "Ziekte en zorg: bijvoorbeeld klachten, medicijnen of uitslagen. "
            "Gezondheid en gedrag: bijvoorbeeld bewegen, werk, contact met anderen of hoe u zich voelt."
        ),
        error_messages=INVALID_CHOICE,
    )


class AgendaItemUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=AgendaItem.Status.choices, widget=Radios, error_messages=INVALID_CHOICE
    )
    discussion_notes = forms.CharField(
        label=_("Wat we bespraken"),
        max_length=services.MAX_NOTES,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("omhoog")), ("down", _("omlaag"))], error_messages=INVALID_CHOICE)


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Samenvatting van het gesprek"),
        max_length=services.MAX_NOTES,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (Consult.Status.HELD, _("gehouden")),
            (Consult.Status.CANCELLED, _("afgezegd")),
            (Consult.Status.PLANNED, _("gepland")),
        ],
        error_messages=INVALID_CHOICE,
    )


# --- the person's preparation ---------------------------------------------------------------

HOW_ARE_YOU_CHOICES = [(str(n), str(n)) for n in range(11)]


class HowAreYouForm(forms.Form):
    how_are_you = forms.TypedChoiceField(
        label=_("Hoe gaat het nu met u?"),
        help_text=_("0 is heel slecht, 10 is heel goed."),
        choices=HOW_ARE_YOU_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=Radios,
        error_messages={"invalid_choice": _("Kies een cijfer van 0 tot en met 10.")},
    )
    most_important = forms.CharField(
        label=_("Wat wilt u vooral bespreken?"),
        help_text=_("Bijvoorbeeld iets waar u last van heeft, een vraag, of iets wat u wilt veranderen."),
        max_length=services.MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def values(self) -> dict:
        return dict(self.cleaned_data)


class SphereForm(forms.Form):
    """Current and desired situation in one sphere, and its prompts (fields ``prompt_<key>``)."""

    current_situation = forms.CharField(
        label=_("Zo gaat het nu"),
        max_length=services.MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    desired_situation = forms.CharField(
        label=_("Zo zou ik het willen"),
        max_length=services.MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, sphere: spheres.SphereInfo, **kwargs):
        super().__init__(*args, **kwargs)
        self.sphere = sphere
        for prompt in sphere.prompts:
            self.fields[f"prompt_{prompt.key}"] = forms.CharField(
                label=prompt.text,
                max_length=services.MAX_PROMPT_ANSWER,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def prompt_fields(self):
        return [self[f"prompt_{p.key}"] for p in self.sphere.prompts]

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "current_situation": data["current_situation"],
            "desired_situation": data["desired_situation"],
            "prompt_answers": {p.key: data[f"prompt_{p.key}"] for p in self.sphere.prompts},
        }

    @staticmethod
    def initial_for(answer) -> dict:
        if answer is None:
            return {}
        initial = {"current_situation": answer.current_situation, "desired_situation": answer.desired_situation}
        for key, text in (answer.prompt_answers or {}).items():
            initial[f"prompt_{key}"] = text
        return initial


class TopicForm(AgendaItemForm):
    """One of the person's own topics in the preparation. The domain may stay open: the person
    need not know the ZZ/GG distinction; the professional can tag it in the consult."""

    domain = forms.ChoiceField(
        label=AgendaItemForm.base_fields["domain"].label,
        help_text=AgendaItemForm.base_fields["domain"].help_text,
        choices=AgendaItem.Domain.choices,
        initial=AgendaItem.Domain.HEALTH_AND_BEHAVIOUR,
        required=False,
        widget=Radios,
        error_messages=INVALID_CHOICE,
    )

    def topic(self) -> dict:
        data = self.cleaned_data
        domain = data.get("domain") or AgendaItem.Domain.HEALTH_AND_BEHAVIOUR
        return {"title": data["title"], "detail": data.get("detail", ""), "domain": domain}
