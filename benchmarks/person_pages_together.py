#!/usr/bin/env python3
"""The person pages with and without the reads sent together, in one process (issue #18).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/DB .venv/bin/python benchmarks/person_pages_together.py

Alternates, in blocks on the same persons and signed-in clients, the branch `person-margin`'s way
(``koers.lib.compiled.together`` in one round trip, model rows straight to ``Model.from_db``, the
access log's lock and tip in one round trip, ``get_FOO_display`` labels kept per language) with
all four switched off (each read its own statement through Django's ``QuerySet``, the lock and
tip apart, Django's ``get_FOO_display``): the same queries and pages, so the difference is these
four changes, measured under the same load. Prints the median process CPU per request of
``/gezond`` and the three person pages and their ratio to ``/gezond``. Writes access-log rows:
use your own copy of a database.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from functools import partialmethod
from pathlib import Path

PAGES = ("health", "workspace:person", "careplans:plan", "goals:list")


def switches():
    """(on, off): the four changes switched on (as shipped) or off."""
    from django.apps import apps
    from django.db.models import Model

    import koers.audit.log as log
    import koers.lib.choices_display as choices_display
    import koers.lib.compiled as compiled

    kept = {
        (model, name): method
        for model in apps.get_models()
        for name, method in list(model.__dict__.items())
        if isinstance(method, partialmethod) and method.func is choices_display._display
    }
    shipped = (compiled._model_rows_of, compiled._several_at_once, log.several_statements_at_once)

    def on():
        for (model, name), method in kept.items():
            setattr(model, name, method)
        compiled._model_rows_of, compiled._several_at_once, log.several_statements_at_once = shipped
        compiled.clear()

    def off():
        for (model, name), method in kept.items():
            setattr(model, name, partialmethod(Model._get_FIELD_display, field=method.keywords["field"]))
        compiled._model_rows_of = lambda *_args, **_kwargs: None
        compiled._several_at_once = lambda _prepared: False
        log.several_statements_at_once = lambda _connection: False
        compiled.clear()

    return {"off (one statement each)": off, "on (sent together)": on}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=40)
    parser.add_argument("--blocks", type=int, default=10)
    args = parser.parse_args()
    from signed_in import production_like, team_readers  # benchmarks/signed_in.py

    production_like()
    from django.urls import reverse

    members, clients = team_readers(device_name="together")
    persons = random.Random(11).sample(sorted(members), args.persons)
    variants = switches()

    def get(page: str, person_id: int) -> None:
        url = reverse(page) if page == "health" else reverse(page, args=[person_id])
        response = clients[members[person_id]].get(url)
        assert response.status_code == 200, (page, person_id, response.status_code)

    for switch in variants.values():  # warm up both: compiled queries, templates, URL caches
        switch()
        for page in PAGES:
            for person_id in persons[:8]:
                get(page, person_id)
    spent = {(name, page): [] for name in variants for page in PAGES}
    print(f"load average before: {Path('/proc/loadavg').read_text().split()[:3]}")
    for block in range(args.blocks):
        order = list(variants.items())
        for name, switch in order if block % 2 == 0 else reversed(order):
            switch()
            for page in PAGES:
                for person_id in persons:
                    start = time.process_time()
                    get(page, person_id)
                    spent[(name, page)].append(time.process_time() - start)
    print(f"load average after: {Path('/proc/loadavg').read_text().split()[:3]}")
    for name in variants:
        health = statistics.median(spent[(name, "health")])
        cells = [f"{page} {statistics.median(spent[(name, page)]) * 1000:.2f} ms" for page in PAGES[:1]] + [
            f"{page} {statistics.median(spent[(name, page)]) * 1000:.2f} ms "
            f"({statistics.median(spent[(name, page)]) / health:.2f}x)"
            for page in PAGES[1:]
        ]
        print(f"{name}: " + " | ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
