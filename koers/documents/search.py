"""Search in a person's record and, for a professional, across their caseload (issue #17).

What is searched (``SOURCES``): goals and actions, shared decisions, consult summaries and agenda
items with what was discussed, and documents (title, source and the text of the current version,
taken from the PDF at upload). Each source belongs to one access category.

The access layer filters *before* anything is matched or ranked: for each source the query is
limited to the persons this reader may read that category of (one person's ``categories_for``,
or ``visible_person_ids`` of the caseload), inside the same SQL statement, so another person's
text can neither appear nor change a count or a rank. A document Koers filed itself (the care
plan, a lab letter) is searched only for the persons whose categories it needs this reader may
read too (``selectors.readable``), in the same statement.

On PostgreSQL: full-text search with the ``dutch`` configuration (stemming: "slapen" finds
"slaap"), ranked by ``SearchRank``. On SQLite: every word must occur (``icontains``) in one of
the fields, newest first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, FloatField, Q, QuerySet, Value
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from koers import access
from koers.consults.models import AgendaItem, Consult
from koers.decisions.models import SharedDecision
from koers.documents import selectors
from koers.documents.models import DocumentVersion
from koers.goals.models import Action, Goal

QUERY_MAX = 200
WORDS_MAX = 8
PER_SOURCE = 50
SNIPPET = 90
CONFIG = "dutch"


@dataclass(frozen=True)
class Source:
    key: str
    label: Promise
    category: access.Category
    model: type
    person_path: str
    fields: tuple[str, ...]
    date: str
    title: Callable[[object], str]
    url: Callable[[object], str]
    base: Callable[[QuerySet], QuerySet] = lambda qs: qs


def _consult_url(item) -> str:
    if item.consult_id:
        return reverse("consults:detail", args=[item.person_id, item.consult_id])
    return reverse("consults:list", args=[item.person_id])


SOURCES: tuple[Source, ...] = (
    Source(
        "goals", _("Doel"), access.Category.GOALS, Goal, "person", ("description", "why_it_matters"), "created_at",
        lambda o: o.description, lambda o: reverse("goals:detail", args=[o.person_id, o.pk]),
    ),
    Source(
        "actions", _("Actie"), access.Category.GOALS, Action, "person", ("what", "when", "where", "with_whom"),
        "created_at", lambda o: o.what, lambda o: reverse("goals:detail", args=[o.person_id, o.goal_id]),
    ),
    Source(
        "decisions", _("Samen beslissen"), access.Category.DECISION_RECORDS, SharedDecision, "person",
        ("question", "what_matters", "rationale"), "created_at",
        lambda o: o.question, lambda o: reverse("decisions:detail", args=[o.person_id, o.pk]),
    ),
    Source(
        "consults", _("Verslag van een consult"), access.Category.CONSULT_RECORDS, Consult, "person", ("summary",),
        "scheduled_at", lambda o: o.scheduled_at.strftime("%d-%m-%Y"),
        lambda o: reverse("consults:detail", args=[o.person_id, o.pk]),
    ),
    Source(
        "agenda", _("Onderwerp van een consult"), access.Category.CONSULTS, AgendaItem, "person",
        ("title", "detail", "discussion_notes"), "created_at", lambda o: o.title, _consult_url,
    ),
    Source(
        "documents", _("Document"), access.Category.DOCUMENTS, DocumentVersion, "document__person",
        ("document__title", "document__source", "text"), "document__document_date",
        lambda o: o.document.title,
        lambda o: reverse("documents:detail", args=[o.document.person_id, o.document_id]),
        base=lambda qs: qs.filter(number=F("document__current_version"), document__hidden_at__isnull=True)
        .select_related("document", "document__person"),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Hit:
    source: str
    label: str
    person_id: int
    title: str
    snippet: str
    url: str
    rank: float


def clean_query(text: str) -> str:
    return " ".join((text or "").split())[:QUERY_MAX]


def _words(query: str) -> list[str]:
    return [w for w in re.split(r"\W+", query) if len(w) > 1][:WORDS_MAX]


def _snippet(obj, source: Source, words: list[str]) -> str:
    """A short piece of the first field that holds a word of the query."""
    for name in source.fields:
        value = obj
        for part in name.split("__"):
            value = getattr(value, part, "") or ""
        text = " ".join(str(value).split())
        lowered = text.lower()
        at = min((i for i in (lowered.find(w.lower()) for w in words) if i >= 0), default=-1)
        if at >= 0:
            start = max(at - SNIPPET // 3, 0)
            piece = text[start : start + SNIPPET]
            return ("…" if start else "") + piece + ("…" if start + SNIPPET < len(text) else "")
    return ""


def _match(qs: QuerySet, source: Source, query: str, words: list[str]) -> QuerySet:
    if connection.vendor == "postgresql":
        vector = SearchVector(*source.fields, config=CONFIG)
        search = SearchQuery(query, config=CONFIG, search_type="websearch")
        qs = qs.annotate(koers_vector=vector).filter(koers_vector=search)
        return qs.annotate(koers_rank=SearchRank(vector, search)).order_by("-koers_rank", "-pk")
    condition = Q()
    for word in words:
        any_field = Q()
        for name in source.fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    qs = qs.filter(condition).annotate(koers_rank=Value(1.0, output_field=FloatField()))
    return qs.order_by(f"-{source.date}", "-pk")


def _search(
    person_ids_for: Callable[[Source], Iterable[int]],
    query: str,
    narrow_documents: Callable[[QuerySet], QuerySet],
) -> list[Hit]:
    query = clean_query(query)
    words = _words(query)
    if not words:
        return []
    hits: list[Hit] = []
    for source in SOURCES:
        ids = list(person_ids_for(source))
        if not ids:
            continue  # this reader may not read this kind of data of anyone here: not even asked
        qs = source.base(source.model.objects.filter(**{f"{source.person_path}_id__in": ids}))
        if source.model is DocumentVersion:
            qs = narrow_documents(qs)
        for obj in _match(qs, source, query, words)[:PER_SOURCE]:
            person_id = obj.document.person_id if source.key == "documents" else obj.person_id
            hits.append(
                Hit(
                    source=source.key,
                    label=str(source.label),
                    person_id=person_id,
                    title=source.title(obj),
                    snippet=_snippet(obj, source, words),
                    url=source.url(obj),
                    rank=float(obj.koers_rank),
                )
            )
    hits.sort(key=lambda h: -h.rank)  # stable: within a rank, each source's own order
    return hits


def search_person(user, person, query: str) -> list[Hit]:
    """Within one person's record, only in the kinds of data this reader may read of them."""
    categories = access.categories_for(user, person)
    return _search(
        lambda source: [person.pk] if source.category in categories else [],
        query,
        lambda qs: qs.filter(selectors.readable(categories, "document__")),
    )


def search_caseload(user, query: str) -> list[Hit]:
    """Across every person in this professional's caseload, per kind of data only the persons
    whose consent lets this professional read it."""

    def ids(source: Source) -> list[int]:
        return access.visible_person_ids(user, category=source.category, include_self=False)

    def narrow(qs: QuerySet) -> QuerySet:
        """A filed document only of the persons this professional may read its categories of."""
        needed: set[str] = set()
        filed = qs.exclude(document__access_categories="").values_list("document__access_categories", flat=True)
        for value in filed.order_by().distinct():
            needed.update(value.split())
        for name in sorted(needed):
            try:
                person_ids = access.visible_person_ids(user, category=access.Category(name), include_self=False)
            except ValueError:  # a category that no longer exists: nobody reads it
                person_ids = []
            qs = qs.filter(~selectors.needing(name, "document__") | Q(document__person_id__in=person_ids))
        return qs

    return _search(ids, query, narrow)
