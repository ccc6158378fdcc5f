"""Every URL goes through the access layer, and every page with a person's data proves it.

1. Every view reachable from the URL configuration carries a ``koers_access`` marker from
   ``koers.access.decorators``. A new view without one fails here.
2. Every person-scoped URL (``/personen/<person_id>/…``) and every portal URL (``/mijn/…``)
   is requested by the right user (page shown, READ row in the access log), by a stranger,
   by another person and by a relative without consent (404 like a missing record, refused
   row), and with another person's object ids (404).
3. Every relative URL (``/naaste/…``) is requested by a relative the person shares everything
   with (page shown, READ row), and by everyone else: professionals in and out of the team, the
   person themself, other persons, a relative of the same person without consent and one with
   no link at all (404 like a missing record, refused row).

A URL keyword this test does not know fails with a message: add it to ``make_full_record``.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from koers import access
from koers.accounts.models import User
from koers.audit.models import AccessLogEntry
from koers.network.models import RelativeLink
from koers.network.services import consent_set
from tests.support.testing import make_full_record, make_user

PROJECT_PREFIX = "koers."
IGNORED_MODULE_PREFIXES = ("django.contrib.admin", "django.contrib.staticfiles")


def walk(patterns, namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            yield from walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            yield namespace, p


def all_views():
    for namespace, pattern in walk(get_resolver().url_patterns):
        callback = pattern.callback
        module = getattr(callback, "__module__", "")
        if module.startswith(IGNORED_MODULE_PREFIXES) or namespace == "admin":
            continue
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        yield name, pattern, callback


def test_every_view_is_marked_for_the_access_layer():
    unmarked = [name for name, _pattern, callback in all_views() if not hasattr(callback, "koers_access")]
    assert unmarked == [], f"Views without an access marker (use koers.access.decorators): {unmarked}"


def test_person_data_views_are_scoped_by_person_id_or_portal():
    for name, pattern, callback in all_views():
        scope = callback.koers_access["scope"]
        keys = set(pattern.pattern.regex.groupindex)
        if scope == "person":
            assert "person_id" in keys, f"{name} is a person view but has no <person_id>"
        if scope == "relative":
            assert "person_id" in keys, f"{name} is a relative view but has no <person_id>"
        if scope in ("none", "caseload", "portal", "relative_area"):
            assert "person_id" not in keys, f"{name} takes a person_id but is not a person_view"


def person_urls(record, *, scope, swap=None):
    """(name, url) for each GET-able URL of this scope, with kwargs from the record."""
    swap = swap or {}
    for name, pattern, callback in all_views():
        if callback.koers_access["scope"] != scope:
            continue
        kwargs = {}
        for key in pattern.pattern.regex.groupindex:
            source = swap if key in swap else record
            assert key in source, f"URL {name} takes <{key}>: add it to make_full_record()"
            obj = source[key]
            kwargs[key] = obj.number if key == "number" else obj.pk
        yield name, reverse(name, kwargs=kwargs)


def rows(**filters):
    return AccessLogEntry.objects.filter(**filters).count()


@pytest.fixture
def records(cast):
    anna = make_full_record(cast.anna, professional=cast.noor)
    bas = make_full_record(cast.bas, professional=cast.noor)
    return anna, bas


def _get(client, url):
    response = client.get(url)
    return response


def assert_not_stored(response, name):
    """Health data must not stay in a shared computer's cache or behind the back button after
    logout (issue #11): every signed-in page says no-store, and private for any proxy."""
    directives = {d.strip().split("=")[0] for d in response.headers.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= directives, f"{name}: Cache-Control {response.headers.get('Cache-Control')!r}"


@pytest.mark.django_db
def test_person_pages_for_care_team_and_refused_for_everyone_else(cast, records, client):
    anna, bas = records
    urls = list(person_urls(anna, scope="person"))
    assert urls, "no person pages found"
    for name, url in urls:
        client.force_login(cast.noor)
        before = rows(person=cast.anna, user=cast.noor, action="R", outcome="success")
        response = client.get(url)
        assert response.status_code in (200, 405), f"{name} {url} gave {response.status_code} for the care team"
        if response.status_code == 200:
            assert rows(person=cast.anna, user=cast.noor, action="R", outcome="success") > before, (
                f"{name} showed Anna's data without an access-log row"
            )
            assert_not_stored(response, name)
        for outsider in (cast.sam, cast.cor, cast.pieter, cast.mia, cast.ada, cast.rob, cast.anna_user, cast.bas_user):
            client.force_login(outsider)
            refused_before = rows(user=outsider, outcome="refused")
            response = client.get(url)
            assert response.status_code in (404, 405), f"{name} answered {response.status_code} to {outsider}"
            if response.status_code == 404:
                assert rows(user=outsider, outcome="refused") == refused_before + 1, (
                    f"{name}: refused access by {outsider} left no log row"
                )


@pytest.mark.django_db
def test_missing_and_foreign_records_answer_alike(cast, records, client):
    anna, bas = records
    client.force_login(cast.noor)
    foreign = {k: v for k, v in bas.items() if k != "person_id"}
    for name, url in person_urls(anna, scope="person", swap=foreign):
        if url == next(u for n, u in person_urls(anna, scope="person") if n == name):
            continue  # no object keyword: nothing to swap
        response = client.get(url)
        assert response.status_code in (404, 405), (
            f"{name}: Bas's object under Anna's record gave {response.status_code}"
        )


@pytest.mark.django_db
def test_portal_pages_only_for_the_person_themself(cast, records, client):
    anna, bas = records
    urls = list(person_urls(anna, scope="portal"))
    assert urls, "no portal pages found"
    for name, url in urls:
        client.force_login(cast.anna_user)
        before = rows(person=cast.anna, user=cast.anna_user, action="R", outcome="success")
        response = client.get(url)
        assert response.status_code in (200, 405), f"{name} gave {response.status_code} for Anna"
        if response.status_code == 200:
            assert rows(person=cast.anna, user=cast.anna_user, action="R", outcome="success") > before
            assert_not_stored(response, name)
        for outsider in (cast.noor, cast.rob, cast.mia):
            client.force_login(outsider)
            response = client.get(url)
            assert response.status_code in (404, 405), f"{name} answered {response.status_code} to {outsider}"


@pytest.mark.django_db
def test_portal_object_ids_of_another_person_are_not_found(cast, records, client):
    anna, bas = records
    client.force_login(cast.anna_user)
    foreign = {k: v for k, v in bas.items() if k != "person_id"}
    plain = dict(person_urls(anna, scope="portal"))
    for name, url in person_urls(anna, scope="portal", swap=foreign):
        if plain[name] == url:
            continue
        response = client.get(url)
        assert response.status_code in (404, 405), f"{name}: Bas's object in Anna's portal gave {response.status_code}"


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login(cast, records, client):
    anna, _ = records
    for scope in ("person", "portal", "relative", "relative_area"):
        for name, url in person_urls(anna, scope=scope):
            response = client.get(url)
            assert response.status_code in (302, 405), f"{name} gave {response.status_code} to an anonymous user"
            if response.status_code == 302:
                assert reverse("accounts:login") in response["Location"]


def share_everything(person, relative):
    for topic in access.MEMBER_TOPICS:
        consent_set(actor=person.user, person=person, member=relative, topic=topic, granted=True)


@pytest.mark.django_db
def test_relative_pages_only_for_a_relative_the_person_shares_with(cast, records, client):
    anna, bas = records
    share_everything(cast.anna, cast.rob)
    ria = make_user("ria", role=User.Role.RELATIVE, first_name="Ria")  # Anna's relative, nothing shared
    RelativeLink.objects.create(person=cast.anna, user=ria, relationship="daughter")
    tom = make_user("tom", role=User.Role.RELATIVE, first_name="Tom")  # Bas shares everything with Tom
    RelativeLink.objects.create(person=cast.bas, user=tom, relationship="brother")
    share_everything(cast.bas, tom)
    urls = list(person_urls(anna, scope="relative"))
    assert len(urls) >= 2, "no relative pages found"
    outsiders = (cast.noor, cast.gert, cast.cor, cast.pieter, cast.sam, cast.mia, cast.ada)
    outsiders += (cast.anna_user, cast.bas_user, ria, tom)
    for name, url in urls:
        client.force_login(cast.rob)
        before = rows(person=cast.anna, user=cast.rob, action="R", outcome="success")
        response = client.get(url)
        assert response.status_code == 200, f"{name} {url} gave {response.status_code} to Rob"
        assert rows(person=cast.anna, user=cast.rob, action="R", outcome="success") > before, (
            f"{name} showed Anna's data to Rob without an access-log row"
        )
        assert_not_stored(response, name)
        for outsider in outsiders:
            client.force_login(outsider)
            refused_before = rows(user=outsider, outcome="refused")
            response = client.get(url)
            assert response.status_code == 404, f"{name} answered {response.status_code} to {outsider}"
            assert rows(user=outsider, outcome="refused") == refused_before + 1, (
                f"{name}: refused access by {outsider} left no log row"
            )


@pytest.mark.django_db
def test_a_relatives_own_pages_only_for_relatives(cast, records, client):
    anna, _bas = records
    urls = list(person_urls(anna, scope="relative_area"))
    assert urls, "no relative home found"
    for name, url in urls:
        client.force_login(cast.rob)
        response = client.get(url)
        if response.status_code == 405:  # POST only (marking a message read): tests/test_post_access.py
            continue
        assert response.status_code == 200, f"{name} gave {response.status_code} to Rob"
        assert_not_stored(response, name)
        for outsider in (cast.noor, cast.sam, cast.mia, cast.ada, cast.anna_user):
            client.force_login(outsider)
            refused_before = rows(user=outsider, outcome="refused")
            assert client.get(url).status_code == 404, f"{name} answered to {outsider}"
            assert rows(user=outsider, outcome="refused") == refused_before + 1


@pytest.mark.django_db
def test_consent_never_opens_the_professional_or_the_persons_own_pages_to_a_relative(cast, records, client):
    """What Anna shares with Rob he reads on his own pages (/naaste/), never through the
    workspace about her or her portal: those answer him like a missing record."""
    anna, _bas = records
    share_everything(cast.anna, cast.rob)
    client.force_login(cast.rob)
    for scope in ("person", "portal"):
        for name, url in person_urls(anna, scope=scope):
            refused_before = rows(user=cast.rob, outcome="refused")
            response = client.get(url)
            assert response.status_code in (404, 405), f"{name} answered {response.status_code} to Rob"
            if response.status_code == 404:
                assert rows(user=cast.rob, outcome="refused") == refused_before + 1, f"{name}: no refused row"


def _aggregate_urls(cast):
    """(name, url, cohort or None) for every page of the population view (scope "aggregate")."""
    from koers.accounts.models import Team
    from koers.population.models import Cohort

    team = Team.objects.create(organisation=cast.gp_practice, name="Chronische zorg")
    cohort = Cohort.objects.create(name="Allen", owner=cast.mia, organisation=cast.gp_practice, filters={})
    values = {"team_id": team, "cohort_id": cohort, "fmt": "csv"}
    urls = []
    for name, pattern, callback in all_views():
        if callback.koers_access["scope"] != "aggregate":
            continue
        keys = list(pattern.pattern.regex.groupindex)
        for key in keys:
            assert key in values, f"URL {name} takes <{key}>: add it to _aggregate_urls()"
        kwargs = {key: getattr(values[key], "pk", values[key]) for key in keys}
        urls.append((name, reverse(name, kwargs=kwargs), "cohort_id" in keys))
    return team, urls


@pytest.mark.django_db
def test_aggregate_pages_for_staff_of_their_unit_only(cast, client):
    """The population view: the organisation's manager opens every page (a counting page or
    export leaves exactly one aggregate row, with no person); everyone else — another
    organisation's staff, a professional outside the team, persons, relatives, an administrator
    without an organisation — gets 404 and a refused row, and an anonymous user the login."""
    team, urls = _aggregate_urls(cast)
    assert len(urls) >= 7, urls
    counting = {"population:organisation", "population:team", "population:export", "population:team_export"}
    for name, url, _cohort in urls:
        client.force_login(cast.mia)
        before = rows(user=cast.mia, object_type="population", outcome="success", person=None)
        response = client.get(url)
        assert response.status_code == 200, f"{name} gave {response.status_code} to the manager"
        assert_not_stored(response, name)
        expected = before + (1 if name in counting else 0)
        assert rows(user=cast.mia, object_type="population", outcome="success", person=None) == expected, name
        for outsider in (cast.sam, cast.noor, cast.pieter, cast.anna_user, cast.rob, cast.ada):
            client.force_login(outsider)
            refused_before = rows(user=outsider, outcome="refused")
            response = client.get(url)
            assert response.status_code == 404, f"{name} answered {response.status_code} to {outsider}"
            refused = rows(user=outsider, outcome="refused")
            assert refused == refused_before + 1, f"{name}: no refused row for {outsider}"
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"], name
    # A professional of the team opens the team's pages, not the organisation's.
    cast.noor.team = team
    cast.noor.save()
    client.force_login(cast.noor)
    assert client.get(reverse("population:team", kwargs={"team_id": team.pk})).status_code == 200
    assert client.get(reverse("population:organisation")).status_code == 404
