#!/usr/bin/env python3
"""What the kept (derived) rows cost a write: everyday writes through Koers' services, timed with
the kept rows' signal receivers on and, in the same run, muted. Not a test: it measures. Every
write runs in a transaction that is rolled back, so the database is left as it was.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/koers_bench_100k \\
        .venv/bin/python benchmarks/kept_writes.py --writes 200

The kept rows (docs/decisions.md) are recomputed from the rows in the writer's transaction by
receivers on ``post_save`` / ``post_delete`` (and ``pre_save`` for a professional's team):
``people.attention`` (the caseload's "needs attention" summary, ``attention-…``),
``population.kept`` (``PersonFacts``, ``personfacts-…``), ``indicators.keeping`` (cohorts,
trajectory points, follow-up spans, goal decisions and GAS reviews, ``indicators-…``) and
``careplans.kept`` (the kept current plan forgotten on a write to its sources, ``careplan-kept-…``;
storing it again is part of ``care_plan_record_change`` and runs in both modes). Muting them
takes exactly those receivers out of the signals for the muted rounds; everything else (the
access log, the care plan's moments, other receivers) runs in both. Rounds alternate on and
muted, each write on a random person in the acting professional's care. Prints the median and
p95 ms per write kind for both, the difference and the ratio; writes ``benchmarks/results/kept-writes-<database>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from contextlib import contextmanager

from population_page import RESULTS, configure

KEPT_RECEIVERS = ("attention-", "personfacts-", "indicators-", "careplan-kept-")  # the dispatch_uid prefixes


@contextmanager
def kept_rows_muted():
    """The kept rows' receivers taken out of the model signals, put back afterwards."""
    from django.db.models import signals

    saved = {}
    for signal in (signals.pre_save, signals.post_save, signals.post_delete):
        with signal.lock:
            saved[signal] = list(signal.receivers)
            signal.receivers = [r for r in signal.receivers if not _is_kept(r[0][0])]
            signal.sender_receivers_cache.clear()
    try:
        yield
    finally:
        for signal, receivers in saved.items():
            with signal.lock:
                signal.receivers = receivers
                signal.sender_receivers_cache.clear()


def _is_kept(dispatch_uid) -> bool:
    return isinstance(dispatch_uid, str) and dispatch_uid.startswith(KEPT_RECEIVERS)


class RolledBack(Exception):
    pass


def timed_write(write) -> float:
    """One write in its own transaction, rolled back; ms until just before the rollback."""
    from django.db import transaction

    started = time.perf_counter()
    try:
        with transaction.atomic():
            write()
            elapsed = (time.perf_counter() - started) * 1000
            raise RolledBack
    except RolledBack:
        return elapsed


