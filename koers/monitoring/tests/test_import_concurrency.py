"""Two imports of overlapping data at the same moment, on PostgreSQL (separate connections).

Both check their rows before either writes (a barrier holds them between check and insert), so
neither sees the other's values. The database's unique constraint decides: one import is done,
the other fails as a whole with a message and stores nothing. The single-connection variant (a
value that appears between check and insert) is in test_import_task.py and runs on SQLite too.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from koers.monitoring import services, tasks
from koers.monitoring.models import ImportBatch, Observation
from koers.monitoring.services import imports

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (separate connections that block on the same unique key); "
        "the single-connection variant runs on SQLite in test_import_task.py",
    ),
    pytest.mark.django_db(transaction=True),
]

MAPPING = {"timestamp": 0, "columns": [{"index": 1, "type": "mood"}]}


def _csv(hours: range, value: int) -> str:
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=60)
    rows = "".join(f"{(start + dt.timedelta(hours=h)).isoformat()};{value}\n" for h in hours)
    return "Tijdstip;Stemming\n" + rows


def _queued(cast, text: str) -> ImportBatch:
    batch = services.import_start(actor=cast.anna_user, person=cast.anna, kind="csv", filename="x.csv", content=text)
    services.import_mapping_set(actor=cast.anna_user, person=cast.anna, batch=batch, mapping=MAPPING)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.QUEUED)
    return batch


def test_overlapping_imports_at_once_one_wins_the_other_stores_nothing(cast, monkeypatch):
    first = _queued(cast, _csv(range(0, 600), 5))
    second = _queued(cast, _csv(range(300, 900), 6))
    barrier = threading.Barrier(2, timeout=60)
    real_store = imports.import_store

    def store_after_both_checked(*, batch, checked):
        barrier.wait()
        return real_store(batch=batch, checked=checked)

    monkeypatch.setattr(imports, "import_store", store_after_both_checked)
    results: dict[int, dict] = {}
    errors: list[BaseException] = []

    def run(pk):
        try:
            results[pk] = tasks.process(pk)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(b.pk,)) for b in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    statuses = sorted(r["status"] for r in results.values())
    assert statuses == [ImportBatch.Status.DONE, ImportBatch.Status.FAILED]
    done = ImportBatch.objects.get(status=ImportBatch.Status.DONE)
    failed = ImportBatch.objects.get(status=ImportBatch.Status.FAILED)
    assert done.imported == 600 and failed.imported == 0
    assert failed.errors[0]["message"].startswith("Intussen zijn op dezelfde tijdstippen") and failed.content == ""
    assert Observation.objects.count() == 600
    assert set(Observation.objects.values_list("batch_id", flat=True)) == {done.pk}
