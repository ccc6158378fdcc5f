"""The shared letter PDF: pure, any text gives a letter."""

from __future__ import annotations

from koers.lib.pdf import _printable, letter_pdf


def test_characters_outside_the_pdf_fonts_are_reduced_not_refused():
    assert _printable("Łódź ≥ 5 − 2 “é” €") == "Lódz >= 5 - 2 “é” €"
    assert _printable("漢") == "?"


def test_a_letter_is_a_pdf():
    pdf = letter_pdf(title="Uitslag", body="Eerste alinea.\n\nTweede alinea.", footer="Gemaakt met Koers.")
    assert pdf.startswith(b"%PDF-")
