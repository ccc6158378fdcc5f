"""The shared letter PDF: pure, any text gives a letter, and every name prints (issue #17)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from koers.lib.pdf import _printable, letter_pdf, report_pdf, sheet_pdf

NAMES = ("Łukasz Żółć", "Ṣeyma Öztürk", "Nguyễn Thị Ánh", "Đorđe Šćepanović", "Ğülşen Çelik", "Ærø Ñúñez")


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_characters_outside_the_font_are_reduced_not_refused():
    assert _printable("Łódź ≥ 5 − 2 “é” €") == "Łódź ≥ 5 − 2 “é” €"
    assert _printable("漢") == "?"
    assert _printable("Ａ") == "A"  # a full-width letter: its base letter


def test_a_letter_is_a_pdf():
    pdf = letter_pdf(title="Uitslag", body="Eerste alinea.\n\nTweede alinea.", footer="Gemaakt met Koers.")
    assert pdf.startswith(b"%PDF-")


@pytest.mark.parametrize("name", NAMES)
def test_every_name_prints_in_every_kind_of_pdf(name):
    """Read back with pypdf: the name is in the PDF's text, exactly (the font is embedded)."""
    letter = letter_pdf(title=f"Brief voor {name}", body=f"Beste {name},\n\nUw uitslag.", footer="Koers")
    report = report_pdf(title="Zorgplan", intro=f"Over {name}", sections=[("Doelen", [f"{name}: slapen"])], footer="")
    sheet = sheet_pdf(title="Crisisplan", sections=[(name, ["Bel de huisarts"])], footer=name)
    for pdf in (letter, report, sheet):
        text = _text(pdf)
        assert name in text, (name, text[:200])
