"""The project-wide URL access walk (tests/test_url_access.py), limited to this app's URLs,
so the care plan's pages are proven even while other apps' pages are being built."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.support.testing import make_full_record
from tests.test_url_access import all_views, rows

pytestmark = pytest.mark.django_db

OUTSIDERS = ("sam", "cor", "pieter", "mia", "ada", "rob", "anna_user", "bas_user")


def careplan_urls(record, *, scope, swap=None):
    swap = swap or {}
    for name, pattern, callback in all_views():
        if not name.startswith("careplans:") or callback.koers_access["scope"] != scope:
            continue
        kwargs = {}
        for key in pattern.pattern.regex.groupindex:
            obj = (swap if key in swap else record)[key]
            kwargs[key] = obj.number if key == "number" else obj.pk
        yield name, reverse(name, kwargs=kwargs)


@pytest.fixture
def records(cast):
    return make_full_record(cast.anna, professional=cast.noor), make_full_record(cast.bas, professional=cast.noor)


def test_every_careplan_view_is_marked():
    names = [name for name, _p, callback in all_views() if name.startswith("careplans:")]
    assert len(names) >= 14
    for name, _p, callback in all_views():
        if name.startswith("careplans:"):
            assert callback.koers_access["scope"] in ("person", "portal"), name


def test_person_pages_for_the_care_team_only(cast, records, client):
    anna, _bas = records
    urls = list(careplan_urls(anna, scope="person"))
    assert len(urls) >= 9
    for name, url in urls:
        client.force_login(cast.noor)
        before = rows(person=cast.anna, user=cast.noor, action="R", outcome="success")
        response = client.get(url)
        assert response.status_code in (200, 405), (name, response.status_code)
        if response.status_code == 200:
            assert rows(person=cast.anna, user=cast.noor, action="R", outcome="success") > before, name
        for who in OUTSIDERS:
            outsider = getattr(cast, who)
            client.force_login(outsider)
            refused_before = rows(user=outsider, outcome="refused")
            response = client.get(url)
            assert response.status_code in (404, 405), (name, who, response.status_code)
            if response.status_code == 404:
                assert rows(user=outsider, outcome="refused") == refused_before + 1, (name, who)


def test_portal_pages_for_the_person_only(cast, records, client):
    anna, _bas = records
    urls = list(careplan_urls(anna, scope="portal"))
    assert len(urls) == 7  # with the person's sign-off (POST only: 405 to a GET)
    for name, url in urls:
        client.force_login(cast.anna_user)
        before = rows(person=cast.anna, user=cast.anna_user, action="R", outcome="success")
        response = client.get(url)
        assert response.status_code in (200, 405), name
        if response.status_code == 200:
            assert rows(person=cast.anna, user=cast.anna_user, action="R", outcome="success") > before
        for outsider in (cast.noor, cast.rob, cast.mia):
            client.force_login(outsider)
            assert client.get(url).status_code == 404, (name, outsider)


def test_anonymous_users_are_sent_to_login(cast, records, client):
    anna, _bas = records
    for scope in ("person", "portal"):
        for name, url in careplan_urls(anna, scope=scope):
            response = client.get(url)
            assert response.status_code in (302, 405), name
            if response.status_code == 302:
                assert reverse("accounts:login") in response["Location"]
