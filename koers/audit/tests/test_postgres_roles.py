"""On PostgreSQL the application's role can append to the log and nothing else (issue #11).

The test creates a role that does not own the tables (inside the test's transaction, so it is
gone afterwards), gives it the rights ``koers audit grant`` gives, and switches to it with
``SET ROLE``: from then on the session has that role's privileges only (``current_user`` is the
role, which is no superuser). As that role it may insert log rows through the normal chained
path, and every way of removing or changing them fails: DELETE, UPDATE, TRUNCATE, dropping or
disabling the triggers, dropping the table, opening the purge window, writing a purge record.
The last test shows appends from several connections at once make one unbroken chain (it fails
without the chain's advisory lock).
"""

from __future__ import annotations

import contextlib
import io
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from koers.audit import log as audit_log
from koers.audit import roles
from koers.audit.models import AccessLogEntry
from koers.audit.services import access_log_purge_before
from koers.audit.verify import verify_chain

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles exist on PostgreSQL only"),
    pytest.mark.django_db,
]


@pytest.fixture
def app_role():
    name = f"koers_app_test_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {name} NOLOGIN NOSUPERUSER")
    roles.grant(connection, app_role=name)
    return name


@contextlib.contextmanager
def acting_as(role):
    """The session as ``role`` (a savepoint: a failed statement and the role end with it)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {role}")
        cursor.execute("SELECT current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)")
        assert cursor.fetchone() == (role, False)
        yield cursor


def _refused(role, sql, params=()):
    with pytest.raises(DatabaseError) as failure, acting_as(role) as cursor:
        cursor.execute(sql, params)
    return str(failure.value)


def test_the_app_role_appends_but_cannot_remove_or_change_the_log(cast, app_role):
    with acting_as(app_role):
        row = audit_log.record(user=cast.noor, action="R", person=cast.anna, object_type="overview")
        assert verify_chain().ok  # it may read the log, so it can verify too
    assert AccessLogEntry.objects.filter(pk=row.pk).exists()
    attempts = {
        "delete": ("DELETE FROM audit_accesslogentry WHERE id = %s", [row.pk]),
        "update": ("UPDATE audit_accesslogentry SET detail = 'x' WHERE id = %s", [row.pk]),
        "truncate": ("TRUNCATE audit_accesslogentry", []),
        "drop trigger": ("DROP TRIGGER audit_accesslog_no_change ON audit_accesslogentry", []),
        "disable trigger": ("ALTER TABLE audit_accesslogentry DISABLE TRIGGER ALL", []),
        "replace trigger function": (
            "CREATE OR REPLACE FUNCTION audit_accesslog_append_only() RETURNS trigger AS $$ "
            "BEGIN RETURN OLD; END; $$ LANGUAGE plpgsql",
            [],
        ),
        "replace the chain's link function": (
            "CREATE OR REPLACE FUNCTION koers_access_log_link(lock_key bigint, genesis text, head bytea, tail bytea) "
            "RETURNS TABLE (prev_hash text, row_hash text) LANGUAGE sql AS $$ SELECT genesis, genesis $$",
            [],
        ),
        "drop table": ("DROP TABLE audit_accesslogentry", []),
        "write a purge record": (
            "INSERT INTO audit_accesslogpurge (purged_at, cutoff, first_id, last_id, row_count, first_prev_hash, "
            "final_hash, database_role) VALUES (now(), now(), 1, 1, 1, '', '', '')",
            [],
        ),
        "delete purge records": ("DELETE FROM audit_accesslogpurge", []),
    }
    for what, (sql, params) in attempts.items():
        message = _refused(app_role, sql, params)
        assert "permission denied" in message or "must be owner" in message, (what, message)
    assert AccessLogEntry.objects.filter(pk=row.pk, detail="").exists()


def test_the_app_role_cannot_open_the_purge_window_even_with_delete_rights(cast, app_role):
    row = audit_log.record(user=cast.noor, action="R", person=cast.anna, object_type="overview")
    with connection.cursor() as cursor:  # a mistaken grant: the trigger still says no
        cursor.execute(f"GRANT DELETE ON audit_accesslogentry TO {app_role}")
    with pytest.raises(DatabaseError, match="only the owner role may purge"), acting_as(app_role) as cursor:
        cursor.execute("SET LOCAL koers.audit_purge = 'on'")
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [row.pk])
    with pytest.raises(DatabaseError), acting_as(app_role):
        access_log_purge_before(cutoff=timezone.now(), using="default")
    with pytest.raises(CommandError, match="owner role only"), acting_as(app_role):
        call_command("audit", "purge", "--before", "2100-01-01", "--database", "default")
    assert AccessLogEntry.objects.filter(pk=row.pk).exists()


def test_grant_refuses_a_role_that_owns_or_bypasses(app_role):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(roles.RoleError):
        roles.grant(connection, app_role=owner)  # the test connection's role owns the tables
    with pytest.raises(roles.RoleError):
        roles.grant(connection, app_role="no_such_role_koers")
    with pytest.raises(roles.RoleError):
        roles.grant(connection, app_role="Robert'); DROP TABLE x; --")


def test_grant_command_prints_what_it_runs(app_role):
    out = io.StringIO()
    call_command("audit", "grant", "--app-role", app_role, stdout=out)
    text = out.getvalue()
    assert 'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "public"."audit_accesslogentry"' in text


def _at_once(append, threads: int = 4) -> list:
    """``append(i)`` on ``threads`` threads started together, each on its own connection; the
    errors they raised."""
    import threading

    from django.db import connections

    errors = []
    barrier = threading.Barrier(threads)

    def run(i):
        try:
            barrier.wait()
            append(i)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    started = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_make_one_unbroken_chain():
    """Separate connections appending at once, single rows and bulk, each in its own transaction."""

    def append(i):
        for n in range(15):
            with transaction.atomic():
                if n % 3 == 0:
                    audit_log.record_many(
                        audit_log.build_entry(user=None, action="R", object_type="caseload", object_id=k)
                        for k in range(4)
                    )
                else:
                    audit_log.record(user=None, action="R", object_type="overview", object_id=f"{i}-{n}")

    assert _at_once(append) == []
    report = verify_chain()
    assert report.ok, report.problem
    assert report.rows == AccessLogEntry.objects.count() == 4 * (10 + 5 * 4)


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_outside_a_transaction_make_one_unbroken_chain():
    """``record`` with no transaction around it is one statement (audit 0006): the chain's lock is
    held until that statement commits, and the tip is read after the lock is held."""

    def append(i):
        for n in range(25):
            audit_log.record(user=None, action="R", object_type="overview", object_id=f"{i}-{n}")

    assert _at_once(append) == []
    report = verify_chain()
    assert report.ok, report.problem
    assert report.rows == AccessLogEntry.objects.count() == 4 * 25


def test_the_app_role_appends_where_functions_are_not_executable_by_everyone(cast):
    """A site that revoked PUBLIC's right to execute functions: ``koers audit grant`` gives the
    application's role the chain's link (audit 0006), so every page can still write its row."""
    name = f"koers_app_test_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute("REVOKE EXECUTE ON FUNCTION koers_access_log_link(bigint, text, bytea, bytea) FROM PUBLIC")
        cursor.execute(f"CREATE ROLE {name} NOLOGIN NOSUPERUSER")
    roles.grant(connection, app_role=name)
    with acting_as(name):
        row = audit_log.record(user=cast.noor, action="R", person=cast.anna, object_type="overview")
    assert AccessLogEntry.objects.filter(pk=row.pk).exists() and verify_chain().ok
