#!/usr/bin/env python3
"""The person pages' CPU as a multiple of ``/gezond``, served by gunicorn as in production (issue #18).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a copy> .venv/bin/python benchmarks/person_pages_served.py

The same question as ``person_pages_ratio.py`` (docs/decisions.md, "How the person pages' ratio is
measured"), asked of the production set-up the issue names: ``koers serve`` (gunicorn, one sync
worker, production settings, 2FA, secure cookies behind a trusted proxy on loopback), signed-in
professionals from ``load/prepare.py``. Per round, ``/gezond`` and the person overview, care plan
and goals of one person of the professional's caseload, in a new random order each round, one
request at a time. A request's CPU is the worker's on-CPU time (``/proc/<pid>/schedstat``, ns) from
just before it is sent until the worker is idle again: HTTP parsing, the WSGI handler, Django, the
database client — what a worker pays per page. The in-process instrument times Django's test
client instead, which parses every ``Set-Cookie`` into its jar (the person pages set the CSRF
cookie, ``/gezond`` none) and leaves out gunicorn's own work (which every page pays alike).
Reports mean and median CPU, the ratios by both, and a 95 % bootstrap interval of the median
ratio. Writes sessions and access-log rows: use your own copy of a database.

``--code DIR`` serves another checkout (an older commit's worktree, on a database made by its own
migrations and generator): with ``koers serve`` where it has it, else plain gunicorn
(``koers.wsgi:application``, one sync worker) — the production set-up of code from before
``koers serve``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "load"))
from load_server import (  # noqa: E402
    HOST,
    ROOT,
    NoRedirect,
    free_port,
    prepare_users,
    production_env,
    start_server,
    stop_server,
)

PAGES = {
    "health": "/gezond",
    "person overview": "/personen/{id}/",
    "care plan": "/personen/{id}/zorgplan/",
    "goals": "/personen/{id}/doelen/",
}
BASELINE = "health"


def on_cpu_ns(pid: int) -> int:
    with open(f"/proc/{pid}/schedstat") as stat:
        return int(stat.read().split()[0])


def worker_of(server_pid: int) -> int:
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    if len(children) != 1:
        raise SystemExit(f"expected one gunicorn worker, found {children}")
    return int(children[0])


OPENER = urllib.request.build_opener(NoRedirect)


def get(port: int, path: str, cookie: str) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": HOST, "X-Forwarded-Proto": "https", "Cookie": cookie}
    )
    try:
        with OPENER.open(request, timeout=30) as answer:
            answer.read()
    except urllib.error.HTTPError as error:
        raise SystemExit(f"{path}: {error.code} {error.headers.get('Location', '')}") from None


def idle_cpu(pid: int) -> int:
    """The worker's on-CPU time once it has finished the request (closing, signals, logging)."""
    before = on_cpu_ns(pid)
    while True:
        time.sleep(0.002)
        now = on_cpu_ns(pid)
        if now == before:
            return now
        before = now


def measure(port: int, worker: int, visits: list[tuple[str, dict]], rounds: int, rng) -> dict[str, list[float]]:
    cpu: dict[str, list[float]] = {page: [] for page in PAGES}
    for _ in range(rounds):
        cookie, person = rng.choice(visits)
        order = list(PAGES)
        rng.shuffle(order)
        for page in order:
            start = idle_cpu(worker)
            get(port, PAGES[page].format(id=person), cookie)
            cpu[page].append((idle_cpu(worker) - start) / 1e6)
    return cpu


def bootstrap(page: list[float], base: list[float], rng, samples: int = 2000) -> tuple[float, float]:
    ratios = []
    for _ in range(samples):
        a = [page[rng.randrange(len(page))] for _ in page]
        b = [base[rng.randrange(len(base))] for _ in base]
        ratios.append(statistics.median(a) / statistics.median(b))
    ratios.sort()
    return ratios[int(0.025 * samples)], ratios[int(0.975 * samples)]


def report(cpu: dict[str, list[float]], rng) -> None:
    base = cpu[BASELINE]
    print(f"{'page':18} {'mean':>6} {'median':>7} {'x mean':>7} {'x median':>9} {'95 % (x median)':>16}")
    for page, values in cpu.items():
        low, high = bootstrap(values, base, rng)
        print(
            f"{page:18} {statistics.mean(values):6.2f} {statistics.median(values):7.2f} "
            f"{statistics.mean(values) / statistics.mean(base):7.2f} "
            f"{statistics.median(values) / statistics.median(base):9.2f} {low:9.2f}-{high:.2f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=400)
    parser.add_argument("--warm-up", type=int, default=40)
    parser.add_argument("--professionals", type=int, default=8)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to serve (default: this one)")
    args = parser.parse_args()
    code = args.code.resolve()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must point at a PostgreSQL copy of a generated database")
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="koers-served-") as tmp:
        # One worker for the whole run (not replaced after ~1,000 requests): its CPU is read by pid.
        # The sessions are made with the served code's models (``KOERS_LOAD_CODE``, load/prepare.py).
        env = {
            **production_env(url, Path(tmp)),
            "PYTHONPATH": str(code),
            "KOERS_MAX_REQUESTS": "0",
            "KOERS_LOAD_CODE": str(code),
        }
        users = Path(tmp) / "users.json"
        prepare_users(env, users, professionals=args.professionals, persons=0, api=0)
        data = json.loads(users.read_text())
        visits = [
            (f"{data['cookie_name']}={pro['session']}", person["id"])
            for pro in data["professionals"]
            for person in pro["persons"]
        ]
        port = free_port()
        log = Path(tmp) / "gunicorn.log"
        server = start_server(env, port, workers=1, log=log, code=code, plain=code != ROOT)
        try:
            worker = worker_of(server.pid)
            measure(port, worker, visits, args.warm_up, rng)
            load = os.getloadavg()[0]
            cpu = measure(port, worker, visits, args.rounds, rng)
            after = os.getloadavg()[0]
            print(f"load average {load:.2f} -> {after:.2f}; {args.rounds} rounds; worker CPU ms per request")
            report(cpu, rng)
        finally:
            stop_server(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
