#!/usr/bin/env python3
"""Write the HTML of the person pages of one checkout, to compare two checkouts byte for byte.

Not a test and not a benchmark: a check for template changes that must not change what users
see (issue #18, "The person pages' templates" in docs/performance.md).

    DATABASE_URL=postgres://root@127.0.0.1:5432/DB .venv/bin/python benchmarks/person_pages_html.py \
        --code /work/main --out /tmp/html-main
    ... --code /work/wt/mybranch --out /tmp/html-branch
    diff -r /tmp/html-main /tmp/html-branch

For a fixed sample of persons (seeded; persons with and without goals, decisions, follow-up
agreements, a stored plan version, profile and crisis plan are all in a generated population) it
requests the person overview, the care plan and the goals page as a member of the person's care
team, once in Dutch and once in English (the account's ``preferred_language``, restored
afterwards), and writes each response body. The per-request CSRF token is masked, since it is
random on every response; nothing else is changed. The requests write access-log rows: use your
own copy of a database.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import sys
from pathlib import Path

PAGES = ("workspace:person", "careplans:plan", "goals:list")
CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]+')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--code", required=True, help="the checkout whose templates and code render the pages")
    parser.add_argument("--out", required=True, help="directory for the HTML files")
    parser.add_argument("--persons", type=int, default=40)
    parser.add_argument("--pages", nargs="+", default=PAGES, help=f"URL names taking a person's id (default: {PAGES})")
    args = parser.parse_args()
    os.chdir(args.code)
    sys.path.insert(0, args.code)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    os.environ.setdefault("KOERS_DEBUG", "false")
    os.environ.setdefault("KOERS_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("KOERS_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("KOERS_REQUIRE_2FA", "true")
    os.environ.setdefault("KOERS_LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse
    from signed_in import verified_client  # benchmarks/signed_in.py

    from koers.accounts.models import User
    from koers.network.models import CareTeamMember

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(18)
    members: dict[int, list[int]] = {}
    for person_id, user_id in CareTeamMember.objects.filter(ended_at__isnull=True).values_list(
        "person_id", "professional_id"
    ):
        members.setdefault(person_id, []).append(user_id)
    sample = rng.sample(sorted(members), args.persons)
    clients: dict[int, Client] = {}
    written = 0
    for language in ("nl", "en"):
        for person_id in sample:
            user_id = min(members[person_id])
            user = User.objects.get(pk=user_id)
            before = user.preferred_language
            User.objects.filter(pk=user_id).update(preferred_language=language)
            try:
                if user_id not in clients:
                    clients[user_id] = verified_client(user, device_name="html")
                for page in args.pages:
                    response = clients[user_id].get(reverse(page, args=[person_id]))
                    body = CSRF.sub(rb"\1TOKEN", response.content)
                    name = f"{language}-{person_id}-{page.replace(':', '_')}-{response.status_code}.html"
                    (out / name).write_bytes(body)
                    written += 1
            finally:
                User.objects.filter(pk=user_id).update(preferred_language=before)
    print(f"{written} pages written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
