"""The one helper that puts a service's ValidationError on a form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from koers.lib.forms import add_service_error


class _Form(forms.Form):
    title = forms.CharField(required=False)
    answer_q1 = forms.CharField(required=False)


def _bound():
    form = _Form({"title": "x", "answer_q1": "y"})
    assert form.is_valid()
    return form


def test_errors_go_on_the_named_field_and_unknown_names_on_the_form():
    form = _bound()
    add_service_error(form, ValidationError({"title": ["Te lang."], "elsewhere": ["Niet hier."]}))
    assert form.errors["title"] == ["Te lang."]
    assert form.non_field_errors() == ["Niet hier."]


def test_a_plain_error_is_form_wide():
    form = _bound()
    add_service_error(form, ValidationError("Dat kan nog niet."))
    assert form.non_field_errors() == ["Dat kan nog niet."]


def test_service_keys_are_renamed_by_a_map_or_a_function():
    form = _bound()
    add_service_error(form, ValidationError({"name": ["Vul een titel in."]}), {"name": "title"})
    assert form.errors["title"] == ["Vul een titel in."]
    form = _bound()
    add_service_error(form, ValidationError({"q1": ["Kies een antwoord."]}), field_for=lambda key: f"answer_{key}")
    assert form.errors["answer_q1"] == ["Kies een antwoord."]
