"""Reads of documents. The views find the person through the access layer first; these narrow
what that reader may see of the person's documents.

- The care team (and emergency access with the documents topic): every document not hidden.
- The person themself and relatives the person shares documents with: only the documents shared
  with the person (their own uploads always are).
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from koers.documents.models import Document, DocumentVersion


def documents_of(person, *, shared_only: bool) -> QuerySet[Document]:
    documents = Document.objects.filter(person=person, hidden_at__isnull=True)
    if shared_only:
        documents = documents.filter(shared_with_person=True)
    return documents.select_related("created_by")


def with_versions(documents: QuerySet[Document]) -> QuerySet[Document]:
    """Each document with its versions, newest first (two queries for any number)."""
    versions = DocumentVersion.objects.select_related("uploaded_by").order_by("-number")
    return documents.prefetch_related(Prefetch("versions", queryset=versions))


def latest_versions(documents) -> dict[int, DocumentVersion]:
    """The current version of each document (from the prefetched versions)."""
    return {d.pk: next(iter(d.versions.all()), None) for d in documents}


def kinds_in_use(documents) -> list[tuple[str, str]]:
    used = {d.kind for d in documents}
    return [(value, label) for value, label in Document.Kind.choices if value in used]
