#!/usr/bin/env python3
"""Page benchmarks at 1,000 and 100,000 people (PostgreSQL). Not a test: it measures.

    DATABASE_URL=postgres://root@127.0.0.1:5432/postgres .venv/bin/python benchmarks/bench_pages.py
    ... bench_pages.py --sizes 1000 --requests 300          # one size, more requests

For every size it uses its own database on the server in DATABASE_URL (``koers_bench_1k``,
``koers_bench_100k``, …), creates it when missing, migrates it and fills it with
``koers generate --people N --seed 1`` unless that population is already there (then it is
reused: generating 100,000 people takes minutes). Each size runs in a child process, so
Django's settings are production-like: DEBUG off, a random KOERS_SECRET_KEY, 2FA required
(the benchmark session carries a verified TOTP device, as after a real login).

Per page it requests random persons, as a professional in that person's care team
(``force_login``), in-process with ``django.test.Client``: server time from the request
entering the middleware to the response, including the access-log insert. It reports
p50 / p95 / max over ``--requests`` timed requests (after a warm-up) and the number of
queries per request (``CaptureQueriesContext``, on separate requests so capturing does not
slow the timed ones). Results go to stdout and to ``benchmarks/results/*.json``.

Issue #18 measures the person pages as a multiple of ``/gezond`` (signed in, 2FA verified, no
person data) in the same run: "cpu ms" is this process's ``time.process_time`` per request (mean,
and "cpu p50" the median) and "x health" that CPU divided by ``/gezond``'s.

    ... bench_pages.py --database koers_x --pages workspace:person careplans:plan goals:list \
        --requests 100 --compare /work/main --rounds 2     # before/after, ABBA, one run
    ... bench_pages.py --database koers_x --pages workspace:person --profile workspace:person
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
PAGES = (
    "health",  # the baseline: an authenticated request that reads no person data (issue #18)
    "workspace:person",
    "careplans:plan",
    "goals:list",
    "monitoring:overview",  # self-monitoring: a row and a small chart per kept item (issue #18)
    "questionnaires:list",  # the professional's questionnaires of a person: 15 of the mix's 106 (issue #18)
    "workspace:caseload",
    "workspace:caseload?aandacht=1",
)
BASELINE = "health"


def page_url(page: str, person_id: int) -> str:
    """The URL of a page in PAGES: list pages take a query string, person pages the person's id."""
    from django.urls import reverse

    name, _, query = page.partition("?")
    if name == BASELINE:
        return reverse(name)
    if name == "workspace:caseload":
        return reverse(name) + (f"?{query}" if query else "")
    return reverse(name, args=[person_id])


TARGET_P95_MS = 50.0


def database_name(size: int) -> str:
    return f"koers_bench_{size // 1000}k" if size % 1000 == 0 else f"koers_bench_{size}"


