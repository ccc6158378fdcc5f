"""PostgreSQL restarted while persons post diary entries (issue #18, "Faults"; docs/operations.md).

The shared PostgreSQL server cannot be restarted by a test, so this test starts its own: a
throwaway cluster (``initdb``/``pg_ctl`` of the postgresql package) on a free port, with a copy
of the migrated test database, and ``koers serve`` (gunicorn, production settings, 2FA) in front
of it. Three persons post diary entries and read their portal page while that cluster is stopped
(``pg_ctl stop -m fast``) for a few seconds and started again. ``benchmarks/load/outage.py`` does
the work and the checks; this test holds it to them:

- every answer is a page, a saved entry (302) or Koers's Dutch 503 page with ``Retry-After`` and
  no traceback — no 500, no dropped connection;
- every entry that was acknowledged is stored exactly once; nothing refused, or answered with the
  503 page that says it was not saved, was stored after all; an entry answered with the 503 page
  that says it was stored (committed before PostgreSQL went away) is stored;
- Koers answers again by itself once PostgreSQL is back, with the same gunicorn master.

PostgreSQL only (the whole point is a server that goes away); skipped, with the reason, when the
tests run on SQLite or the PostgreSQL server programs are not installed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from django.db import connection

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks" / "load"))

import outage  # noqa: E402

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs PostgreSQL: DATABASE_URL is not a postgres:// URL",
    ),
    pytest.mark.skipif(
        outage.Cluster.available() is not None,
        reason=f"cannot start a PostgreSQL cluster: {outage.Cluster.available()}",
    ),
]


def source_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_postgresql_restart_under_load(db, tmp_path):
    assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict["NAME"]
    summary = outage.run(
        source_url=source_url(), mode="fast", threads=3, workers=2, before=3, down=4, after=8, out=tmp_path
    )
    assert summary["failures"] == [], summary
    assert summary["answered_503"] > 0 and summary["entries_acknowledged"] > 0
    assert summary["answered_503_with_dutch_page_and_retry_after"] == summary["answered_503"]
    assert summary["lost"] == summary["doubled"] == summary["entries_answered_503_but_stored"] == 0
    assert summary["entries_answered_503_saying_stored_but_missing"] == 0
    assert summary["same_gunicorn_master"]
