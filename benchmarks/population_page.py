#!/usr/bin/env python3
"""The population page (issue #16) on a generated population. Not a test: it measures.

    KOERS_DEBUG=true DATABASE_URL=postgres://root@127.0.0.1:5432/koers_h3 \\
        .venv/bin/python manage.py generate --people 100000 --seed 1      # once, minutes
    DATABASE_URL=postgres://root@127.0.0.1:5432/koers_h3 .venv/bin/python benchmarks/population_page.py

Two cases, each as a manager through ``django.test.Client`` in-process (server time from the
request entering the middleware to the response, with the access-log insert), DEBUG off:

1. ``largest organisation``: the generated organisation with the most people in care (its own
   manager; one is made when the generator made none);
2. ``whole population``: every person of the database in one organisation's population — a
   "region" with one professional in every care team, added inside a transaction that is rolled
   back at the end, so the database is left as it was.

Per case: the page without a filter and with two filters (condition and support level; age
band), each counted from the kept per-person rows (``koers.population.counting_kept``, the
page's way) and the live way (``compose._count_live``: five grouped queries unfiltered, one
statement filtered), one request of each in turn, and the CSV and Excel exports; for the whole
population also the indicators page, with the time of each of the indicators' fact queries and
of each indicator's computation (``indicator_parts``); p50 / p95 / max over ``--requests``
timed requests after a warm-up, and the number of queries per request. 2FA is switched off for the benchmark's session
(KOERS_REQUIRE_2FA=false): what is timed is the page, not the login. Results go to stdout and
to ``benchmarks/results/population-<database>.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
TARGET_MS = 1000.0  # issue #16: at most 1 s per page at 100,000 people


def configure() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    os.environ["KOERS_DEBUG"] = "false"
    os.environ.setdefault("KOERS_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["KOERS_ALLOWED_HOSTS"] = "testserver"
    os.environ["KOERS_REQUIRE_2FA"] = "false"
    os.environ.setdefault("KOERS_DATA_DIR", tempfile.mkdtemp(prefix="koers-bench-"))
    os.environ.setdefault("KOERS_LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def timed(client, url: str, requests: int) -> dict:
    response = client.get(url)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return summary(url, times, statements(client, url))


def statements(client, url: str) -> int:
    """The number of statements of one request (a wrapper: DEBUG is off, so no query log)."""
    from django.db import connection

    captured = []
    with connection.execute_wrapper(lambda execute, sql, *rest: captured.append(sql) or execute(sql, *rest)):
        client.get(url)
    return len(captured)


def summary(url: str, times: list[float], queries: int) -> dict:
    times = sorted(times)
    return {
        "url": url,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "max_ms": round(times[-1], 1),
        "queries": queries,
    }


@contextlib.contextmanager
def live_counts():
    """The page counted as before the kept rows (``compose._count_live``: the population joined
    with profiles, conditions and ranked decisions on each request) for the requests inside."""
    from unittest import mock

    from koers.population import compose

    with mock.patch.object(compose, "_count", compose._count_live):
        yield


def side_by_side(client, url: str, requests: int) -> tuple[dict, dict]:
    """The page from the kept rows and the live way, one request of each in turn (the same load
    for both), after a warm-up of each."""
    ways = (contextlib.nullcontext, live_counts)
    times: list[list[float]] = [[], []]
    queries = []
    for way in ways:
        with way():
            assert client.get(url).status_code == 200, url
            queries.append(statements(client, url))
    for _ in range(requests):
        for way, spent in zip(ways, times, strict=True):
            with way():
                started = time.perf_counter()
                response = client.get(url)
                spent.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    kept, live = (summary(url, spent, n) for spent, n in zip(times, queries, strict=True))
    return kept, live


def pages(client, requests: int) -> dict:
    from django.urls import reverse

    page = reverse("population:organisation")
    result = {}
    for label, url in (
        ("page", page),
        ("page, filtered (condition, level)", page + "?condition=dm2&level=chain_care"),
        ("page, filtered (age band)", page + "?age_band=65-74"),
    ):
        result[f"{label}, kept rows"], result[f"{label}, live"] = side_by_side(client, url, requests)
    result["CSV export"] = timed(client, reverse("population:export", kwargs={"fmt": "csv"}), max(3, requests // 3))
    result["Excel export"] = timed(client, reverse("population:export", kwargs={"fmt": "xlsx"}), max(3, requests // 3))
    return result


def manager_of(organisation):
    from koers.accounts.models import User

    manager = User.objects.filter(organisation=organisation, role=User.Role.MANAGER, is_active=True).first()
    if manager is None:
        manager = User.objects.create(
            username=f"bench-manager-{organisation.pk}", role="manager", organisation=organisation
        )
    return manager


def largest(requests: int) -> dict:
    from django.db.models import Count
    from django.test import Client

    from koers.accounts.models import Organisation
    from koers.network.models import CareTeamMember

    top = (
        CareTeamMember.objects.filter(ended_at__isnull=True)
        .values("organisation")
        .annotate(n=Count("person", distinct=True))
        .order_by("-n")
        .first()
    )
    organisation = Organisation.objects.get(pk=top["organisation"])
    client = Client()
    client.force_login(manager_of(organisation))
    return {"people": top["n"], "organisation": organisation.name, **pages(client, requests)}


def whole_population_unit():
    """One organisation with every generated person in its care (inside the caller's transaction,
    which rolls it back): the population and indicators of all 100,000 as one unit.
    Returns the organisation and the number of people."""
    from django.db import connection
    from django.db.models import Min
    from django.utils import timezone

    from koers.accounts.models import Organisation, User
    from koers.network.models import CareTeamMember
    from koers.people.models import Person

    region = Organisation.objects.create(name="Benchmarkregio", kind="other")
    pro = User.objects.create(username="bench-region-pro", role="professional", organisation=region)
    now = timezone.now()
    ids = list(Person.objects.values_list("pk", flat=True))
    # Each person in the region's care since their first care-team membership, so the indicators'
    # earlier quarters have people too (not only the running one).
    first = dict(
        CareTeamMember.objects.values("person_id").annotate(first=Min("started_at")).values_list("person_id", "first")
    )
    CareTeamMember.objects.bulk_create(
        [
            CareTeamMember(
                person_id=i, professional=pro, organisation=region, assigned_by=pro, started_at=first.get(i, now)
            )
            for i in ids
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE network_careteammember")
    return region, len(ids)


def whole(requests: int, *, indicators: bool = True) -> dict:
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    with transaction.atomic():
        region, people = whole_population_unit()
        client = Client()
        client.force_login(manager_of(region))
        result = {"people": people, "organisation": region.name, **pages(client, requests)}
        if indicators:
            result["indicators page"] = timed(client, reverse("indicators:indicators"), max(3, requests // 3))
            result["indicators, parts"] = indicator_parts(region)
        transaction.set_rollback(True)
    return result


def _first_table(sql: str) -> str:
    return sql.split(" FROM ", 1)[1].split()[0].strip('"') if " FROM " in sql else sql[:40]


@contextlib.contextmanager
def timed_queries(name=_first_table):
    """Every statement run inside, as (``name(sql)``, milliseconds), in a list yielded at once
    and filled as they run."""
    from django.db import connection

    queries: list[tuple[str, float]] = []

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((name(sql), round((time.perf_counter() - started) * 1000, 1)))

    with connection.execute_wrapper(wrapper):
        yield queries


def indicator_parts(organisation) -> dict:
    """Where the indicators' time goes for one organisation: each of the facts' queries (the
    database), then each indicator's computation over the page's default quarters (Python),
    timed by wrapping the functions of ``koers.indicators.compute`` that ``report.raw`` calls."""
    from django.utils import timezone

    from koers.indicators import compute, periods, report, selectors

    started = time.perf_counter()
    with timed_queries() as queries:
        facts = selectors.facts(organisation)
    facts_ms = (time.perf_counter() - started) * 1000
    today = timezone.localdate()
    first, last = periods.default_range(today)  # the page's default
    quarters = periods.quarters(first, min(last, today))
    spent: dict[str, float] = {}
    originals = {name: getattr(compute, name) for name in dir(compute) if callable(getattr(compute, name))}

    def timing(name, function):
        def run(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + (time.perf_counter() - started) * 1000

        return run

    for name, function in originals.items():
        if not isinstance(function, type):
            setattr(compute, name, timing(name, function))
    try:
        started = time.perf_counter()
        unit = report.Unit("organisation", organisation.pk, organisation.name)
        report.table(facts, [unit], quarters, today=today, classify=selectors.classify, k=10)
        table_ms = (time.perf_counter() - started) * 1000
    finally:
        for name, function in originals.items():
            setattr(compute, name, function)
    return {
        "facts_ms": round(facts_ms, 1),
        "facts_queries_ms": queries,
        "compute_ms": round(table_ms, 1),
        "quarters": len(quarters),
        "compute_per_function_ms": {name: round(ms, 1) for name, ms in sorted(spent.items(), key=lambda i: -i[1])},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--whole-only", action="store_true", help="only the whole population")
    parser.add_argument("--no-indicators", action="store_true", help="skip the indicators page and its parts")
    args = parser.parse_args()
    configure()
    from django.db import connection

    from koers.people.models import Person

    total = Person.objects.count()
    if total == 0:
        print("No people: run `koers generate --people N` first.", file=sys.stderr)
        return 2
    results = {"database": connection.vendor, "people_in_database": total, "cases": {}}
    cases = (
        ("largest organisation", largest),
        ("whole population", lambda requests: whole(requests, indicators=not args.no_indicators)),
    )
    for name, case in cases[1:] if args.whole_only else cases:
        results["cases"][name] = case(args.requests)
        print(f"\n== {name}: {results['cases'][name]['people']:,} people")
        for label, row in results["cases"][name].items():
            if isinstance(row, dict) and "p50_ms" in row:
                ok = "yes" if row["p95_ms"] <= TARGET_MS else "NO"
                print(
                    f"{label:42} p50 {row['p50_ms']:8.1f} ms  p95 {row['p95_ms']:8.1f} ms  "
                    f"max {row['max_ms']:8.1f} ms  {row['queries']:3} queries  ≤ 1 s: {ok}"
                )
    parts = results["cases"]["whole population"].get("indicators, parts")
    if parts:
        print(f"indicators, whole population: facts {parts['facts_ms']:.0f} ms "
              f"({', '.join(f'{t} {ms:.0f}' for t, ms in parts['facts_queries_ms'])}); "
              f"compute {parts['compute_ms']:.0f} ms over {parts['quarters']} quarters: "
              f"{parts['compute_per_function_ms']}")  # fmt: skip
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"population-{connection.settings_dict['NAME']}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
