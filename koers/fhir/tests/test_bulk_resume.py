"""A ``$export`` whose worker was lost is built again by itself (``bulk.bulk_exports_resume``,
``koers.lib.lost_work``): once, with what the lost run left removed; a run that was only slow
offers nothing when it wakes up; after three runs it is given up. The kill itself, with a real
second process on PostgreSQL: tests/test_faults_workers.py."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import pytest
import time_machine
from django.db.models import F
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.fhir import bulk, tasks
from koers.fhir.models import BulkExport
from koers.lib import lost_work
from koers.notifications import sources
from tests.support.testing import make_full_record

pytestmark = pytest.mark.django_db
LATER = bulk.RESUME_AFTER + dt.timedelta(seconds=1)


@pytest.fixture
def asked(cast, client) -> BulkExport:
    """Noor's ``$export`` of Anna, asked and queued (the queue's worker not yet there)."""
    make_full_record(cast.anna, professional=cast.noor)
    client.force_login(cast.noor)
    with mock.patch.object(tasks, "bulk_export_build"):
        response = client.get(
            f"/fhir/Patient/{cast.anna.pk}/$export",
            headers={"Prefer": "respond-async", "Accept": "application/fhir+json"},
        )
    assert response.status_code == 202
    return BulkExport.objects.get()


def _left_by_a_lost_run(export: BulkExport, attempt: int) -> str:
    """The run ``attempt`` took the export up, wrote a file and was killed."""
    BulkExport.objects.filter(pk=export.pk).update(status=BulkExport.Status.RUNNING, attempt=attempt, done=2)
    return bulk.storage().save(f"{export.folder(attempt)}/Goal.ndjson", io.BytesIO(b"{}\n"))


def _built(cast) -> int:
    return AccessLogEntry.objects.filter(person=cast.anna, detail__startswith="FHIR $export gemaakt").count()


def test_a_run_whose_worker_was_lost_is_built_again_once(cast, asked, django_capture_on_commit_callbacks):
    left = _left_by_a_lost_run(asked, 1)
    assert bulk.bulk_exports_resume(enqueue=tasks.bulk_export_build.enqueue) == {
        "resumed": 0,
        "ended": 0,
    }  # it may still be working
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert bulk.bulk_exports_resume(enqueue=tasks.bulk_export_build.enqueue, now=timezone.now() + LATER) == {
            "resumed": 1,
            "ended": 0,
        }
    assert len(queued) == 1
    asked.refresh_from_db()
    assert (asked.status, asked.attempt, _built(cast)) == (BulkExport.Status.READY, 2, 1)
    assert not bulk.storage().exists(left), "what the lost run left is removed"
    assert {f["type"] for f in asked.files} >= {"Patient", "Goal"}
    assert all(f["name"].startswith(asked.folder(2) + "/") and bulk.storage().exists(f["name"]) for f in asked.files)
    assert bulk.bulk_export_run(asked.pk) == BulkExport.Status.READY  # the queue's own copy builds nothing


def test_a_run_that_lost_its_export_offers_nothing(cast, asked, monkeypatch):
    """Thought lost and built again (its attempt moved on) while it wrote its files: when it
    ends, it marks nothing ready, logs no build and removes its files."""
    real = bulk._write_types

    def write_then_taken_over(export, files, persons):
        finished = real(export, files, persons)
        BulkExport.objects.filter(pk=export.pk).update(attempt=F("attempt") + 1)
        return finished

    monkeypatch.setattr(bulk, "_write_types", write_then_taken_over)
    assert bulk.bulk_export_run(asked.pk) == BulkExport.Status.RUNNING
    asked.refresh_from_db()
    assert (asked.files, _built(cast)) == ([], 0)
    assert bulk.storage().listdir(asked.folder(1))[1] == []


def test_progress_is_a_sign_of_life_and_a_silent_run_is_given_up_after_three(cast, asked):
    left = _left_by_a_lost_run(asked, bulk.MAX_ATTEMPTS)
    BulkExport.objects.filter(pk=asked.pk).update(alive_at=timezone.now() + dt.timedelta(minutes=5))
    assert bulk.bulk_exports_resume(enqueue=tasks.bulk_export_build.enqueue, now=timezone.now() + LATER) == {
        "resumed": 0,
        "ended": 0,
    }
    assert bulk.bulk_exports_resume(
        enqueue=tasks.bulk_export_build.enqueue, now=timezone.now() + LATER + dt.timedelta(minutes=5)
    ) == {"resumed": 0, "ended": 1}
    asked.refresh_from_db()
    assert asked.status == BulkExport.Status.FAILED and not bulk.storage().exists(left)


def test_an_export_asked_a_day_ago_and_never_built_is_given_up(asked):
    assert bulk.bulk_exports_resume(
        enqueue=tasks.bulk_export_build.enqueue, now=timezone.now() + bulk.GIVE_UP_AFTER
    ) == {"resumed": 0, "ended": 1}
    assert BulkExport.objects.get().status == BulkExport.Status.FAILED


def test_a_cancel_removes_what_a_lost_run_left(cast, client, asked):
    left = _left_by_a_lost_run(asked, 1)
    status_url = f"/fhir/$export-status/{asked.key}"
    assert client.delete(status_url).status_code == 202
    assert not bulk.storage().exists(left)
    assert BulkExport.objects.get().status == BulkExport.Status.CANCELLED
    assert bulk.bulk_exports_resume(enqueue=tasks.bulk_export_build.enqueue, now=timezone.now() + LATER) == {
        "resumed": 0,
        "ended": 0,
    }


def test_a_run_of_an_export_removed_meanwhile_does_nothing(asked):
    BulkExport.objects.filter(pk=asked.pk).delete()
    assert bulk.bulk_export_run(asked.pk) == bulk.GONE


def test_the_scheduler_runs_the_resume():
    assert tasks.bulk_exports_resume in sources.periodic_tasks()


def test_a_long_step_shows_life_at_most_once_a_minute_and_only_on_its_own_run(asked):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        export, claimed = lost_work.claim(BulkExport.objects.all(), asked.pk)
        assert claimed and (export.status, export.attempt) == (BulkExport.Status.RUNNING, 1)
        pulse = lost_work.Pulse(export)
        clock.shift(dt.timedelta(seconds=30))
        pulse.beat()
        assert BulkExport.objects.get().alive_at == start
        clock.shift(dt.timedelta(seconds=31))
        pulse.beat()
        assert BulkExport.objects.get().alive_at == start + dt.timedelta(seconds=61)
        BulkExport.objects.update(attempt=2)  # taken over
        clock.shift(dt.timedelta(minutes=2))
        pulse.beat()
        assert BulkExport.objects.get().alive_at == start + dt.timedelta(seconds=61)
        assert lost_work.claim(BulkExport.objects.all(), asked.pk)[1] is False  # running: not taken up twice
