"""Reads of documents. The views find the person through the access layer first; these narrow
what that reader may see of the person's documents.

- The care team (and emergency access with the documents topic): every document not hidden.
- The person themself and relatives the person shares documents with: only the documents shared
  with the person (their own uploads always are).
- A document Koers filed itself (the care plan, a lab letter) also needs the access categories
  it was made from (``Document.access_categories``): ``categories`` is what this reader may read
  of the person (``access.categories_for``); a document needing one outside it is left out, in
  the query.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from koers import access
from koers.documents.models import Document, DocumentVersion


def categories_value(categories: Iterable[str]) -> str:
    """``Document.access_categories`` as stored: sorted, space-separated and padded with a space
    on both sides (" careplan clinical "), so one ``contains=" x "`` finds a category."""
    names = sorted(set(categories))
    return f" {' '.join(names)} " if names else ""


def needing(category: str, prefix: str = "") -> Q:
    """The documents that need ``category`` (``prefix``: the path to the document, "document__")."""
    return Q(**{f"{prefix}access_categories__contains": f" {category} "})


def readable(categories: Iterable[str], prefix: str = "") -> Q:
    """The documents that need no category outside ``categories``."""
    condition = Q()
    for category in set(access.Category) - set(categories):
        condition &= ~needing(category, prefix)
    return condition


def documents_of(person, *, shared_only: bool, categories: Iterable[str]) -> QuerySet[Document]:
    documents = Document.objects.filter(person=person, hidden_at__isnull=True).filter(readable(categories))
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
