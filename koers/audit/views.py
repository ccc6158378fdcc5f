from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from koers.audit.selectors import access_log_for_person
from koers.network import access
from koers.network.decorators import portal_view


@portal_view(access.Category.ACCESS_LOG, object_type="access_log")
def portal_log(request, person):
    include_own = request.GET.get("ook_ik") == "1"
    page = Paginator(access_log_for_person(person, include_own=include_own), 50).get_page(request.GET.get("pagina"))
    return render(request, "audit/portal_log.html", {"person": person, "page": page, "include_own": include_own})
