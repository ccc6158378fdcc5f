"""The diary-moments form: times of day, which questions, on or paused. The service
(``koers.monitoring.services.diary_schedule_set``) checks everything again."""

from __future__ import annotations

import re

from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from koers.lib.forms import ModelIdsField
from koers.monitoring import catalogue, diary
from koers.monitoring.models import MeasurementType

MIN_SHOWN = 4
_TIME_KEY = re.compile(r"^t(\d{1,2})$")


def choosable_types(person):
    """The questions a diary may ask this person: the catalogue's diary items (in the catalogue's
    order: mood, anxiety, stress…) and then their own items."""
    order = [When(code=code, person__isnull=True, then=Value(i)) for i, code in enumerate(catalogue.definitions())]
    return (
        MeasurementType.objects.filter(active=True)
        .filter(
            Q(kind=MeasurementType.Kind.DIARY, person__isnull=True)
            | Q(kind__in=[MeasurementType.Kind.DIARY, MeasurementType.Kind.CUSTOM], person=person)
        )
        .annotate(position=Case(*order, default=Value(len(order)), output_field=IntegerField()))
        .order_by("position", "name", "pk")
    )


class Checkboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose field id is the first box's id, so the error summary's link lands on the group."""

    def id_for_label(self, id_, index=None):
        if index is None and id_:
            return f"{id_}_0"
        return super().id_for_label(id_, index)


class TypesField(ModelIdsField):
    def label_from_instance(self, obj):
        return str(catalogue.label(obj))


class TimeText(forms.CharField):
    """A clock time typed or picked ("08:30"); the message for anything else names what was typed."""

    def clean(self, value):
        value = super().clean(value)
        if value and diary.parse_time(value) is None:
            raise forms.ValidationError(
                _("“%(value)s” is geen tijd. Schrijf een tijd als 08:30.") % {"value": value[:20]}
            )
        return value


class ScheduleForm(forms.Form):
    """``t1`` … ``tN`` (N grows with what is chosen, at most ten), ``types`` and ``active``."""

    def __init__(self, data=None, *, types, portal: bool, initial=None, **kwargs):
        initial = initial or {}
        if data is not None:
            shown = [int(m[1]) for key in data if (m := _TIME_KEY.match(key))]
            count = max([n for n in shown if 1 <= n <= diary.MAX_TIMES] or [MIN_SHOWN])
        else:
            count = min(diary.MAX_TIMES, max(MIN_SHOWN, len(initial.get("times", [])) + 1))
        for i, value in enumerate(initial.pop("times", []), start=1):
            initial[f"t{i}"] = value
        super().__init__(data, initial=initial, **kwargs)
        self.time_names = [f"t{i}" for i in range(1, count + 1)]
        for i, name in enumerate(self.time_names, start=1):
            self.fields[name] = TimeText(
                label=_("Moment %(number)d") % {"number": i},
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}),
            )
        self.fields["types"] = TypesField(
            queryset=types,
            label=_("Welke vragen?") if not portal else _("Welke vragen wilt u krijgen?"),
            widget=Checkboxes,
            error_messages={
                "required": _("Kies minstens één vraag."),
                "invalid_choice": _("Kies een van de vragen uit de lijst."),
                "invalid_pk_value": _("Kies een van de vragen uit de lijst."),
            },
        )
        self.fields["active"] = forms.BooleanField(
            label=_("Stuur mij een herinnering op deze momenten")
            if portal
            else _("Herinneringen sturen op deze momenten"),
            required=False,
            help_text=_("Staat dit uit? Dan krijgt u even geen herinneringen. De tijden die u koos, blijven bewaard."),
        )

    @property
    def time_fields(self):
        return [self[name] for name in self.time_names]

    @staticmethod
    def initial_for(schedule) -> dict:
        if schedule is None:
            return {"times": ["09:00", "13:00", "18:00", "21:00"], "active": True}
        return {"times": list(schedule.times), "types": list(schedule.types.all()), "active": schedule.active}

    def cleaned_times(self) -> list[str]:
        return [self.cleaned_data.get(name, "") for name in self.time_names if self.cleaned_data.get(name)]

    def field_for(self, key: str) -> str:
        """Where a service error lands: the times' messages on the first time, the rest by name."""
        return self.time_names[0] if key == "times" else key
