"""Step the load up until errors or p95 > 500 ms (issue #18, "Load and soak").

    python benchmarks/load/run.py --database koers100k_load --steps 4,8,16,32,64 --step-seconds 90

Starts ``koers serve`` (gunicorn, ``--workers`` sync workers, production settings:
``load_server.production_env``) on a free loopback port against ``postgres://root@127.0.0.1:5432/
<database>``, signs in the users (``prepare.py``), then runs locust headless at each
concurrency in turn (closed loop, no think time: each user sends its next request as soon as
the last one is answered). Per step it records, per endpoint, the requests, failures,
throughput and p50/p95/p99 (locust's CSV), the CPU seconds used by the load generator itself,
by the gunicorn workers and by the database's backends, and the load average before and after.
It stops after the first step with an error or an overall p95 above 500 ms.

Results go to ``benchmarks/results/load-<database>/`` (git-ignored): ``steps.json`` and a
Markdown table ``steps.md``. The machine is shared: read the load average beside every figure.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_server import (  # noqa: E402
    PYTHON,
    ROOT,
    free_port,
    load_settings,
    mix_of,
    prepare_users,
    production_env,
    start_server,
    stop_server,
)

LOCUSTFILE = ROOT / "benchmarks/load/locustfile.py"


def worker_cpu(server: subprocess.Popen) -> float:
    """CPU of the live workers plus the workers already replaced (reaped by the master)."""
    try:
        master = psutil.Process(server.pid)
        reaped = master.cpu_times().children_user + master.cpu_times().children_system
        return reaped + sum(sum(c.cpu_times()[:2]) for c in master.children())
    except psutil.Error:
        return 0.0


def db_backend_cpu(database: str, seen: dict[int, float]) -> None:
    """Note the CPU of every PostgreSQL backend of ``database`` (by its process title); a backend
    that has ended keeps the last value seen, so closed connections still count."""
    for proc in psutil.process_iter(["cmdline"]):
        cmd = " ".join(proc.info["cmdline"] or [])
        if cmd.startswith("postgres: ") and f" {database} " in cmd:
            try:
                seen[proc.pid] = sum(proc.cpu_times()[:2])
            except psutil.Error:
                pass


def run_locust(
    env: dict, port: int, users: int, seconds: int, prefix: Path, database: str = "", extra: list[str] | None = None
) -> dict:
    """One headless locust run; returns its CPU seconds, the database backends' and wall time."""
    command = [
        PYTHON, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "-H", f"http://127.0.0.1:{port}",
        "-u", str(users), "-r", str(max(1, users)), "-t", f"{seconds}s", "--csv", str(prefix),
        "--only-summary", "--stop-timeout", "10", *(extra or []),
    ]  # fmt: skip
    started = time.monotonic()
    locust = psutil.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    cpu = 0.0
    db_before: dict[int, float] = {}
    if database:
        db_backend_cpu(database, db_before)
    db_seen = dict(db_before)
    while locust.poll() is None:
        if database:
            db_backend_cpu(database, db_seen)
        try:
            t = locust.cpu_times()
            cpu = t.user + t.system
        except psutil.Error:
            pass
        time.sleep(1)
    output = locust.stdout.read().decode(errors="replace")
    (prefix.parent / f"{prefix.name}-locust.log").write_text(output)
    db_cpu = sum(db_seen.values()) - sum(db_before.values())
    return {"locust_cpu_s": round(cpu, 1), "db_cpu_s": round(db_cpu, 1), "wall_s": round(time.monotonic() - started, 1)}