def url_for(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def ensure_database(base: str, name: str) -> bool:
    """Create the database when missing. True when it was created."""
    import psycopg

    with psycopg.connect(url_for(base, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists:
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
        return True


# --------------------------------------------------------------------------- parent process
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--explain",
        action="store_true",
        help="also print EXPLAIN (ANALYZE, BUFFERS) of every person query of each page, for the professional "
        "with the largest caseload",
    )
    parser.add_argument(
        "--database",
        help="measure an existing database on the server in DATABASE_URL as it is (no generating), e.g. koers_h3",
    )
    parser.add_argument(
        "--compare",
        metavar="CHECKOUT",
        help="also run the same pages with the code of another checkout (e.g. /work/main), alternating with "
        "this one in the same run, so that before and after meet the same load",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="with --compare: how many pairs, each in the other order (ABBA…; use an even number; default 1)",
    )
    parser.add_argument(
        "--pages",
        nargs="+",
        choices=PAGES,
        help="measure only these pages (the baseline, health, is always measured first)",
    )
    parser.add_argument(
        "--profile",
        metavar="PAGE",
        choices=PAGES,
        help="also run the timed requests of PAGE once more under cProfile and print where the CPU goes",
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--code", help=argparse.SUPPRESS)
    parser.add_argument("--run", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server, e.g. postgres://root@127.0.0.1:5432/postgres")
    if args.child is not None:
        pages = (BASELINE, *(p for p in args.pages if p != BASELINE)) if args.pages else PAGES
        return child(
            args.child,
            args.requests,
            args.seed,
            args.explain,
            args.code or str(ROOT),
            args.database,
            args.run,
            pages=pages,
            profile=args.profile,
        )

    RESULTS.mkdir(exist_ok=True)
    results = []
    runs = [(size, database_name(size), str(ROOT)) for size in args.sizes]
    if args.database:
        runs = [(0, args.database, str(ROOT))]
    if args.compare:
        before = str(Path(args.compare).resolve())
        # ABBA: each round in the other order (before, this; this, before; …), so that a child's
        # place in a pair — which moved a page by more than a 5 % cut (docs/performance.md,
        # "Issue #18: the access-log row in one statement …") — falls on both codes alike.
        orders = ((before, str(ROOT)), (str(ROOT), before))
        runs = [
            (size, name, code) for round_ in range(args.rounds) for size, name, _ in runs for code in orders[round_ % 2]
        ]
    for run, (size, name, code) in enumerate(runs):
        created = False if args.database else ensure_database(base, name)
        print(f"\n== {size or 'all'} people in database {name}{' (new)' if created else ''}, code {code}", flush=True)
        env = dict(os.environ)
        env.update(
            DATABASE_URL=url_for(base, name),
            DJANGO_SETTINGS_MODULE="koers.settings",
            KOERS_DEBUG="false",
            KOERS_SECRET_KEY=secrets.token_urlsafe(50),
            KOERS_ALLOWED_HOSTS="testserver",
            KOERS_REQUIRE_2FA="true",
            KOERS_DATA_DIR=tempfile.mkdtemp(prefix="koers-bench-"),
            KOERS_LOG_LEVEL="ERROR",
        )
        out = RESULTS / f"pages-{name}-{run}.json"
        code = subprocess.call(
            [
                sys.executable,
                __file__,
                "--child",
                str(size),
                "--requests",
                str(args.requests),
                "--seed",
                str(args.seed),
                "--code",
                code,
                "--run",
                str(run),
                *(["--database", name] if args.database else []),
                *(["--explain"] if args.explain else []),
                *(["--pages", *args.pages] if args.pages else []),
                *(["--profile", args.profile] if args.profile else []),
            ],
            cwd=ROOT,
            env=env,
        )
        if code != 0:
            print(f"benchmark for {size:,} failed (exit {code})", file=sys.stderr)
            return code
        results.append(json.loads(out.read_text()))
    print_table(results)
    summary = RESULTS / f"summary-{time.strftime('%Y%m%d-%H%M%S')}.json"
    summary.write_text(json.dumps(results, indent=2))
    print(f"\nWritten: {summary}")
    return 0


def print_table(results) -> None:
    print(
        "\npage                           people    p50 ms   p95 ms   max ms   queries  cpu ms  x health"
        "  cpu p50  x health  code"
    )
    print("-" * 128)
    for result in results:
        for page in result["pages"]:
            if page.get("skipped"):
                print(f"{page['page']:<29} {result['people']:>8,}   skipped: {page['skipped']}")
                continue
            q = page["queries"]
            queries = str(q["min"]) if q["min"] == q["max"] else f"{q['min']}-{q['max']}"
            ok = "yes" if page["p95_ms"] <= TARGET_P95_MS else "NO"
            print(
                f"{page['page']:<29} {result['people']:>8,} {page['p50_ms']:>9.1f} {page['p95_ms']:>8.1f} "
                f"{page['max_ms']:>8.1f} {queries:>9} {page.get('cpu_mean_ms', 0):>7.1f} "
                f"{page.get('cpu_ratio', 0):>8.1f} {page.get('cpu_median_ms', 0):>8.1f} "
                f"{page.get('cpu_median_ratio', 0):>8.1f}  {result.get('code', '')} p95<=50:{ok}"
            )
    for result in results:
        gen = result.get("generate")
        if gen:
            print(
                f"koers generate {gen['people']:,}: {gen['seconds']:.0f} s ({gen['people_per_second']:.0f} people/s, "
                f"{gen['rows_per_second']:.0f} rows/s){' [earlier run]' if gen.get('earlier') else ''}"
            )


# --------------------------------------------------------------------------- child process
def child(
    size: int,
    requests: int,
    seed: int,
    explain: bool,
    code: str,
    existing: str | None,
    run: int,
    *,
    pages=PAGES,
    profile: str | None = None,
) -> int:
    sys.path.insert(0, code)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch
    from signed_in import verified_client  # benchmarks/signed_in.py

    from koers.accounts.models import User
    from koers.audit import context as audit_context
    from koers.demo.generator import Generator
    from koers.network.models import CareTeamMember
    from koers.people.models import Person

    name = connection.settings_dict["NAME"]
    call_command("migrate", verbosity=0)
    prefix = f"gen{seed}-"
    have = Person.objects.filter(care_team__professional__username__startswith=prefix).distinct().count()
    gen_file = RESULTS / f"generate-{name}.json"
    generation = json.loads(gen_file.read_text()) | {"earlier": True} if gen_file.exists() else None
    if existing:
        size = Person.objects.count()
        print(f"measuring the {size:,} people already in {name}", flush=True)
    elif have == 0:
        print(f"generating {size:,} people (seed {seed}) …", flush=True)
        with audit_context.acting_context(channel="system"):
            stats = Generator(people=size, seed=seed, batch_size=2000).run()
        generation = {
            "people": size,
            "seconds": stats.seconds,
            "rows": stats.total_rows,
            "people_per_second": size / stats.seconds,
            "rows_per_second": stats.total_rows / stats.seconds,
        }
        gen_file.write_text(json.dumps(generation, indent=2))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    elif have != size:
        print(f"{name} holds {have:,} generated people, not {size:,}: drop it and run again.", file=sys.stderr)
        return 2
    else:
        print(f"reusing {have:,} generated people", flush=True)

    rng = random.Random(4242)
    person_ids = list(Person.objects.values_list("pk", flat=True))
    memberships: dict[int, list[int]] = {}
    for person_id, professional_id in CareTeamMember.objects.filter(ended_at__isnull=True).values_list(
        "person_id", "professional_id"
    ):
        memberships.setdefault(person_id, []).append(professional_id)
    users = {u.pk: u for u in User.objects.filter(role="professional")}
    clients: dict[int, Client] = {}

    def client_for(user_id: int) -> Client:
        if user_id not in clients:
            clients[user_id] = verified_client(users[user_id])
        return clients[user_id]

    def plan(page: str, count: int):
        """(client, url) pairs on random persons, each as a random member of their care team."""
        out = []
        while len(out) < count:
            person_id = rng.choice(person_ids)
            user_id = rng.choice(memberships[person_id])
            if page.startswith("monitoring:") and not may_see_measurements(user_id, person_id):
                continue  # not every care-team role sees self-monitoring: that page would answer 404
            url = page_url(page, person_id)
            out.append((client_for(user_id), url))
        return out

    def may_see_measurements(user_id: int, person_id: int) -> bool:
        from koers import access

        allowed = access.categories_for(users[user_id], Person.objects.get(pk=person_id))
        return access.Category.MEASUREMENTS in allowed

    def get(client, url):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}, expected 200")
        return response

    measured = []
    load_before = os.getloadavg()
    for page in pages:
        try:
            page_url(page, 1)
        except NoReverseMatch:
            measured.append({"page": page, "skipped": "URL does not exist yet"})
            print(f"{page}: skipped, the URL does not exist yet", flush=True)
            continue
        for client, url in plan(page, 20):  # warm-up: templates, connections, caches
            get(client, url)
        counts = []
        for client, url in plan(page, 30):
            with CaptureQueriesContext(connection) as queries:
                get(client, url)
            counts.append(len(queries))
        timings, cpu = [], []
        for client, url in plan(page, requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            get(client, url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        timings.sort()
        result = {
            "page": page,
            "requests": len(timings),
            "p50_ms": statistics.median(timings),
            "p95_ms": timings[max(0, int(round(0.95 * len(timings))) - 1)],
            "max_ms": timings[-1],
            "mean_ms": statistics.fmean(timings),
            # This process's CPU (Django, templates, the database driver), not PostgreSQL's.
            "cpu_mean_ms": statistics.fmean(cpu),
            "cpu_median_ms": statistics.median(cpu),
            "queries": {"min": min(counts), "max": max(counts), "sampled": len(counts)},
        }
        measured.append(result)
        if page == profile:
            profile_page(plan(page, requests), get)
        print(
            f"{page}: p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, max {result['max_ms']:.1f} ms, "
            f"{result['queries']['min']}-{result['queries']['max']} queries",
            flush=True,
        )
    if explain:
        explain_pages(client_for, memberships)
    result = {
        "people": size,
        "database": name,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            # Other work on the machine shows up in the timings: keep the load next to them.
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
        },
        "postgres": connection.cursor().connection.info.server_version,
        "pages": measured,
        "generate": generation,
    }
    result["code"] = code
    baseline = next((p for p in measured if p["page"] == BASELINE and "cpu_mean_ms" in p), None)
    for page in measured:
        if baseline and "cpu_mean_ms" in page:
            page["cpu_ratio"] = page["cpu_mean_ms"] / baseline["cpu_mean_ms"]
            page["cpu_median_ratio"] = page["cpu_median_ms"] / baseline["cpu_median_ms"]
    (RESULTS / f"pages-{name}-{run}.json").write_text(json.dumps(result, indent=2))
    return 0


def profile_page(requests, get) -> None:
    """Where one page's CPU goes: cProfile over these requests, the top functions by own time and
    by cumulative time (the profiler itself slows every call: compare shares, not milliseconds)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile(time.process_time)  # this process's CPU: waiting for PostgreSQL is not counted
    profiler.enable()
    for client, url in requests:
        get(client, url)
    profiler.disable()
    dump = RESULTS / f"profile-{requests[0][1].strip('/').replace('/', '-')}.pstats"
    profiler.dump_stats(dump)  # for pstats' callers/callees afterwards
    stats = pstats.Stats(profiler).strip_dirs()
    print(f"\ncProfile over {len(requests)} requests of {requests[0][1]} …")
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(60)


def explain_pages(client_for, memberships) -> None:
    """EXPLAIN ANALYZE the queries that touch person data, for the busiest professional."""
    from collections import Counter

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch

    load = Counter(user for users in memberships.values() for user in users)
    busiest, caseload = load.most_common(1)[0]
    person_id = next(p for p, users in memberships.items() if busiest in users)
    print(f"\nEXPLAIN ANALYZE as professional {busiest} (caseload {caseload}), person {person_id}")
    client = client_for(busiest)
    for page in PAGES:
        try:
            url = page_url(page, person_id)
        except NoReverseMatch:
            continue
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.startswith("SELECT") or "django_session" in sql or "otp_" in sql:
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = [row[0] for row in cursor.fetchall()]
            print(f"\n--- {page}: {plan[-1].strip()}\n{sql[:400]}{' …' if len(sql) > 400 else ''}")
            print("\n".join(plan))


if __name__ == "__main__":
    sys.exit(main())
