"""Forms of koers.monitoring: they parse input; the services decide and validate again.

Quick entry is one form with a field per measurement type (``v_<code>``, and ``u_<code>`` for
the unit where more than one unit is accepted), so a person answers several diary questions
and a blood pressure in one submit. Everything is optional except that something must be
filled in; the services check units, plausible ranges and duplicate moments.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.lib.forms import add_service_error  # noqa: F401 - the views use forms.add_service_error
from koers.monitoring import catalogue
from koers.monitoring.models import ImportBatch, MeasurementType

INVALID_CHOICE = {"invalid_choice": _("Kies een van de mogelijkheden.")}
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%d-%m-%Y"]
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class Radios(forms.RadioSelect):
    """Radio buttons whose field id is the first option's id, so the shared error summary's
    link (``#{{ field.id_for_label }}``) lands on the group."""

    def id_for_label(self, id_, index=None):
        if index is None and id_:
            return f"{id_}_0"
        return super().id_for_label(id_, index)


def type_label(mtype: MeasurementType) -> str:
    return str(catalogue.label(mtype))


def type_anchors(mtype: MeasurementType) -> tuple[str, str]:
    low, high = catalogue.anchors(mtype) or ("", "")
    return str(low or ""), str(high or "")


def input_units(mtype: MeasurementType) -> list[tuple[str, str]]:
    """(UCUM code, what people read) of the units a value may be entered in; canonical first.

    One choice per conversion: spellings of the same unit that device exports use (lb, lbs,
    [lb_av]; mmHg, mm[Hg]) are accepted on import but would only clutter a choice list."""
    factors = catalogue.spec(mtype).accepted_units
    seen: set[float] = set()
    choices = []
    for code in catalogue.accepted_units(mtype):
        factor = factors.get(code, 1.0)
        if factor not in seen:
            seen.add(factor)
            choices.append((code, catalogue.input_unit_label(code)))
    return choices


def _now_local() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def moment_field(**kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=_("Wanneer?"),
        help_text=_("Staat op nu. Verander het als u iets van eerder invult."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=DATETIME_FORMATS,
        error_messages={
            "required": _("Vul in wanneer het was."),
            "invalid": _("Vul een datum en tijd in, bijvoorbeeld 14-03-2026 09:30."),
        },
        **kwargs,
    )


class QuickEntryForm(forms.Form):
    """One submit for several items. ``types`` are the MeasurementType rows to ask."""

    def __init__(self, *args, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.types = list(types)
        self.groups: dict[str, list[MeasurementType]] = {"diary": [], "physical": []}
        for mtype in self.types:
            self.fields[f"v_{mtype.code}"] = self._value_field(mtype)
            group = "physical" if mtype.kind == MeasurementType.Kind.PHYSICAL else "diary"
            self.groups[group].append(mtype)
            if group == "physical":
                units = input_units(mtype)
                if len(units) > 1:
                    self.fields[f"u_{mtype.code}"] = forms.ChoiceField(
                        label=_("Eenheid van %(name)s") % {"name": type_label(mtype)},
                        choices=units,
                        initial=units[0][0],
                        required=False,  # not sent: the usual unit
                        error_messages=INVALID_CHOICE,
                    )
        self.fields["effective_at"] = moment_field(initial=_now_local)
        self.fields["note"] = forms.CharField(
            label=_("Toelichting"),
            help_text=_("Bijvoorbeeld wat er gebeurde. U hoeft niets te schrijven."),
            max_length=300,
            required=False,
            widget=forms.TextInput,
        )

    def _value_field(self, mtype: MeasurementType) -> forms.Field:
        label = type_label(mtype) if mtype.kind == MeasurementType.Kind.PHYSICAL else catalogue.question(mtype)
        low, high = type_anchors(mtype)
        if mtype.scale == MeasurementType.Scale.RATING:
            help_text = _("0 is %(low)s, 10 is %(high)s.") % {"low": low, "high": high} if low or high else ""
            return forms.TypedChoiceField(
                label=label,
                help_text=help_text,
                choices=[(str(i), str(i)) for i in range(11)],
                coerce=float,
                empty_value=None,
                required=False,
                widget=Radios,
                error_messages=INVALID_CHOICE,
            )
        if mtype.scale == MeasurementType.Scale.VAS:
            help_text = _("Een getal van 0 tot 100: 0 is %(low)s, 100 is %(high)s.") % {"low": low, "high": high}
            return forms.IntegerField(
                label=label,
                help_text=help_text,
                required=False,
                min_value=0,
                max_value=100,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 100}),
                error_messages={
                    "invalid": _("Vul een heel getal van 0 tot 100 in."),
                    "min_value": _("Vul een heel getal van 0 tot 100 in."),
                    "max_value": _("Vul een heel getal van 0 tot 100 in."),
                },
            )
        units = input_units(mtype)
        if len(units) == 1:
            label = _("%(name)s (%(unit)s)") % {"name": label, "unit": units[0][1]}
        return forms.FloatField(
            label=label,
            required=False,
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            error_messages={"invalid": _("Vul een getal in, bijvoorbeeld 72,5.")},
        )

    def value_field(self, mtype):
        return self[f"v_{mtype.code}"]

    def unit_field(self, mtype):
        name = f"u_{mtype.code}"
        return self[name] if name in self.fields else None

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.filled():
            raise forms.ValidationError(_("Vul minstens één vraag in."), code="empty")
        return cleaned

    def filled(self) -> list[tuple[MeasurementType, float, str | None]]:
        """(type, value, unit or None for the canonical unit) of every answered item."""
        found = []
        for mtype in self.types:
            value = self.cleaned_data.get(f"v_{mtype.code}")
            if value is None or value == "":
                continue
            unit = self.cleaned_data.get(f"u_{mtype.code}") or None
            found.append((mtype, float(value), unit))
        return found

    def field_for(self, key: str) -> str:
        """The field a service error keyed by a type code, an entry index or a field name belongs to."""
        if f"v_{key}" in self.fields:
            return f"v_{key}"
        if key.isdigit():
            answered = self.filled() if hasattr(self, "cleaned_data") else []
            if int(key) < len(answered):
                return f"v_{answered[int(key)][0].code}"
        return key


class CustomTypeForm(forms.Form):
    """A person's own item, worded together ("Hoeveel last had ik van de stemmen?")."""

    name = forms.CharField(
        label=_("Uw vraag"),
        help_text=_("Schrijf de vraag zoals u hem elke keer wilt lezen."),
        max_length=200,
        error_messages={"required": _("Schrijf de vraag op.")},
    )
    scale = forms.ChoiceField(
        label=_("Hoe wilt u antwoorden?"),
        choices=[
            (MeasurementType.Scale.RATING, _("Met een getal van 0 tot 10")),
            (MeasurementType.Scale.VAS, _("Met een getal van 0 tot 100")),
        ],
        initial=MeasurementType.Scale.RATING,
        widget=Radios,
        error_messages=INVALID_CHOICE,
    )
    anchor_low = forms.CharField(
        label=_("Wat betekent het laagste getal?"),
        help_text=_("Bijvoorbeeld: helemaal geen last."),
        max_length=80,
        error_messages={"required": _("Schrijf op wat het laagste getal betekent.")},
    )
    anchor_high = forms.CharField(
        label=_("Wat betekent het hoogste getal?"),
        help_text=_("Bijvoorbeeld: heel veel last."),
        max_length=80,
        error_messages={"required": _("Schrijf op wat het hoogste getal betekent.")},
    )


class TargetForm(forms.Form):
    low = forms.FloatField(
        label=_("Ondergrens"),
        required=False,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"invalid": _("Vul een getal in, bijvoorbeeld 4,5.")},
    )
    high = forms.FloatField(
        label=_("Bovengrens"),
        required=False,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"invalid": _("Vul een getal in, bijvoorbeeld 7,5.")},
    )
    signal_target = forms.BooleanField(
        label=_("Zorgteam laten weten als een waarde buiten het streefgebied valt"), required=False
    )
    signal_usual = forms.BooleanField(
        label=_("Zorgteam laten weten als een waarde ver buiten het gewone van deze persoon valt"), required=False
    )
    agreed_with_person = forms.BooleanField(label=_("Dit is samen met de cliënt afgesproken"), required=False)
    note = forms.CharField(label=_("Toelichting"), max_length=300, required=False, widget=forms.TextInput)


