"""Numbers as the reader's language writes them: a decimal comma in Dutch, a decimal point in
English ("3,4 mmol/l" / "3.4 mmol/l"). An English reader takes a comma for a thousands separator,
so "3,4" could be read as 34 — one rule here for every formatter that writes a number as text.
"""

from __future__ import annotations

from django.utils.formats import get_format
from django.utils.translation import get_language


def decimal_text(text: str, language: str | None = None) -> str:
    """``text`` — a number written with a decimal point (or text holding one, like the unit
    "ml/min/1.73 m²") — with the decimal separator of ``language`` (default: the active one), as
    Django's locale formats give it: a comma in Dutch, a point in English."""
    separator = get_format("DECIMAL_SEPARATOR", lang=language or get_language() or "nl")
    return text.replace(".", separator)
