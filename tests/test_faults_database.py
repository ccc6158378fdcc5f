"""The database read-only, full or gone during a request: a clean, retry-safe 503 page (Dutch, no
traceback), nothing half-written, and the next request works again (koers/lib/faults.py,
docs/operations.md "Faults").

Read-only is the real thing on both databases: SQLite's ``PRAGMA query_only`` (writes then fail
with "attempt to write a readonly database", as on a read-only file or mount) and PostgreSQL's
``default_transaction_read_only`` (as on a standby or a read-only role). A lost connection is a
real ``pg_terminate_backend`` of the request's own connection from a second connection.

The test client leaves out Django's per-request connection housekeeping
(``close_old_connections`` on request_started/request_finished); the tests call it where a real
server would, so what they see is what a gunicorn worker sees.
"""

from __future__ import annotations

import datetime as dt
import re

import psycopg
import pytest
import time_machine
from django.db import DatabaseError, close_old_connections, connection
from django.db.utils import OperationalError
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.goals.models import Goal
from koers.lib import faults
from koers.lib.faults import SessionStore
from tests.support.testing import empty_access_log_for_flush, make_action

GOAL_POST = {
    "description": "Weer fietsen naar de markt",
    "life_domain": "daily",
    "why_it_matters": "Dan zie ik mensen",
    "owner": "person",
    "start_now": "active",
    "gas_weight": "1",
}
postgres = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL only")


def _client(user) -> Client:
    client = Client(raise_request_exception=False)  # as in production: the handler answers
    client.force_login(user)
    return client


def _assert_clean_503(response) -> None:
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == str(faults.RETRY_AFTER_SECONDS)
    assert "Koers is even niet beschikbaar" in html
    assert "niets half bewaard" in html
    assert "Traceback" not in html and "Error" not in html and "psycopg" not in html and "sqlite" not in html


@pytest.fixture
def read_only(transactional_db):
    """Switch the database to read-only after the set-up wrote what it needed; back on afterwards.

    Transactional (autocommit, as a server runs): inside a test's transaction a refused write
    would spoil the transaction itself, which a real request never shares with the next one."""
    if connection.vendor == "postgresql":
        on, off = "SET default_transaction_read_only = on", "SET default_transaction_read_only = off"
    else:
        on, off = "PRAGMA query_only = ON", "PRAGMA query_only = OFF"

    def switch():
        with connection.cursor() as cursor:
            cursor.execute(on)

    yield switch
    with connection.cursor() as cursor:
        cursor.execute(off)
    empty_access_log_for_flush()


def test_a_write_on_a_read_only_database_answers_a_clean_503(cast, read_only):
    client = _client(cast.noor)
    goals = Goal.objects.count()
    log = list(AccessLogEntry.objects.order_by("id").values_list("id", "row_hash"))
    read_only()
    response = client.post(reverse("goals:create", args=(cast.anna.pk,)), GOAL_POST)
    _assert_clean_503(response)
    # Reads that need no access-log row keep working; reading a person's record needs one (no
    # access without a log row, NEN 7513), so it answers the same 503 until writes work again.
    assert client.get(reverse("health")).status_code == 200
    _assert_clean_503(client.get(reverse("goals:list", args=(cast.anna.pk,))))
    assert Goal.objects.count() == goals
    assert list(AccessLogEntry.objects.order_by("id").values_list("id", "row_hash")) == log


def test_a_session_on_a_read_only_database(cast, read_only):
    """Renewing only the expiry is let go; a real change that cannot be stored is the 503 error."""
    client = _client(cast.noor)
    key = client.session.session_key
    read_only()
    SessionStore(session_key=key).save()  # loaded, unchanged: the old expiry stays
    changed = SessionStore(session_key=key)
    changed["seen"] = True
    with pytest.raises(DatabaseError) as excinfo:
        changed.save()
    assert faults.database_unavailable(excinfo.value)


def test_a_message_after_a_committed_write_is_let_go_when_the_session_cannot_be_stored(cast, read_only):
    """The diary entry (or any write) is committed before the response adds its "saved" message to
    the session; when that session write is refused, the redirect still goes out (the message is
    lost) instead of a 503 that says the saved entry failed (tests/test_pg_outage.py)."""
    client = _client(cast.noor)
    key = client.session.session_key
    read_only()
    with_message = SessionStore(session_key=key)
    with_message[faults.MESSAGES_KEY] = "[...]"
    with_message.save()  # no error: the message is dropped
    both = SessionStore(session_key=key)
    both[faults.MESSAGES_KEY] = "[...]"
    both["seen"] = True
    with pytest.raises(DatabaseError):
        both.save()


def test_a_diary_entry_committed_just_before_the_database_goes_away_is_answered_as_saved(cast, read_only, monkeypatch):
    """What tests/test_pg_outage.py once caught (CI, 2026-12-06): an entry stored, then the
    database gone before the session could take the "saved" message. The session also notes when
    it was last written (``SessionRefreshMiddleware``) whenever it is written; that note must not
    turn the lost message into a 503 that tells the person their stored entry failed."""
    from koers.monitoring import services as monitoring_services
    from koers.monitoring.models import Observation
    from koers.monitoring.views import entry as entry_views

    client = _client(cast.anna_user)
    recorded = monitoring_services.observations_record

    def record_then_lose_the_database(**kwargs):
        saved = recorded(**kwargs)
        read_only()  # after the commit, before the response's session write
        return saved

    monkeypatch.setattr(entry_views.services, "observations_record", record_then_lose_the_database)
    moment = (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5), tick=True):  # the note changes
        response = client.post(
            reverse("monitoring:portal_entry") + "?alles", {"effective_at": moment, "v_weight": "71.5", "note": "x"}
        )
    assert response.status_code == 302, response.content.decode()[:300]
    assert Observation.objects.filter(person=cast.anna, type__code="weight").count() == 1


