"""The client's address for login throttling (django-axes ``AXES_CLIENT_IP_CALLABLE``)."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str | None:
    """REMOTE_ADDR; behind our own reverse proxy (KOERS_BEHIND_PROXY) the address that proxy saw.

    The proxy appends the address it saw to X-Forwarded-For, so only the right-most entry is
    trustworthy: anything to its left was sent by the client and can be made up. Without a proxy
    the header is ignored, so nobody escapes the lockout by inventing addresses.
    """
    if getattr(settings, "KOERS_BEHIND_PROXY", False):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")
