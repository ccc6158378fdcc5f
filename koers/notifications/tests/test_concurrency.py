"""Exactly once under concurrency and crashes, on PostgreSQL: separate connections (threads) and a
worker process killed with SIGKILL mid-send. The single-connection equivalents (a second claim
while a lease holds, a failure after claiming, a stale worker) are in test_delivery.py and run on
SQLite as well."""

import datetime as dt
import os
import subprocess
import sys
import textwrap
import threading

import pytest
from django.db import connection, connections

from koers.notifications import delivery, sweeps
from koers.notifications.models import Delivery, Notification

from .conftest import make_actions, postgres

UTC = dt.UTC
NOW = dt.datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
N = 300

pytestmark = [postgres, pytest.mark.django_db(transaction=True)]


def _in_threads(target, count):
    errors = []
    barrier = threading.Barrier(count)

    def run(i):
        try:
            barrier.wait()
            target(i)
        except BaseException as error:  # noqa: BLE001 — reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return errors


def test_two_concurrent_sweeps_make_one_row_each(cast):
    make_actions(cast.anna, cast.noor, dt.date(2026, 1, 12), n=N)
    errors = _in_threads(lambda i: sweeps.sweep(now=NOW + dt.timedelta(seconds=i)), 4)
    assert errors == []
    assert Delivery.objects.count() == N


def test_concurrent_workers_deliver_each_reminder_exactly_once(cast):
    make_actions(cast.anna, cast.noor, dt.date(2026, 1, 12), n=N)
    sweeps.sweep(now=NOW)
    sent = [0] * 4

    def work(i):
        # Small batches so the workers interleave many times.
        while True:
            report = delivery.deliver(now=NOW, limit=7)
            if not report.claimed:
                return
            sent[i] += report.sent

    errors = _in_threads(work, 4)
    assert errors == []
    assert sum(sent) == N
    assert sum(1 for s in sent if s) >= 2, "the workers did not actually run side by side"
    assert Notification.objects.count() == N
    assert Notification.objects.values("delivery").distinct().count() == N
    assert Delivery.objects.filter(state=Delivery.State.SENT).count() == N


WORKER = textwrap.dedent(
    """
    import datetime as dt, sys, time
    import django
    django.setup()
    from koers.notifications import delivery

    def hang(row):
        print("SENDING", row.pk, flush=True)
        time.sleep(120)

    delivery.deliver(now=dt.datetime.fromisoformat(sys.argv[1]), send_hook=hang)
    """
)


def test_worker_killed_mid_send_is_delivered_once_later(cast):
    make_actions(cast.anna, cast.noor, dt.date(2026, 1, 12), n=3)
    sweeps.sweep(now=NOW)
    env = dict(os.environ)
    db = connection.settings_dict
    env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env["DJANGO_SETTINGS_MODULE"] = "koers.test_settings"
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, NOW.isoformat()], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        line = worker.stdout.readline()
        assert line.startswith("SENDING"), line
        # The worker is inside the transaction that writes the notification: kill it hard.
        worker.kill()
        worker.wait(30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == -9
    # The claim was committed (rows 'sending' under its lease); no notification was.
    assert Delivery.objects.filter(state=Delivery.State.SENDING).count() == 3
    assert not Notification.objects.exists()
    # While the dead worker's lease holds, nobody sends; after it, everything goes out once.
    assert delivery.deliver(now=NOW + dt.timedelta(minutes=1)).claimed == 0
    report = delivery.deliver_all(now=NOW + delivery.LEASE + dt.timedelta(seconds=1))
    assert report.sent == 3
    assert Notification.objects.count() == 3
    assert delivery.deliver_all(now=NOW + dt.timedelta(hours=2)).claimed == 0
