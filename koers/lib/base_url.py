"""The address Koers is reached at, for links in what is sent without a request (before it, the
notification e-mails linked to a bare path such as ``/naaste/berichten/``, which no mail program
can open). Read once by ``koers.settings`` from ``KOERS_BASE_URL`` (docs/running.md)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

DEMO = "http://127.0.0.1:8000"  # where ``python3 dev.py demo`` serves Koers


def named_host(hosts: list[str]) -> str:
    """The first of ``ALLOWED_HOSTS`` that names one host (``.koers.nl`` → ``koers.nl``; ``*`` and
    patterns name none), or "": the host the links and the passkeys default to."""
    named = [host.lstrip(".") for host in hosts if host.strip(".") and "*" not in host]
    return named[0] if named else ""


def base_url(raw: str, *, hosts: list[str], debug: bool) -> str:
    """``raw`` checked and without its trailing slash; when not given, the demo's address in
    debug, else ``https://`` and the first of ``hosts`` that names one host (the same host the
    passkeys default to); "" when there is none (the mail then names Koers without a link)."""
    if not raw.strip():
        if debug:
            return DEMO
        host = named_host(hosts)
        return f"https://{host}" if host else ""
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"KOERS_BASE_URL must be the address people open Koers at, such as https://koers.example.nl "
            f"(with a sub-path if Koers runs under one), not {raw!r}"
        )
    return raw.strip().rstrip("/")
