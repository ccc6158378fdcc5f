#!/usr/bin/env python3
"""Self-monitoring at realistic scale: CSV import, quick entry, the two sweeps, two pages. Measures.

    .venv/bin/python benchmarks/bench_monitoring.py                       # SQLite (temporary file)
    DATABASE_URL=postgres://root@127.0.0.1:5432/postgres .venv/bin/python benchmarks/bench_monitoring.py
    ... bench_monitoring.py --people 100000 --signal-people 20000 --repeats 500   # larger

On PostgreSQL it uses its own database ``koers_bench_mon`` on the server in DATABASE_URL (the
database name in the URL is replaced), dropped and created afresh on every run; on SQLite a new
file in a temporary directory. Production-like settings: DEBUG off, a random secret key, 2FA
required (the benchmark sessions carry a verified TOTP device), tasks on the ImmediateBackend
(``import_queue`` runs the import task before it returns, as in the tests).

1. CSV import of one person-year of diary data (``--days`` × 5 moments × 10 diary items; 365 days:
   1,825 rows, 18,250 values) through ``services.import_start`` → ``import_mapping_set`` →
   ``import_queue``: wall time, values/s, queries. Then the same file again: everything skipped.
2. ``services.observations_record`` of one quick entry (5 values): p50/p95 over ``--repeats``
   calls, queries per call.
3. The diary-prompt sweep and the signal sweep as ``koers.notifications.sweeps`` runs them
   (``sweep(sources=[source_for(Reason.DIARY_PROMPT)])`` …) over ``--people`` people with an active schedule
   (5 moments, 5 items), ``--signal-people`` of them also with an agreed target on mood (signal
   outside the target and far from usual) and 36 days of mood values (3 a day): time and rows of
   the first sweep, time of a second sweep five minutes later — which must add 0 rows (asserted) —
   and queries of each.
4. The professional's analysis page (``monitoring:analysis``, two items chosen) and the person's
   item page (``monitoring:portal_detail``, mood) for the person with the imported year, through
   ``django.test.Client``: p50/p95 over ``--requests`` requests after a warm-up; queries counted
   on separate requests.

Results go to stdout (a table at the end) and ``benchmarks/results/monitoring-<database>.json``.
Exit code 1 when a correctness check fails (second sweep not empty, import not all-skipped …).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
NAME = "koers_bench_mon"
ITEMS = [
    "mood",
    "anxiety",
    "stress",
    "energy",
    "sleep_quality",
    "rumination",
    "suspicion",
    "loneliness",
    "craving",
    "pain",
]
MOMENTS = ["08:30", "11:30", "14:30", "17:30", "20:30"]
ZONE = "Europe/Amsterdam"


def url_for(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path="/" + name))


def fresh_postgres(base: str) -> None:
    """Drop and create the benchmark's own database: every run starts from the same state."""
    import psycopg

    with psycopg.connect(url_for(base, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{NAME}"')


def setup_django(database_url: str) -> None:
    data_dir = tempfile.mkdtemp(prefix="koers-bench-mon-")
    os.environ.update(
        DATABASE_URL=database_url or f"sqlite:///{data_dir}/bench.sqlite3",
        DJANGO_SETTINGS_MODULE="koers.settings",
        KOERS_DEBUG="false",
        KOERS_SECRET_KEY=secrets.token_urlsafe(50),
        KOERS_ALLOWED_HOSTS="testserver",
        KOERS_REQUIRE_2FA="true",
        KOERS_DATA_DIR=data_dir,
        KOERS_LOG_LEVEL="ERROR",
        KOERS_TASK_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(q * len(ordered))) - 1)]


def summary(timings_ms: list[float]) -> dict:
    return {
        "n": len(timings_ms),
        "p50_ms": round(statistics.median(timings_ms), 2),
        "p95_ms": round(pct(timings_ms, 0.95), 2),
        "max_ms": round(max(timings_ms), 2),
    }


