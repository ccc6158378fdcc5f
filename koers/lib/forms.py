"""Small helpers shared by every app's forms and views."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django import forms
from django.core.exceptions import ValidationError


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
