"""Fewer queries on every request (issue #18, "Speed"): the session is written at most once a
minute and the user is read with their organisation; the idle timeout still holds."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koers.accounts.middleware import SESSION_REFRESHED_KEY

PASSWORD = "test-wachtwoord-123"
LOGIN = "/account/inloggen/"


def session_writes(queries) -> int:
    return sum(
        1
        for q in queries.captured_queries
        if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]
    )


def signed_in(start) -> Client:
    client = Client()
    with time_machine.travel(start, tick=False):
        response = client.post(LOGIN, {"username": "noor", "password": PASSWORD})
        assert response.status_code == 302
    return client


@pytest.mark.django_db
def test_the_session_is_written_at_most_once_a_minute(cast):
    start = timezone.now()
    client = signed_in(start)
    caseload = reverse("workspace:caseload")
    with time_machine.travel(start + dt.timedelta(seconds=10), tick=False):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(caseload).status_code == 200
    assert session_writes(queries) == 0, "written at login ten seconds ago: not again"
    with time_machine.travel(start + dt.timedelta(seconds=59), tick=False):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(caseload).status_code == 200
    assert session_writes(queries) == 0
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(caseload).status_code == 200
    assert session_writes(queries) == 1, "a minute on: written once, which moves the idle timeout on"
    assert client.session[SESSION_REFRESHED_KEY] == int((start + dt.timedelta(seconds=61)).timestamp())


@pytest.mark.django_db
def test_the_idle_timeout_counts_from_the_last_write_at_most_a_minute_back(cast):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.KOERS_SESSION_REFRESH_SECONDS == 60
    start = timezone.now()
    client = signed_in(start)
    caseload = reverse("workspace:caseload")
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        assert client.get(caseload).status_code == 200  # not written: the expiry stays start + 30 min
    with time_machine.travel(start + dt.timedelta(minutes=29, seconds=50), tick=False):
        assert client.get(caseload).status_code == 200  # written: now + 30 min
    with time_machine.travel(start + dt.timedelta(minutes=59, seconds=40), tick=False):
        assert client.get(caseload).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=89, seconds=41), tick=False):
        response = client.get(caseload)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN), "idle for 30 minutes: signed out"


@pytest.mark.django_db
def test_signed_out_visitors_get_no_session_row(cast, client):
    from django.contrib.sessions.models import Session

    client.get(LOGIN)
    client.get("/gezond")
    assert Session.objects.count() == 0


@pytest.mark.django_db
def test_logout_is_not_undone_by_the_refresh(cast):
    client = signed_in(timezone.now())
    client.post(reverse("accounts:logout"))
    response = client.get(reverse("workspace:caseload"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_the_user_comes_with_their_organisation_in_one_query(cast):
    client = signed_in(timezone.now())
    client.get("/gezond")  # the first request after login notes the refresh time
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("workspace:person", args=[cast.anna.pk]))
    tables = [q["sql"] for q in queries.captured_queries]
    assert not any(sql.startswith('SELECT "accounts_organisation"') for sql in tables), tables
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/gezond").status_code == 200
    # the session, the user (with the organisation) and the health check's own SELECT 1
    assert len(queries) == 3, [q["sql"] for q in queries.captured_queries]


# Measured on 5 December 2026 (PostgreSQL; SQLite one fewer, no advisory lock), after the session
# write (three queries) and the separate organisation read left every page: the session, the user
# with the organisation, the page's own reads and the access-log row. Lowered the same day (branch
# speed-person): the overview reads the profile with the access check's person (one fewer), the
# care plan reads the care team once instead of three times (two fewer), the goals page takes the
# GAS T-score from the goals' reviews (two fewer). A page that needs more has grown a query per
# request: look at it before raising the number (docs/performance.md).
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "most"),
    [
        # 16: the kept cards' read (workspace.kept_overview), a statement of its own on SQLite and
        # in the page's one round trip on PostgreSQL.
        ("workspace:person", 16),
        # 19: the kept plan page's read (careplans.kept_page), a statement of its own on SQLite and
        # in the page's one round trip on PostgreSQL.
        ("careplans:plan", 19),
        ("goals:list", 7),
        ("workspace:caseload", 8),
        ("workspace:caseload?aandacht=1", 8),  # 12 before the kept summary (people.attention)
    ],
)
def test_pages_keep_their_query_count(cast, page, most, django_assert_max_num_queries):
    client = signed_in(timezone.now())
    name, _, query = page.partition("?")
    url = reverse(name) if name == "workspace:caseload" else reverse(name, args=[cast.anna.pk])
    url += f"?{query}" if query else ""
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200
