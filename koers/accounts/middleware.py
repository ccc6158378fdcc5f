"""Ask for the second factor before any page (issue #11, "second factor for everyone").

Anyone who has a confirmed second factor (an authenticator app, a security key) and signed in
with a password only is sent to the code page, whatever their role and whatever the settings:
a factor someone set up is always asked for. With KOERS_REQUIRE_2FA on (production), everyone
— people receiving care and relatives as much as staff — must verify a second factor, or bind
one first, before any page that may show health data. Exempt are only the pages needed to get
there: login, logout, the two-factor pages, activation, password reset, the language switch,
static files and the health check.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers
from django_htmx.http import HttpResponseClientRedirect
from django_otp import middleware as otp_middleware
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.accounts.factors import has_second_factor
from koers.lib import faults
from koers.lib.compiled import compiled

EXEMPT_URL_NAMES = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:two_factor",
        "accounts:two_factor_setup",
        "accounts:passkey_verify",
        "accounts:passkey_setup",
        "otp_webauthn:credential-registration-begin",
        "otp_webauthn:credential-registration-complete",
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
        "otp_webauthn:js-i18n-catalog",
        "oidc:authenticate",
        "oidc:callback",
        "oidc:link",
        "accounts:oidc_failed",
        "accounts:two_factor_code",
        "accounts:activate",
        "accounts:activate_link",
        # Self-service password reset (issue #11, another part): its pages by their names.
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
        "set_language",
        "health",
        # How long the session has left, and keeping it (session_time): they show nothing else.
        "accounts:session_status",
        "accounts:session_extend",
    }
)


# Whether the signed-in user has a confirmed second factor, noted at login so that a page
# costs no extra query. A factor bound later in this session verifies it at the same time.
HAS_FACTOR_KEY = "koers_has_second_factor"


def remember_second_factor(sender, request, user, **kwargs):
    """``user_logged_in``: note in the session whether this user has a confirmed factor."""
    if request is not None and hasattr(request, "session"):
        request.session[HAS_FACTOR_KEY] = has_second_factor(user)


def needs_second_factor(request, user) -> bool:
    """Whether this (authenticated) user must verify a second factor now: everyone when
    KOERS_REQUIRE_2FA is on, and anyone who has a confirmed factor in any case."""
    if settings.KOERS_REQUIRE_2FA:
        return True
    if HAS_FACTOR_KEY not in request.session:  # a session from before this check existed
        request.session[HAS_FACTOR_KEY] = has_second_factor(user)
    return request.session[HAS_FACTOR_KEY]


# URL namespaces that refuse a session without the second factor (or with a password change
# pending) themselves, in their own format: the FHIR API answers 401 OperationOutcome
# (``koers.fhir.auth``), since an API client cannot follow a redirect to a page.
SELF_CHECKING_NAMESPACES = frozenset({"fhir"})


def _is_exempt(request, names=EXEMPT_URL_NAMES) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in names or match.namespace in SELF_CHECKING_NAMESPACES


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not _is_exempt(request)
            and needs_second_factor(request, user)
        ):
            target = reverse("accounts:two_factor") + "?" + urlencode({"next": request.get_full_path()})
            if getattr(request, "htmx", False):
                # An htmx request would swap the code page into a fragment: send the whole page there.

                return HttpResponseClientRedirect(target)
            return redirect(target)
        return self.get_response(request)


PASSWORD_CHANGE_EXEMPT_URL_NAMES = EXEMPT_URL_NAMES | {"accounts:password_change"}


class PasswordChangeRequiredMiddleware:
    """A password someone else set (an administrator) is changed before anything else.

    A user with ``must_change_password`` is sent to the password-change page for every page
    except logout, the password and two-factor pages, the language switch, static files and the
    health check. Changing the password clears the flag (``views.KoersPasswordChangeView``).
    Runs after ``TwoFactorRequiredMiddleware``: the second factor first, then the new password.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not _is_exempt(request, PASSWORD_CHANGE_EXEMPT_URL_NAMES)
        ):
            target = reverse("accounts:password_change")
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(target)
            return redirect(target)
        return self.get_response(request)


