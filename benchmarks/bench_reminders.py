#!/usr/bin/env python3
"""Reminder sweep and delivery over 100,000 people and 1,000,000 actions (PostgreSQL). Measures.

    DATABASE_URL=postgres://root@127.0.0.1:5432/postgres .venv/bin/python benchmarks/bench_reminders.py
    ... bench_reminders.py --workers 2 --email-share 0.1

Uses its own database ``koers_bench_reminders`` on the server in DATABASE_URL. When missing it is
copied from ``koers_bench_100k`` (bench_pages' population, ``koers generate --people 100000
--seed 1``) if that exists and is idle, else created and filled with ``koers generate``; then
migrated. On top of the generated population it gives every person a portal account (reminders
go to the person's account) and adds actions until there are ``--actions`` (COPY, random goals,
review dates spread over 90 days back to 270 days ahead, 85 % active), and opts a share of the
people into email (sent with Django's locmem backend: the cost of building and handing over the
message, not of an SMTP server).

Then, on empty outbox tables and with production-like settings (DEBUG off):

1. sweep once (timed): reminders scheduled;
2. sweep again (timed): must schedule 0 new rows;
3. deliver with ``--workers`` processes at once (each ``deliver_all``): messages per second;
4. count duplicates: outbox rows per dedupe key > 1, notifications per row > 1, notifications
   per (recipient, reason, subject, due instant) > 1 — all must be 0.

Results go to stdout and ``benchmarks/results/reminders-koers_bench_reminders.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import random
import secrets
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
NAME = "koers_bench_reminders"
TEMPLATE = "koers_bench_100k"


def url_for(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path="/" + name))


def ensure_database(base: str) -> str:
    """Create the benchmark database (from the 100k template when possible). Returns how."""
    import psycopg

    with psycopg.connect(url_for(base, "postgres"), autocommit=True) as conn:
        names = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
        if NAME in names:
            return "reused"
        busy = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [TEMPLATE]).fetchone()[0]
        if TEMPLATE in names and not busy:
            conn.execute(f'CREATE DATABASE "{NAME}" TEMPLATE "{TEMPLATE}"')
            return f"copied from {TEMPLATE}"
        conn.execute(f'CREATE DATABASE "{NAME}"')
        return "created"


def setup_django(base: str) -> None:
    os.environ.update(
        DATABASE_URL=url_for(base, NAME),
        DJANGO_SETTINGS_MODULE="koers.settings",
        KOERS_DEBUG="false",
        KOERS_SECRET_KEY=secrets.token_urlsafe(50),
        KOERS_ALLOWED_HOSTS="testserver",
        KOERS_DATA_DIR=tempfile.mkdtemp(prefix="koers-bench-"),
        KOERS_LOG_LEVEL="ERROR",
        KOERS_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        KOERS_TASK_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_population(people: int, actions: int, email_share: float, seed: int) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection

    from koers.accounts.models import User
    from koers.goals.models import Action, Goal
    from koers.notifications.models import NotificationPreference
    from koers.people.models import Person

    call_command("migrate", verbosity=0)
    timings = {}
    if not Person.objects.exists():
        t = time.perf_counter()
        call_command("generate", people=people, seed=seed, no_progress=True)
        timings["generate_s"] = round(time.perf_counter() - t, 1)

    t = time.perf_counter()
    missing = list(Person.objects.filter(user__isnull=True).values_list("pk", flat=True))
    password = make_password(None)
    for i in range(0, len(missing), 5000):
        User.objects.bulk_create(
            [
                User(
                    username=f"benchp{pk}",
                    role=User.Role.PERSON,
                    email=f"p{pk}@example.invalid",
                    password=password,
                    first_name="P",
                )
                for pk in missing[i : i + 5000]
            ]
        )
    if missing:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE people_person p SET user_id = u.id FROM accounts_user u "
                "WHERE p.user_id IS NULL AND u.username = 'benchp' || p.id"
            )
    timings["accounts_s"] = round(time.perf_counter() - t, 1)

    t = time.perf_counter()
    have = Action.objects.count()
    if have < actions:
        rng = random.Random(seed)
        goals = list(Goal.objects.values_list("pk", "person_id", "created_by_id"))
        today = dt.date.today()
        now = dt.datetime.now(dt.UTC)
        with connection.cursor() as cursor:
            columns = (
                'what, "when", how_often, "where", with_whom, obstacles, obstacle_plan, responsible, '
                "responsible_name, review_date, status, created_at, updated_at, created_by_id, person_id, goal_id"
            )
            with cursor.connection.cursor().copy(f"COPY goals_action ({columns}) FROM STDIN") as copy:
                for n in range(actions - have):
                    goal_id, person_id, by = rng.choice(goals)
                    review = today + dt.timedelta(days=rng.randint(-90, 270))
                    status = "active" if rng.random() < 0.85 else "done"
                    copy.write_row(
                        (
                            f"Actie {n}",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "person",
                            "",
                            review,
                            status,
                            now,
                            now,
                            by,
                            person_id,
                            goal_id,
                        )
                    )
    timings["actions_s"] = round(time.perf_counter() - t, 1)

    if email_share and not NotificationPreference.objects.exists():
        rng = random.Random(seed + 1)
        users = [u for u in Person.objects.values_list("user_id", flat=True) if rng.random() < email_share]
        NotificationPreference.objects.bulk_create(
            [NotificationPreference(user_id=u, email=True) for u in users], batch_size=5000, ignore_conflicts=True
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "people": Person.objects.count(),
        "people_with_account": Person.objects.filter(user__isnull=False).count(),
        "actions": Action.objects.count(),
        "active_actions": Action.objects.filter(status="active").count(),
        "email_opt_in": NotificationPreference.objects.filter(email=True).count(),
        **timings,
    }


def _worker(now_iso: str, queue) -> None:
    from django.db import connections

    connections.close_all()  # never share the parent's connection across a fork
    from koers.notifications import delivery

    t = time.perf_counter()
    report = delivery.deliver_all(now=dt.datetime.fromisoformat(now_iso))
    queue.put(
        {
            "sent": report.sent,
            "skipped": report.skipped,
            "deferred": report.deferred,
            "claimed": report.claimed,
            "lost_lease": report.lost_lease,
            "seconds": time.perf_counter() - t,
        }
    )
    connections.close_all()


def run(workers: int) -> dict:
    from django.db import connection, connections
    from django.db.models import Count
    from django.utils import timezone

    from koers.notifications import sweeps
    from koers.notifications.models import Delivery, Notification

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE notifications_notification, notifications_delivery")
    now = timezone.now().replace(microsecond=0)
    out: dict = {"now": now.isoformat()}

    t = time.perf_counter()
    offered = sweeps.sweep(now=now)
    out["sweep1_s"] = round(time.perf_counter() - t, 2)
    out["sweep1_offered"] = offered
    out["sweep1_rows"] = Delivery.objects.count()

    t = time.perf_counter()
    sweeps.sweep(now=now + dt.timedelta(minutes=5))
    out["sweep2_s"] = round(time.perf_counter() - t, 2)
    out["sweep2_new_rows"] = Delivery.objects.count() - out["sweep1_rows"]

    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    t = time.perf_counter()
    procs = [ctx.Process(target=_worker, args=(now.isoformat(), queue)) for _ in range(workers)]
    for p in procs:
        p.start()
    reports = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    wall = time.perf_counter() - t
    sent = sum(r["sent"] for r in reports)
    out["deliver_workers"] = workers
    out["deliver_wall_s"] = round(wall, 2)
    out["delivered"] = sent
    out["messages_per_s"] = round(sent / wall, 1) if wall else None
    out["per_worker"] = [{k: (round(v, 2) if isinstance(v, float) else v) for k, v in r.items()} for r in reports]
    out["by_state"] = dict(Delivery.objects.values_list("state").annotate(n=Count("id")))
    out["by_channel_sent"] = dict(Delivery.objects.filter(state="sent").values_list("channel").annotate(n=Count("id")))
    out["notifications"] = Notification.objects.count()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM notifications_delivery GROUP BY recipient_id, channel, reason, "
            "subject_type, subject_id, due_at HAVING count(*) > 1) d"
        )
        out["duplicate_outbox_keys"] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM notifications_notification GROUP BY delivery_id HAVING count(*) > 1) d"
        )
        out["duplicate_notifications_per_row"] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM notifications_notification GROUP BY recipient_id, reason, "
            "subject_type, subject_id, due_at HAVING count(*) > 1) d"
        )
        out["duplicate_notifications_per_reminder"] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM notifications_delivery WHERE state IN ('pending', 'sending') AND send_after <= %s",
            [now],
        )
        out["left_undelivered_due"] = cursor.fetchone()[0]

    # A third sweep after delivery: still nothing new, nothing sent twice.
    before = Delivery.objects.count()
    sweeps.sweep(now=now + dt.timedelta(minutes=10))
    out["sweep3_new_rows"] = Delivery.objects.count() - before
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--actions", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--email-share", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        print("DATABASE_URL must point at a PostgreSQL server (the database name is replaced).", file=sys.stderr)
        return 2
    how = ensure_database(base)
    setup_django(base)
    from django.db import connection

    t = time.perf_counter()
    population = ensure_population(args.people, args.actions, args.email_share, args.seed)
    population["database"] = how
    population["prepare_s"] = round(time.perf_counter() - t, 1)
    result = {
        "benchmark": "reminders",
        "database": NAME,
        "postgres": connection.cursor().connection.info.server_version,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "population": population,
        "run": run(args.workers),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"reminders-{NAME}.json").write_text(json.dumps(result, indent=2, default=str))
    print(json.dumps(result, indent=2, default=str))
    bad = (
        result["run"]["sweep2_new_rows"]
        or result["run"]["sweep3_new_rows"]
        or result["run"]["duplicate_outbox_keys"]
        or result["run"]["duplicate_notifications_per_row"]
        or result["run"]["duplicate_notifications_per_reminder"]
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