def read_stats(prefix: Path) -> list[dict]:
    rows = []
    with open(f"{prefix}_stats.csv") as f:
        for row in csv.DictReader(f):
            rows.append(
                {
                    "type": row["Type"],
                    "name": row["Name"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "rps": round(float(row["Requests/s"]), 1),
                    "p50": float(row["50%"] or 0),
                    "p95": float(row["95%"] or 0),
                    "p99": float(row["99%"] or 0),
                    "mean": round(float(row["Average Response Time"] or 0), 1),
                }
            )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="your own copy, on postgres://root@127.0.0.1:5432/")
    parser.add_argument("--steps", default="4,8,16,32,64")
    parser.add_argument("--step-seconds", type=int, default=90)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--p95-limit", type=float, default=500)
    parser.add_argument("--keep-going", action="store_true", help="run every step even after errors / p95 limit")
    args = parser.parse_args()

    out = ROOT / "benchmarks/results" / f"load-{args.database}"
    out.mkdir(parents=True, exist_ok=True)
    url = f"postgres://root@127.0.0.1:5432/{args.database}"
    env = production_env(url, out / "data")
    steps = [int(s) for s in args.steps.split(",")]
    users_file = out / "users.json"
    prepare_users(env, users_file, professionals=max(steps), persons=max(steps), api=max(8, max(steps) // 4))
    port = free_port()
    server = start_server(env, port, args.workers, out / "gunicorn.log")
    generator = load_settings()  # passed on to locust: the server's environment drops them
    locust_env = env | generator | {"KOERS_LOAD_USERS": str(users_file)}
    print(f"mix: {mix_of(generator)}", flush=True)
    results = []
    try:
        run_locust(locust_env, port, 4, 20, out / "warmup")  # templates, connections, OS cache
        for users in steps:
            before = {"load": os.getloadavg(), "workers": worker_cpu(server)}
            run = run_locust(locust_env, port, users, args.step_seconds, out / f"step{users}", args.database)
            stats = read_stats(out / f"step{users}")
            total = next(r for r in stats if r["name"] == "Aggregated")
            step = {
                "users": users,
                **run,
                "worker_cpu_s": round(worker_cpu(server) - before["workers"], 1),
                "load_before": [round(x, 2) for x in before["load"]],
                "load_after": [round(x, 2) for x in os.getloadavg()],
                "total": total,
                "endpoints": [r for r in stats if r["name"] != "Aggregated"],
            }
            if total["requests"]:
                step["worker_cpu_ms_per_request"] = round(1000 * step["worker_cpu_s"] / total["requests"], 1)
                step["db_cpu_ms_per_request"] = round(1000 * step["db_cpu_s"] / total["requests"], 1)
                step["locust_cpu_ms_per_request"] = round(1000 * step["locust_cpu_s"] / total["requests"], 1)
            results.append(step)
            (out / "steps.json").write_text(json.dumps(results, indent=2))
            print(
                f"{users:>3} users: {total['rps']:.1f} req/s, p50 {total['p50']:.0f} p95 {total['p95']:.0f} "
                f"p99 {total['p99']:.0f} ms, {total['failures']} failures, locust CPU {run['locust_cpu_s']} s, "
                f"workers {step['worker_cpu_s']} s, load {step['load_before'][0]}→{step['load_after'][0]}",
                flush=True,
            )
            if not args.keep_going and (total["failures"] or total["p95"] > args.p95_limit):
                break
    finally:
        stop_server(server)
    (out / "steps.md").write_text(markdown(results))
    print(markdown(results))
    return 0


def markdown(results: list[dict]) -> str:
    lines = [
        "| users | req/s | p50 | p95 | p99 | failures | worker CPU ms/req | PostgreSQL CPU ms/req "
        "| locust CPU s (% of wall) | load 1-min before→after |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for s in results:
        t = s["total"]
        share = 100 * s["locust_cpu_s"] / s["wall_s"] if s["wall_s"] else 0
        lines.append(
            f"| {s['users']} | {t['rps']} | {t['p50']:.0f} | {t['p95']:.0f} | {t['p99']:.0f} | {t['failures']} | "
            f"{s.get('worker_cpu_ms_per_request', '')} | {s.get('db_cpu_ms_per_request', '')} | "
            f"{s['locust_cpu_s']} ({share:.0f} %) | {s['load_before'][0]}→{s['load_after'][0]} |"
        )
    for s in results:
        lines += [
            "",
            f"**{s['users']} users** — per endpoint (ms)",
            "",
            "| endpoint | requests | req/s | p50 | p95 | p99 | failures |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for e in sorted(s["endpoints"], key=lambda e: -e["requests"]):
            lines.append(
                f"| {e['type']} {e['name']} | {e['requests']} | {e['rps']} | {e['p50']:.0f} | {e['p95']:.0f} | "
                f"{e['p99']:.0f} | {e['failures']} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
