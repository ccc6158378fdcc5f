#!/usr/bin/env python3
"""A page's access-log row on PostgreSQL: one statement (``log.record``, audit 0006) against the
four round trips before it (``BEGIN``, lock and tip, ``INSERT``, ``COMMIT``: the Python path that
SQLite still takes), alternating in blocks, process CPU and wall time per row.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a copy> .venv/bin/python benchmarks/access_log_statement.py

Writes rows (both ways chain them): use your own copy of a database. Ends with ``koers audit
verify``'s walk, which must say the chain is intact.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=300, help="rows per block (default 300)")
    parser.add_argument("--blocks", type=int, default=10)
    args = parser.parse_args()
    from signed_in import production_like  # benchmarks/signed_in.py

    production_like()
    from django.db import router

    from koers.accounts.models import User
    from koers.audit import log
    from koers.audit.models import AccessLogEntry
    from koers.audit.verify import verify_chain
    from koers.people.models import Person

    def four_round_trips(**kwargs):  # the path before audit 0006 (log.append_in_python)
        entry = log.build_entry(**kwargs)
        log.append_in_python(entry, router.db_for_write(AccessLogEntry))
        return entry

    user = User.objects.select_related("organisation").filter(role="professional").first()
    persons = list(Person.objects.order_by("pk")[:50])
    ways = {"one statement": log.record, "four round trips": four_round_trips}
    measured: dict[str, list] = {name: [] for name in ways}
    for block in range(args.blocks):
        for name in list(ways) if block % 2 else list(ways)[::-1]:
            cpu, wall = time.process_time(), time.perf_counter()
            for i in range(args.rows):
                ways[name](user=user, action="R", person=persons[i % len(persons)], object_type="careplan")
            measured[name].append(
                ((time.process_time() - cpu) / args.rows * 1000, (time.perf_counter() - wall) / args.rows * 1000)
            )
    for name, values in measured.items():
        cpu = statistics.median(v[0] for v in values)
        wall = statistics.median(v[1] for v in values)
        print(f"{name:17s} CPU {cpu:.3f} ms, wall {wall:.3f} ms per row (median of {len(values)} blocks)")
    report = verify_chain()
    print(f"chain: {'intact' if report.ok else report.problem}, {report.rows} rows")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
