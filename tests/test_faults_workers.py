"""A worker killed (SIGKILL) in the middle of a self-monitoring import or a person's export, on
PostgreSQL: nothing half-stored, nothing duplicated, and the job resumes by itself — the sweep
(``imports_resume`` / ``exports_resume``, queued by ``koers scheduler``) hands it to a worker again,
and a first worker that was only slow, not dead, stores and offers nothing when it wakes up. The
reminder sweep and notification delivery have the same test in
koers/notifications/tests/test_concurrency.py.

The worker is a separate process (as ``koers worker`` is) on the same database; a hook makes it
stop at the worst moment — inside the import's one transaction after its rows were inserted,
between checking and storing, in the middle of building the export, and after the export's zip
was written but before the request was marked ready — so the kill (or the wait) lands there.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
import threading
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.exports import services as export_services
from koers.exports import tasks as export_tasks
from koers.exports.models import ExportRequest
from koers.fhir import bulk
from koers.fhir import tasks as fhir_tasks
from koers.fhir.models import BulkExport
from koers.monitoring import services as monitoring_services
from koers.monitoring import tasks as monitoring_tasks
from koers.monitoring.models import ImportBatch, Observation
from tests.support.testing import make_full_record

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

    real_store, real_check = imports.import_store, tasks._check_all

    def store_then_hang(**kwargs):
        count = real_store(**kwargs)  # the rows are inserted, the transaction not committed
        print("STORED", count, flush=True)
        time.sleep(120)

    def store_then_wait(**kwargs):
        count = real_store(**kwargs)
        print("STORED", count, flush=True)
        sys.stdin.readline()  # hung inside the transaction until the test says when to go on
        return count

    def check_then_wait(*args):
        checked = real_check(*args)  # checked; about to store
        print("CHECKED", flush=True)
        sys.stdin.readline()  # the test says when to go on
        return checked

    if sys.argv[2] == "kill while storing":
        imports.import_store = store_then_hang
    elif sys.argv[2] == "wait while storing":
        imports.import_store = store_then_wait
    else:
        tasks._check_all = check_then_wait
    print("RESULT", tasks.process(int(sys.argv[1])), flush=True)
    """
)

EXPORT_WORKER = textwrap.dedent(
    """
    import sys, time
    import django
    django.setup()
    from django.core.files.storage import FileSystemStorage
    from koers.exports import build, services

    def hang(actor, person, progress=None):
        print("BUILDING", flush=True)
        time.sleep(120)

    class SaveThenHang(FileSystemStorage):
        def save(self, name, content, **kwargs):
            saved = super().save(name, content, **kwargs)
            print("SAVED", saved, flush=True)
            time.sleep(120)

    if sys.argv[2] == "kill while building":
        build.build_zip = hang
    else:
        services.storage = lambda: SaveThenHang(location=sys.argv[2])
    services.export_run(int(sys.argv[1]))
    """
)

BULK_WORKER = textwrap.dedent(
    """
    import sys, time
    import django
    django.setup()
    from django.core.files.storage import FileSystemStorage
    from koers.fhir import bulk

    real_write = bulk._write
    bulk.storage = lambda: FileSystemStorage(location=sys.argv[2])
    bulk.PARALLEL = False  # one thread: the kill lands after the first type's file

    def write_then_hang(export, kind, *args):
        made = real_write(export, kind, *args)
        print("WROTE", made["name"], flush=True)
        time.sleep(120)

    bulk._write = write_then_hang
    bulk.bulk_export_run(int(sys.argv[1]))
    """
)


