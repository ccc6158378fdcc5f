"""Numbers are written the way the reader's language writes them: a decimal comma in Dutch, a
decimal point in English.

An English reader read "LDL cholesterol 3,4 mmol/l (target: below 2,6 mmol/l)" and the
eGFR's unit as "ml/min/1,73 m²": in English a comma separates thousands, so "3,4" can be read as
34. Every page of the URL walk is read in English by the person, her professional, a relative she
shares everything with and a manager; no number on any of them has a decimal comma. The same
pages in Dutch keep it.
"""

from __future__ import annotations

import html
import re

import pytest

from tests.support.pages import read_every_page

pytestmark = pytest.mark.django_db

DECIMAL_COMMA = re.compile(r"(?<![\d,.])\d+,\d(?!\d{2})")  # "3,4", "1,73"; not "1,000" (thousands)


def visible(document: str) -> str:
    """The text a reader sees or hears: without scripts and styles, tags and entities undone."""
    document = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", document)
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", document))


def pages_in(cast, language: str) -> dict[str, str]:
    return {url: visible(body) for url, body in read_every_page(cast, language).items()}


def test_no_english_page_writes_a_decimal_comma(cast):
    pages, found = pages_in(cast, "en"), {}
    for url, text in pages.items():
        hits = sorted({text[max(m.start() - 25, 0) : m.end() + 10].strip() for m in DECIMAL_COMMA.finditer(text)})
        if hits:
            found[url] = hits
    assert not found, "decimal commas on English pages:\n" + "\n".join(f"{u}: {h}" for u, h in sorted(found.items()))
    assert "3.4 mmol/l" in pages[f"/personen/{cast.anna.pk}/metingen/"]
    assert "ml/min/1.73 m²" in pages[f"/personen/{cast.anna.pk}/metingen/streefwaarden/"]


def test_dutch_pages_keep_the_decimal_comma(cast):
    pages = pages_in(cast, "nl")
    measurements = pages[f"/personen/{cast.anna.pk}/metingen/"]
    assert "3,4 mmol/l" in measurements and "3.4 mmol/l" not in measurements
    targets = pages[f"/personen/{cast.anna.pk}/metingen/streefwaarden/"]
    assert "ml/min/1,73 m²" in targets
