"""A plain letter as a PDF (title, paragraphs, footer), with fpdf2 (pure Python; see docs/decisions.md).
Used for the lab letter (screening), the care plan (careplans), the crisis plan and card
(crisisplans, ``sheet_pdf``), the handover summary and the data export (``report_pdf``); knows no app.

Text is left-aligned (never justified: even word spacing reads more easily).

One Unicode font for every Koers PDF (issue #17): DejaVu Sans, vendored in ``koers/lib/fonts``
with its licence (Bitstream Vera licence, DejaVu changes public domain; docs/decisions.md). It
prints Polish, Turkish, Vietnamese, Yoruba … names ("Łukasz Żółć", "Ṣeyma", "Nguyễn"). A
character the font has no glyph for (e.g. Chinese) is reduced to its base letter or "?", so a
letter is always produced and never prints an empty box.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_FILES = {"": FONTS / "DejaVuSans.ttf", "B": FONTS / "DejaVuSans-Bold.ttf"}
SUBSTITUTES = {"≥": ">=", "≤": "<="}  # kept for a font without them; DejaVu Sans has both


@cache
def _covered() -> frozenset[int]:
    """The code points both faces have a glyph for (read once from the fonts' cmap tables)."""
    faces = [set(TTFont(path, lazy=True).getBestCmap()) for path in FONT_FILES.values()]
    return frozenset(set.intersection(*faces))


def _printable(text: str) -> str:
    covered = _covered()
    out = []
    for char in text:
        if ord(char) in covered or char in "\n\r\t":
            out.append(char)
            continue
        if char in SUBSTITUTES:
            out.append(SUBSTITUTES[char])
            continue
        base = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in base if ord(c) in covered and not unicodedata.combining(c))
        out.append(base or "?")
    return "".join(out)


def _document(title: str, *, page="A4", margin: float = 20, title_size: float = 16) -> FPDF:
    """A document (A4 unless ``page`` says otherwise: a name or (width, height) in mm) with its
    title set and printed as the first heading."""
    pdf = FPDF(format=page)
    for style, path in FONT_FILES.items():
        pdf.add_font(FONT, style=style, fname=str(path))
    pdf.set_title(_printable(title))
    pdf.set_creator("Koers")
    pdf.set_margins(margin, margin, margin)
    pdf.set_auto_page_break(auto=True, margin=margin)
    pdf.add_page()
    pdf.set_font(FONT, style="B", size=title_size)
    pdf.multi_cell(0, title_size * 9 / 16, _printable(title), new_x="LMARGIN", new_y="NEXT", align="L")
    return pdf


def letter_pdf(*, title: str, body: str, footer: str) -> bytes:
    pdf = _document(title)
    pdf.ln(4)
    pdf.set_font(FONT, size=11)
    for paragraph in body.replace("\r\n", "\n").split("\n\n"):
        pdf.multi_cell(0, 6, _printable(paragraph), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(3)
    pdf.ln(4)
    pdf.set_font(FONT, size=8)
    pdf.multi_cell(0, 5, _printable(footer), new_x="LMARGIN", new_y="NEXT", align="L")
    return bytes(pdf.output())


def report_pdf(*, title: str, intro: str, sections: list[tuple[str, list[str]]], footer: str) -> bytes:
    """A longer document: a title, an introduction, and per section a heading and its lines
    (used for the person's data export)."""
    pdf = _document(title)
    pdf.ln(2)
    pdf.set_font(FONT, size=11)
    pdf.multi_cell(0, 6, _printable(intro), new_x="LMARGIN", new_y="NEXT", align="L")
    for heading, lines in sections:
        pdf.ln(4)
        pdf.set_font(FONT, style="B", size=13)
        pdf.multi_cell(0, 7, _printable(heading), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_font(FONT, size=10)
        for line in lines:
            pdf.multi_cell(0, 5, _printable(line), new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(1)
    pdf.ln(4)
    pdf.set_font(FONT, size=8)
    pdf.multi_cell(0, 5, _printable(footer), new_x="LMARGIN", new_y="NEXT", align="L")
    return bytes(pdf.output())


# Font sizes tried, largest first, until a sheet fits its pages.
SHEET_SIZES = (11, 10, 9, 8, 7, 6)


def _sheet(title, sections, footer, *, page, margin, size) -> FPDF:
    pdf = _document(title, page=page, margin=margin, title_size=size + 4)
    line = size * 0.45
    for heading, lines in sections:
        pdf.ln(line / 2)
        pdf.set_font(FONT, style="B", size=size + 1)
        pdf.multi_cell(0, line + 0.5, _printable(heading), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_font(FONT, size=size)
        for text in lines:
            pdf.multi_cell(0, line, _printable(text), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(line / 2)
    pdf.set_font(FONT, size=max(size - 2, 5))
    pdf.multi_cell(0, line - 0.5, _printable(footer), new_x="LMARGIN", new_y="NEXT", align="L")
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
