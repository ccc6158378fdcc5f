#!/usr/bin/env python3
"""The person pages' CPU as a multiple of ``/gezond``, interleaved in one process (issue #18).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a copy> .venv/bin/python benchmarks/person_pages_ratio.py

The instrument for issue #18's ratio target ("the person overview, care plan and goals pages cost
≤ 3× the CPU of an authenticated page that reads no person data"; docs/decisions.md, "How the
person pages' ratio is measured"). One process with production-like settings (no debug, 2FA
verified, the access log written) requests, per round, ``/gezond`` and every person page once for
the same person and reader, in a new random order each round, and times each request's CPU
(``time.process_time``: the middleware, the view, the templates, the database client; PostgreSQL's
own CPU is not in it). Whatever slows the machine during a round slows the baseline too, and no
page has a fixed place in the order. Reported per page: mean and median CPU, the ratio to
``/gezond`` by mean and by median, and a 95 % bootstrap interval of the median ratio over the
rounds. With ``--all`` also the mix's other professional pages, and the issue's professional mix
(caseload 15, overview 30, care plan 20, goals 20, questionnaires 15) as a weighted mean per
request: this process's CPU and the PostgreSQL backend's (``/proc/<pid>/schedstat``, in ns), so
that two codes on the same machine can be compared by what a request of the mix costs. Writes
access-log rows: use your own copy of a database.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

BASELINE = "health"
PAGES = (BASELINE, "workspace:person", "careplans:plan", "goals:list")
MORE = ("questionnaires:list", "monitoring:overview", "workspace:caseload")  # with --all: the mix's other pages
MIX = {  # issue #18's professional mix: page -> weight
    "workspace:caseload": 15,
    "workspace:person": 30,
    "careplans:plan": 20,
    "goals:list": 20,
    "questionnaires:list": 15,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=600, help="rounds, each every page once (default 600)")
    parser.add_argument("--all", action="store_true", help="also the mix's other professional pages")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--freeze", action="store_true", help="gc.freeze() after the warm-up, as koers serve's workers do"
    )
    args = parser.parse_args()
    from signed_in import production_like, team_readers  # benchmarks/signed_in.py

    os.environ["KOERS_DB_CONN_MAX_AGE"] = "3600"  # one backend for the run, so its CPU can be read
    production_like()
    pages = PAGES + (MORE if args.all else ())
    rng = random.Random(args.seed)
    members, clients = team_readers(device_name="ratio")
    persons = rng.sample(sorted(members), 200)
    get = _getter(members, clients)
    for person_id in persons[:30]:  # warm up: templates, compiled queries, connections
        for page in pages:
            get(page, person_id)
    if args.freeze:
        import gc

        gc.collect()
        gc.freeze()  # koers.gunicorn_conf: a worker's collections do not walk what the warm-up made
    load = os.getloadavg()[0]
    cpu, db = _rounds(get, pages, persons, args.rounds, rng)
    print(f"load average {load:.2f} -> {os.getloadavg()[0]:.2f}; {args.rounds} rounds; CPU ms per request")
    _report(cpu, db, pages, rng)
    if args.all:
        _mix(cpu, db)
    return 0


def _getter(members, clients):
    from bench_pages import page_url  # benchmarks/bench_pages.py
    from django.db import connection

    def get(page: str, person_id: int) -> tuple[float, float | None]:
        url = page_url(page, person_id)
        connection.ensure_connection()
        pid = _backend_pid(connection)
        db_before = _schedstat_ns(pid)
        client = clients[members[person_id]]  # signed in on first use: not part of the request
        start = time.process_time()
        response = client.get(url)
        spent = (time.process_time() - start) * 1000
        assert response.status_code == 200, (url, response.status_code)
        same = db_before is not None and _backend_pid(connection) == pid
        return spent, (_schedstat_ns(pid) - db_before) / 1e6 if same else None

    return get


def _backend_pid(connection) -> int | None:
    if connection.vendor != "postgresql" or connection.connection is None:
        return None
    return connection.connection.info.backend_pid


def _schedstat_ns(pid: int | None) -> int | None:
    """The CPU time a local PostgreSQL backend has run, in ns (None: not PostgreSQL or not local)."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/schedstat") as stat:
            return int(stat.read().split()[0])
    except OSError:
        return None


def _rounds(get, pages, persons, rounds: int, rng: random.Random):
    """Per page: this process's CPU per request, and the database backend's where it could be read."""
    cpu: dict[str, list[float]] = {page: [] for page in pages}
    db: dict[str, list[float]] = {page: [] for page in pages}
    for i in range(rounds):
        person_id = persons[i % len(persons)]
        order = list(pages)
        rng.shuffle(order)
        for page in order:
            spent, in_db = get(page, person_id)
            cpu[page].append(spent)
            if in_db is not None:
                db[page].append(in_db)
    return cpu, db


def _report(cpu: dict[str, list[float]], db: dict[str, list[float]], pages, rng: random.Random) -> None:
    base = cpu[BASELINE]
    base_mean, base_median = statistics.fmean(base), statistics.median(base)
    print(
        f"{'page':22s} {'mean':>7s} {'median':>7s} {'x mean':>7s} {'x median':>8s}  {'95 % (x median)':>15s}"
        f"  {'db mean':>7s}"
    )
    for page in pages:
        values = cpu[page]
        mean, median = statistics.fmean(values), statistics.median(values)
        low, high = _interval(base, values, rng)
        in_db = f"{statistics.fmean(db[page]):7.2f}" if db[page] else "      -"
        print(
            f"{page:22s} {mean:7.2f} {median:7.2f} {mean / base_mean:7.2f} {median / base_median:8.2f}"
            f"  {low:7.2f}-{high:<7.2f}  {in_db}"
        )


def _mix(cpu: dict[str, list[float]], db: dict[str, list[float]]) -> None:
    """The issue's professional mix as a weighted mean of the pages' mean CPU per request."""
    weight = sum(MIX.values())
    app = sum(statistics.fmean(cpu[page]) * w for page, w in MIX.items()) / weight
    line = f"the issue's professional mix: {app:.2f} ms of this process's CPU per request"
    if all(db[page] for page in MIX):
        in_db = sum(statistics.fmean(db[page]) * w for page, w in MIX.items()) / weight
        line += f" + {in_db:.2f} ms of the database backend's = {app + in_db:.2f} ms"
    print(line)


def _interval(base: list[float], values: list[float], rng: random.Random, resamples: int = 1000):
    """The 2.5th and 97.5th percentiles of the median ratio over rounds drawn with replacement
    (a round's baseline and page stay together)."""
    n = len(base)
    ratios = []
    for _ in range(resamples):
        picked = [rng.randrange(n) for _ in range(n)]
        ratios.append(statistics.median(values[i] for i in picked) / statistics.median(base[i] for i in picked))
    ratios.sort()
    return ratios[int(0.025 * resamples)], ratios[int(0.975 * resamples) - 1]


if __name__ == "__main__":
    sys.exit(main())
