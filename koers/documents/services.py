"""Writes of documents: upload (a new document or its next version), share with the person,
hide (the "verwijderen" of a page: kept for the WGBO, out of sight).

Every service checks access *before* its transaction (a refusal's log row is kept), validates
(``ValidationError`` with a plain Dutch message; nothing written, no file stored), then stores
the file, writes the rows and the access-log row in one transaction. A file stored for a
transaction that fails is removed again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.documents import sniff, text
from koers.documents.models import Document, DocumentVersion

STORAGE = "documents"  # settings.STORAGES: private, outside the web root (docs/documents.md)
DOCUMENTS = access.Category.DOCUMENTS
DOCUMENT = "documents.Document"
VERSION = "documents.DocumentVersion"
TITLE_MAX = 200
SOURCE_MAX = 200
REASON_MAX = 500
NAME_MAX = 200


def storage():
    return storages[STORAGE]


def max_bytes() -> int:
    return settings.KOERS_DOCUMENT_MAX_BYTES


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}"


def read_upload(upload) -> tuple[bytes, str]:
    """The bytes of an uploaded file and what they are (sniffed), or a ``ValidationError``.

    The size is checked before anything is read into memory; the type from the bytes alone.
    """
    if upload is None:
        raise ValidationError(_("Kies een bestand."), code="file")
    limit = max_bytes()
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("Dit bestand is te groot. Een bestand mag hoogstens %(mb)s MB zijn.") % {"mb": _megabytes(limit)},
            code="file",
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("Dit bestand is te groot. Een bestand mag hoogstens %(mb)s MB zijn.") % {"mb": _megabytes(limit)},
            code="file",
        )
    if not data:
        raise ValidationError(_("Dit bestand is leeg."), code="file")
    content_type = sniff.sniff(data)
    if content_type is None:
        raise ValidationError(
            _(
                "Dit soort bestand kan Koers niet bewaren. Dat kan wel: PDF, een foto (PNG of JPEG), "
                "Word (DOCX) of gewone tekst."
            ),
            code="file",
        )
    return data, content_type


def _clean(*, title, kind, document_date, source) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    source = (source or "").strip()
    if not title:
        errors["title"] = [_("Geef het document een titel.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("De titel is te lang (hoogstens %(n)s tekens).") % {"n": TITLE_MAX}]
    if kind not in Document.Kind.values:
        errors["kind"] = [_("Kies wat voor document dit is.")]
    if not isinstance(document_date, dt.date) or isinstance(document_date, dt.datetime):
        errors["document_date"] = [_("Vul de datum van het document in.")]
    elif document_date > timezone.localdate():
        errors["document_date"] = [_("De datum van het document kan niet in de toekomst liggen.")]
    if len(source) > SOURCE_MAX:
        errors["source"] = [_("Dit is te lang (hoogstens %(n)s tekens).") % {"n": SOURCE_MAX}]
    if errors:
        raise ValidationError(errors)
    return title, source


def _store(person, data: bytes, content_type: str) -> str:
    name = f"{person.pk}/{uuid.uuid4().hex}.{sniff.EXTENSIONS[content_type]}"
    return storage().save(name, ContentFile(data))


def write_version(*, actor, document, number, data, content_type, original_name, now, origin="") -> DocumentVersion:
    """Store the file and write its row; removes the file again when the transaction fails."""
    file_name = _store(document.person, data, content_type)
    try:
        version = DocumentVersion.objects.create(
            document=document,
            number=number,
            file_name=file_name,
            original_name=(original_name or "")[:NAME_MAX],
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            text=text.extract(data, content_type),
            uploaded_by=actor,
            uploaded_at=now,
            origin=origin,
        )
    except Exception:
        storage().delete(file_name)
        raise
    return version


def document_upload(*, actor, person, upload, title, kind, document_date, source="", shared_with_person=False):
    """A new document in the person's record, version 1. The person themself may add their own
    documents (kind ``own``, always shared with them); the care team any kind."""
    access.require(actor, person, DOCUMENTS, access.Action.CREATE, object_type=DOCUMENT)
    is_self = person.user_id is not None and person.user_id == actor.pk
    if is_self:
        kind, shared_with_person = Document.Kind.OWN, True
        source = source or person.full_name
    title, source = _clean(title=title, kind=kind, document_date=document_date, source=source)
    data, content_type = read_upload(upload)
    now = timezone.now()
    stored: list[str] = []
    try:
        with transaction.atomic():
            document = Document.objects.create(
                person=person,
                title=title,
                kind=kind,
                document_date=document_date,
                source=source,
                shared_with_person=bool(shared_with_person),
                created_by=actor,
                created_at=now,
                current_version=1,
            )
            version = write_version(
                actor=actor,
                document=document,
                number=1,
                data=data,
                content_type=content_type,
                original_name=getattr(upload, "name", ""),
                now=now,
            )
            stored.append(version.file_name)
            access.record(actor, person, access.Action.CREATE, document, detail=f"v1 {content_type}")
    except Exception:
        for name in stored:
            storage().delete(name)
        raise
    return document


def document_version_add(*, actor, document, upload):
    """A new upload of the same document: version n+1; the older versions stay."""
    person = document.person
    access.require(actor, person, DOCUMENTS, access.Action.UPDATE, object_type=DOCUMENT, object_id=document.pk)
    if document.hidden_at is not None:
        raise ValidationError(_("Dit document is verwijderd. U kunt er geen nieuwe versie aan toevoegen."))
    data, content_type = read_upload(upload)
    now = timezone.now()
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=document.pk)
            number = locked.current_version + 1
            version = write_version(
                actor=actor,
                document=locked,
                number=number,
                data=data,
                content_type=content_type,
                original_name=getattr(upload, "name", ""),
                now=now,
            )
            stored.append(version.file_name)
            locked.current_version = number
            locked.save(update_fields=["current_version"])
            access.record(actor, person, access.Action.UPDATE, locked, detail=f"v{number} {content_type}")
    except Exception:
        for name in stored:
            storage().delete(name)
        raise
    document.current_version = number
    return version


def document_share(*, actor, document, shared: bool) -> Document:
    """Share the document with the person (their portal, and relatives they share documents with)
    or stop sharing it."""
    person = document.person
    access.require(actor, person, DOCUMENTS, access.Action.UPDATE, object_type=DOCUMENT, object_id=document.pk)
    if document.kind == Document.Kind.OWN and not shared:
        raise ValidationError(_("Een document dat de cliënt zelf heeft toegevoegd, blijft voor de cliënt zichtbaar."))
    with transaction.atomic():
        document.shared_with_person = bool(shared)
        document.save(update_fields=["shared_with_person"])
        access.record(actor, person, access.Action.UPDATE, document, detail="shared" if shared else "not shared")
    return document


def document_hide(*, actor, document, reason: str) -> Document:
    """ "Verwijderen": the document leaves every list, page, download and search; its rows and
    files are kept (WGBO: the record is kept for 20 years; docs/documents.md)."""
    person = document.person
    access.require(actor, person, DOCUMENTS, access.Action.DELETE, object_type=DOCUMENT, object_id=document.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reden": [_("Schrijf op waarom dit document weg moet.")]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reden": [_("Dit is te lang (hoogstens %(n)s tekens).") % {"n": REASON_MAX}]})
    if document.hidden_at is not None:
        return document
    with transaction.atomic():
        document.hidden_at = timezone.now()
        document.hidden_by = actor
        document.hidden_reason = reason
        document.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        access.record(actor, person, access.Action.DELETE, document, detail="hidden")
    return document
