"""A service's check as problems per field, without writing: for ``<thing>_problems`` functions
that a form shows beside its own problems (``koers.lib.forms.add_problems_beside``)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def problems_of(check: Callable[..., object], /, **values) -> dict[str, list[str]]:
    """What ``check(**values)`` refuses, by field (``ValidationError.message_dict``; a problem of the
    whole under ``NON_FIELD_ERRORS``); ``{}`` when it accepts them. ``check`` must only check: it
    is called for its ValidationError, never to write."""
    try:
        check(**values)
    except ValidationError as error:
        return error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    return {}
