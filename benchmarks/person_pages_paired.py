#!/usr/bin/env python3
"""The person pages with this branch's two cuts switched off and on, request by request (issue #18).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a copy> .venv/bin/python benchmarks/person_pages_paired.py

Side-by-side runs in separate processes (``bench_pages.py --compare``) move by ±15 % between
children on this shared machine, more than a 5 % cut. Here one process requests every page twice
in a row for the same person and reader, once with the cuts off and once on (in random order),
and reports each page's CPU (mean, median) both ways and the median of the paired differences.
Off: the access-log row by the four round trips (``BEGIN``, lock and tip, ``INSERT``, ``COMMIT``;
the path SQLite still takes) and ``request.user`` left in its lazy wrappers; on: the code as it is.
Writes access-log rows: use your own copy of a database.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

PAGES = ("health", "workspace:person", "careplans:plan", "goals:list")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400, help="pairs per page (default 400)")
    args = parser.parse_args()
    from signed_in import production_like, team_readers  # benchmarks/signed_in.py

    production_like()
    from django.db import router
    from django.urls import reverse

    from koers.access import decorators
    from koers.audit import log
    from koers.audit.models import AccessLogEntry

    record, reader = log.record, decorators._reader

    def four_round_trips(**kwargs):  # the path before audit 0006 (log.append_in_python)
        entry = log.build_entry(**kwargs)
        log.append_in_python(entry, router.db_for_write(AccessLogEntry))
        return entry

    def switch(on: bool) -> None:
        log.record = record if on else four_round_trips
        decorators._reader = reader if on else (lambda request: request.user)

    members, clients = team_readers(device_name="paired")
    rng = random.Random(11)
    persons = rng.sample(sorted(members), 200)

    def get(page: str, person_id: int) -> float:
        url = reverse(page) if page == "health" else reverse(page, args=[person_id])
        client = clients[members[person_id]]  # signed in on first use: not part of the request
        start = time.process_time()
        response = client.get(url)
        spent = (time.process_time() - start) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return spent

    for page in PAGES:  # warm up both ways
        for person_id in persons[:30]:
            for on in (False, True):
                switch(on)
                get(page, person_id)
    cpu: dict[tuple[str, bool], list[float]] = {(page, on): [] for page in PAGES for on in (False, True)}
    load = os.getloadavg()
    for i in range(args.requests):
        person_id = persons[i % len(persons)]
        for page in PAGES:
            for on in (False, True) if rng.random() < 0.5 else (True, False):
                switch(on)
                cpu[(page, on)].append(get(page, person_id))
    switch(True)
    print(f"load average {load[0]:.2f} -> {os.getloadavg()[0]:.2f}; {args.requests} pairs per page; CPU ms per request")
    base = {on: statistics.median(cpu[("health", on)]) for on in (False, True)}
    for page in PAGES:
        off, on = cpu[(page, False)], cpu[(page, True)]
        paired = statistics.median(b - a for a, b in zip(off, on, strict=True))
        was, now = statistics.median(off), statistics.median(on)
        print(
            f"{page:18s} off {statistics.fmean(off):.2f} / {was:.2f} ({was / base[False]:.2f}x)"
            f"  on {statistics.fmean(on):.2f} / {now:.2f} ({now / base[True]:.2f}x)"
            f"  paired {paired:+.3f} ms ({paired / was * 100:+.1f} %)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
