"""Search pages: within one person's record (professional, under the person's tabs) and across
the professional's caseload. Each search leaves access-log rows: the page's READ row for the
person searched, and for the caseload one row for the search and one per person found. The
words searched for are not written in the log (they may themselves be health data); the
number of results is."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from koers import access
from koers.access.decorators import caseload_view, person_view
from koers.audit import log as audit_log
from koers.documents import search
from koers.documents.forms import SearchForm
from koers.people.models import Person

SEARCH = "search"


@person_view(access.Category.DEMOGRAPHICS, object_type=SEARCH)
@require_safe
def person_search(request, person):
    form = SearchForm(request.GET or None)
    query = search.clean_query(request.GET.get("q", ""))
    hits = search.search_person(request.user, person, query) if query else []
    if query:
        access.record(request.user, person, access.Action.READ, object_type=SEARCH, detail=f"{len(hits)} results")
    context = {"person": person, "form": form, "query": query, "hits": hits, "searched": bool(query)}
    return render(request, "documents/person_search.html", context)


@caseload_view(object_type=SEARCH)
@require_safe
def caseload_search(request):
    form = SearchForm(request.GET or None)
    query = search.clean_query(request.GET.get("q", ""))
    hits = search.search_caseload(request.user, query) if query else []
    # access: the ids come from hits that search_caseload filtered by visible_person_ids per category
    persons = Person.objects.in_bulk({h.person_id for h in hits})
    if query:
        audit_log.record(
            user=request.user, action=access.Action.READ, object_type=SEARCH, detail=f"caseload: {len(hits)} results"
        )
        access.record_list(request.user, persons.values(), object_type=SEARCH)
    rows = [(hit, persons[hit.person_id]) for hit in hits]
    context = {"form": form, "query": query, "rows": rows, "searched": bool(query)}
    return render(request, "documents/caseload_search.html", context)
