"""Read replicas (docs/scaling.md): population and analytics reads go to a PostgreSQL streaming
replica, everything else to the primary.

Active only when ``DATABASE_REPLICA_URL`` is set (koers/settings.py adds the ``replica``
connection and this router). A query goes to the replica only inside ``routed(label)`` with a
label listed in ``KOERS_REPLICA_LABELS`` (default: ``analytics`` and ``population``): reports
over many people, benchmarks of a population, research extracts — reads that may lag the primary
by a moment. Care pages read from the primary, so a professional always sees what was just
written (read-your-writes). Writes, and every read inside a transaction on the primary, always go
to the primary; migrations run on the primary only (the replica follows by replication).
"""

from __future__ import annotations

import contextlib
import contextvars

from django.conf import settings
from django.db import connections

PRIMARY = "default"
REPLICA = "replica"
DEFAULT_LABELS = ("analytics", "population")

_label: contextvars.ContextVar[str | None] = contextvars.ContextVar("koers_db_label", default=None)


@contextlib.contextmanager
def routed(label: str):
    """Mark the reads in this block as ``label`` (e.g. ``"analytics"``)."""
    token = _label.set(label)
    try:
        yield
    finally:
        _label.reset(token)


def current_label() -> str | None:
    return _label.get()


class ReplicaRouter:
    """Django database router: labelled reads to ``replica``, all else to ``default``."""

    def _replica_allowed(self) -> bool:
        if REPLICA not in settings.DATABASES:
            return False
        labels = getattr(settings, "KOERS_REPLICA_LABELS", DEFAULT_LABELS)
        if current_label() not in labels:
            return False
        # Inside a transaction on the primary, read what that transaction wrote.
        return not connections[PRIMARY].in_atomic_block

    def db_for_read(self, model, **hints):
        return REPLICA if self._replica_allowed() else PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
