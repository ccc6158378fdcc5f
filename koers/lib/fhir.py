"""Plain words for what the FHIR Observation mapper (``koers.measurement.fhir``) finds wrong with a
``valueQuantity``, shared by the screening and self-monitoring imports (FHIR only at the edge).

The mapper is pure and reports ``Problem`` codes; this table puts them into translated words. It is
keyed by the codes' text, so that lib imports nothing above it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

QUANTITY_PROBLEMS = {
    "no_quantity": gettext_lazy("er staat geen waarde met eenheid in (valueQuantity)"),
    "not_a_number": gettext_lazy("de waarde is geen getal"),
    "not_ucum": gettext_lazy("de eenheid is niet in UCUM"),
}


def quantity_problem(problem: str) -> str:
    """The words for a ``valueQuantity`` problem code (lower case, no full stop: callers place it)."""
    return str(QUANTITY_PROBLEMS[problem])
