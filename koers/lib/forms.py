"""Small helpers shared by every app's forms and views."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from koers.lib.ids import MAX_ID


def add_service_error(
    form: forms.Form,
    error: ValidationError,
    field_map: Mapping[str, str] | None = None,
    *,
    field_for: Callable[[str], str] | None = None,
) -> None:
    """Put a service's ValidationError on the form: on the field it names, else on the form as
    a whole, so no message is lost because the service and the form name a field differently.
    ``field_map`` renames service keys to form fields; ``field_for`` does it with a function
    (e.g. a questionnaire's linkId to its field)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = field_for(name) if field_for else (field_map or {}).get(name, name)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, error)


def add_problems_beside(
    form: forms.Form, problems: Mapping[str, list[str]], *, needs: Mapping[str, str] | None = None
) -> None:
    """After a form found problems of its own, a service's (found without writing, from the fields
    the form could read) on the fields the form found nothing wrong with: every problem shows in
    one answer, not in a second round after the first are fixed. A problem that names no field of
    the form is said for the form as a whole (as ``add_service_error``). ``needs`` names a field
    whose check uses another (``{"channel": "email"}``): its problem is said only when that one is right."""
    needs = needs or {}
    for name, said in problems.items():
        if name in form.errors or needs.get(name) in form.errors:
            continue
        form.add_error(name if name in form.fields else None, said)


class IdField(forms.IntegerField):
    """A row's id in a form (hidden by default): a whole number from 1 to ``MAX_ID``, so that any
    other number is an invalid form, never a lookup (tests/test_out_of_range_ids.py)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class ModelIdsField(forms.ModelMultipleChoiceField):
    """Django's ``ModelMultipleChoiceField`` (checkboxes of rows), where an id no row can have is an
    invalid choice instead of a server error: Django guards ``pk=`` against numbers beyond a bigint,
    not the ``pk__in`` this field asks (found by the bad-input walk of 7 December 2026)."""

    def _check_values(self, value):
        if (self.to_field_name or "pk") == "pk":
            for pk in value:
                try:
                    number = int(str(pk))
                except ValueError:
                    continue  # not a number: Django's own check says so
                if not 0 < number <= MAX_ID:
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                    )
        return super()._check_values(value)


NOT_SAVED = object()
"""What ``save_form`` returns when the form or the service refused (a service may return None)."""


def save_form(
    form: forms.Form,
    save: Callable[[dict], Any],
    *,
    field_map: Mapping[str, str] | None = None,
    problems: Callable[[], Mapping[str, list[str]]] | None = None,
) -> Any:
    """Validate the bound form and call ``save(form.cleaned_data)``. Returns what ``save`` returns,
    or ``NOT_SAVED`` when the form is invalid or the service raised a ValidationError (its
    messages are then on the form, see ``add_service_error``). With ``problems`` (the service's
    check without writing), an invalid form also shows the service's problems (``add_problems_beside``)."""
    if not form.is_valid():
        if problems is not None:
            add_problems_beside(form, problems())
        return NOT_SAVED
    try:
        return save(form.cleaned_data)
    except ValidationError as error:
        add_service_error(form, error, field_map)
        return NOT_SAVED


def submit_form(
    request: HttpRequest,
    form: forms.Form,
    *,
    save: Callable[[dict], Any],
    success_url: str | Callable[[Any], str],
    success_message: str = "",
    template: str,
    context: Mapping[str, Any],
    field_map: Mapping[str, str] | None = None,
    problems: Callable[[], Mapping[str, list[str]]] | None = None,
) -> HttpResponse:
    """The form page of a view: "bound form -> service -> error or redirect".

    On a POST the form is validated and ``save(cleaned_data)`` called (see ``save_form``); when
    that worked, ``success_message`` is shown on the next page and the answer redirects to
    ``success_url`` (a URL, or a function of what ``save`` returned, e.g. the new object).
    Otherwise (a GET, an invalid form, a refusal by the service) ``template`` is rendered with
    ``context`` and the form as ``form``, its errors on it (with ``problems``: every one at once)."""
    if request.method == "POST":
        result = save_form(form, save, field_map=field_map, problems=problems)
        if result is not NOT_SAVED:
            if success_message:
                messages.success(request, success_message)
            return redirect(success_url(result) if callable(success_url) else success_url)
    return render(request, template, {**context, "form": form})