def _lose_the_database_after(monkeypatch, module, name: str, read_only) -> None:
    """``module.name`` does its work and commits; then the database refuses every write."""
    original = getattr(module, name)

    def then_lose_it(**kwargs):
        done = original(**kwargs)
        read_only()
        return done

    monkeypatch.setattr(module, name, then_lose_it)


def test_a_change_stored_before_the_database_went_away_is_not_called_unsaved(cast, read_only, monkeypatch):
    """ "Gelukt" with htmx: the progress is committed, then the card's own access-log row cannot be
    written. The 503 page must not say that nothing was stored, nor invite the person to do it
    again (a second "gelukt"): it says that it was stored."""
    from koers.goals import views as goal_views
    from koers.goals.models import ActionProgress

    action = make_action(cast.anna, professional=cast.noor)
    _lose_the_database_after(monkeypatch, goal_views.services, "action_progress_record", read_only)
    client = _client(cast.anna_user)
    response = client.post(
        reverse("goals:portal_progress", args=(action.pk,)), {"done": "ja", "confidence": "8"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == str(faults.RETRY_AFTER_SECONDS)
    assert ActionProgress.objects.filter(action=action).count() == 1
    assert "Koers is even niet beschikbaar" in html
    assert "is wel bewaard" in html and "Doe het dus niet nog een keer" in html
    assert "niet opgeslagen" not in html and "nog eens doen" not in html
    assert "Traceback" not in html and "psycopg" not in html and "sqlite" not in html


def test_a_change_refused_by_the_database_is_still_called_unsaved(cast, read_only):
    """The same request when the database went away before the write: nothing stored, and the
    page says so (the other page is only for a write that was committed)."""
    from koers.goals.models import ActionProgress

    action = make_action(cast.anna, professional=cast.noor)
    client = _client(cast.anna_user)
    read_only()
    response = client.post(
        reverse("goals:portal_progress", args=(action.pk,)), {"done": "ja", "confidence": "8"}, HTTP_HX_REQUEST="true"
    )
    _assert_clean_503(response)
    assert "is wel bewaard" not in response.content.decode()
    assert not ActionProgress.objects.filter(action=action).exists()


def test_a_bug_still_answers_the_plain_500_page(rf):
    try:
        raise ValueError("a bug, not the database")
    except ValueError:
        response = faults.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (OperationalError("database or disk is full"), True),
        (OperationalError("server closed the connection unexpectedly"), True),
        (ValueError("bug"), False),
        (None, False),
    ],
)
def test_which_errors_mean_the_database_is_unavailable(error, unavailable):
    assert faults.database_unavailable(error) is unavailable


# --- PostgreSQL: the connection lost ----------------------------------------------------------


def _terminate(pid: int) -> None:
    """pg_terminate_backend from a second connection, as a restart or a failover does."""
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"] or None, dbname=db["NAME"]
    ) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]


@postgres
@pytest.mark.django_db(transaction=True)
def test_connection_lost_mid_request_fails_cleanly_and_the_next_request_works(cast):
    client = _client(cast.noor)
    close_old_connections()
    create = reverse("goals:create", args=(cast.anna.pk,))
    assert client.post(create, GOAL_POST).status_code == 302  # reported success: committed
    saved = list(Goal.objects.values_list("pk", "description"))
    log = list(AccessLogEntry.objects.order_by("id").values_list("id", "row_hash"))

    def kill_at_first_write(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT"):
            _terminate(connection.connection.info.backend_pid)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(kill_at_first_write):
        response = client.post(create, {**GOAL_POST, "description": "Lost"})
    _assert_clean_503(response)
    close_old_connections()  # request_finished: the broken connection is closed
    assert client.get(reverse("goals:list", args=(cast.anna.pk,))).status_code == 200
    close_old_connections()
    assert client.post(create, {**GOAL_POST, "description": "Opnieuw"}).status_code == 302
    descriptions = list(Goal.objects.order_by("pk").values_list("description", flat=True))
    assert descriptions == [saved[0][1], "Opnieuw"], "the reported write kept, the failed one not half-done"
    assert list(AccessLogEntry.objects.order_by("id").values_list("id", "row_hash"))[: len(log)] == log


@postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_closed_between_requests_is_replaced_by_the_health_check(cast):
    """CONN_HEALTH_CHECKS: a kept connection that the server closed (restart) is noticed before the
    next request uses it, so that request works instead of failing."""
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    client = _client(cast.noor)
    close_old_connections()
    assert client.get(reverse("health")).status_code == 200
    close_old_connections()  # request_finished: kept (CONN_MAX_AGE), not closed
    pid = connection.connection.info.backend_pid
    _terminate(pid)
    close_old_connections()  # request_started of the next request
    assert client.get(reverse("goals:list", args=(cast.anna.pk,))).status_code == 200
    assert connection.connection.info.backend_pid != pid


@pytest.mark.parametrize("stored", [True, False])
def test_the_unavailable_page_tells_an_english_reader_as_much_as_a_dutch_one(stored):
    """The 503 page is made without the database, so in both languages. Its English part left out
    what to do next: go back with the browser's back button (what was filled in is usually still
    there), the start page to check, whom to contact after a quarter of an hour."""
    html = render_to_string("503.html", {"stored": stored})
    part = {code: re.search(rf'<section lang="{code}">(.*?)</section>', html, re.S).group(1) for code in ("nl", "en")}
    dutch, english = part["nl"], part["en"]
    assert dutch.count("<p") == english.count("<p")
    assert dutch.count("data-short") == english.count("data-short")
    assert "contact" in english and "care professional" in english
    if not stored:
        assert "back button" in english
