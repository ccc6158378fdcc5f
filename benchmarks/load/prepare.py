"""Sign in the load test's users as a real login ends, and write their cookies and tokens.

    DATABASE_URL=postgres://…/koers100k_load KOERS_SECRET_KEY=… \\
        python benchmarks/load/prepare.py --professionals 64 --persons 64 --api 8 --out users.json

Run it with the same settings as the server (the secret key signs nothing here, but the session
engine and cookie name must match). For each chosen account it does what a successful login with
a password and an authenticator code leaves behind: a confirmed TOTP device (``django_otp``), a
session made by ``django.contrib.auth.login`` (``Client.force_login``) that carries the verified
device (``otp_device_id``, as ``django_otp.login`` stores it). Only the password and code checks
are skipped: generated accounts have no usable password, and a login is not what the load mix
measures.

- professionals: practice nurses, GPs, psychologists … with a caseload, and for each the ids of
  (some of) their persons and of those persons' consults and goals;
- persons: generated persons get a portal account (``role=person``, linked to the person) on
  THIS copy of the database — the generator makes none;
- API clients: ``koers api-token --scope "user/*.read"`` for professionals, with their persons.

Writes JSON: {"cookie_name", "professionals": [...], "persons": [...], "api": [...]}.
Never point it at a shared database: it writes accounts, devices and sessions.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
from pathlib import Path

# The code whose accounts and sessions are made: this checkout, or another (``KOERS_LOAD_CODE``, an
# older commit's worktree for a side-by-side run, benchmarks/person_pages_served.py --code).
ROOT = Path(os.environ.get("KOERS_LOAD_CODE") or Path(__file__).resolve().parents[2])
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")

PREFIX = "load-"  # the portal accounts this script makes, so that a second run reuses them
# Professionals who may read every page of the mix (questionnaires included) for their caseload;
# a social worker or peer expert gets 404 on some of them, by the access policy (docs/access.md).
CLINICIANS = ("practice_nurse", "gp", "psychologist", "psychiatrist")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--professionals", type=int, default=64)
    parser.add_argument("--persons", type=int, default=64)
    parser.add_argument("--api", type=int, default=8)
    parser.add_argument("--per-professional", type=int, default=40, help="person ids kept per professional")
    parser.add_argument("--minutes", type=int, default=60, help="API token lifetime (at most 60)")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument(
        "--make-persons", action="store_true", help="create bare persons when the database has too few (outage test)"
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    rng = random.Random(args.seed)
    professionals = professional_sessions(rng, args.professionals, args.per_professional)
    persons = person_sessions(rng, args.persons, make=args.make_persons)
    api = api_tokens(rng, args.api, args.per_professional, args.minutes)
    out = {"cookie_name": settings.SESSION_COOKIE_NAME, "professionals": professionals, "persons": persons, "api": api}
    args.out.write_text(json.dumps(out))
    print(f"{len(professionals)} professionals, {len(persons)} persons, {len(api)} API clients → {args.out}")
    return 0


def signed_in(user) -> str:
    """A session as after password + authenticator code; returns its key (the cookie value)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    from django.conf import settings

    # The code's own model backend (Koers's, or Django's in code from before it).
    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if b.endswith("ModelBackend"))
    client = Client()
    client.force_login(user, backend=backend)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return session.session_key


def caseloads() -> dict[int, list[int]]:
    from koers.network.models import CareTeamMember

    by_professional: dict[int, list[int]] = {}
    rows = CareTeamMember.objects.filter(ended_at__isnull=True).values_list("professional_id", "person_id")
    for professional_id, person_id in rows.iterator(chunk_size=20000):
        by_professional.setdefault(professional_id, []).append(person_id)
    return by_professional


def person_details(person_ids: list[int]) -> list[dict]:
    from koers.consults.models import Consult
    from koers.goals.models import Goal

    consults: dict[int, list[int]] = {}
    for person_id, consult_id in Consult.objects.filter(person_id__in=person_ids).values_list("person_id", "pk"):
        consults.setdefault(person_id, []).append(consult_id)
    goals: dict[int, list[int]] = {}
    active = Goal.objects.filter(person_id__in=person_ids, lifecycle_status="active")
    for person_id, goal_id in active.values_list("person_id", "pk"):
        goals.setdefault(person_id, []).append(goal_id)
    return [{"id": p, "consults": consults.get(p, [])[:3], "goals": goals.get(p, [])[:3]} for p in person_ids]


def professional_sessions(rng, count: int, per: int) -> list[dict]:
    from koers.accounts.models import User

    loads = caseloads()
    users = list(
        User.objects.filter(pk__in=loads, role="professional", discipline__in=CLINICIANS, is_active=True).order_by("pk")
    )
    rng.shuffle(users)
    out = []
    for user in users[:count]:
        persons = rng.sample(loads[user.pk], min(per, len(loads[user.pk])))
        out.append({"user": user.username, "session": signed_in(user), "persons": person_details(persons)})
    return out


def person_sessions(rng, count: int, make: bool = False) -> list[dict]:
    import datetime as dt

    from koers.accounts.models import User
    from koers.people.models import Person

    out = []
    mine = list(Person.objects.filter(user__username__startswith=PREFIX).select_related("user")[:count])
    free = Person.objects.filter(user__isnull=True).order_by("pk").values_list("pk", flat=True)
    ids = list(free[: max(0, count - len(mine)) * 50])
    while make and len(ids) < count - len(mine):
        ids.append(Person.objects.create(given_name="Lotte", family_name="Last", birth_date=dt.date(1970, 1, 1)).pk)
    for person_id in rng.sample(ids, min(len(ids), count - len(mine))):
        person = Person.objects.get(pk=person_id)
        person.user = User.objects.create(
            username=f"{PREFIX}person-{person_id}", role="person", first_name=person.given_name, password="!"
        )
        person.save(update_fields=["user"])
        mine.append(person)
    for person in mine:
        out.append({"user": person.user.username, "session": signed_in(person.user), "person": person.pk})
    return out


def api_tokens(rng, count: int, per: int, minutes: int) -> list[dict]:
    from django.core.management import call_command

    from koers.accounts.models import User

    loads = caseloads()
    users = list(User.objects.filter(pk__in=loads, role="professional", is_active=True).order_by("-pk"))[:count]
    out = []
    for user in users:
        stdout = io.StringIO()
        call_command("api-token", user=user.username, scope="user/*.read", minutes=minutes, stdout=stdout)
        persons = rng.sample(loads[user.pk], min(per, len(loads[user.pk])))
        out.append({"user": user.username, "token": stdout.getvalue().strip(), "persons": persons})
    return out


if __name__ == "__main__":
    sys.exit(main())
