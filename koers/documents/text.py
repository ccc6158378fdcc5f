"""The text inside an uploaded file, for search: a PDF's text layer (pypdf) or a text file's
content. A scanned PDF has no text layer and gives ""; a PDF pypdf cannot read gives "" too
(the upload still succeeds: the file is the document, the text only helps to find it)."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from koers.documents import sniff

logger = logging.getLogger(__name__)

MAX_PAGES = 200
MAX_CHARS = 200_000


def _pdf_text(data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return ""
        parts = []
        for page in reader.pages[:MAX_PAGES]:
            parts.append(page.extract_text() or "")
            if sum(len(p) for p in parts) > MAX_CHARS:
                break
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as error:
        logger.info("no text from a PDF: %s", type(error).__name__)
        return ""
    return "\n".join(parts)


def extract(data: bytes, content_type: str) -> str:
    """Searchable text of a file whose type was sniffed; "" when it has none."""
    if content_type == sniff.PDF:
        text = _pdf_text(data)
    elif content_type == sniff.TEXT:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    else:
        text = ""
    return text.replace("\x00", "")[:MAX_CHARS]