def counted(func):
    """(result, seconds, queries) of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        t = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - t
    return result, seconds, len(queries)


# --------------------------------------------------------------------------- data
def cast():
    """A practice, a professional and the person whose year is imported (via the real services)."""
    from koers.accounts.models import Organisation
    from koers.network.services import care_team_assign
    from tests.support.testing import make_org, make_person, make_user

    org = make_org("Praktijk Meetbank", Organisation.Kind.GP_PRACTICE)
    pro = make_user("benchpro", organisation=org, first_name="Bench")
    other = make_user("benchpro2", organisation=org, first_name="Bench2")
    person = make_person(actor=pro, given_name="Jaar", with_account=True, username="benchjaar")
    care_team_assign(actor=pro, person=person, professional=other)
    return org, pro, person


def year_csv(days: int, end: dt.date, seed: int) -> tuple[str, dict]:
    """A diary export: one row per moment, one column per item, values 0–10 around a drifting mean."""
    rng = random.Random(seed)
    lines = ["Datum;Tijd;" + ";".join(ITEMS)]
    level = {code: rng.uniform(3, 7) for code in ITEMS}
    for d in range(days, 0, -1):
        day = end - dt.timedelta(days=d)
        for code in ITEMS:
            level[code] = min(9.0, max(1.0, level[code] + rng.gauss(0, 0.2)))
        for moment in MOMENTS:
            values = [str(min(10, max(0, round(rng.gauss(level[c], 1.5))))) for c in ITEMS]
            lines.append(f"{day:%d-%m-%Y};{moment};" + ";".join(values))
    mapping = {
        "timestamp": 0,
        "time": 1,
        "columns": [{"index": i + 2, "type": code, "unit": ""} for i, code in enumerate(ITEMS)],
    }
    return "\n".join(lines) + "\n", mapping


def population(people: int, signal_people: int, org, pro, now: dt.datetime, seed: int) -> dict:
    """``people`` persons with a portal account, ``pro`` in their care team (responsible) and an
    active diary schedule; the first ``signal_people`` also a signalling target on mood and 36 days
    of mood values. Bulk inserts: this is the scenery, not what is measured."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from koers.accounts.models import User
    from koers.monitoring.models import DiarySchedule, MeasurementType, Observation, Target
    from koers.network.models import CareTeamMember
    from koers.people.models import Person

    rng = random.Random(seed)
    t = time.perf_counter()
    password = make_password(None)
    types = {m.code: m for m in MeasurementType.objects.filter(person__isnull=True, code__in=ITEMS)}
    schedule_types = [types[c] for c in ITEMS[:5]]
    step = 5000
    with transaction.atomic():
        for start in range(0, people, step):
            n = min(step, people - start)
            users = User.objects.bulk_create(
                [
                    User(username=f"benchp{start + i}", role=User.Role.PERSON, password=password, first_name="P")
                    for i in range(n)
                ]
            )
            persons = Person.objects.bulk_create(
                [
                    Person(user=u, given_name="P", family_name=f"Meet{start + i}", birth_date=dt.date(1980, 1, 1))
                    for i, u in enumerate(users)
                ]
            )
            CareTeamMember.objects.bulk_create(
                [
                    CareTeamMember(
                        person=p,
                        professional=pro,
                        organisation=org,
                        role=CareTeamMember.Role.RESPONSIBLE,
                        assigned_by=pro,
                        started_at=now - dt.timedelta(days=400),
                    )
                    for p in persons
                ]
            )
            schedules = DiarySchedule.objects.bulk_create(
                [DiarySchedule(person=p, times=MOMENTS, active=True, updated_by=pro) for p in persons]
            )
            through = DiarySchedule.types.through
            through.objects.bulk_create(
                [through(diaryschedule_id=s.pk, measurementtype_id=m.pk) for s in schedules for m in schedule_types]
            )
            signalled = persons[: max(0, min(n, signal_people - start))]
            Target.objects.bulk_create(
                [
                    Target(
                        person=p,
                        type=types["mood"],
                        low=3,
                        high=None,
                        signal_target=True,
                        signal_usual=True,
                        agreed_with_person=True,
                        set_by=pro,
                    )
                    for p in signalled
                ]
            )
            rows = []
            for p in signalled:
                base = rng.uniform(4, 7)
                for d in range(35, -1, -1):
                    for hour in (1, 5, 9):  # hours back from 'now' on that day: always in the past
                        at = now - dt.timedelta(days=d, hours=hour, minutes=rng.randint(0, 50))
                        value = min(10, max(0, round(rng.gauss(base, 1.3))))
                        rows.append(
                            Observation(
                                person=p,
                                type=types["mood"],
                                value=value,
                                effective_at=at,
                                source="portal",
                                recorded_by_id=p.user_id,
                            )
                        )
            Observation.objects.bulk_create(rows, batch_size=2000)
    return {
        "people": people,
        "signal_people": min(signal_people, people),
        "observations_for_signals": Observation.objects.exclude(person__given_name="Jaar").count(),
        "prepare_s": round(time.perf_counter() - t, 1),
    }


