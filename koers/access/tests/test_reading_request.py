"""The page decorators open a reading request (``koers.lib.request_memo``) for GET and HEAD only,
after the access check, and close it with the view (issue #18, "Speed")."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from koers import access
from koers.access.decorators import person_view
from koers.lib.request_memo import remembered

pytestmark = pytest.mark.django_db


def test_a_get_remembers_within_the_view_a_post_never(cast):
    loads = []

    @person_view(access.Category.DEMOGRAPHICS, object_type="test")
    def page(request, person):
        first = remembered(("k", person.pk), lambda: loads.append(1) or len(loads))
        second = remembered(("k", person.pk), lambda: loads.append(1) or len(loads))
        return HttpResponse(f"{first},{second}")

    factory = RequestFactory()
    for method, expected in (("get", b"1,1"), ("get", b"2,2"), ("post", b"3,4"), ("head", b"5,5")):
        request = getattr(factory, method)("/")
        request.user = cast.noor
        response = page(request, cast.anna.pk)
        assert response.status_code == 200 and response.content in (expected, b""), (method, response.content)
    assert len(loads) == 5, "every GET request loads afresh; a POST loads on every call"


def test_a_refused_person_never_reaches_the_view(cast):
    @person_view(access.Category.DEMOGRAPHICS, object_type="test")
    def page(request, person):  # pragma: no cover - must not run
        raise AssertionError("the view ran for someone outside the care team")

    request = RequestFactory().get("/")
    request.user = cast.sam
    with pytest.raises(access.NotFound):
        page(request, cast.anna.pk)
