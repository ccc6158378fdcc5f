"""``caseload_view`` enforces: a page for one's caseload (a list, registering a person, marking
one's inbox) is for a user the policy table gives a caseload — a professional in care teams.
Anyone else gets the same ``NotFound`` as everywhere, with a refused row; no session: login."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from koers import access
from koers.access.decorators import caseload_view
from koers.audit.models import AccessLogEntry
from koers.people.models import Person

pytestmark = pytest.mark.django_db


def _refused(user, **filters) -> int:
    return AccessLogEntry.objects.filter(user=user, outcome="refused", **filters).count()


def test_registering_a_person_refuses_a_person_or_relative_account_with_a_refused_row(cast, login):
    form = {"given_name": "Dirk", "family_name": "Visser", "birth_date": "1950-02-03", "gender": "male"}
    for user in (cast.anna_user, cast.rob):
        assert login(user).post(reverse("people:register"), form).status_code == 404
        assert _refused(user, action="C", object_type="people.Person", person__isnull=True) == 1
        assert login(user).get(reverse("people:register")).status_code == 404
        assert _refused(user, action="R", object_type="people.Person", person__isnull=True) == 1
    assert not Person.objects.filter(given_name="Dirk").exists()


def test_the_decorator_itself_enforces(cast):
    @caseload_view
    def page(request):
        return HttpResponse("list")

    factory = RequestFactory()
    for user in (cast.anna_user, cast.rob):
        request = factory.get("/lijst/")
        request.user = user
        with pytest.raises(access.NotFound):
            page(request)
        assert _refused(user, action="R", object_type="caseload") == 1
    request = factory.get("/lijst/")
    request.user = cast.noor
    assert page(request).status_code == 200
    assert page.koers_access == {"scope": "caseload"}


def test_the_caseload_search_is_a_read_also_when_refused(cast, login):
    """The caseload's search is a POST that reads: a refusal is logged as a read."""
    assert login(cast.rob).post(reverse("workspace:caseload"), {"zoek": "Anna"}).status_code == 404
    assert _refused(cast.rob, action="R", object_type="caseload") == 1
    assert login(cast.noor).post(reverse("workspace:caseload"), {"zoek": "Anna"}).status_code == 200
