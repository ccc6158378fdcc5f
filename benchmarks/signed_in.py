"""What the page benchmarks share: Django set up with production-like settings
(``production_like``), and a test client signed in as a professional with a verified second
factor (``verified_client``).

What a real login leaves in the session (``django_otp.login`` stores the device's
``persistent_id``), without the password and code checks: the benchmarks measure pages, not the
login. ``verified_client`` is called after ``production_like`` (or another ``django.setup()``).
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_like() -> None:
    """Django set up as in production (no debug, a random secret key, 2FA required; errors only in
    the log), on the database in ``DATABASE_URL``, with the project importable."""
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="koers.settings",
        KOERS_DEBUG="false",
        KOERS_SECRET_KEY=secrets.token_urlsafe(50),
        KOERS_ALLOWED_HOSTS="testserver",
        KOERS_REQUIRE_2FA="true",
        KOERS_LOG_LEVEL="ERROR",
    )
    import django

    django.setup()


def verified_client(user, *, device_name: str = "benchmark", **client_kwargs):
    """A ``django.test.Client`` logged in as ``user`` with a confirmed TOTP device in the session."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name=device_name, defaults={"confirmed": True})
    client = Client(**client_kwargs)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id  # as django_otp.login stores it
    session.save()
    return client


def team_readers(*, device_name: str = "benchmark") -> tuple[dict[int, int], dict]:
    """Who reads each person's pages: ``({person_id: user_id}, {user_id: client})`` with, per person
    in an active care team, the team member with the lowest id, and a lazily made signed-in client
    per member (``clients[user_id]`` signs in on first use)."""
    from koers.network.models import CareTeamMember

    members: dict[int, int] = {}
    for person_id, user_id in CareTeamMember.objects.filter(ended_at__isnull=True).values_list(
        "person_id", "professional_id"
    ):
        members[person_id] = min(user_id, members.get(person_id, user_id))
    return members, _Clients(device_name)


class _Clients(dict):
    """user id -> a client signed in as that user (made on first use)."""

    def __init__(self, device_name: str):
        super().__init__()
        self.device_name = device_name

    def __missing__(self, user_id: int):
        from koers.accounts.models import User

        client = self[user_id] = verified_client(User.objects.get(pk=user_id), device_name=self.device_name)
        return client
