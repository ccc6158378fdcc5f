"""Rows written before the hash chain existed are chained by the data migration, in id order, and
the triggers stand again afterwards (SQLite rebuilds the table when a column is added)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from koers.audit import chain
from koers.audit.verify import verify_chain

BEFORE = [("audit", "0002_append_only_triggers")]
AFTER = [("audit", "0004_chain_and_owner_only_purge")]


def _empty_the_log():
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT OR IGNORE INTO audit_purge_window (id) VALUES (1)")
            cursor.execute("DELETE FROM audit_accesslogentry")
            cursor.execute("DELETE FROM audit_purge_window")
        else:
            cursor.execute("TRUNCATE audit_accesslogentry")


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_chained_in_id_order():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("audit", "AccessLogEntry")
    when = dt.datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=dt.UTC)
    for i in range(3):
        old.objects.create(
            event_id=uuid.uuid4(), occurred_at=when + dt.timedelta(minutes=i), action="R", object_type="overview"
        )
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
        report = verify_chain()
        assert report.ok and report.rows == 3
        new = executor.loader.project_state(AFTER).apps.get_model("audit", "AccessLogEntry")
        rows = list(new.objects.order_by("id"))
        assert rows[0].prev_hash == chain.GENESIS and rows[1].prev_hash == rows[0].row_hash
        # The triggers are back: no update, and no delete without the purge window.
        for sql in ("UPDATE audit_accesslogentry SET detail = 'x'", "DELETE FROM audit_accesslogentry"):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
    finally:
        _empty_the_log()
        # Back to the latest migrations: later ones (0006, the chain's link function) are used by
        # every test after this one.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
