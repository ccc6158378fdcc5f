#!/usr/bin/env python3
"""The care plan page's CPU with the kept current plan and with the plan built live, in one process.

    DATABASE_URL=postgres://root@127.0.0.1:5432/DB .venv/bin/python benchmarks/careplan_kept.py

Alternates blocks of care plan requests (and ``/gezond`` as the baseline) with the kept current
plan used (``koers.careplans.kept``, as deployed) and ignored (the plan built from its eleven
queries, as before), on the same persons and clients, so both meet the same load; prints the
median process CPU per request and its ratio to ``/gezond`` in the same blocks, and checks that
both give the same HTML (CSRF token masked). The plan part of the page is kept as HTML too
(``careplans.kept_page``; ``kept_page_views.py`` measures that): both variants show the same
plan, so both use it. Needs the kept plans filled (``koers careplan_current
refresh``). Writes access-log rows: use your own copy of a database.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]+')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=60)
    parser.add_argument("--blocks", type=int, default=6, help="alternations (default 6)")
    args = parser.parse_args()
    from signed_in import production_like, team_readers  # benchmarks/signed_in.py

    production_like()
    from django.urls import reverse

    from koers.careplans import selectors
    from koers.careplans.models import CarePlanVersion

    members, clients = team_readers(device_name="kept")
    with_plan = set(CarePlanVersion.objects.values_list("care_plan__person_id", flat=True).distinct())
    persons = random.Random(18).sample(sorted(set(members) & with_plan), args.persons)
    # ``current_plan`` takes the latest version (with its plan row) from ``first``; without the
    # kept plan it builds the plan from its rows, as before ``koers.careplans.kept``.
    original_first = selectors.first

    def without_kept(rows):  # the plan built live, as before: its eleven queries
        latest = original_first(rows)
        if latest is not None:
            latest.care_plan.current_snapshot = None
        return latest

    def get(page, person_id):
        url = reverse(page) if page == "health" else reverse(page, args=[person_id])
        response = clients[members[person_id]].get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    pages: dict[str, dict[int, bytes]] = {"kept": {}, "live": {}}
    cpu: dict[tuple[str, str], list[float]] = {}
    for person_id in persons[:10]:  # warm up
        get("careplans:plan", person_id)
    print(f"load average before: {Path('/proc/loadavg').read_text().split()[:3]}")
    for n in range(args.blocks * 2):
        variant = ("kept", "live")[n % 2]
        selectors.first = original_first if variant == "kept" else without_kept
        for page in ("health", "careplans:plan"):
            for person_id in persons:
                start = time.process_time()
                response = get(page, person_id)
                cpu.setdefault((variant, page), []).append(time.process_time() - start)
                if page != "health":
                    pages[variant][person_id] = CSRF.sub(rb"\1TOKEN", response.content)
    selectors.first = original_first
    same = sum(pages["kept"][p] == pages["live"][p] for p in persons)
    print(f"load average after: {Path('/proc/loadavg').read_text().split()[:3]}")
    print(f"same HTML: {same} of {len(persons)} care plans")
    for variant in ("live", "kept"):
        health = statistics.median(cpu[(variant, "health")]) * 1000
        plan = statistics.median(cpu[(variant, "careplans:plan")]) * 1000
        print(f"{variant:5s} /gezond {health:5.2f} ms | care plan {plan:5.2f} ms ({plan / health:.1f}x)")
    return 0 if same == len(persons) else 1


if __name__ == "__main__":
    sys.exit(main())
