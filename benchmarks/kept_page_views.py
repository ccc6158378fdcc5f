#!/usr/bin/env python3
"""A person page's CPU on a first view against a kept one (issue #18; ``koers.lib.kept_html``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a copy> .venv/bin/python benchmarks/kept_page_views.py first
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a copy> .venv/bin/python benchmarks/kept_page_views.py kept
    … kept_page_views.py --page workspace:person first|kept

The page (by default the care plan, whose plan part is kept: ``careplans.kept_page``; or the person
overview, whose cards are: ``workspace.kept_overview``) and ``/gezond`` of 200 people of the
generated population (read by a member of their care team, as ``person_pages_ratio.py`` does), 400
rounds in a random order per round, each request's CPU in this process (``time.process_time``).
``first``: every view finds the person's kept HTML with another digest, renders the part and keeps
it again, as the first view after a change does (``kept_html.digest`` gives a new value on every
call; nothing runs between the requests). ``kept``: every part is kept by the warm-up, which views
every person's pages once in either mode (so that the process's own caches are as warm). Run it
from an older checkout (any mode) for the code before. Prints the medians and the page's ratio to
``/gezond``. Writes access-log rows and kept HTML: use your own copy of a database.
(Until 7 December 2026 this was ``careplan_kept_page.py``, for the care plan only.)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

ROUNDS, PEOPLE = 400, 200


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", nargs="?", choices=("first", "kept"), default="kept")
    parser.add_argument("--page", choices=("careplans:plan", "workspace:person"), default="careplans:plan")
    args = parser.parse_args()
    mode, measured = args.mode, args.page
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
        for page in (measured, "health"):
            clients[members[person_id]].get(page_url(page, person_id))
    spent: dict[str, list[float]] = {measured: [], "health": []}
    for i in range(ROUNDS):
        person_id = persons[i % PEOPLE]
        order = list(spent)
        rng.shuffle(order)
        for page in order:
            start = time.process_time()
            response = clients[members[person_id]].get(page_url(page, person_id))
            spent[page].append((time.process_time() - start) * 1000)
            assert response.status_code == 200, (page, response.status_code)
    page, health = (statistics.median(spent[name]) for name in (measured, "health"))
    print(f"{mode}: {measured} {page:.2f} ms, /gezond {health:.2f} ms (medians), ratio {page / health:.2f}")
    return 0


def _never_the_same() -> None:
    """Every digest new, so that no kept HTML matches (code from before ``kept_html``: the care
    plan's own ``kept_page.digest``; from before that, nothing to do)."""
    import secrets

    try:
        from koers.lib import kept_html
    except ImportError:
        kept_html = None
    if kept_html is not None:
        kept_html.digest = lambda *args, **kwargs: secrets.token_hex(32)
        return
    try:
        from koers.careplans import kept_page
    except ImportError:
        return
    kept_page.digest = lambda *args, **kwargs: secrets.token_hex(32)


if __name__ == "__main__":
    sys.exit(main())
