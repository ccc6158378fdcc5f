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


def test_the_view_reads_the_user_itself_with_the_second_factors_state(cast, login):
    """The person pages take the lazy wrappers off ``request.user`` once (``decorators._reader``):
    the view, the log row and the templates read the same user object directly, with django-otp's
    ``otp_device`` and ``is_verified`` on it; a page that would not open still does not."""
    from django.urls import reverse
    from django.utils.functional import LazyObject

    from koers.audit.models import AccessLogEntry

    client = login(cast.noor)
    response = client.get(reverse("workspace:person", args=[cast.anna.pk]))
    assert response.status_code == 200
    user = response.wsgi_request.user
    assert not isinstance(user, LazyObject) and type(user) is type(cast.noor) and user.pk == cast.noor.pk
    assert hasattr(user, "otp_device") and user.is_verified() is False
    assert response.context["user"] is user
    row = AccessLogEntry.objects.order_by("-id").first()
    assert (row.user_id, row.person_id, row.object_type) == (cast.noor.pk, cast.anna.pk, "overview")
    assert login(cast.sam).get(reverse("workspace:person", args=[cast.anna.pk])).status_code == 404