def statements(write) -> int:
    """How many SQL statements one write sends (rolled back like the timed ones)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        timed_write(write)
    return len(captured.captured_queries)


def writes(actor, colleague) -> dict:
    """Each kind of write as a function of the person it is about."""
    from koers.network.services import care_team_assign
    from koers.people.models import SupportLevel
    from koers.people.services import clinical, profile

    levels = [value for value, _label in SupportLevel.choices]
    return {
        "condition added": lambda p: clinical.condition_add(actor=actor, person=p, display="Benchmark"),
        "support level decided": lambda p: clinical.support_level_decide(
            actor=actor, person=p, level=random.choice(levels), agreed_with_person=True
        ),
        "profile changed": lambda p: profile.profile_update(actor=actor, person=p, smoking=_other_smoking(p)),
        "care-team member added": lambda p: care_team_assign(actor=actor, person=p, professional=colleague),
    }


def _other_smoking(person) -> str:
    """A value other than the person's own, so that the profile really changes (an unchanged
    profile is not saved, and nothing is recomputed)."""
    from koers.people.models import Profile

    current = Profile.objects.filter(person=person).values_list("smoking", flat=True).first()
    return "current" if current != "current" else "never"


def cast(seed: int):
    """The professional with the largest caseload, a colleague of the same organisation outside
    most of their persons' teams, and the persons in that professional's care."""
    from django.db.models import Count

    from koers.accounts.models import User
    from koers.network.models import CareTeamMember

    active = CareTeamMember.objects.filter(ended_at__isnull=True)
    top = active.values("professional_id").annotate(n=Count("id")).order_by("-n").first()
    actor = User.objects.get(pk=top["professional_id"])
    colleague = (
        User.objects.filter(organisation=actor.organisation, role=User.Role.PROFESSIONAL, is_active=True)
        .exclude(pk=actor.pk)
        .order_by("pk")
        .first()
    )
    ids = list(active.filter(professional=actor).values_list("person_id", flat=True))
    random.Random(seed).shuffle(ids)
    return actor, colleague, ids


def run(rounds: int, per_round: int, seed: int) -> dict:
    from koers.people.models import Person

    actor, colleague, ids = cast(seed)
    kinds = writes(actor, colleague)
    times = {kind: {"on": [], "muted": []} for kind in kinds}
    people = Person.objects.in_bulk(ids)
    pick = random.Random(seed + 1)
    for index in range(rounds):
        for mode in ("on", "muted") if index % 2 == 0 else ("muted", "on"):
            for kind, write in kinds.items():
                for _ in range(per_round):
                    person = people[pick.choice(ids)]
                    if mode == "on":
                        times[kind][mode].append(timed_write(lambda: write(person)))  # noqa: B023
                    else:
                        with kept_rows_muted():
                            times[kind][mode].append(timed_write(lambda: write(person)))  # noqa: B023
    rows = {kind: summary(both) for kind, both in times.items()}
    for kind, write in kinds.items():  # statements per write: the same person both ways
        person = people[ids[0]]
        rows[kind]["on_statements"] = statements(lambda: write(person))  # noqa: B023
        with kept_rows_muted():
            rows[kind]["muted_statements"] = statements(lambda: write(person))  # noqa: B023
    return {"actor_caseload": len(ids), "rows": rows}


def summary(both: dict) -> dict:
    def p95(values):
        return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)

    on, muted = statistics.median(both["on"]), statistics.median(both["muted"])
    return {
        "writes": len(both["on"]),
        "on_p50_ms": round(on, 2),
        "muted_p50_ms": round(muted, 2),
        "on_p95_ms": round(p95(both["on"]), 2),
        "muted_p95_ms": round(p95(both["muted"]), 2),
        "kept_rows_ms": round(on - muted, 2),
        "ratio": round(on / muted, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--writes", type=int, default=200, help="writes per kind and mode (default 200)")
    parser.add_argument("--rounds", type=int, default=10, help="alternations of on and muted (default 10)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    configure()
    from django.db import connection

    load_before = [round(x, 1) for x in os.getloadavg()[:2]]
    found = run(args.rounds, max(1, args.writes // args.rounds), args.seed)
    found.update(database=connection.settings_dict["NAME"], load=[*load_before, round(os.getloadavg()[0], 1)])
    print(f"{found['database']} · caseload {found['actor_caseload']} · load {found['load']}")
    head = f"{'write':24} {'on p50':>8} {'muted':>8} {'kept rows':>9} {'ratio':>6} {'on p95':>8} {'muted':>8}"
    print(head, "statements")
    for kind, row in found["rows"].items():
        print(
            f"{kind:24} {row['on_p50_ms']:>6.2f}ms {row['muted_p50_ms']:>6.2f}ms {row['kept_rows_ms']:>7.2f}ms "
            f"{row['ratio']:>5.2f}× {row['on_p95_ms']:>6.2f}ms {row['muted_p95_ms']:>6.2f}ms "
            f"{row['on_statements']} / {row['muted_statements']}"
        )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"kept-writes-{found['database']}.json"
    out.write_text(json.dumps(found, indent=2))
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
