#!/usr/bin/env python3
"""How close ``$export`` could come to ``COPY`` if a part of it cost nothing (issue #15's 0.5×).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a copy> KOERS_DEBUG=false KOERS_SECRET_KEY=… \\
        .venv/bin/python benchmarks/fhir_export_bound.py --free mapped [--organisation 6] [--rounds 3]

Not a test; it measures an upper bound. ``fhir_scale.py``'s export and ``COPY`` (the same
organisation, the same files, the same access-log rows) run ``--rounds`` times in one process.
The first round is the real export; it also keeps what the chosen parts made, in memory. From the
second round on those parts hand back their kept output at no cost, so what is left is what the
rest of the export costs — policy, the other parts, files, access log. ``--free``:

- ``mapped``: every part made by the Python mappers (all types; the self-measurement lines are
  still made by PostgreSQL, ``koers.fhir.bulk_sql``);
- ``observations``: the whole Observation type, the self-measurement lines included (the other
  types still mapped in Python);
- ``all``: everything above (only files, index, policy and access log are left).

If even a round with a part free stays under 0.5× ``COPY``, no speed-up of the other parts alone
can reach it (docs/performance.md, "`$export`: what 0.5× would need, measured as bounds").
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

FREE = ("mapped", "observations", "all")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--free", choices=FREE, required=True)
    parser.add_argument("--organisation", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=3, help="the first is the real export (default 3)")
    args = parser.parse_args()
    sys.argv = [sys.argv[0], "--skip-reads", "--out", f"fhir_export_bound_{args.free}.json"]
    if args.organisation is not None:
        sys.argv += ["--organisation", str(args.organisation)]
    import fhir_scale  # benchmarks/fhir_scale.py (sets Django up)

    from koers.fhir import bulk_types

    _make_free(bulk_types, args.free)
    rows = []
    for number in range(1, args.rounds + 1):
        fhir_scale.main()
        result = json.loads((HERE / "results" / f"fhir_export_bound_{args.free}.json").read_text())["export"]
        rows.append((number, result["seconds"], result["cpu_seconds"], result["copy"]["seconds"], result))
    print(f"\nfree: {args.free} (round 1 is the real export)")
    print(f"{'round':>5} {'export s':>9} {'CPU s':>7} {'COPY s':>7} {'ratio':>6}  files sha256")
    for number, seconds, cpu, copy, result in rows:
        print(
            f"{number:>5} {seconds:>9.3f} {cpu:>7.3f} {copy:>7.3f} {result['ratio_rows_per_s']:>6.3f}"
            f"  {result['files_sha256']}"
        )
    return 0


def _make_free(bulk_types, free: str) -> None:
    """Replace the chosen parts of ``bulk_types.TYPES`` by ones that keep their first output."""
    kept: dict = {}
    for name, kind in list(bulk_types.TYPES.items()):
        parts = []
        for part in kind.parts:
            mapped = part.blocks is None and (free in ("mapped", "all") or name == "Observation")
            blocks = part.blocks is not None and (free in ("observations", "all"))
            if mapped:
                part = bulk_types.Part(part.category, part.rows, part.for_relative, lines=_kept_lines(kept, part))
            elif blocks:
                part = bulk_types.Part(
                    part.category, part.rows, part.for_relative, lines=part.lines, blocks=_kept_blocks(kept, part)
                )
            parts.append(part)
        bulk_types.TYPES[name] = bulk_types.ExportType(name, tuple(parts))


def _kept_lines(kept: dict, part):
    def lines(reader, ids):
        key = ("lines", id(part), tuple(ids))
        if key not in kept:
            kept[key] = list(part.lines_of(reader, ids))  # the original part: its real lines
        return kept[key]

    return lines


def _kept_blocks(kept: dict, part):
    def blocks(reader, ids, category):
        key = ("blocks", id(part), tuple(ids))
        if key not in kept:
            kept[key] = list(part.blocks(reader, ids, category))
        return kept[key]

    return blocks


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    sys.exit(main())
