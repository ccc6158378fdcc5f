#!/usr/bin/env python3
"""What the access log's hash chain costs: ``record()`` with and without chaining, in one run.

    .venv/bin/python benchmarks/bench_access_log.py                          # SQLite (temporary file)
    DATABASE_URL=postgres://root@127.0.0.1:5432/postgres .venv/bin/python benchmarks/bench_access_log.py
    ... bench_access_log.py --prefill 1000000 --calls 5000                    # larger

On PostgreSQL it uses its own database ``koers_bench_audit`` on the server in DATABASE_URL (the
name in the URL is replaced), dropped and created afresh on every run; on SQLite a new file in a
temporary directory. Production-like settings (DEBUG off).

1. Prefill ``--prefill`` chained rows (``record_many`` in batches of 1,000), then ``koers audit
   verify``'s walk over them: rows per second.
2. One row per call, autocommit (as a page's READ row): ``log.record`` (chained: lock, read the
   tip, hash, insert, in its own transaction) against the same row built by ``log.build_entry``
   and inserted with a plain ``save()`` (what ``record`` did before the chain). The two alternate
   in blocks of 100 calls so that both see the same machine; p50/p95/mean in µs and the ratio.
3. One list page's rows (25 persons, one insert): ``log.record_many`` against ``bulk_create``.

Results go to stdout and ``benchmarks/results/access-log-<database>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
NAME = "koers_bench_audit"


def url_for(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def fresh_database(base: str) -> str:
    if not base.startswith("postgres"):
        return f"sqlite:///{tempfile.mkdtemp(prefix='koers-bench-audit-')}/bench.sqlite3"
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{NAME}"')
        conn.execute(f'CREATE DATABASE "{NAME}"')
    return url_for(base, NAME)


def setup_django(url: str) -> None:
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="koers.settings",
        KOERS_DEBUG="false",
        KOERS_SECRET_KEY=secrets.token_urlsafe(50),
        KOERS_ALLOWED_HOSTS="testserver",
        KOERS_DATA_DIR=tempfile.mkdtemp(prefix="koers-bench-"),
        KOERS_LOG_LEVEL="ERROR",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "p50_us": round(statistics.median(ordered) * 1e6, 1),
        "p95_us": round(ordered[int(len(ordered) * 0.95) - 1] * 1e6, 1),
        "mean_us": round(statistics.fmean(ordered) * 1e6, 1),
    }


def main() -> int:  # long: one straight script, in the order the docstring lists
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prefill", type=int, default=200_000)
    parser.add_argument("--calls", type=int, default=2_000, help="calls of each variant (single rows)")
    parser.add_argument("--pages", type=int, default=200, help="list pages of 25 rows of each variant")
    args = parser.parse_args()
    setup_django(fresh_database(os.environ.get("DATABASE_URL", "sqlite:///")))

    from django.core.management import call_command
    from django.db import connection

    from koers.accounts.models import Organisation, User
    from koers.audit import log
    from koers.audit.models import AccessLogEntry
    from koers.audit.verify import verify_chain

    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="Praktijk Bench", kind=Organisation.Kind.GP_PRACTICE)
    user = User.objects.create(
        username="bench", first_name="Bea", last_name="Bench", organisation=org, discipline=User.Discipline.GP
    )
    kwargs = {"user": user, "action": "R", "person_id": 1, "object_type": "overview"}

    t = time.perf_counter()
    for start in range(0, args.prefill, 1000):
        log.record_many(log.build_entry(**kwargs, object_id=i) for i in range(start, min(start + 1000, args.prefill)))
    prefill_s = time.perf_counter() - t
    t = time.perf_counter()
    report = verify_chain()
    verify_s = time.perf_counter() - t
    assert report.ok and report.rows == args.prefill, report

    def chained():
        log.record(**kwargs)

    def plain():
        log.build_entry(**kwargs).save()

    def chained_page():
        log.record_many(log.build_entry(**(kwargs | {"person_id": p})) for p in range(25))

    def plain_page():
        AccessLogEntry.objects.bulk_create([log.build_entry(**(kwargs | {"person_id": p})) for p in range(25)])

    def alternate(one, other, calls):
        a, b = [], []
        for _block in range(max(1, calls // 100)):
            for func, samples in ((one, a), (other, b)):
                for _ in range(100):
                    t0 = time.perf_counter()
                    func()
                    samples.append(time.perf_counter() - t0)
        return stats(a), stats(b)

    # Chained rows first (the plain ones carry no hash and would end the chain), then alternate.
    single_chained, single_plain = alternate(chained, plain, args.calls)
    page_chained, page_plain = alternate(chained_page, plain_page, args.pages)
    result = {
        "database": connection.vendor,
        "python": platform.python_version(),
        "prefill_rows": args.prefill,
        "prefill_rows_per_s": round(args.prefill / prefill_s),
        "verify_rows_per_s": round(args.prefill / verify_s),
        "verify_s": round(verify_s, 2),
        "record_chained": single_chained,
        "record_plain": single_plain,
        "record_ratio_mean": round(single_chained["mean_us"] / single_plain["mean_us"], 2),
        "page25_chained": page_chained,
        "page25_plain": page_plain,
        "page25_ratio_mean": round(page_chained["mean_us"] / page_plain["mean_us"], 2),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"access-log-{connection.vendor}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
