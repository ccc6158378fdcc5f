"""The access log is append-only at every level, and records what NEN 7513 asks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from koers.audit import context
from koers.audit import log as audit_log
from koers.audit.models import AccessLogEntry, AppendOnlyError
from koers.audit.services import access_log_purge_before

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(cast):
    return audit_log.record(user=cast.noor, action="R", person=cast.anna, object_type="overview", object_id=1)


def test_record_copies_who_what_whom_and_where(cast):
    with context.acting_context(client_address="10.1.2.3", channel="web"):
        row = audit_log.record(user=cast.noor, action="U", person=cast.anna, object_type="goals.Goal", object_id=42)
    row.refresh_from_db()
    assert row.event_id and row.occurred_at
    assert row.user_id == cast.noor.pk and row.user_display == "Noor Bakker"
    assert row.role == "professional:practice_nurse"
    assert row.organisation_id_copy == cast.gp_practice.pk
    assert row.organisation_display == "Huisartsenpraktijk De Linde"
    assert row.person_id == cast.anna.pk and row.object_type == "goals.Goal" and row.object_id == "42"
    assert row.client_address == "10.1.2.3"
    assert row.outcome == "success" and row.purpose == "treatment"


def test_purpose_is_self_when_the_person_reads_their_own_data(cast):
    row = audit_log.record(user=cast.anna_user, action="R", person=cast.anna)
    assert row.purpose == "self"


def test_identity_survives_renaming_the_user(cast, entry):
    cast.noor.first_name = "Andere"
    cast.noor.save()
    entry.refresh_from_db()
    assert entry.user_display == "Noor Bakker"


def test_model_refuses_update_and_delete(entry):
    entry.detail = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_queryset_refuses_bulk_update_and_delete(entry):
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(detail="x")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).delete()


def test_database_refuses_raw_update_and_delete(entry):
    for sql in (
        "UPDATE audit_accesslogentry SET detail = 'x' WHERE id = %s",
        "DELETE FROM audit_accesslogentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # The test session may hold the purge window open for flushes; close it here.
                cursor.execute("DELETE FROM audit_purge_window")
            cursor.execute(sql, [entry.pk])
    assert AccessLogEntry.objects.filter(pk=entry.pk, detail="").exists()


def test_retention_purge_removes_only_old_rows(cast, entry):
    old = audit_log.record(
        user=cast.noor, action="R", person=cast.anna, when=timezone.now() - dt.timedelta(days=400 * 5)
    )
    deleted = access_log_purge_before(cutoff=timezone.now() - dt.timedelta(days=365 * 5))
    assert deleted == 1
    assert not AccessLogEntry.objects.filter(pk=old.pk).exists()
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()
    # The window is closed again afterwards.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [entry.pk])
