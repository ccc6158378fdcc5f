"""A plain letter as a PDF (title, paragraphs, footer), with fpdf2 (pure Python; see docs/decisions.md).
Used for the lab letter (screening) and the care plan (careplans); knows no app.

The built-in PDF fonts cover Windows-1252 (Dutch, “quotes”, €, ²); any other character is
reduced to its base letter (Ł → L) or "?", so a letter is always produced.
"""

from __future__ import annotations

import unicodedata

from fpdf import FPDF

ENCODING = "cp1252"
SUBSTITUTES = {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "ı": "i", "≥": ">=", "≤": "<=", "−": "-"}


def _printable(text: str) -> str:
    out = []
    for char in text:
        try:
            char.encode(ENCODING)
            out.append(char)
        except UnicodeEncodeError:
            if char in SUBSTITUTES:
                out.append(SUBSTITUTES[char])
                continue
            base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
            out.append(base or "?")
    return "".join(out)


def _document(title: str) -> FPDF:
    """An A4 document with its title set and printed as the first heading."""
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_title(_printable(title))
    pdf.set_creator("Koers")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.multi_cell(0, 9, _printable(title), new_x="LMARGIN", new_y="NEXT")
    return pdf


def letter_pdf(*, title: str, body: str, footer: str) -> bytes:
    pdf = _document(title)
    pdf.ln(4)
    pdf.set_font("Helvetica", size=11)
    for paragraph in body.replace("\r\n", "\n").split("\n\n"):
        pdf.multi_cell(0, 6, _printable(paragraph), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.ln(4)
    pdf.set_font("Helvetica", size=8)
    pdf.multi_cell(0, 5, _printable(footer), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def report_pdf(*, title: str, intro: str, sections: list[tuple[str, list[str]]], footer: str) -> bytes:
    """A longer document: a title, an introduction, and per section a heading and its lines
    (used for the person's data export)."""
    pdf = _document(title)
    pdf.ln(2)
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, _printable(intro), new_x="LMARGIN", new_y="NEXT")
    for heading, lines in sections:
        pdf.ln(4)
        pdf.set_font("Helvetica", style="B", size=13)
        pdf.multi_cell(0, 7, _printable(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)
        for line in lines:
            pdf.multi_cell(0, 5, _printable(line), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
    pdf.ln(4)
    pdf.set_font("Helvetica", size=8)
    pdf.multi_cell(0, 5, _printable(footer), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