# --------------------------------------------------------------------------- measurements
def bench_import(pro, person, days: int, now: dt.datetime, seed: int) -> dict:
    from koers.monitoring import services
    from koers.monitoring.models import ImportBatch, Observation

    text, mapping = year_csv(days, now.date(), seed)
    out: dict = {"rows": days * len(MOMENTS), "values": days * len(MOMENTS) * len(ITEMS), "bytes": len(text)}

    def run():
        batch = services.import_start(
            actor=pro, person=person, kind="csv", filename="dagboek.csv", content=text.encode()
        )
        batch = services.import_mapping_set(actor=pro, person=person, batch=batch, mapping=mapping)
        return services.import_queue(actor=pro, person=person, batch=batch)

    for label in ("first", "again"):
        batch, seconds, queries = counted(run)
        if batch.status != ImportBatch.Status.DONE:
            raise SystemExit(f"import {label} ended {batch.status}: {batch.errors[:3]}")
        out[label] = {
            "seconds": round(seconds, 2),
            "imported": batch.imported,
            "skipped": batch.skipped,
            "values_per_s": round(out["values"] / seconds),
            "queries": queries,
        }
        print(f"import {label}: {out[label]}", flush=True)
    out["stored"] = Observation.objects.filter(person=person).count()
    out["ok"] = (
        out["first"]["imported"] == out["values"]
        and out["again"]["imported"] == 0
        and out["again"]["skipped"] == out["values"]
        and out["stored"] == out["values"]
    )
    return out


def bench_quick_entry(person, repeats: int, now: dt.datetime) -> dict:
    from koers.monitoring import services
    from koers.monitoring.entries import Entry

    user = person.user
    codes = ITEMS[:5]
    minute = [0]

    def once():
        minute[0] += 1  # a new moment each time: the same moment again is refused as a duplicate
        at = now - dt.timedelta(days=400, minutes=minute[0])
        entries = [Entry(type=code, value=str((minute[0] + i) % 11), effective_at=at) for i, code in enumerate(codes)]
        return services.observations_record(actor=user, person=person, entries=entries, source="portal")

    for _ in range(10):  # warm-up
        once()
    queries = [counted(once)[2] for _ in range(10)]
    timings = []
    for _ in range(repeats):
        t = time.perf_counter()
        stored = once()
        timings.append((time.perf_counter() - t) * 1000)
        assert len(stored) == 5
    return {"values_per_call": 5, **summary(timings), "queries": {"min": min(queries), "max": max(queries)}}


def bench_sweeps(now: dt.datetime) -> dict:
    from django.db.models import Count

    from koers.notifications import sweeps
    from koers.notifications.models import Delivery, Reason
    from koers.notifications.sources import source_for

    out = {}
    for reason in (Reason.DIARY_PROMPT, Reason.MONITORING_SIGNAL):
        source = source_for(reason)  # run alone; sweep() answers by the source's name
        name = source.name
        rows = Delivery.objects.filter(reason=reason)
        before = rows.count()
        offered, s1, q1 = counted(lambda source=source: sweeps.sweep(now=now, sources=[source]))
        first = rows.count() - before
        _, s2, q2 = counted(lambda source=source: sweeps.sweep(now=now + dt.timedelta(minutes=5), sources=[source]))
        second = rows.count() - before - first
        dupes = (
            rows.values("recipient_id", "channel", "subject_type", "subject_id", "due_at")
            .order_by()
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count()
        )
        out[name] = {
            "first_s": round(s1, 2),
            "first_offered": offered[name],
            "first_rows": first,
            "first_queries": q1,
            "second_s": round(s2, 2),
            "second_rows": second,
            "second_queries": q2,
            "duplicates": dupes,
        }
        print(f"{name}: {out[name]}", flush=True)
    return out


def bench_pages(pro, person, requests: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def client_for(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="benchmark", defaults={"confirmed": True})
        client = Client()
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = device.persistent_id  # as django_otp.login stores it
        session.save()
        return client

    pages = {
        "analysis (professional)": (
            client_for(pro),
            reverse("monitoring:analysis", args=[person.pk]) + "?item=mood&item=anxiety",
        ),
        "item page (person)": (client_for(person.user), reverse("monitoring:portal_detail", args=["mood"])),
    }
    out = {}
    for name, (client, url) in pages.items():

        def get(client=client, url=url):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}, expected 200")
            return response

        for _ in range(5):
            get()
        queries = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as captured:
                get()
            queries.append(len(captured))
        timings = []
        for _ in range(requests):
            t = time.perf_counter()
            get()
            timings.append((time.perf_counter() - t) * 1000)
        out[name] = {"url": url, **summary(timings), "queries": {"min": min(queries), "max": max(queries)}}
        print(f"{name}: {out[name]}", flush=True)
    return out