class PrivateResponseMiddleware:
    """Headers that keep health data where it belongs (issue #11, "Headers, caches, logs").

    Every response of a signed-in user is marked ``no-store`` and ``private`` (plus Django's other
    never-cache headers): a shared computer's browser cache, the back button after logout and any
    proxy on the way keep nothing of a person's record. Pages for signed-out visitors (login, the
    404 page) hold no one's data and keep the default. Every response also carries a
    ``Permissions-Policy`` that switches off browser features Koers does not use (settings
    ``PERMISSIONS_POLICY``), so an injected script or a page that frames Koers cannot ask for them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response.headers:
            response.headers["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response


# When this session was last written, in epoch seconds (SessionRefreshMiddleware). Defined with
# the session store, which must know it too (a write refused after a committed change).
SESSION_REFRESHED_KEY = faults.REFRESHED_KEY


def note_session_written(sender, request, user, **kwargs):
    """``user_logged_in``: login saves the session, so the next refresh is due a minute on."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_REFRESHED_KEY] = int(time.time())


class SessionRefreshMiddleware:
    """Write the session at most once a minute instead of on every request (issue #18, "Speed").

    The idle timeout (``SESSION_COOKIE_AGE``, 30 minutes) is the database row's expiry date,
    which moves on whenever the session is saved. ``SESSION_SAVE_EVERY_REQUEST`` saved it on
    every request: three queries (BEGIN, UPDATE, COMMIT) per page. This middleware marks the
    session for saving only when it was last written ``KOERS_SESSION_REFRESH_SECONDS`` (60) or
    more ago, so a session still ends 29–30 minutes after the last request. A session changed
    by the request (login, messages, a verified factor) is saved as before, and notes the time.
    Sessions without a key or without data (signed-out visitors, a logout) are left alone, so
    no row is ever made for them. Placed directly after Django's SessionMiddleware, so that its
    response half runs before the session is saved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or not session.session_key or session.is_empty():
            return response
        if getattr(request, "koers_skip_session_refresh", False):  # session_time.session_status
            return response
        now = int(time.time())
        last = session.get(SESSION_REFRESHED_KEY, 0)
        if session.modified or not isinstance(last, int) or now - last >= settings.KOERS_SESSION_REFRESH_SECONDS:
            # Only the refresh (nothing else changed): a database that refuses the write keeps the
            # old expiry instead of failing the page (``koers.lib.faults.SessionStore``).
            session.refresh_only = not session.modified
            session[SESSION_REFRESHED_KEY] = now  # marks it modified: SessionMiddleware saves it
        return response


class OTPMiddleware(otp_middleware.OTPMiddleware):
    """django-otp's middleware, reading the session's authenticator-app or backup-code device with
    a query compiled once per process (``koers.lib.compiled``; building and compiling it was most
    of its cost on every request, issue #18, "Speed"). Other kinds of device (passkeys) are read as
    django-otp reads them. What a device must be to count (the user's own, confirmed) is still
    django-otp's ``_finalize_device``."""

    def _device_from_persistent_id(self, persistent_id: str):
        label, _, device_id = self._normalize_persistent_id(persistent_id).rpartition("/")
        try:
            pk = int(device_id)
        except ValueError:
            return None  # as django-otp: an id that is not a number finds no device
        if label == "otp_totp.totpdevice":
            found = compiled(lambda p: TOTPDevice.objects.filter(id=p.pk), pk=pk)
        elif label == "otp_static.staticdevice":
            found = compiled(lambda p: StaticDevice.objects.filter(id=p.pk), pk=pk)
        else:
            return super()._device_from_persistent_id(persistent_id)
        return found[0] if found else None