class PhaseForm(forms.Form):
    starts_on = forms.DateField(
        label=_("Vanaf welke dag?"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"required": _("Vul een datum in."), "invalid": _("Vul een datum in, bijvoorbeeld 01-03-2026.")},
    )
    label = forms.CharField(
        label=_("Wat veranderde er?"),
        help_text=_("Bijvoorbeeld: start sertraline 50 mg, of: start slaaptraining."),
        max_length=200,
        error_messages={"required": _("Schrijf op wat er veranderde.")},
    )
    note = forms.CharField(
        label=_("Toelichting"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    link = forms.ChoiceField(
        label=_("Hoort bij (niet verplicht)"),
        help_text=_("Het medicijn of het gezamenlijke besluit waar deze verandering over gaat."),
        required=False,
        error_messages={"invalid_choice": _("Kies een medicijn of besluit uit de lijst.")},
    )

    def __init__(self, *args, medications=(), decisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Nergens bij"))]
        if medications:
            choices.append(
                (
                    _("Medicijnen"),
                    [(f"medication:{m.pk}", " ".join(filter(None, [m.name, m.dosage]))) for m in medications],
                )
            )
        if decisions:
            choices.append((_("Gezamenlijke besluiten"), [(f"decision:{d.pk}", d.question) for d in decisions]))
        self.fields["link"].choices = choices

    def service_data(self) -> dict:
        """The cleaned data as the service takes it: ``link`` becomes ``medication``/``decision`` ids."""
        data = dict(self.cleaned_data)
        kind, _sep, pk = data.pop("link", "").partition(":")
        if kind in {"medication", "decision"}:
            data[kind] = int(pk)
        return data


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort bestand"),
        choices=ImportBatch.Kind.choices,
        initial=ImportBatch.Kind.CSV,
        widget=Radios,
        error_messages=INVALID_CHOICE,
    )
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("Een CSV-bestand uit uw meter of app (bijvoorbeeld een export), hoogstens 5 MB."),
        error_messages={"required": _("Kies een bestand."), "empty": _("Het bestand is leeg.")},
    )

    def __init__(self, *args, allow_fhir: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_fhir:
            del self.fields["kind"]
        else:
            self.fields["file"].help_text = _(
                "Een CSV-bestand uit een meter of app, of een FHIR-bundel met Observations (JSON), hoogstens 5 MB."
            )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 5 MB. Maak een kleinere export."), code="too_big")
        return upload

    def kind_value(self) -> str:
        return self.cleaned_data.get("kind") or ImportBatch.Kind.CSV


SKIP = ""


class MappingForm(forms.Form):
    """Which column holds the moment, and which measurement type (and unit) each other column is."""

    def __init__(self, *args, columns: list[str], types, proposal: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        proposal = proposal or {}
        proposed_columns = {str(c["index"]): c for c in proposal.get("columns") or ()}
        self.columns = list(columns)
        column_choices = [(str(i), name) for i, name in enumerate(self.columns)]
        self.fields["timestamp"] = forms.ChoiceField(
            label=_("Kolom met de datum (en tijd)"),
            choices=column_choices,
            initial=str(proposal.get("timestamp", 0)),
            error_messages=INVALID_CHOICE,
        )
        self.fields["time"] = forms.ChoiceField(
            label=_("Kolom met de tijd, als die apart staat"),
            choices=[(SKIP, _("Geen aparte tijdkolom")), *column_choices],
            initial=SKIP if proposal.get("time") is None else str(proposal["time"]),
            required=False,
            error_messages=INVALID_CHOICE,
        )
        type_choices = [(SKIP, _("Niet inlezen"))] + [(t.code, type_label(t)) for t in types]
        self.unit_choices = {t.code: input_units(t) for t in types}
        unit_choices = sorted({u for units in self.unit_choices.values() for u in units})
        for i, name in enumerate(self.columns):
            self.fields[f"type_{i}"] = forms.ChoiceField(
                label=_("Kolom “%(name)s” is") % {"name": name},
                choices=type_choices,
                initial=proposed_columns.get(str(i), {}).get("type", SKIP),
                required=False,
                error_messages=INVALID_CHOICE,
            )
            self.fields[f"unit_{i}"] = forms.ChoiceField(
                label=_("Eenheid van kolom “%(name)s”") % {"name": name},
                choices=[(SKIP, _("Gewone eenheid")), *unit_choices],
                initial=proposed_columns.get(str(i), {}).get("unit") or SKIP,
                required=False,
                error_messages=INVALID_CHOICE,
            )

    def column_rows(self):
        return [(name, self[f"type_{i}"], self[f"unit_{i}"]) for i, name in enumerate(self.columns)]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        used = {cleaned.get("timestamp"), cleaned.get("time") or None}
        chosen = []
        for i in range(len(self.columns)):
            code = cleaned.get(f"type_{i}") or SKIP
            if not code:
                continue
            if str(i) in used:
                self.add_error(f"type_{i}", _("Deze kolom is al de datum of tijd."))
                continue
            unit = cleaned.get(f"unit_{i}") or SKIP
            if unit and unit not in dict(self.unit_choices.get(code, [])):
                self.add_error(f"unit_{i}", _("Deze eenheid past niet bij wat de kolom meet."))
            chosen.append(code)
        if not self.errors and not chosen:
            raise forms.ValidationError(_("Kies bij minstens één kolom wat hij meet."), code="empty")
        duplicates = {c for c in chosen if chosen.count(c) > 1}
        if duplicates:
            raise forms.ValidationError(_("Twee kolommen meten hetzelfde. Kies bij één van de twee ‘Niet inlezen’."))
        return cleaned

    def mapping(self) -> dict:
        """The choice in the shape of ``koers.monitoring.csvimport.Mapping.as_dict``."""
        data = self.cleaned_data
        columns = []
        for i in range(len(self.columns)):
            code = data.get(f"type_{i}") or SKIP
            if code:
                columns.append({"index": i, "type": code, "unit": data.get(f"unit_{i}") or ""})
        return {
            "timestamp": int(data["timestamp"]),
            "time": int(data["time"]) if data.get("time") else None,
            "columns": columns,
        }
