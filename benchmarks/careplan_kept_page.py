#!/usr/bin/env python3
"""The care plan page's CPU on a first view against a kept one (issue #18; ``careplans.kept_page``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a copy> .venv/bin/python benchmarks/careplan_kept_page.py first
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a copy> .venv/bin/python benchmarks/careplan_kept_page.py kept

The care plan and ``/gezond`` of 200 people of the generated population (read by a member of their
care team, as ``person_pages_ratio.py`` does), 400 rounds in a random order per round, each
request's CPU in this process (``time.process_time``). ``first``: every view finds the person's
kept page with another digest, renders the plan part and keeps it again, as the first view after
a change does (``kept_page.digest`` gives a new value on every call; nothing runs between the
requests). ``kept``: every page is kept by the warm-up, which views every
person's pages once in either mode (so that the process's own caches are as warm). Run it from an older
checkout (any mode) for the code before. Prints the medians and the care plan's ratio to
``/gezond``. Writes access-log rows and kept pages: use your own copy of a database.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time

ROUNDS, PEOPLE = 400, 200


def main() -> int:
    mode = sys.argv[1] if len(sys.argv) > 1 else "kept"
    if mode not in ("first", "kept"):
        raise SystemExit("usage: careplan_kept_page.py first|kept")
    from signed_in import production_like, team_readers  # benchmarks/signed_in.py

    os.environ["KOERS_DB_CONN_MAX_AGE"] = "3600"
    production_like()
    from bench_pages import page_url  # benchmarks/bench_pages.py

    if mode == "first":
        _never_the_same()

    members, clients = team_readers(device_name="ratio")
    rng = random.Random(11)
    persons = rng.sample(sorted(members), PEOPLE)
    # Warm-up over every person, in every mode and code alike: the per-process caches (formatted
    # dates, labels, compiled queries) hold what these pages show; in "kept" mode this keeps each page.
    for person_id in persons:
        for page in ("careplans:plan", "health"):
            clients[members[person_id]].get(page_url(page, person_id))
    spent: dict[str, list[float]] = {"careplans:plan": [], "health": []}
    for i in range(ROUNDS):
        person_id = persons[i % PEOPLE]
        order = list(spent)
        rng.shuffle(order)
        for page in order:
            start = time.process_time()
            response = clients[members[person_id]].get(page_url(page, person_id))
            spent[page].append((time.process_time() - start) * 1000)
            assert response.status_code == 200, (page, response.status_code)
    plan, health = (statistics.median(spent[page]) for page in ("careplans:plan", "health"))
    print(f"{mode}: care plan {plan:.2f} ms, /gezond {health:.2f} ms (medians), ratio {plan / health:.2f}")
    return 0


def _never_the_same() -> None:
    """Every digest new, so that no kept page matches (code from before ``kept_page``: nothing to do)."""
    import secrets

    try:
        from koers.careplans import kept_page
    except ImportError:
        return
    kept_page.digest = lambda *args, **kwargs: secrets.token_hex(32)


if __name__ == "__main__":
    sys.exit(main())
