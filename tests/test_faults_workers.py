"""A worker killed (SIGKILL) in the middle of a self-monitoring import or a person's export, on
PostgreSQL: nothing half-stored, nothing duplicated, and the job can be done again. The reminder
sweep and notification delivery have the same test in koers/notifications/tests/test_concurrency.py.

The worker is a separate process (as ``koers worker`` is) on the same database; a hook makes it
stop at the worst moment — inside the import's one transaction after its rows were inserted, and
in the middle of building the export — so the kill lands there.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from koers.audit.models import AccessLogEntry
from koers.exports import services as export_services
from koers.exports import tasks as export_tasks
from koers.exports.models import ExportRequest
from koers.monitoring import services as monitoring_services
from koers.monitoring import tasks as monitoring_tasks
from koers.monitoring.models import ImportBatch, Observation

pytestmark = [
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL only: two processes on one database"),
    pytest.mark.django_db(transaction=True),
]

CSV = "Datum;Tijd;Gewicht (kg)\n01-03-2026;08:30;81,2\n02-03-2026;08:10;81,0\n03-03-2026;08:05;80,8\n"
MAPPING = {"timestamp": 0, "time": 1, "columns": [{"index": 2, "type": "weight", "unit": "kg"}]}

IMPORT_WORKER = textwrap.dedent(
    """
    import sys, time
    import django
    django.setup()
    from koers.monitoring import tasks
    from koers.monitoring.services import imports

    real_store = imports.import_store

    def store_then_hang(**kwargs):
        count = real_store(**kwargs)  # the rows are inserted, the transaction not committed
        print("STORED", count, flush=True)
        time.sleep(120)

    imports.import_store = store_then_hang
    tasks.process(int(sys.argv[1]))
    """
)

EXPORT_WORKER = textwrap.dedent(
    """
    import sys, time
    import django
    django.setup()
    from koers.exports import build, services

    def hang(actor, person, progress=None):
        print("BUILDING", flush=True)
        time.sleep(120)

    build.build_zip = hang
    services.export_run(int(sys.argv[1]))
    """
)


def _kill_when_ready(script: str, arg: int, ready: str) -> None:
    env = dict(os.environ)
    db = connection.settings_dict
    env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env["DJANGO_SETTINGS_MODULE"] = "koers.test_settings"
    worker = subprocess.Popen([sys.executable, "-c", script, str(arg)], env=env, stdout=subprocess.PIPE, text=True)
    try:
        line = worker.stdout.readline()
        assert line.startswith(ready), line
        worker.kill()
        worker.wait(30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == -9


def _queued_import(cast, monkeypatch) -> ImportBatch:
    # Queued only: the killed worker of the test takes it up, not the test settings' immediate tasks.
    monkeypatch.setattr(monitoring_tasks, "run_import", SimpleNamespace(enqueue=lambda *args: None))
    batch = monitoring_services.import_start(
        actor=cast.anna_user, person=cast.anna, kind="csv", filename="weegschaal.csv", content=CSV.encode()
    )
    batch = monitoring_services.import_mapping_set(actor=cast.anna_user, person=cast.anna, batch=batch, mapping=MAPPING)
    return monitoring_services.import_queue(actor=cast.anna_user, person=cast.anna, batch=batch)


def test_worker_killed_inside_the_import_transaction_stores_nothing_and_the_import_can_be_redone(cast, monkeypatch):
    batch = _queued_import(cast, monkeypatch)
    log_rows = AccessLogEntry.objects.count()
    _kill_when_ready(IMPORT_WORKER, batch.pk, "STORED 3")
    assert not Observation.objects.filter(person=cast.anna).exists(), "the killed transaction was rolled back"
    assert AccessLogEntry.objects.count() == log_rows, "no log row for values that were not stored"
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.RUNNING
    # The dead batch is not taken up twice (only a queued batch is claimed) ...
    assert monitoring_tasks.process(batch.pk) == {"status": "not queued"}
    # ... and the person imports the same file again: every value once.
    again = _queued_import(cast, monkeypatch)
    assert monitoring_tasks.process(again.pk)["status"] == ImportBatch.Status.DONE
    assert Observation.objects.filter(person=cast.anna).count() == 3
    assert set(Observation.objects.values_list("batch", flat=True)) == {again.pk}


def test_worker_killed_while_building_an_export_offers_nothing_and_the_export_can_be_asked_again(cast, monkeypatch):
    monkeypatch.setattr(export_tasks, "export_build", SimpleNamespace(enqueue=lambda *args: None))
    dead = export_services.export_request(actor=cast.anna_user, person=cast.anna)
    _kill_when_ready(EXPORT_WORKER, dead.pk, "BUILDING")
    dead.refresh_from_db()
    assert dead.status == ExportRequest.Status.RUNNING and not dead.downloadable and not dead.file_name
    assert not AccessLogEntry.objects.filter(detail__startswith="export gemaakt").exists()
    assert export_services.export_run(dead.pk) == ExportRequest.Status.RUNNING  # never built twice
    # Until STALE has passed the person is told one is being made; then they can ask again.
    with pytest.raises(ValidationError, match="al een download"):
        export_services.export_request(actor=cast.anna_user, person=cast.anna)
    ExportRequest.objects.filter(pk=dead.pk).update(requested_at=dead.requested_at - export_services.STALE)
    monkeypatch.undo()
    fresh = export_services.export_request(actor=cast.anna_user, person=cast.anna)  # built at once (test tasks)
    fresh.refresh_from_db()
    assert fresh.status == ExportRequest.Status.READY and fresh.downloadable
    assert ExportRequest.objects.filter(status=ExportRequest.Status.READY).count() == 1
    assert AccessLogEntry.objects.filter(detail__startswith="export gemaakt").count() == 1
