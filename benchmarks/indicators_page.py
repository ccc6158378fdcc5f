#!/usr/bin/env python3
"""The indicators page (issue #16) before and after a change of its facts, in one run. Not a test.

    DATABASE_URL=postgres://root@127.0.0.1:5432/<copy of a generated database> \\
        .venv/bin/python benchmarks/indicators_page.py --before main --requests 3

The whole population as one organisation (as ``population_page.py``: a region with one
professional in every care team, in a transaction rolled back at the end). The page as a manager
through ``django.test.Client``, alternately with the code of ``--before`` (that commit's
``koers/indicators/selectors.py``, ``report.py`` and ``compute.py`` loaded beside the current ones
and swapped in for the facts and the table) and with the current code; then, per side, the facts and the computation
apart (``population_page.indicator_parts``). Both sides must give the same table (checked).

The region's memberships are bulk-inserted (no signals), so its kept cohorts are refreshed
explicitly (``koers.indicators.cohorts.refresh``) before anything is timed; the statement with the
cohorts from the care-team rows (``kept=False``), ``--before``'s statement with its kept rows and
the current one with the kept rows (cohorts, and the trajectories' points since issue #16's
``indicators-facts``) are then timed alternately (``--statements``).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess  # nosec B404  # git show of a commit named on the command line, no shell
import sys
import time
import types
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))
import population_page as pp  # noqa: E402

ROOT = pp.ROOT


def old_selectors(ref: str) -> types.ModuleType:
    def source(path: str) -> str:
        command = ["git", "show", f"{ref}:{path}"]
        return subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout  # nosec B603 B607  # fixed git call

    compute = types.ModuleType("old_compute")
    sys.modules["old_compute"] = compute  # dataclasses look their module up
    exec(compile(source("koers/indicators/compute.py"), "old_compute", "exec"), compute.__dict__)  # nosec B102  # our own file at a commit
    selectors = types.ModuleType("old_selectors")
    exec(compile(source("koers/indicators/selectors.py"), "old_selectors", "exec"), selectors.__dict__)  # nosec B102  # as above
    selectors.compute = compute
    report = types.ModuleType("old_report")
    sys.modules["old_report"] = report
    exec(compile(source("koers/indicators/report.py"), "old_report", "exec"), report.__dict__)  # nosec B102  # as above
    report.compute = compute
    for name in ("Distribution", "Mean", "Period", "Share"):  # imported by name from the current compute
        setattr(report, name, getattr(compute, name))
    selectors.report = report
    if "counting" in selectors.__dict__:  # that commit counted in the database: its statement too
        counting = types.ModuleType("old_counting")
        exec(compile(source("koers/indicators/counting.py"), "old_counting", "exec"), counting.__dict__)  # nosec B102  # as above
        counting.compute, counting.report = compute, report
        for name in ("Mean", "Period", "Share"):
            setattr(counting, name, getattr(compute, name))
        selectors.counting = counting
    return selectors


def swapped(before: types.ModuleType):
    """The old facts, report and computation in place of the current ones."""
    import koers.indicators
    from koers.indicators import selectors

    stack = contextlib.ExitStack()
    if hasattr(before, "indicator_table"):  # the page's path as it was (facts, then Python)
        stack.enter_context(mock.patch.object(selectors, "indicator_table", before.indicator_table))
    stack.enter_context(mock.patch.object(selectors, "facts", before.facts))
    stack.enter_context(mock.patch.object(selectors, "report", before.report))
    stack.enter_context(mock.patch.object(koers.indicators, "report", before.report))
    stack.enter_context(mock.patch.object(koers.indicators, "compute", before.compute))
    return stack


def counted_parts(region, units, quarters, today) -> dict:
    """The current path's statements (``counting.raw`` with the kept cohorts), each timed, and all of it."""
    from koers.indicators import counting, selectors

    started = time.perf_counter()
    with pp.timed_queries(lambda sql: sql.rsplit(" FROM ", 1)[-1].split()[0]) as queries:
        counting.raw(region, units, quarters, today=today, classify=selectors.classify, kept=True)
    total = (time.perf_counter() - started) * 1000
    return {"facts_ms": total, "facts_queries_ms": queries, "compute_ms": total - sum(ms for _t, ms in queries),
            "compute_per_function_ms": dict(queries)}  # fmt: skip


