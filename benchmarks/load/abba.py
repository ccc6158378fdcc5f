#!/usr/bin/env python3
"""The realistic mix (``run.py``) for two checkouts in ABBA order (issue #18). Not a test: it measures.

    python benchmarks/load/abba.py --database loadmix --other /work/wt/base --pairs 2 --steps 8

On this shared two-core machine the second run of a pair was faster in six of six pairs, whichever
code it ran (docs/performance.md, "Issue #18: the realistic mix on this session's machine …"), by
more than the codes differed. Here each pair runs in the other order (other, this; this, other; …),
each checkout with its own ``run.py`` (the server runs from that checkout), one after the other on
the same database, and the table lists every run with its place in its pair, then the mean per code
and per place — so an order effect shows as itself instead of as a difference between the codes.
Extra arguments after ``--`` go to ``run.py`` (e.g. ``-- --step-seconds 60``); ``KOERS_LOAD_KINDS``
in the environment passes through.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess  # nosec B404  # our own run.py in a checkout named on the command line, no shell
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(checkout: Path, database: str, steps: str, extra: list[str]) -> list[dict]:
    """One ``run.py`` of ``checkout``; its steps (``benchmarks/results/load-<database>/steps.json``)."""
    command = [sys.executable, str(checkout / "benchmarks/load/run.py"), "--database", database, "--steps", steps]
    subprocess.run([*command, "--keep-going", *extra], cwd=checkout, check=True)  # nosec B603  # see above
    return json.loads((checkout / "benchmarks/results" / f"load-{database}" / "steps.json").read_text())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="your own copy, as for run.py")
    parser.add_argument("--other", required=True, help="the checkout to compare this one with")
    parser.add_argument("--pairs", type=int, default=2, help="pairs, each in the other order (default 2)")
    parser.add_argument("--steps", default="8")
    args, extra = parser.parse_known_args()
    extra = [a for a in extra if a != "--"]
    codes = {"this": ROOT, "other": Path(args.other).resolve()}
    rows = []
    for pair in range(args.pairs):
        order = ("other", "this") if pair % 2 == 0 else ("this", "other")
        for place, name in enumerate(order, start=1):
            for step in run(codes[name], args.database, args.steps, extra):
                total = step["total"]
                rows.append(
                    {
                        "pair": pair + 1,
                        "place": place,
                        "code": name,
                        "users": step["users"],
                        "rps": total["rps"],
                        "p95": total["p95"],
                        "failures": total["failures"],
                        "worker_ms": step.get("worker_cpu_ms_per_request"),
                        "db_ms": step.get("db_cpu_ms_per_request"),
                    }
                )
    print(table(rows))
    return 0


def table(rows: list[dict]) -> str:
    lines = [
        "| pair | place | code | users | req/s | p95 ms | failures | worker CPU ms/req | PostgreSQL CPU ms/req |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['pair']} | {r['place']} | {r['code']} | {r['users']} | {r['rps']} | {r['p95']:.0f} | "
            f"{r['failures']} | {r['worker_ms']} | {r['db_ms']} |"
        )
    lines.append("")
    for key in ("code", "place"):
        for users in sorted({r["users"] for r in rows}):
            for value in sorted({r[key] for r in rows}, key=str):
                found = [r["rps"] for r in rows if r[key] == value and r["users"] == users]
                mean = statistics.mean(found)
                lines.append(f"- {users} users, {key} {value}: mean {mean:.1f} req/s over {len(found)} runs")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
