from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from koers.network import access
from koers.network.decorators import caseload_view, person_view, portal_view
from koers.workspace import selectors

PAGE_SIZE = 25


@caseload_view
@login_required
def caseload(request):
    if not request.user.is_professional:
        raise Http404
    search = request.GET.get("q", "").strip()[:100]
    attention_only = request.GET.get("aandacht") == "1"
    ids = selectors.caseload_ids(user=request.user, search=search, attention_only=attention_only)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("pagina"))
    persons = selectors.caseload_rows(list(page.object_list))
    access.record_list(request.user, persons, object_type="caseload")
    context = {"page": page, "persons": persons, "search": search, "attention_only": attention_only}
    template = "workspace/caseload.html#rows" if request.htmx else "workspace/caseload.html"
    return render(request, template, context)


@person_view(access.Category.DEMOGRAPHICS, object_type="overview")
def person_overview(request, person):
    categories = access.categories_for(request.user, person)
    context = {"person": person, **selectors.person_overview(person, categories=categories)}
    return render(request, "workspace/person_overview.html", context)


@portal_view(access.Category.DEMOGRAPHICS, object_type="portal_home")
def portal_home(request, person):
    categories = access.categories_for(request.user, person)
    overview = selectors.person_overview(person, categories=categories)
    next_steps = selectors.portal_next_steps(person, categories=categories, next_consult=overview["next_consult"])
    context = {"person": person, **overview, "next_steps": next_steps}
    return render(request, "workspace/portal_home.html", context)
