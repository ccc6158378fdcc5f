from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from koers import access
from koers.access.decorators import caseload_view, no_person_data, person_view, portal_view
from koers.lib import glossary
from koers.workspace import caseload_table, kept_overview, selectors
from koers.workspace.search import parse as parse_search

PAGE_SIZE = 25


def _caseload_query(request) -> dict:
    """Search, filter, sort and page from the form. The search term is read from a POST body
    only: in a URL it would land in the address bar, the history and every server log."""
    data = request.POST if request.method == "POST" else request.GET
    term = request.POST.get("q", "").strip()[:100] if request.method == "POST" else ""
    sort = data.get("sorteer") if data.get("sorteer") in selectors.SORTS else "naam"
    descending = data.get("richting") == "af"
    chosen = data.get("sorteer_op")
    if chosen in selectors.SORTS:  # a column header: the same column again turns the order around
        descending = not descending if chosen == sort else False
        sort = chosen
    return {
        "term": term,
        "search": parse_search(term),
        "attention_only": data.get("aandacht") == "1",
        "sort": sort,
        "descending": descending,
        "page_number": data.get("pagina"),
    }


@caseload_view
@require_http_methods(["GET", "POST"])
@login_required
def caseload(request):
    if not request.user.is_professional:
        raise Http404
    query = _caseload_query(request)
    ids = selectors.caseload_ids(
        user=request.user,
        search=query["search"],
        attention_only=query["attention_only"],
        sort=query["sort"],
        descending=query["descending"],
    )
    page = Paginator(ids, PAGE_SIZE).get_page(query["page_number"])
    persons = selectors.caseload_rows(list(page.object_list), user=request.user)
    access.record_list(request.user, persons, object_type="caseload")
    rows = caseload_table.rows(persons)
    context = {"page": page, "persons": persons, "rows": rows, "sorts": selectors.SORTS, **query}
    template = "workspace/caseload.html#results" if request.htmx else "workspace/caseload.html"
    return render(request, template, context)


@person_view(access.Category.DEMOGRAPHICS, object_type="overview", related=("profile",))
def person_overview(request, person):
    categories = access.categories_for(request.user, person)
    if access.Category.PROFILE not in categories:  # read with the person; not this reader's to see
        person._state.fields_cache.pop("profile", None)
    overview_variant = kept_overview.variant(categories)
    reads = selectors.overview_reads(
        person, categories=categories, also={"kept": kept_overview.query(person, overview_variant)}
    )
    kept = reads.pop("kept").rows()
    html = kept_overview.overview_html(
        person=person, reads=reads, categories=categories, overview_variant=overview_variant, kept=kept
    )
    return render(request, "workspace/person_overview.html", {"person": person, "overview_html": html})


@portal_view(access.Category.DEMOGRAPHICS, object_type="portal_home")
def portal_home(request, person):
    categories = access.categories_for(request.user, person)
    overview = selectors.person_overview(person, categories=categories)
    next_steps = selectors.portal_next_steps(person, categories=categories, next_consult=overview["next_consult"])
    context = {"person": person, **overview, "next_steps": next_steps}
    return render(request, "workspace/portal_home.html", context)


@no_person_data
@require_http_methods(["GET", "HEAD"])
def glossary_page(request):
    """ "Woordenlijst" (issue #17): the words of the portal in plain Dutch. No one's data on it, so
    it opens for anyone, signed in or not (a relative or someone thinking of joining too)."""
    return render(request, "workspace/glossary.html", {"words": glossary.WORDS})
