"""Require a verified second factor for staff when KOERS_REQUIRE_2FA is on."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/account/", "/static/", "/i18n/", "/gezond")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.KOERS_REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and user.role in ("professional", "manager", "administrator")
            and not user.is_verified()
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            return redirect(reverse("accounts:two_factor") + f"?next={request.path}")
        return self.get_response(request)
