"""Filing Koers's own PDFs in the person's record (issue #17): the care plan once a version is
agreed, a lab letter once it is sent. The apps that make them sit below koers.documents; they
announce the PDF with ``koers.people.hooks.document_made`` and ``document_file`` (registered in
``DocumentsConfig.ready()``) files it.

- One document per thing (``MadeDocument.origin``: the care plan, one lab letter), one version
  per file (``version_origin``: an agreed plan version). Every agreed plan version is the next
  version of the person's "Zorgplan" document.
- Idempotent: a ``version_origin`` already filed is not filed again (a retry, or agreeing again
  without a change), guarded by a unique constraint and a row lock on the document.
- The document needs the categories it was made from (``access_categories``) besides
  ``documents``; shared with the person when the app says so (the plan and a sent letter are
  theirs).
- Runs inside the announcing service's transaction: the plan is agreed and its PDF filed, or
  neither. The announcing service checked the actor's access to what it did; filing is its
  consequence, so it is not refused for a missing ``documents`` topic, and it leaves its own
  access-log row (CREATE or UPDATE of the document, detail ``filed``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from koers import access
from koers.documents import selectors, sniff
from koers.documents.models import Document, DocumentVersion
from koers.documents.services import storage, write_version
from koers.people.hooks import MadeDocument


def _document_for(*, actor, person, made: MadeDocument, now) -> tuple[Document, bool]:
    categories = selectors.categories_value(made.categories)
    document = Document.objects.select_for_update().filter(person=person, origin=made.origin).first()
    if document is None:
        document = Document.objects.create(
            person=person,
            title=made.title[:200],
            kind=made.kind,
            document_date=made.document_date,
            source=made.source[:200],
            shared_with_person=made.shared_with_person,
            created_by=actor,
            created_at=now,
            current_version=0,
            origin=made.origin,
            access_categories=categories,
        )
        return document, True
    # A newer version: its date, title and categories describe the document from now on.
    document.title, document.document_date = made.title[:200], made.document_date
    document.access_categories = categories
    document.save(update_fields=["title", "document_date", "access_categories"])
    return document, False


def document_file(*, actor, person, document: MadeDocument) -> DocumentVersion | None:
    """File ``document`` in the person's record; None when this file was filed already."""
    made = document
    if DocumentVersion.objects.filter(document__person=person, origin=made.version_origin).exists():
        return None
    now = timezone.now()
    stored: list[str] = []
    try:
        with transaction.atomic():
            filed, created = _document_for(actor=actor, person=person, made=made, now=now)
            if filed.versions.filter(origin=made.version_origin).exists():
                return None
            number = filed.current_version + 1
            data = made.render_numbered(number) if made.render_numbered else made.render()
            content_type = sniff.sniff(data)
            if content_type != sniff.PDF:
                raise ValueError(f"{made.version_origin} did not render a PDF")
            version = write_version(
                actor=actor,
                document=filed,
                number=number,
                data=data,
                content_type=content_type,
                original_name="",
                now=now,
                origin=made.version_origin,
            )
            stored.append(version.file_name)
            filed.current_version = number
            filed.save(update_fields=["current_version"])
            action = access.Action.CREATE if created else access.Action.UPDATE
            access.record(actor, person, action, filed, detail=f"filed v{number} {made.version_origin}")
    except Exception:
        for name in stored:
            storage().delete(name)
        raise
    return version
