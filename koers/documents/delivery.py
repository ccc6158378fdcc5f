"""Serving a document's file: only after the access layer found the person and the document
in what this reader may see, never from a public URL.

A PDF or an image opens in the browser; anything else (Word, text) is always downloaded
(``Content-Disposition: attachment``). The content type is the one sniffed at upload, and
``X-Content-Type-Options: nosniff`` stops the browser guessing another. The page decorator
writes the access-log row of the download (the version's id) once the answer is ready.
"""

from __future__ import annotations

from django.http import HttpResponse

from koers import access
from koers.documents import selectors, services, sniff
from koers.documents.models import DocumentVersion

NOT_IN_RECORD = "not in this record"  # the access log's detail for an object of another record


def version_of(request, person, document_id, version_id, *, shared_only: bool) -> DocumentVersion:
    """The version, if its document is this person's and visible to this reader; else the
    missing-record 404 and a refused row."""
    categories = access.categories_for(request.user, person)
    documents = selectors.documents_of(person, shared_only=shared_only, categories=categories)
    document = access.object_for(request.user, documents, document_id, person=person)
    try:
        return DocumentVersion.objects.select_related("document").get(document=document, pk=int(version_id))
    except (DocumentVersion.DoesNotExist, TypeError, ValueError):
        access.refuse(
            request.user,
            person_id=person.pk,
            category=access.Category.DOCUMENTS,
            action=access.Action.READ,
            object_type=services.VERSION,
            object_id=version_id,
            detail=NOT_IN_RECORD,
        )


def file_response(version: DocumentVersion) -> HttpResponse:
    with services.storage().open(version.file_name, "rb") as handle:
        data = handle.read()
    response = HttpResponse(data, content_type=version.content_type)
    disposition = "inline" if version.content_type in sniff.INLINE else "attachment"
    name = f"document-{version.document_id}-v{version.number}.{sniff.EXTENSIONS.get(version.content_type, 'bin')}"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response