def region_with_kept_cohorts():
    """``population_page.whole_population_unit`` (inside the caller's transaction, which rolls it
    back), its kept cohorts refreshed: the memberships were bulk-inserted, without signals."""
    from django.db import connection

    from koers.indicators import cohorts
    from koers.network.models import CareTeamMember

    region, people = pp.whole_population_unit()
    started = time.perf_counter()
    persons = list(CareTeamMember.objects.filter(organisation=region).values_list("person_id", flat=True))
    written = cohorts.refresh(persons)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE indicators_carespell")
    print(f"kept cohorts of the region refreshed: {written:,} rows, {time.perf_counter() - started:.1f} s")
    return region, people


def page(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", default="main", help="the commit to compare with (default main)")
    parser.add_argument("--requests", type=int, default=3)
    parser.add_argument("--statements", type=int, default=3, help="rounds of live against kept cohorts (statement)")
    args = parser.parse_args()
    pp.configure()
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from koers.indicators import counting, periods, report, selectors

    before = old_selectors(args.before)
    with transaction.atomic():
        region, people = region_with_kept_cohorts()
        client = Client()
        client.force_login(pp.manager_of(region))
        url = reverse("indicators:indicators")
        today = timezone.localdate()
        quarters = periods.quarters(*periods.default_range(today))
        unit = [report.Unit("organisation", region.pk, region.name)]
        old = before.report.table(before.facts(region), unit, quarters, today=today, classify=selectors.classify, k=10)
        new = report.table_of(
            counting.raw(region, unit, quarters, today=today, classify=selectors.classify, kept=True),
            unit,
            quarters,
            k=10,
        )
        live = report.table_of(
            counting.raw(region, unit, quarters, today=today, classify=selectors.classify), unit, quarters, k=10
        )
        assert live == new, "kept and live cohorts differ"

        def plain(rows):  # the two sides' rows are of different (same-named) classes
            return [(r.period.label, *list(vars(r).values())[2:]) for r in rows]

        assert plain(old) == plain(new), "before and after differ"
        page(client, url)  # warm-up
        times: dict[str, list[float]] = {"before": [], "after": []}
        for _ in range(args.requests):
            with swapped(before):
                times["before"].append(page(client, url))
            times["after"].append(page(client, url))
        statements: dict[str, list[float]] = {"live": [], "before's kept": [], "kept": []}
        raws = {"live": counting.raw, "kept": counting.raw}
        if hasattr(before, "counting"):  # that commit's own statement with its kept rows
            raws["before's kept"] = before.counting.raw
        for _ in range(args.statements):
            for side, raw in raws.items():
                started = time.perf_counter()
                raw(region, unit, quarters, today=today, classify=selectors.classify, kept=side != "live")
                statements[side].append((time.perf_counter() - started) * 1000)
        parts = {}
        with swapped(before):
            parts["before"] = pp.indicator_parts(region)
        parts["after"] = counted_parts(region, unit, quarters, today)
        transaction.set_rollback(True)
    print(f"{people:,} people; indicators page, {args.requests} requests each, interleaved")
    for side, found in times.items():
        p = parts[side]
        print(
            f"{side:6} page p50 {statistics.median(found):9.1f} ms  max {max(found):9.1f} ms  "
            f"facts {p['facts_ms']:8.1f} ms (queries {sum(ms for _t, ms in p['facts_queries_ms']):7.1f} ms)  "
            f"compute {p['compute_ms']:8.1f} ms  {p['compute_per_function_ms']}"
        )
        print(f"       every request (ms): {[round(ms) for ms in found]}")
    ratio = statistics.median(times["before"]) / statistics.median(times["after"])
    print(f"after is {ratio:.1f}x faster (p50)")
    for side, found in statements.items():
        if not found:
            continue
        print(
            f"counting.raw, {side} cohorts: p50 {statistics.median(found):8.1f} ms  "
            f"every (ms): {[round(ms) for ms in found]}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
