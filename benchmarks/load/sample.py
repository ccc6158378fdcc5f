"""Sample the memory and connections of a running Koers server over time (the soak's evidence).

    python benchmarks/load/sample.py --gunicorn-pid PID --port 8011 --database koers100k_load \\
        --interval 10 --seconds 1800 --out soak

Every ``--interval`` seconds it writes, to ``<out>-processes.csv``, one row per process — the
gunicorn master, every worker, every PostgreSQL backend connected to ``--database`` — with its
RSS and its private (anonymous) memory from /proc, and to ``<out>-totals.csv`` one row with
the number of database connections (``pg_stat_activity``), the established TCP connections
to the server's port, and the load average. ``<out>-summary.json`` says, per process, the
first, last and largest memory after the warm-up and the slope (MB per hour, least squares).

A PostgreSQL backend's RSS includes the shared buffers it has touched, which grows towards
``shared_buffers`` without being a leak: judge backends by their private memory (RssAnon).
Used by ``soak.py``; standalone against any running server.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import threading
import time
from pathlib import Path

import psutil


def proc_memory(pid: int) -> tuple[int, int] | None:
    """(RSS, private anonymous memory) in kB, or None when the process is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    values = {}
    for line in status.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "RssAnon"):
            values[key] = int(rest.split()[0])
    return values.get("VmRSS", 0), values.get("RssAnon", 0)


def backends(psql_args: list[str], database: str) -> list[int]:
    sql = f"select pid from pg_stat_activity where datname = '{database}' and pid <> pg_backend_pid()"  # noqa: S608
    out = subprocess.run(  # noqa: S603 - psql, fixed arguments
        ["psql", *psql_args, "-d", "postgres", "-Atc", sql], capture_output=True, text=True, timeout=30
    )
    return [int(line) for line in out.stdout.split() if line.strip().isdigit()]


def established(port: int) -> int:
    try:
        return sum(
            1 for c in psutil.net_connections("tcp") if c.laddr and c.laddr.port == port and c.status == "ESTABLISHED"
        )
    except psutil.Error:
        return -1


class Sampler(threading.Thread):
    def __init__(self, *, gunicorn_pid: int, port: int, database: str, psql_args: list[str], interval: float, out: str):
        super().__init__(daemon=True)
        self.gunicorn_pid, self.port, self.database = gunicorn_pid, port, database
        self.psql_args, self.interval, self.out = psql_args, interval, out
        self.stop_event = threading.Event()
        self.started = time.time()

    def run(self) -> None:
        with (
            open(f"{self.out}-processes.csv", "w", newline="") as pf,
            open(f"{self.out}-totals.csv", "w", newline="") as tf,
        ):
            procs = csv.writer(pf)
            totals = csv.writer(tf)
            procs.writerow(["seconds", "kind", "pid", "rss_kb", "private_kb"])
            totals.writerow(["seconds", "db_connections", "http_established", "workers", "load1"])
            while not self.stop_event.is_set():
                self.sample(procs, totals)
                pf.flush()
                tf.flush()
                self.stop_event.wait(self.interval)

    def sample(self, procs, totals) -> None:
        t = round(time.time() - self.started, 1)
        try:
            workers = [c.pid for c in psutil.Process(self.gunicorn_pid).children()]
        except psutil.Error:
            workers = []
        db = backends(self.psql_args, self.database)
        for kind, pids in (("master", [self.gunicorn_pid]), ("worker", workers), ("postgres", db)):
            for pid in pids:
                memory = proc_memory(pid)
                if memory:
                    procs.writerow([t, kind, pid, *memory])
        totals.writerow([t, len(db), established(self.port), len(workers), os.getloadavg()[0]])

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=60)


def slope_mb_per_hour(points: list[tuple[float, float]]) -> float:
    n = len(points)
    if n < 2:
        return 0.0
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    den = sum((p[0] - mx) ** 2 for p in points)
    return 0.0 if den == 0 else sum((p[0] - mx) * (p[1] - my) for p in points) / den * 3600 / 1024


def summarise(out: str, warmup: float = 120) -> dict:
    """Per process: memory after the warm-up (MB) and its slope; totals: connections over time."""
    series: dict[tuple[str, int], list[tuple[float, int, int]]] = {}
    with open(f"{out}-processes.csv") as f:
        for row in csv.DictReader(f):
            key = (row["kind"], int(row["pid"]))
            series.setdefault(key, []).append((float(row["seconds"]), int(row["rss_kb"]), int(row["private_kb"])))
    processes = []
    for (kind, pid), points in sorted(series.items()):
        late = [p for p in points if p[0] >= warmup] or points
        processes.append(
            {
                "kind": kind,
                "pid": pid,
                "samples": len(points),
                "from_s": points[0][0],
                "to_s": points[-1][0],
                "rss_mb_first": round(late[0][1] / 1024, 1),
                "rss_mb_last": round(late[-1][1] / 1024, 1),
                "rss_mb_max": round(max(p[1] for p in late) / 1024, 1),
                "private_mb_first": round(late[0][2] / 1024, 1),
                "private_mb_last": round(late[-1][2] / 1024, 1),
                "private_mb_max": round(max(p[2] for p in late) / 1024, 1),
                "rss_slope_mb_per_h": round(slope_mb_per_hour([(p[0], p[1]) for p in late]), 1),
                "private_slope_mb_per_h": round(slope_mb_per_hour([(p[0], p[2]) for p in late]), 1),
            }
        )
    with open(f"{out}-totals.csv") as f:
        rows = list(csv.DictReader(f))
    db = [int(r["db_connections"]) for r in rows]
    http = [int(r["http_established"]) for r in rows]
    load = [float(r["load1"]) for r in rows]
    backends = [p for p in processes if p["kind"] == "postgres"]
    summary = {
        # Backends come and go (a worker's connection lives ``CONN_MAX_AGE`` seconds): in short.
        "postgres_backends": {
            "count": len(backends),
            "longest_s": max((p["to_s"] - p["from_s"] for p in backends), default=0),
            "private_mb_max": max((p["private_mb_max"] for p in backends), default=0),
            "rss_mb_max": max((p["rss_mb_max"] for p in backends), default=0),
        },
        "processes": processes,
        "db_connections": {"min": min(db, default=0), "max": max(db, default=0), "last": db[-1] if db else 0},
        "http_established": {"min": min(http, default=0), "max": max(http, default=0)},
        "load1": {"min": min(load, default=0), "max": max(load, default=0)},
        "samples": len(rows),
    }
    Path(f"{out}-summary.json").write_text(json.dumps(summary, indent=2))
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gunicorn-pid", type=int, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--psql", default="-h 127.0.0.1 -U root", help="psql connection options")
    parser.add_argument("--interval", type=float, default=10)
    parser.add_argument("--seconds", type=float, default=1800)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    sampler = Sampler(
        gunicorn_pid=args.gunicorn_pid,
        port=args.port,
        database=args.database,
        psql_args=args.psql.split(),
        interval=args.interval,
        out=args.out,
    )
    sampler.start()
    try:
        time.sleep(args.seconds)
    except KeyboardInterrupt:
        pass
    sampler.stop()
    print(json.dumps(summarise(args.out), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