def table(result: dict) -> str:
    imp, entry, sweeps, pages = result["import"], result["quick_entry"], result["sweeps"], result["pages"]
    lines = [f"{'measure':<44} {'time':>12} {'rows / rate':>22} {'queries':>8}"]
    for label in ("first", "again"):
        r = imp[label]
        lines.append(
            f"{'CSV import ' + str(imp['values']) + ' values (' + label + ')':<44} {r['seconds']:>10.2f} s "
            f"{str(r['imported']) + ' new, ' + str(r['values_per_s']) + '/s':>22} {r['queries']:>8}"
        )
    q = entry["queries"]
    lines.append(
        f"{'quick entry, 5 values (p50 / p95)':<44} {entry['p50_ms']:>5.1f}/{entry['p95_ms']:<5.1f}ms "
        f"{str(entry['n']) + ' calls':>22} {q['max']:>8}"
    )
    for name, r in sweeps.items():
        lines.append(
            f"{name + ' sweep, first':<44} {r['first_s']:>10.2f} s {r['first_rows']:>22} {r['first_queries']:>8}"
        )
        lines.append(
            f"{name + ' sweep, again':<44} {r['second_s']:>10.2f} s {r['second_rows']:>22} {r['second_queries']:>8}"
        )
    for name, r in pages.items():
        lines.append(
            f"{name + ' (p50 / p95)':<44} {r['p50_ms']:>5.1f}/{r['p95_ms']:<5.1f}ms "
            f"{str(r['n']) + ' requests':>22} {r['queries']['max']:>8}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=10_000, help="people with a diary schedule (default 10,000)")
    parser.add_argument(
        "--signal-people", type=int, default=2_000, help="of whom with a signalling target and values (2,000)"
    )
    parser.add_argument("--days", type=int, default=365, help="days in the imported diary file (365)")
    parser.add_argument("--repeats", type=int, default=200, help="timed quick entries (200)")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page (50)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "")
    postgres = base.startswith(("postgres://", "postgresql://"))
    if base and not postgres:
        sys.exit("DATABASE_URL must point at a PostgreSQL server (or leave it unset for SQLite).")
    if postgres:
        fresh_postgres(base)
    setup_django(url_for(base, NAME) if postgres else "")
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from koers.audit import context as audit_context

    call_command("migrate", verbosity=0)
    # 'Now' is the last 15:00 Amsterdam time: the 14:30 moment is open whenever the benchmark runs.
    local = timezone.now().astimezone(ZoneInfo(ZONE))
    at_three = local.replace(hour=15, minute=0, second=0, microsecond=0)
    if at_three > local:
        at_three -= dt.timedelta(days=1)
    now = at_three.astimezone(dt.UTC)
    load_before = os.getloadavg()
    with audit_context.acting_context(channel="system"):
        org, pro, person = cast()
        scenery = population(args.people, args.signal_people, org, pro, now, args.seed)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"population: {scenery}", flush=True)

    result = {
        "benchmark": "monitoring",
        "database": connection.vendor + ("" if not postgres else f" ({NAME})"),
        "server_version": connection.cursor().connection.info.server_version if postgres else None,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "now": now.isoformat(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "population": scenery,
        "import": bench_import(pro, person, args.days, now, args.seed),
        "pages": bench_pages(pro, person, args.requests),  # before the quick entries add values
        "quick_entry": bench_quick_entry(person, args.repeats, now),
        "sweeps": bench_sweeps(now),
    }
    result["machine"]["load_average_before"] = load_before
    result["machine"]["load_average_after"] = os.getloadavg()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"monitoring-{'postgres' if postgres else 'sqlite'}.json").write_text(
        json.dumps(result, indent=2, default=str)
    )
    print()
    print(table(result))
    print(f"load average before {load_before}, after {result['machine']['load_average_after']}")
    problems = []
    if not result["import"]["ok"]:
        problems.append("the import did not store every value once, or the re-import was not all skipped")
    for name, r in result["sweeps"].items():
        if r["second_rows"]:
            problems.append(f"{name}: the second sweep added {r['second_rows']} rows")
        if r["duplicates"]:
            problems.append(f"{name}: {r['duplicates']} duplicate outbox keys")
        if not r["first_rows"]:
            problems.append(f"{name}: the first sweep scheduled nothing")
    for problem in problems:
        print("FAILED:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
