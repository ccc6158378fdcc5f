"""The lab letter as a PDF (``koers.lib.pdf.letter_pdf``), for its download and, once sent, as
the document filed in the person's record (``koers.people.hooks.document_made``, issue #17)."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from koers import access
from koers.lib.pdf import letter_pdf
from koers.people.hooks import MadeDocument
from koers.screening.models import LabLetter


def pdf_bytes(letter: LabLetter) -> bytes:
    footer = _("Verstuurd op %(date)s via Koers.") % {
        "date": timezone.localtime(letter.sent_at).strftime("%d-%m-%Y") if letter.sent_at else "—"
    }
    return letter_pdf(title=letter.title, body=letter.body, footer=footer)


def sent_document(letter: LabLetter, *, language: str) -> MadeDocument:
    """A sent letter as a document shared with the person; a reader needs the category of lab
    letters (``measurement_plan``) besides ``documents``. The letter is written in Dutch; its
    footer is in the person's ``language``."""

    def render() -> bytes:
        with translation.override(language):
            return pdf_bytes(letter)

    sender = letter.sent_by
    return MadeDocument(
        origin=f"screening.LabLetter:{letter.pk}",
        version_origin=f"screening.LabLetter:{letter.pk}",
        kind="lab_letter",
        title=letter.title,
        document_date=timezone.localdate(letter.sent_at),
        source=(sender.get_full_name() or sender.get_username()) if sender else "",
        categories=(str(access.Category.MEASUREMENT_PLAN),),
        shared_with_person=True,
        render=render,
    )
