#!/usr/bin/env python3
"""Where the caseload request's time goes, for the professional with the largest caseload.

Not a test: it measures. Process CPU (``time.process_time``) and wall time, median over the
timed requests, of the whole request and of its parts: the ids query, the page's rows, the
access-log rows (lock, chain tip, hashes) and the template. Run with the same production-like
environment as ``bench_pages.py`` (DEBUG off, a secret key, 2FA on), from the checkout to measure:

    DATABASE_URL=postgres://root@127.0.0.1:5432/koers_x DJANGO_SETTINGS_MODULE=koers.settings \
    KOERS_DEBUG=false KOERS_SECRET_KEY=... KOERS_ALLOWED_HOSTS=testserver KOERS_REQUIRE_2FA=true \
    .venv/bin/python benchmarks/caseload_segments.py "/clienten/?aandacht=1" 60
"""

from __future__ import annotations

import collections
import os
import statistics
import sys
import time

sys.path.insert(0, os.getcwd())  # the checkout to measure (run it from there)


def main() -> None:
    import django

    django.setup()
    from django.db.models import Count
    from signed_in import verified_client  # benchmarks/signed_in.py

    from koers import access
    from koers.accounts.models import User
    from koers.audit import log as audit_log
    from koers.network.models import CareTeamMember
    from koers.workspace import selectors, views

    url = sys.argv[1] if len(sys.argv) > 1 else "/clienten/"
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    busiest = (
        CareTeamMember.objects.filter(ended_at__isnull=True)
        .values("professional_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    user = User.objects.get(pk=busiest["professional_id"])
    print(f"professional {user.pk}, caseload {busiest['n']}, {url}, code {os.getcwd()}")
    client = verified_client(user)

    parts = collections.defaultdict(list)

    def timed(module, name, label):
        function = getattr(module, name)

        def wrapper(*args, **kwargs):
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                parts[label].append(((time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000))

        setattr(module, name, wrapper)

    for module, name, label in (
        (selectors, "caseload_ids", "ids"),
        (selectors, "caseload_rows", "rows"),
        (access, "record_list", "log"),
        (audit_log, "lock_chain", "log: lock"),
        (audit_log, "chain_tip", "log: tip"),
        (audit_log, "_link", "log: hashes"),
        (views, "render", "template"),
    ):
        timed(module, name, label)
    for _ in range(10):  # warm-up
        assert client.get(url).status_code == 200
    parts.clear()
    for _ in range(requests):
        wall, cpu = time.perf_counter(), time.process_time()
        assert client.get(url).status_code == 200
        parts["request"].append(((time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000))
    for label in ("request", "ids", "rows", "log", "log: lock", "log: tip", "log: hashes", "template"):
        values = parts[label]
        cpu = statistics.median(c for c, _ in values)
        wall = statistics.median(w for _, w in values)
        print(f"{label:12} cpu {cpu:6.2f} ms   wall {wall:6.2f} ms")
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
