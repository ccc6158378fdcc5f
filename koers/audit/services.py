"""The only ways the access log changes: appending (``koers.audit.log``) and the retention purge."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from koers.audit.log import lock_chain
from koers.audit.models import AccessLogEntry, AccessLogPurge

PURGE_BATCH = 500


def owner_alias() -> str:
    """The database connection of the tables' owner role (``DATABASE_OWNER_URL``), else the default."""
    return "owner" if "owner" in settings.DATABASES else "default"


@dataclass(frozen=True)
class PurgeResult:
    deleted: int
    record: AccessLogPurge | None


def _purge_range(using: str, cutoff) -> tuple[int, int] | None:
    """The longest run of rows from the start of the chain (id order) all older than ``cutoff``.

    Only a prefix of the chain can go, or the rows kept would no longer link up; a row older than
    the cutoff behind a newer one waits for a later purge.
    """
    ids = AccessLogEntry.objects.using(using).order_by("id").values_list("id", flat=True)
    first_id = ids.first()
    first_kept = ids.filter(occurred_at__gte=cutoff).first()
    last_id = ids.filter(id__lt=first_kept).last() if first_kept is not None else ids.last()
    if first_id is None or last_id is None:
        return None
    return first_id, last_id


def _open_window(cursor, vendor: str, *, open_it: bool) -> None:
    if vendor == "postgresql":
        cursor.execute("SET LOCAL koers.audit_purge = 'on'" if open_it else "SET LOCAL koers.audit_purge = 'off'")
    elif vendor == "sqlite":
        cursor.execute(
            "INSERT OR IGNORE INTO audit_purge_window (id) VALUES (1)" if open_it else "DELETE FROM audit_purge_window"
        )


def access_log_purge_before(*, cutoff, using: str | None = None) -> PurgeResult:
    """Delete the rows older than ``cutoff`` (their retention period has passed) and record it.

    Runs on the owner's connection (``owner_alias``): on PostgreSQL only the owner role may open
    the purge window (audit migration 0004), and the application's role may not delete at all.
    Removes the oldest run of the chain and writes one ``AccessLogPurge`` row naming the id range,
    the count, the cutoff and the hash of the last row removed, so ``koers audit verify`` can
    check that the first row kept links to it.
    """
    using = using or owner_alias()
    connection = connections[using]
    with transaction.atomic(using=using):
        lock_chain(using)
        bounds = _purge_range(using, cutoff)
        if bounds is None:
            return PurgeResult(0, None)
        first_id, last_id = bounds
        entries = AccessLogEntry.objects.using(using)
        first_prev = entries.filter(id=first_id).values_list("prev_hash", flat=True).get()
        final_hash = entries.filter(id=last_id).values_list("row_hash", flat=True).get()
        with connection.cursor() as cursor:
            _open_window(cursor, connection.vendor, open_it=True)
            deleted = 0
            start = first_id
            while start <= last_id:
                end = min(start + PURGE_BATCH * 20, last_id + 1)
                cursor.execute("DELETE FROM audit_accesslogentry WHERE id >= %s AND id < %s", [start, end])
                deleted += cursor.rowcount
                start = end
            # Close the window explicitly: inside an outer transaction SET LOCAL would outlive this call.
            _open_window(cursor, connection.vendor, open_it=False)
            role = ""
            if connection.vendor == "postgresql":
                cursor.execute("SELECT current_user")
                role = cursor.fetchone()[0]
        record = AccessLogPurge(
            purged_at=timezone.now(),
            cutoff=cutoff,
            first_id=first_id,
            last_id=last_id,
            row_count=deleted,
            first_prev_hash=first_prev,
            final_hash=final_hash,
            database_role=role,
        )
        record.save(using=using)
    return PurgeResult(deleted, record)