def _worker(script: str, *args) -> subprocess.Popen:
    env = dict(os.environ)
    db = connection.settings_dict
    env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env["DJANGO_SETTINGS_MODULE"] = "koers.test_settings"
    argv = [sys.executable, "-c", script, *map(str, args)]
    return subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def _kill_when_ready(script: str, arg: int, mode: str, ready: str) -> str:
    worker = _worker(script, arg, mode)
    try:
        line = worker.stdout.readline()
        assert line.startswith(ready), line
        worker.kill()
        worker.wait(30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == -9
    return line


def _after_the_worker_was_lost(sweep) -> dict:
    """Run the sweep as the scheduler would once ``RESUME_AFTER`` has passed without a sign of
    life; the task it queues after its commit runs there and then (the test settings' immediate
    backend; these tests commit for real)."""
    return sweep(now=timezone.now() + dt.timedelta(minutes=11))


def _queued_import(cast, monkeypatch) -> ImportBatch:
    batch = monitoring_services.import_start(
        actor=cast.anna_user, person=cast.anna, kind="csv", filename="weegschaal.csv", content=CSV.encode()
    )
    batch = monitoring_services.import_mapping_set(actor=cast.anna_user, person=cast.anna, batch=batch, mapping=MAPPING)
    with monkeypatch.context() as patch:  # queued only: the test's worker takes it up, not the immediate backend
        patch.setattr(monitoring_tasks, "run_import", SimpleNamespace(enqueue=lambda *args: None))
        return monitoring_services.import_queue(actor=cast.anna_user, person=cast.anna, batch=batch)


def _requested_export(cast, monkeypatch) -> ExportRequest:
    with monkeypatch.context() as patch:  # asked only: the test's worker builds it, not the immediate backend
        patch.setattr(export_tasks, "export_build", SimpleNamespace(enqueue=lambda *args: None))
        return export_services.export_request(actor=cast.anna_user, person=cast.anna)


def test_an_import_killed_inside_its_transaction_stores_nothing_and_resumes_by_itself(cast, monkeypatch):
    batch = _queued_import(cast, monkeypatch)
    log_rows = AccessLogEntry.objects.count()
    _kill_when_ready(IMPORT_WORKER, batch.pk, "kill while storing", "STORED 3")
    assert not Observation.objects.filter(person=cast.anna).exists(), "the killed transaction was rolled back"
    assert AccessLogEntry.objects.count() == log_rows, "no log row for values that were not stored"
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.RUNNING
    assert monitoring_tasks.process(batch.pk) == {"status": "not queued"}  # never taken up twice at once
    sweep = _after_the_worker_was_lost(monitoring_tasks.imports_resume)
    assert sweep == {"resumed": 1, "ended": 0}
    batch.refresh_from_db()
    assert (batch.status, batch.attempt, batch.imported) == (ImportBatch.Status.DONE, 2, 3)
    assert Observation.objects.filter(person=cast.anna).count() == 3, "every value once"
    assert set(Observation.objects.values_list("batch", flat=True)) == {batch.pk}


def test_an_import_run_again_while_its_first_worker_was_only_slow_is_stored_once(cast, monkeypatch):
    batch = _queued_import(cast, monkeypatch)
    slow = _worker(IMPORT_WORKER, batch.pk, "wait before storing")
    try:
        assert slow.stdout.readline().startswith("CHECKED")
        sweep = _after_the_worker_was_lost(monitoring_tasks.imports_resume)
        assert sweep == {"resumed": 1, "ended": 0}
        batch.refresh_from_db()
        assert (batch.status, batch.attempt, batch.imported) == (ImportBatch.Status.DONE, 2, 3)
        slow.stdin.write("go on\n")
        slow.stdin.flush()
        result = slow.stdout.readline()
        assert slow.wait(60) == 0 and result.strip() == "RESULT {'status': 'ended elsewhere'}", result
    finally:
        if slow.poll() is None:
            slow.kill()
    batch.refresh_from_db()
    assert (batch.status, batch.attempt, batch.imported, batch.errors) == (ImportBatch.Status.DONE, 2, 3, [])
    assert Observation.objects.filter(person=cast.anna).count() == 3, "the late worker stored nothing"


def test_an_import_taken_over_from_a_worker_hung_inside_its_transaction_waits_for_it_and_is_stored_once(
    cast, monkeypatch
):
    """The hung worker's inserted rows are not committed, so the sweep sees no sign of life and
    gives the batch to a second run; that run waits on those rows until the hung transaction ends
    (here: the worker goes on), which then stores nothing, and the second run stores everything."""
    batch = _queued_import(cast, monkeypatch)
    hung = _worker(IMPORT_WORKER, batch.pk, "wait while storing")
    try:
        assert hung.stdout.readline().startswith("STORED 3")
        queued = []
        with monkeypatch.context() as patch:  # handed to the second worker below, not run here at once
            patch.setattr(monitoring_tasks, "run_import", SimpleNamespace(enqueue=queued.append))
            assert monitoring_tasks.imports_resume(now=timezone.now() + dt.timedelta(minutes=11))["resumed"] == 1
        assert queued == [batch.pk]
        second: dict = {}

        def run_again():  # a second worker: its own connection
            try:
                second["result"] = monitoring_tasks.process(batch.pk)
            finally:
                connection.close()

        worker = threading.Thread(target=run_again)
        worker.start()
        worker.join(3)
        assert worker.is_alive(), "the second run waits on the hung transaction's rows"
        hung.stdin.write("go on\n")
        hung.stdin.flush()
        result = hung.stdout.readline()
        assert hung.wait(60) == 0 and result.strip() == "RESULT {'status': 'ended elsewhere'}", result
        worker.join(60)
        assert not worker.is_alive() and second["result"]["status"] == ImportBatch.Status.DONE
    finally:
        if hung.poll() is None:
            hung.kill()
    batch.refresh_from_db()
    assert (batch.status, batch.attempt, batch.imported) == (ImportBatch.Status.DONE, 2, 3)
    assert Observation.objects.filter(person=cast.anna).count() == 3, "every value once"


def _exports(cast) -> tuple[int, int]:
    made = AccessLogEntry.objects.filter(person=cast.anna, detail__startswith="export gemaakt").count()
    return ExportRequest.objects.filter(status=ExportRequest.Status.READY).count(), made


def test_an_export_killed_while_being_built_offers_nothing_and_is_built_again_by_itself(cast, monkeypatch):
    dead = _requested_export(cast, monkeypatch)
    _kill_when_ready(EXPORT_WORKER, dead.pk, "kill while building", "BUILDING")
    dead.refresh_from_db()
    assert dead.status == ExportRequest.Status.RUNNING and not dead.downloadable and not dead.file_name
    assert _exports(cast) == (0, 0)
    assert export_services.export_run(dead.pk) == ExportRequest.Status.RUNNING  # never built twice at once
    with pytest.raises(ValidationError, match="al een download"):  # the person is told it is being made
        export_services.export_request(actor=cast.anna_user, person=cast.anna)
    sweep = _after_the_worker_was_lost(
        partial(export_services.exports_resume, enqueue=export_tasks.export_build.enqueue)
    )
    assert sweep == {"resumed": 1, "ended": 0}
    dead.refresh_from_db()
    assert dead.status == ExportRequest.Status.READY and dead.downloadable and dead.attempt == 2
    assert _exports(cast) == (1, 1)


def test_an_export_killed_after_writing_its_zip_leaves_no_file_behind(cast, monkeypatch, tmp_path):
    monkeypatch.setattr(export_services, "storage", lambda: FileSystemStorage(location=tmp_path))
    dead = _requested_export(cast, monkeypatch)
    line = _kill_when_ready(EXPORT_WORKER, dead.pk, tmp_path, "SAVED")
    lost = Path(tmp_path, line.split()[1])
    assert lost.exists() and ExportRequest.objects.get(pk=dead.pk).status == ExportRequest.Status.RUNNING
    sweep = _after_the_worker_was_lost(
        partial(export_services.exports_resume, enqueue=export_tasks.export_build.enqueue)
    )
    assert sweep == {"resumed": 1, "ended": 0}
    dead.refresh_from_db()
    assert dead.status == ExportRequest.Status.READY and _exports(cast) == (1, 1)
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.zip")] == [dead.file_name]
    assert not lost.exists(), "the killed build's zip was removed"


def test_a_fhir_export_killed_after_its_first_file_is_built_again_by_itself_without_that_file(
    cast, monkeypatch, tmp_path
):
    make_full_record(cast.anna, professional=cast.noor)
    monkeypatch.setattr(bulk, "storage", lambda: FileSystemStorage(location=tmp_path))
    with monkeypatch.context() as patch:  # asked only: the test's worker builds it
        patch.setattr(fhir_tasks, "bulk_export_build", SimpleNamespace(enqueue=lambda *args: None))
        dead = bulk.bulk_export_request(
            actor=cast.noor, person=cast.anna, types=["Patient", "Goal"], since=None, request_url="/fhir/$export"
        )
    line = _kill_when_ready(BULK_WORKER, dead.pk, tmp_path, "WROTE")
    lost = Path(tmp_path, line.split()[1])
    assert lost.exists() and BulkExport.objects.get(pk=dead.pk).status == BulkExport.Status.RUNNING
    made = AccessLogEntry.objects.filter(person=cast.anna, detail__startswith="FHIR $export gemaakt")
    assert not made.exists()
    sweep = _after_the_worker_was_lost(partial(bulk.bulk_exports_resume, enqueue=fhir_tasks.bulk_export_build.enqueue))
    assert sweep == {"resumed": 1, "ended": 0}
    dead.refresh_from_db()
    assert (dead.status, dead.attempt, made.count()) == (BulkExport.Status.READY, 2, 1)
    assert sorted(f["type"] for f in dead.files) == ["Goal", "Patient"]
    on_disk = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert on_disk == sorted(name for f in dead.files for name in (f["name"], f["index"]))
    assert not lost.exists(), "the killed run's file was removed"
