"""The project-wide URL access walk (tests/test_url_access.py), limited to this app's URLs,
so the decisions pages are proven even while other apps' pages are being built."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.support.testing import make_full_record
from tests.test_url_access import all_views, rows

pytestmark = pytest.mark.django_db

OUTSIDERS = ("sam", "cor", "pieter", "mia", "ada", "rob", "anna_user", "bas_user")


def decision_urls(record, *, scope, swap=None):
    swap = swap or {}
    for name, pattern, callback in all_views():
        if not name.startswith("decisions:") or callback.koers_access["scope"] != scope:
            continue
        kwargs = {key: (swap if key in swap else record)[key].pk for key in pattern.pattern.regex.groupindex}
        yield name, reverse(name, kwargs=kwargs)


@pytest.fixture
def records(cast):
    return make_full_record(cast.anna, professional=cast.noor), make_full_record(cast.bas, professional=cast.noor)


def test_every_decisions_view_is_marked_and_scoped():
    names = {name: callback for name, _p, callback in all_views() if name.startswith("decisions:")}
    catalogue = {"decisions:aids", "decisions:aid_create", "decisions:aid_edit"}  # no person data
    assert len(names) == 23
    for name, callback in names.items():
        if name in catalogue:
            assert callback.koers_access == {"scope": "none"}, name
            continue
        expected = "portal" if name.startswith("decisions:portal_") else "person"
        # The person's own word on a decision has its own category: only the person writes it.
        category = "decision_agreement" if name == "decisions:portal_agreement" else "decisions"
        assert callback.koers_access == {"scope": expected, "category": category}, name


def test_person_pages_for_the_care_team_only(cast, records, client):
    anna, _bas = records
    urls = list(decision_urls(anna, scope="person"))
    assert len(urls) == 15
    shown = 0
    for name, url in urls:
        client.force_login(cast.noor)
        before = rows(person=cast.anna, user=cast.noor, action="R", outcome="success")
        response = client.get(url)
        assert response.status_code in (200, 405), (name, response.status_code)
        if response.status_code == 200:
            shown += 1
            assert rows(person=cast.anna, user=cast.noor, action="R", outcome="success") > before, name
        for who in OUTSIDERS:
            outsider = getattr(cast, who)
            client.force_login(outsider)
            refused_before = rows(user=outsider, outcome="refused")
            response = client.get(url)
            assert response.status_code in (404, 405), (name, who, response.status_code)
            if response.status_code == 404:
                assert rows(user=outsider, outcome="refused") == refused_before + 1, (name, who)
    assert shown == 14  # every page but offering an aid (POST-only); "weghalen" answers a GET with its question


def test_another_persons_ids_answer_not_found(cast, records, client):
    anna, bas = records
    foreign = {k: v for k, v in bas.items() if k != "person_id"}
    client.force_login(cast.noor)
    plain = dict(decision_urls(anna, scope="person"))
    for name, url in decision_urls(anna, scope="person", swap=foreign):
        if plain[name] == url:
            continue
        assert client.get(url).status_code in (404, 405), name
    client.force_login(cast.anna_user)
    plain = dict(decision_urls(anna, scope="portal"))
    for name, url in decision_urls(anna, scope="portal", swap=foreign):
        if plain[name] == url:
            continue
        assert client.get(url).status_code in (404, 405), name


def test_portal_pages_for_the_person_only(cast, records, client):
    anna, _bas = records
    urls = list(decision_urls(anna, scope="portal"))
    assert len(urls) == 5
    for name, url in urls:
        client.force_login(cast.anna_user)
        before = rows(person=cast.anna, user=cast.anna_user, action="R", outcome="success")
        response = client.get(url)
        assert response.status_code in (200, 405), name
        if response.status_code == 200:
            assert rows(person=cast.anna, user=cast.anna_user, action="R", outcome="success") > before
        for outsider in (cast.noor, cast.rob, cast.mia):
            client.force_login(outsider)
            assert client.get(url).status_code in (404, 405), (name, outsider)


def test_anonymous_users_are_sent_to_login(cast, records, client):
    anna, _bas = records
    for scope in ("person", "portal"):
        for name, url in decision_urls(anna, scope=scope):
            response = client.get(url)
            assert response.status_code in (302, 405), name
            if response.status_code == 302:
                assert reverse("accounts:login") in response["Location"]
