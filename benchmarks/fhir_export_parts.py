"""Where an organisation's ``$export`` spends its CPU (issue #15): the policy, each type's lines
and the per-person access-log rows, one after the other in one thread, each with its wall-clock
time and this process's CPU time. Not a test; it measures.

    DATABASE_URL=postgres://root@127.0.0.1:5432/<db> KOERS_DEBUG=false \\
        .venv/bin/python benchmarks/fhir_export_parts.py [--organisation ID] [--rounds N] [--profile]

The lines are made as ``bulk._write`` makes them (``Part.blocks_of`` / ``Part.lines_of``) but
not written to files; a SHA-256 over every type's lines and index is printed, so two checkouts'
output can be compared (``KOERS_CODE=<checkout>`` runs another checkout's code under this
script, as in ``fhir_scale.py``). ``--profile`` prints cProfile's top functions per type;
``--as-built`` sets the cyclic collector as a build does (without it, its pauses land on
whichever function allocates).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, os.environ.get("KOERS_CODE", str(ROOT)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402

from koers import access  # noqa: E402
from koers.fhir import bulk, bulk_types  # noqa: E402
from koers.network.models import CareTeamMember  # noqa: E402


def busiest() -> int:
    found = CareTeamMember.objects.filter(ended_at__isnull=True).values("organisation")
    return found.annotate(n=Count("person", distinct=True)).order_by("-n").first()["organisation"]


def lines_of(kind, reader) -> tuple[int, str]:
    digest, count = hashlib.sha256(), 0
    for part in kind.parts:
        ids = reader.persons_with(part.category)
        for start in range(0, len(ids), bulk_types.CHUNK):
            chunk = ids[start : start + bulk_types.CHUNK]
            blocks = part.blocks_of(reader, chunk)
            if blocks is not None:
                for lines, where, _people, many in blocks:
                    digest.update(lines)
                    digest.update(where)
                    count += many
                continue
            for person_id, line in part.lines_of(reader, chunk):
                digest.update(line + b"\n")
                digest.update(f"{person_id}\t{part.category}\n".encode())
                count += 1
    return count, digest.hexdigest()


def timed(what, *args, profile: bool = False):
    profiler = cProfile.Profile() if profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    result = what(*args)
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
        print(out.getvalue()[-3500:])
    return result, round(wall, 3), round(cpu, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisation", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--types", default=",".join(bulk_types.TYPES))
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--as-built", action="store_true", help="the collector set as a build sets it (bulk._fewer_collections)"
    )
    args = parser.parse_args()
    if args.as_built:
        bulk._fewer_collections().__enter__()  # for the rest of this process
    org = args.organisation or busiest()
    for number in range(1, args.rounds + 1):
        categories, wall, cpu = timed(access.organisation_categories, org)
        reader = bulk_types.Reader(categories, organisation_id=org, show_bsn=True)
        reader.person_ids = sorted(categories)
        result = {"round": number, "load": os.getloadavg()[0], "policy": [wall, cpu], "types": {}}
        digest = hashlib.sha256()
        for name in args.types.split(","):
            (count, sha), wall, cpu = timed(lines_of, bulk_types.TYPES[name], reader, profile=args.profile)
            result["types"][name] = [count, wall, cpu]
            digest.update(f"{name} {sha}\n".encode())
        result["sha256"] = digest.hexdigest()[:16]
        result["code"] = os.environ.get("KOERS_CODE", str(ROOT))
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
