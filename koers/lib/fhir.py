"""Small readers for FHIR R4 data types that more than one import uses (FHIR only at the edge)."""

from __future__ import annotations

from django.utils.translation import gettext as _

UCUM = "http://unitsofmeasure.org"


def value_quantity(q, *, text_values: bool = False) -> tuple[object, str, str]:
    """(value, unit, problem) of a FHIR ``valueQuantity``; ``problem`` is a message or "".

    The UCUM ``code`` is preferred over the display ``unit``; a system other than UCUM is
    refused. ``text_values`` also accepts a number written as text (lab systems that send
    decimals as strings to keep their precision); the caller parses it.
    """
    if not isinstance(q, dict) or "value" not in q:
        return None, "", _("er staat geen waarde met eenheid in (valueQuantity)")
    value = q["value"]
    kinds = (int, float, str) if text_values else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        return None, "", _("de waarde is geen getal")
    if q.get("system") not in (None, UCUM):
        return None, "", _("de eenheid is niet in UCUM")
    unit = q.get("code") or q.get("unit") or ""
    if not isinstance(unit, str):
        return None, "", _("de eenheid is niet in UCUM")
    return value, unit, ""
