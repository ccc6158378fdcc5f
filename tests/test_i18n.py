"""Languages: Dutch is the source, English is complete, and one test's language never leaks into another."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def test_every_test_starts_in_dutch(request):
    assert "_dutch" in request.fixturenames  # the root conftest's autouse fixture
    assert translation.get_language() == "nl"


def test_an_english_page_leaves_english_active_in_the_thread_which_the_fixture_undoes(client, db):
    # Why the fixture exists: LocaleMiddleware activates the request's language and never
    # deactivates it, so after this request the test thread speaks English.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert translation.get_language() == "en"
