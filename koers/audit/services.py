"""The only ways the access log changes: appending (``koers.audit.log``) and the retention purge."""

from __future__ import annotations

from django.db import connection, transaction

from koers.audit.models import AccessLogEntry


@transaction.atomic
def access_log_purge_before(*, cutoff) -> int:
    """Delete records older than ``cutoff`` after their retention period has passed.

    Opens the database's purge window for this transaction only (see audit migration 0002).
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL koers.audit_purge = 'on'")
        elif connection.vendor == "sqlite":
            cursor.execute("INSERT INTO audit_purge_window (id) VALUES (1)")
        ids = list(AccessLogEntry.objects.filter(occurred_at__lt=cutoff).values_list("pk", flat=True))
        deleted = 0
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            placeholders = ",".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM audit_accesslogentry WHERE id IN ({placeholders})", chunk)  # noqa: S608  # nosec B608  # only %s placeholders; ids are parameters
            deleted += cursor.rowcount
        # Close the window explicitly: when called inside an outer transaction, SET LOCAL would
        # otherwise outlive this function.
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL koers.audit_purge = 'off'")
        elif connection.vendor == "sqlite":
            cursor.execute("DELETE FROM audit_purge_window")
    return deleted
