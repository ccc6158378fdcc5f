"""Importing a file: the upload, and which column holds what."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.monitoring.forms.fields import INVALID_CHOICE, Radios, input_units, type_label
from koers.monitoring.models import ImportBatch

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


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
