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
from django.urls import reverse

from koers import access
from koers.documents.models import Document, DocumentVersion
from koers.people import hooks


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


def filed_for(*, reader, person, origin: str) -> hooks.FiledDocument | None:
    """The document Koers filed for ``origin``, for a page that links to it (``people.hooks
    .filed_document``): only for a reader with the ``documents`` category and every category the
    document was made from (who may not see it gets None, as if nothing was filed). A link on a
    page the reader opened (that read is logged there); opening the document is logged by its
    own page."""
    if not origin or not access.can(reader, person, access.Category.DOCUMENTS):
        return None
    categories = access.categories_for(reader, person)
    relationship = access.relationship_of(reader, person)
    shared_only = relationship in (access.Relationship.SELF, access.Relationship.RELATIVE)
    document = documents_of(person, shared_only=shared_only, categories=categories).filter(origin=origin).first()
    if document is None:
        return None
    if relationship == access.Relationship.SELF:
        url = reverse("documents:portal_list")
    elif relationship == access.Relationship.RELATIVE:
        url = reverse("documents:relative_list", args=[person.pk])
    else:
        url = reverse("documents:detail", args=[person.pk, document.pk])
    return hooks.FiledDocument(title=document.title, version=document.current_version, url=url)


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
