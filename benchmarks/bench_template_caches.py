#!/usr/bin/env python3
"""The person pages' CPU with the template caches and with Django's own tags, in one process.

    DATABASE_URL=postgres://root@127.0.0.1:5432/DB .venv/bin/python benchmarks/bench_template_caches.py

Alternates blocks of requests with settings.TEMPLATES as configured (``i18n_cached``,
``url_cached``) and without them (Django's own ``{% translate %}`` and ``{% url %}``), on the
same persons and clients, so both meet the same load; prints the median process CPU per
request and its ratio to ``/gezond`` measured in the same blocks. Writes access-log rows: use
your own copy of a database.
"""

from __future__ import annotations

import copy
import os
import random
import statistics
import time

PAGES = ("workspace:person", "careplans:plan", "goals:list")


def main() -> int:
    from signed_in import production_like, verified_client  # benchmarks/signed_in.py

    production_like()
    from django.conf import settings
    from django.test import override_settings
    from django.urls import reverse

    from koers.accounts.models import User
    from koers.network.models import CareTeamMember

    plain = copy.deepcopy(settings.TEMPLATES)
    del plain[0]["OPTIONS"]["libraries"]["i18n"]
    del plain[0]["OPTIONS"]["builtins"]
    rng = random.Random(18)
    members: dict[int, list[int]] = {}
    for person_id, user_id in CareTeamMember.objects.filter(ended_at__isnull=True).values_list(
        "person_id", "professional_id"
    ):
        members.setdefault(person_id, []).append(user_id)
    sample = rng.sample(sorted(members), 60)
    clients = {}
    for person_id in sample:
        user_id = min(members[person_id])
        if user_id not in clients:
            clients[user_id] = verified_client(User.objects.get(pk=user_id))
    plan = [(clients[min(members[p])], p) for p in sample]
    cpu: dict[tuple[str, str], list[float]] = {}

    def block(label):
        for page in ("health", *PAGES):
            for n, (client, person_id) in enumerate(plan):
                url = reverse(page) if page == "health" else reverse(page, args=[person_id])
                start = time.process_time()
                response = client.get(url)
                spent = time.process_time() - start
                assert response.status_code == 200, url
                if n >= 10:  # the first ten of each block warm up
                    cpu.setdefault((label, page), []).append(spent * 1000)

    block("warm-up")  # compiles the queries, fills the caches, loads the templates
    with override_settings(TEMPLATES=plain):
        block("warm-up")
    print(f"load before: {os.getloadavg()}", flush=True)
    for _ in range(4):
        block("caches")
        with override_settings(TEMPLATES=plain):
            block("django")
    print(f"load after: {os.getloadavg()}")
    # The median, and the lower quartile (less touched by other work on a shared machine).
    for name, pick in (("median", statistics.median), ("p25", lambda xs: statistics.quantiles(xs, n=4)[0])):
        for label in ("django", "caches"):
            base = pick(cpu[(label, "health")])
            row = [f"{name:6} {label:7} health {base:5.2f} ms"]
            for page in PAGES:
                ms = pick(cpu[(label, page)])
                row.append(f"{page} {ms:5.1f} ms {ms / base:4.2f}x")
            print(" | ".join(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
