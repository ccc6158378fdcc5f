"""The tasks on Django's task framework: the immediate backend (tests), the embedded database
backend with `koers worker`, `koers scheduler`, and Redis (django-tasks-rq) with a burst worker."""

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from rq.worker import SimpleWorker

from koers.notifications.models import Notification
from koers.notifications.tasks import sweep_reminders

from .conftest import make_actions

NOW = dt.datetime(2026, 1, 12, 9, 0, tzinfo=dt.UTC)
DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend", "QUEUES": ["default", "maintenance"]}}


@pytest.fixture
def due(cast):
    make_actions(cast.anna, cast.noor, dt.date(2026, 1, 12), n=2)


def test_immediate_backend_sweeps_and_delivers(due):
    with time_machine.travel(NOW, tick=False):
        sweep_reminders.enqueue()
    assert Notification.objects.count() == 2


def test_database_backend_with_koers_worker(flushable_db, due):
    # db_worker closes its database connection between tasks, as a long-running worker should: the
    # test cannot run inside one transaction.
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS=DB_BACKEND), time_machine.travel(NOW, tick=False):
        sweep_reminders.enqueue()
        assert Notification.objects.count() == 0  # only queued
        call_command("worker", burst=True, interval=0.01)
        assert Notification.objects.count() == 2
        # The sweep queued the delivery; both ran and succeeded.
        assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
        assert DBTaskResult.objects.count() == 2
        # Running everything again (the scheduler's next tick) sends nothing twice.
        call_command("scheduler", once=True)
        call_command("worker", burst=True, interval=0.01)
        assert Notification.objects.count() == 2


def test_scheduler_enqueues_one_sweep_and_refuses_nonsense(db):
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS=DB_BACKEND):
        call_command("scheduler", once=True)
        assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == sorted(
            # The sweep, and each periodic task an app registered (notifications.sources.register_periodic).
            [
                sweep_reminders.module_path,
                "koers.monitoring.tasks.resume_stale_imports",
                "koers.exports.tasks.exports_expire",
                "koers.exports.tasks.exports_resume",
                "koers.network.tasks.handover_overlaps_end",
                "koers.fhir.tasks.bulk_exports_expire",
                "koers.fhir.tasks.bulk_exports_resume",
                # Once a night (the first tick of a new install too): each kept table's repair,
                *["koers.lib.tasks.kept_data_repair"] * 4,
                # and the person overviews kept as HTML and not rendered for 30 days removed.
                "koers.workspace.tasks.kept_overviews_prune",
            ]
        )
        with pytest.raises(CommandError):
            call_command("scheduler", every=0)


def test_worker_refuses_the_immediate_backend(db):
    with pytest.raises(CommandError, match="no worker"):
        call_command("worker", burst=True)


def _redis_available():
    try:
        import redis

        return redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping()
    except Exception:  # noqa: BLE001
        return False


@pytest.mark.skipif(
    not _redis_available(), reason="needs the local Redis on 127.0.0.1:6379 (CI and this machine run one)"
)
def test_redis_backend_with_a_burst_worker(flushable_db, due):
    """The same task code on a real queue: enqueue to Redis, run an RQ burst worker."""
    # Koers' tasks use the queue "default"; here it lives in Redis database 15, emptied first.
    rq_queues = {"default": {"HOST": "127.0.0.1", "PORT": 6379, "DB": 15}}
    tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    with override_settings(RQ_QUEUES=rq_queues, TASKS=tasks), time_machine.travel(NOW, tick=True):
        import django_rq

        django_rq.get_queue("default").empty()
        result = sweep_reminders.enqueue()
        assert django_rq.get_queue("default").count == 1
        assert Notification.objects.count() == 0
        # One burst worker runs the sweep and the delivery it queued, then stops.
        workers = []
        real = django_rq.workers.get_worker
        with mock.patch("django_rq.workers.get_worker", lambda *a, **k: workers.append(real(*a, **k)) or workers[-1]):
            call_command("worker", burst=True, no_fork=True)
        assert Notification.objects.count() == 2
        assert sweep_reminders.get_backend().get_result(result.id).status == "SUCCESSFUL"
        assert django_rq.get_queue("default").count == 0
        # It ran in this process and listened for no commands: RQ's command channel made a burst
        # run end up to 60 s late (its pub/sub thread waiting out its poll; every other run here).
        assert isinstance(workers[0], SimpleWorker) and workers[0].pubsub_thread is None
