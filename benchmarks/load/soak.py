"""The soak (issue #18): a fixed offered rate for a long time, memory and connections sampled.

    python benchmarks/load/soak.py --database koers100k_load --users 16 --rate 1.5 --minutes 30

Starts ``koers serve`` as ``run.py`` does, signs in the users, starts ``sample.py``'s sampler
(every gunicorn worker's and PostgreSQL backend's memory, the open database and HTTP
connections) and runs the locust mix with each user sending ``--rate`` tasks per second
(``constant_throughput``). ``--no-recycle`` sets ``KOERS_MAX_REQUESTS=0`` so that gunicorn never
replaces a worker: memory that grows then shows instead of being reset every ~1,000 requests.
Writes ``benchmarks/results/soak-<database>/`` (git-ignored): the locust CSVs, the sampler's
CSVs and ``summary.json`` (requests, failures, percentiles, memory per process, connections,
load average).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_server import (  # noqa: E402
    ROOT,
    free_port,
    load_settings,
    mix_of,
    prepare_users,
    production_env,
    start_server,
    stop_server,
)
from run import read_stats, run_locust, worker_cpu  # noqa: E402
from sample import Sampler, summarise  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--rate", type=float, default=1.0, help="tasks per second per user")
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--interval", type=float, default=10, help="seconds between memory samples")
    parser.add_argument("--no-recycle", action="store_true", help="gunicorn max_requests off (KOERS_MAX_REQUESTS=0)")
    args = parser.parse_args()

    out = ROOT / "benchmarks/results" / f"soak-{args.database}"
    out.mkdir(parents=True, exist_ok=True)
    env = production_env(f"postgres://root@127.0.0.1:5432/{args.database}", out / "data")
    if args.no_recycle:
        env["KOERS_MAX_REQUESTS"] = "0"
    users_file = out / "users.json"
    prepare_users(env, users_file, professionals=args.users, persons=args.users, api=max(4, args.users // 4))
    port = free_port()
    server = start_server(env, port, args.workers, out / "gunicorn.log")
    sampler = Sampler(
        gunicorn_pid=server.pid,
        port=port,
        database=args.database,
        psql_args=["-h", "127.0.0.1", "-U", "root"],
        interval=args.interval,
        out=str(out / "sample"),
    )
    sampler.start()
    generator = load_settings()  # KOERS_LOAD_KINDS=professional: the mix
    locust_env = env | generator | {"KOERS_LOAD_USERS": str(users_file), "KOERS_LOAD_RATE": str(args.rate)}
    print(f"mix: {mix_of(generator)}", flush=True)
    try:
        cpu_before = worker_cpu(server)
        run = run_locust(locust_env, port, args.users, int(args.minutes * 60), out / "soak", args.database)
        run["worker_cpu_s"] = round(worker_cpu(server) - cpu_before, 1)
    finally:
        sampler.stop()
        stop_server(server)
    stats = read_stats(out / "soak")
    memory = summarise(str(out / "sample"))
    summary = {
        "database": args.database,
        "users": args.users,
        "rate_per_user": args.rate,
        "minutes": args.minutes,
        "workers": args.workers,
        "recycle": not args.no_recycle,
        "mix": mix_of(generator),
        **run,
        "total": next(r for r in stats if r["name"] == "Aggregated"),
        "endpoints": [r for r in stats if r["name"] != "Aggregated"],
        "memory": memory,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    t = summary["total"]
    print(
        f"{t['requests']} requests, {t['failures']} failures, {t['rps']} req/s, p50 {t['p50']} p95 {t['p95']} "
        f"p99 {t['p99']} ms; DB connections {memory['db_connections']}; load {memory['load1']}"
    )
    for p in memory["processes"]:
        if p["kind"] != "postgres" or p["samples"] > 3:
            print(
                f"  {p['kind']:8} {p['pid']:>7} {p['from_s']:>6.0f}–{p['to_s']:<6.0f}s RSS {p['rss_mb_first']}→"
                f"{p['rss_mb_last']} MB (max {p['rss_mb_max']}, {p['rss_slope_mb_per_h']} MB/h), private "
                f"{p['private_mb_first']}→{p['private_mb_last']} MB ({p['private_slope_mb_per_h']} MB/h)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
