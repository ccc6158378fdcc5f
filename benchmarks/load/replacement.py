"""What replacing a worker (gunicorn's ``max_requests``) costs, old code against new (issue #18).

    python benchmarks/load/replacement.py --database mydb_10k --code /tmp/old /work/wt/x \\
        --max-requests 200 100000 --requests 600

For each code tree and each ``max_requests`` in turn (alternating), starts ``koers serve`` with
ONE worker and production settings (``load_server.production_env``) on your own database, signs
in a few professionals (``prepare.py``), and sends ``--requests`` requests one after the other to
the caseload and the person overview, care plan and goals of their persons. Prints the worker CPU
per request, replaced workers included (the master's reaped children). The difference between a
small ``max_requests`` and a large one, times the small one, is the CPU of one replacement.
Figures: docs/performance.md, "The realistic mix: where the worker's CPU goes".
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil


def run(code: Path, database: str, max_requests: int, requests: int) -> str:
    sys.path.insert(0, str(code / "benchmarks/load"))
    import load_server as ls  # the tree's own helpers

    out = code / "benchmarks/results" / f"replacement-{database}"
    out.mkdir(parents=True, exist_ok=True)
    key = out / "secret-key"  # the users' sessions are signed with it: the same for every run of this tree
    if not key.exists():
        key.write_text(secrets.token_urlsafe(64))
    env = ls.production_env(f"postgres://root@127.0.0.1:5432/{database}", out / "data", secret=key.read_text())
    env |= {"PYTHONPATH": str(code), "KOERS_MAX_REQUESTS": str(max_requests), "KOERS_MAX_REQUESTS_JITTER": "0"}
    users = out / "users.json"
    if not users.exists():
        command = [ls.PYTHON, str(code / "benchmarks/load/prepare.py"), "--professionals", "4", "--persons", "1"]
        subprocess.run([*command, "--api", "1", "--out", str(users)], cwd=code, env=env, check=True)  # noqa: S603
    signed_in = json.loads(users.read_text())
    professional = signed_in["professionals"][0]
    port = ls.free_port()
    server = ls.start_server(env, port, 1, out / "gunicorn.log")
    headers = {
        "Host": ls.HOST,
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "198.51.100.7",
        "Cookie": f"{signed_in['cookie_name']}={professional['session']}",
    }

    def get(path: str) -> None:
        for _ in range(100):  # while a replaced worker boots, the connection may be refused
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
                with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 - loopback
                    assert answer.status == 200, answer.status
                    answer.read()
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"{path} did not answer")

    def cpu() -> float:
        master = psutil.Process(server.pid)
        times = master.cpu_times()
        return times.children_user + times.children_system + sum(sum(c.cpu_times()[:2]) for c in master.children())

    rng = random.Random(1)
    persons = [p["id"] for p in professional["persons"][:10]]
    paths = ["/clienten/"] + [f"/personen/{p}/{tab}" for p in persons for tab in ("", "zorgplan/", "doelen/")]
    try:
        for _ in range(20):
            get(rng.choice(paths))
        before = cpu()
        for _ in range(requests):
            get(rng.choice(paths))
        used = cpu() - before
    finally:
        ls.stop_server(server)
        sys.path.remove(str(code / "benchmarks/load"))
        sys.modules.pop("load_server", None)
    return (
        f"{code} max_requests={max_requests}: {requests} requests, worker CPU {1000 * used / requests:.1f} ms/request, "
        f"load {os.getloadavg()[0]:.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="your own copy, on postgres://root@127.0.0.1:5432/")
    parser.add_argument("--code", type=Path, nargs="+", required=True, help="code trees, alternated")
    parser.add_argument("--max-requests", type=int, nargs="+", default=[200, 100_000])
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    for _ in range(args.rounds):
        for max_requests in args.max_requests:
            for code in args.code:
                print(run(code.resolve(), args.database, max_requests, args.requests), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
