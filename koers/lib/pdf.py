"""A plain letter as a PDF (title, paragraphs, footer), with fpdf2 (pure Python; see docs/decisions.md).
Used for the lab letter (screening), the care plan (careplans) and the crisis plan and card
(crisisplans, ``sheet_pdf``); knows no app.

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


def _document(title: str, *, page="A4", margin: float = 20, title_size: float = 16) -> FPDF:
    """A document (A4 unless ``page`` says otherwise: a name or (width, height) in mm) with its
    title set and printed as the first heading."""
    pdf = FPDF(format=page)
    pdf.core_fonts_encoding = ENCODING
    pdf.set_title(_printable(title))
    pdf.set_creator("Koers")
    pdf.set_margins(margin, margin, margin)
    pdf.set_auto_page_break(auto=True, margin=margin)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=title_size)
    pdf.multi_cell(0, title_size * 9 / 16, _printable(title), new_x="LMARGIN", new_y="NEXT")
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


# Font sizes tried, largest first, until a sheet fits its pages.
SHEET_SIZES = (11, 10, 9, 8, 7, 6)


def _sheet(title, sections, footer, *, page, margin, size) -> FPDF:
    pdf = _document(title, page=page, margin=margin, title_size=size + 4)
    line = size * 0.45
    for heading, lines in sections:
        pdf.ln(line / 2)
        pdf.set_font("Helvetica", style="B", size=size + 1)
        pdf.multi_cell(0, line + 0.5, _printable(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=size)
        for text in lines:
            pdf.multi_cell(0, line, _printable(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(line / 2)
    pdf.set_font("Helvetica", size=max(size - 2, 5))
    pdf.multi_cell(0, line - 0.5, _printable(footer), new_x="LMARGIN", new_y="NEXT")
    return pdf


def sheet_pdf(
    *, title: str, sections: list[tuple[str, list[str]]], footer: str, page="A4", margin: float = 15, pages: int = 1
) -> bytes:
    """A sheet that must stay short (the crisis plan on one page, the pocket card): a title, per
    section a heading and its lines, a footer; the type shrinks until it fits ``pages`` pages
    (down to 6 pt; beyond that it takes the pages it needs rather than lose words)."""
    for size in SHEET_SIZES:
        pdf = _sheet(title, sections, footer, page=page, margin=margin, size=size)
        if pdf.page_no() <= pages:
            break
    return bytes(pdf.output())
