"""The access log is append-only at every level, and records what NEN 7513 asks."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from koers.audit import chain, context
from koers.audit import log as audit_log
from koers.audit.models import AccessLogEntry, AccessLogPurge, AppendOnlyError
from koers.audit.services import access_log_purge_before
from koers.audit.verify import verify_chain

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


def _anonymous(when=None):
    return audit_log.record(user=None, action="R", object_type="overview", when=when)


YEARS_AGO = timezone.now() - dt.timedelta(days=365 * 6)
CUTOFF = timezone.now() - dt.timedelta(days=365 * 5)


def test_retention_purge_removes_the_old_start_of_the_chain_and_records_it(db):
    old = [_anonymous(when=YEARS_AGO) for _ in range(3)]
    kept = [_anonymous() for _ in range(2)]
    result = access_log_purge_before(cutoff=CUTOFF)
    assert result.deleted == 3
    assert list(AccessLogEntry.objects.order_by("pk").values_list("pk", flat=True)) == [r.pk for r in kept]
    record = AccessLogPurge.objects.get()
    assert (record.first_id, record.last_id, record.row_count) == (old[0].pk, old[-1].pk, 3)
    assert record.cutoff == CUTOFF and record.first_prev_hash == chain.GENESIS
    assert record.final_hash == old[-1].row_hash == kept[0].prev_hash
    report = verify_chain()
    assert report.ok and report.rows == 2 and report.purges == 1
    # The window is closed again afterwards.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [kept[0].pk])


def test_an_old_row_behind_a_newer_one_waits_for_a_later_purge(db):
    first = _anonymous(when=YEARS_AGO)
    newer = _anonymous()
    late_old = _anonymous(when=YEARS_AGO)
    assert access_log_purge_before(cutoff=CUTOFF).deleted == 1
    assert set(AccessLogEntry.objects.values_list("pk", flat=True)) == {newer.pk, late_old.pk}
    assert not AccessLogEntry.objects.filter(pk=first.pk).exists()
    assert verify_chain().ok


def test_purging_everything_keeps_the_chain_going_and_purges_link_up(db):
    _anonymous(when=YEARS_AGO)
    last_old = _anonymous(when=YEARS_AGO)
    access_log_purge_before(cutoff=CUTOFF)
    assert AccessLogEntry.objects.count() == 0
    assert verify_chain().ok
    following = _anonymous(when=YEARS_AGO)
    assert following.prev_hash == last_old.row_hash  # chains onto the purge's final hash
    _anonymous()
    second = access_log_purge_before(cutoff=CUTOFF).record
    assert second.first_prev_hash == last_old.row_hash
    report = verify_chain()
    assert report.ok and report.purges == 2 and report.rows == 1


def test_nothing_to_purge_writes_no_record(db):
    _anonymous()
    result = access_log_purge_before(cutoff=CUTOFF)
    assert (result.deleted, result.record) == (0, None)
    assert not AccessLogPurge.objects.exists()


def test_the_purge_record_is_append_only(db):
    _anonymous(when=YEARS_AGO)
    record = access_log_purge_before(cutoff=CUTOFF).record
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        AccessLogPurge.objects.all().delete()
    for sql in ("UPDATE audit_accesslogpurge SET row_count = 0", "DELETE FROM audit_accesslogpurge"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)


def test_verify_finds_a_kept_row_removed_after_a_purge(db):
    _anonymous(when=YEARS_AGO)
    kept = _anonymous()
    newest = _anonymous()
    access_log_purge_before(cutoff=CUTOFF)
    with connection.cursor() as cursor:  # as the owner could: a second window, outside the purge job
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO audit_purge_window (id) VALUES (1)")
        else:
            cursor.execute("SET LOCAL koers.audit_purge = 'on'")
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [kept.pk])
    report = verify_chain()
    assert not report.ok and report.problem.row_id == newest.pk


def test_purge_command_reports_the_range(db):
    old = _anonymous(when=YEARS_AGO)
    _anonymous()
    out = io.StringIO()
    call_command("audit", "purge", "--older-than-days", str(365 * 5), stdout=out)
    assert f"purged 1 rows (ids {old.pk}-{old.pk})" in out.getvalue()
    assert old.row_hash in out.getvalue()
    with pytest.raises(CommandError):
        call_command("audit", "purge", "--before", "gisteren")


def test_an_anchor_kept_elsewhere_shows_rows_removed_from_the_end(db):
    _anonymous()
    anchor = _anonymous().row_hash
    assert verify_chain(anchor=anchor).ok
    last = AccessLogEntry.objects.order_by("-pk").first()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO audit_purge_window (id) VALUES (1)")
        else:
            cursor.execute("SET LOCAL koers.audit_purge = 'on'")
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [last.pk])
    assert verify_chain().ok  # the chain alone cannot see a shortened end
    report = verify_chain(anchor=anchor)
    assert not report.ok and anchor[:12] in report.problem.message


@override_settings(KOERS_TRUSTED_PROXIES=["10.0.8.0/24"])
def test_a_page_logs_the_client_behind_the_trusted_proxy_and_ignores_a_spoofed_header(cast, client):
    client.force_login(cast.noor)
    url = reverse("workspace:person", args=[cast.anna.pk])
    client.get(url, REMOTE_ADDR="10.0.8.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    client.get(url, REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.5")
    addresses = list(
        AccessLogEntry.objects.filter(user=cast.noor, object_type="overview")
        .order_by("pk")
        .values_list("client_address", flat=True)
    )
    assert addresses == ["203.0.113.5", "198.51.100.9"]
