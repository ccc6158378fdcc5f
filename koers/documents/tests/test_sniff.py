"""The type of a file comes from its bytes alone (pure, no database)."""

from __future__ import annotations

import pytest

from koers.documents import sniff, text
from koers.documents.tests.conftest import PNG, docx_bytes, pdf_bytes


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (pdf_bytes("Hallo"), sniff.PDF),
        (PNG, sniff.PNG),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, sniff.JPEG),
        (docx_bytes(), sniff.DOCX),
        ("Brief van de huisarts: één keer per dag.\n".encode(), sniff.TEXT),
        (b"\xef\xbb\xbfMet BOM\n", sniff.TEXT),
    ],
)
def test_accepted_types_are_recognised_by_their_bytes(data, expected):
    assert sniff.sniff(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows program, whatever its name says
        b"PK\x03\x04" + b"\x00" * 30,  # a zip that is not a Word document
        b"\x00\x01\x02binary",
        b"",
        b"   \n\t",
        "geen utf-8: caf\xe9".encode("latin-1"),
        b"GIF89a\x01\x00",
    ],
)
def test_everything_else_is_refused(data):
    assert sniff.sniff(data) is None


def test_only_pdf_and_images_open_in_the_browser():
    assert sniff.INLINE == {sniff.PDF, sniff.PNG, sniff.JPEG}


def test_text_of_a_pdf_is_extracted_and_a_broken_pdf_gives_none():
    assert "Ontslagbrief" in text.extract(pdf_bytes("Ontslagbrief na opname"), sniff.PDF)
    assert text.extract(b"%PDF-1.4 kapot", sniff.PDF) == ""
    assert text.extract(PNG, sniff.PNG) == ""
    assert text.extract("één".encode(), sniff.TEXT) == "één"
