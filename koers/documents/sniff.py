"""What a file is, read from its first bytes (magic numbers), never from its name or the
browser's content type. Pure: bytes in, a content type or None out (docs/documents.md).

Only the few types Koers accepts are recognised: PDF, PNG, JPEG, Word (DOCX: a zip holding
``[Content_Types].xml`` and ``word/``) and plain text (UTF-8 without control characters).
A file that is none of these gets None and is refused. Written here rather than taken from a
library: five types, a dozen lines (docs/decisions.md).
"""

from __future__ import annotations

import io
import zipfile

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"

ACCEPTED = (PDF, PNG, JPEG, DOCX, TEXT)
# Shown in the browser (the browser's own PDF viewer or image); everything else is downloaded.
INLINE = frozenset({PDF, PNG, JPEG})
EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg", DOCX: "docx", TEXT: "txt"}

_ALLOWED_CONTROLS = frozenset("\t\n\r\f")


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return bool(text.strip()) and not any(ord(c) < 32 and c not in _ALLOWED_CONTROLS for c in text)


def sniff(data: bytes) -> str | None:
    """The content type of ``data``, or None when it is not one Koers accepts."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return DOCX if _is_docx(data) else None
    if _is_text(data.removeprefix(b"\xef\xbb\xbf")):
        return TEXT
    return None
