#!/usr/bin/env python3
"""Where the person pages' CPU goes, without a profiler: process CPU per phase and per template.

    DATABASE_URL=postgres://root@127.0.0.1:5432/DB .venv/bin/python benchmarks/person_pages_phases.py

cProfile charges every Python call, so code made of many small calls looks several times dearer
than it is (issue #18: it put Django's per-column converter lookup at a third of a compiled
query's CPU; unprofiled, keeping the converters changed the pages by -1 to +1 %). This script
wraps a few functions with ``time.process_time`` instead and reports, per page, the CPU per request
of the whole request, of ``koers.lib.compiled.compiled``, of the access-log write, of template
rendering, and of the database driver's ``execute``, and per template its own CPU (without the
templates it includes). Requests as a member of each person's care team, signed in with a verified
second factor; writes access-log rows: use your own copy of a database.
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import time
from pathlib import Path

PAGES = ("health", "workspace:person", "careplans:plan", "goals:list")


def timed(totals: collections.Counter, name: str, function):
    """``function``, adding its CPU to ``totals[name]`` (outermost call only)."""
    depth = [0]

    def wrapper(*args, **kwargs):
        depth[0] += 1
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            depth[0] -= 1
            if not depth[0]:
                totals[name] += time.process_time() - start

    return wrapper


def per_template(own: collections.Counter):
    """Template.render wrapped: each template's CPU without the templates rendered inside it."""
    from django.template import base

    render, inner = base.Template.render, []

    def wrapper(self, context):
        start = time.process_time()
        inner.append(0.0)
        try:
            return render(self, context)
        finally:
            spent, children = time.process_time() - start, inner.pop()
            own[self.origin.template_name] += spent - children
            if inner:
                inner[-1] += spent

    base.Template.render = wrapper


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3, help="requests per person and page (default 3)")
    args = parser.parse_args()
    from signed_in import production_like, verified_client  # benchmarks/signed_in.py

    production_like()
    from django.db import connection
    from django.template import base
    from django.urls import reverse

    import koers.lib.compiled
    from koers.accounts.models import User
    from koers.audit import log
    from koers.network.models import CareTeamMember

    members: dict[int, int] = {}
    for person_id, user_id in CareTeamMember.objects.filter(ended_at__isnull=True).values_list(
        "person_id", "professional_id"
    ):
        members[person_id] = min(user_id, members.get(person_id, user_id))
    persons = random.Random(7).sample(sorted(members), args.persons)
    clients = {}
    for user_id in {members[p] for p in persons}:
        clients[user_id] = verified_client(User.objects.get(pk=user_id), device_name="phases")

    def get(page: str, person_id: int):
        url = reverse(page) if page == "health" else reverse(page, args=[person_id])
        return clients[members[person_id]].get(url)

    for person_id in persons[:10]:  # warm up: compiled queries, template and URL caches
        for page in PAGES:
            get(page, person_id)

    totals: collections.Counter = collections.Counter()
    own: collections.Counter = collections.Counter()
    for module in list(sys.modules.values()):  # every module that imported compiled() by name
        if getattr(module, "compiled", None) is koers.lib.compiled.compiled:
            module.compiled = timed(totals, "compiled queries", koers.lib.compiled.compiled)
    base.Template.render = timed(totals, "templates", base.Template.render)
    per_template(own)
    log.record = timed(totals, "access-log write", log.record)

    def driver(execute, sql, params, many, context):
        start = time.process_time()
        try:
            return execute(sql, params, many, context)
        finally:
            totals["driver execute"] += time.process_time() - start
            totals["statements"] += 1

    print(f"load average before: {Path('/proc/loadavg').read_text().split()[:3]}")
    with connection.execute_wrapper(driver):
        for page in PAGES:
            totals.clear()
            own.clear()
            whole = 0.0
            for _ in range(args.rounds):
                for person_id in persons:
                    start = time.process_time()
                    response = get(page, person_id)
                    whole += time.process_time() - start
                    assert response.status_code == 200, (page, person_id, response.status_code)
            n = args.rounds * len(persons)
            parts = " | ".join(f"{k} {v / n * 1000:.2f}" for k, v in sorted(totals.items()) if k != "statements")
            statements = totals["statements"] / n
            print(f"\n{page}: {whole / n * 1000:.2f} ms CPU per request | {parts} | {statements:.1f} statements")
            for name, spent in own.most_common(8):
                print(f"    {name:48s} own {spent / n * 1000:5.2f} ms")
    print(f"\nload average after: {Path('/proc/loadavg').read_text().split()[:3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
