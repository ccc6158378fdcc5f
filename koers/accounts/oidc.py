"""Login through an OpenID Connect identity provider, e.g. DigiD through a broker (issue #11).

mozilla-django-oidc does the protocol (authorisation code flow with PKCE, state, nonce, the token
call, signature check against the provider's keys). Koers decides what a login means:

- **Linked, never created.** The provider's subject (``sub``, with the issuer) finds an account
  only through an ``IdentityLink`` (or, with ``KOERS_OIDC_ACCOUNT_CLAIM=email``, a verified e-mail
  address that exactly one account has). An unknown subject gets a plain Dutch message; no account
  is made. A signed-in user links their own account from "Koppelen" (``oidc_link``).
- **Assurance.** When the claim ``KOERS_OIDC_ASSURANCE_CLAIM`` (``acr``) holds one of
  ``KOERS_OIDC_ASSURANCE_VALUES`` (e.g. eIDAS substantieel / DigiD Midden), the login counts as the
  second factor: the session is verified through the link (django-otp). Otherwise the user still
  passes Koers's own second factor.
- **Logged.** Every login, refused login and second factor by the provider is a security event.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from koers.access.decorators import no_person_data
from koers.accounts.enrolment import enrolment_is_open
from koers.accounts.models import IdentityLink, User
from koers.audit import security
from koers.audit.models import AccessLogEntry

LINK_SESSION_KEY = "koers_oidc_link_for"
REFUSED_SESSION_KEY = "koers_oidc_refused"
UNKNOWN, TAKEN, ERROR = "unknown", "taken", "error"


def assurance_met(claims: dict) -> bool:
    """Whether the provider vouches for a level that counts as a second factor."""
    accepted = set(settings.KOERS_OIDC_ASSURANCE_VALUES)
    value = claims.get(settings.KOERS_OIDC_ASSURANCE_CLAIM)
    values = value if isinstance(value, list) else [value]
    return bool(accepted) and any(isinstance(v, str) and v in accepted for v in values)


class KoersOIDCBackend(OIDCAuthenticationBackend):
    """Finds the linked account for a provider login; never creates one."""

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token is not meant for this client")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        user_info = self.get_userinfo(access_token, id_token, payload) or {}
        if user_info.get("sub", payload.get("sub")) != payload.get("sub") or not payload.get("sub"):
            raise SuspiciousOperation("userinfo and ID token name different subjects")
        claims = {**user_info, **payload}  # the signed ID token wins
        issuer, subject = str(claims.get("iss", "")), str(claims["sub"])
        link_for = self.request.session.pop(LINK_SESSION_KEY, None)
        if link_for is not None and self.request.user.is_authenticated and self.request.user.pk == link_for:
            link = self._link(self.request.user, issuer, subject)
        else:
            link = self._find(issuer, subject, claims)
        if link is None:
            return None
        user = link.user
        user.koers_identity_link = link
        user.koers_assurance_met = assurance_met(claims)
        return user

    def _find(self, issuer: str, subject: str, claims: dict) -> IdentityLink | None:
        link = IdentityLink.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
        if link is None and settings.KOERS_OIDC_ACCOUNT_CLAIM == "email":
            link = self._link_by_email(issuer, subject, claims)
        if link is None:
            self._refuse(UNKNOWN, note="unknown subject")
        return link

    def _link_by_email(self, issuer: str, subject: str, claims: dict) -> IdentityLink | None:
        email = claims.get("email")
        if not email or claims.get("email_verified") is not True:
            return None
        users = list(User.objects.filter(email__iexact=email, is_active=True)[:2])
        if len(users) != 1:
            return None
        return self._link(users[0], issuer, subject)

    def _link(self, user, issuer: str, subject: str) -> IdentityLink | None:
        existing = IdentityLink.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
        if existing is not None:
            if existing.user_id == user.pk:
                return existing
            self._refuse(TAKEN, note="subject linked to another account", actor=user)
            return None
        try:
            with transaction.atomic():
                link = IdentityLink.objects.create(
                    user=user, issuer=issuer, subject=subject, name=settings.KOERS_OIDC_PROVIDER_NAME, confirmed=True
                )
        except IntegrityError:
            self._refuse(TAKEN, note="subject linked to another account", actor=user)
            return None
        security.security_event(security.SECOND_FACTOR_ENROLLED, actor=user, note="oidc link")
        return link

    def _refuse(self, reason: str, *, note: str, actor=None) -> None:
        self.request.session[REFUSED_SESSION_KEY] = reason
        security.security_event(
            security.LOGIN_FAILED, actor=actor, outcome=AccessLogEntry.Outcome.REFUSED, note=f"oidc: {note}"
        )


def _require_enabled():
    if not settings.KOERS_OIDC_ENABLED:
        raise Http404


class KoersOIDCRequestView(OIDCAuthenticationRequestView):
    def get(self, request):
        _require_enabled()
        return super().get(request)


class KoersOIDCCallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: log in the linked account; the assurance may stand in for 2FA."""

    @property
    def failure_url(self):
        return reverse("accounts:oidc_failed")

    def get(self, request):
        _require_enabled()
        try:
            return super().get(request)
        except SuspiciousOperation:
            request.session[REFUSED_SESSION_KEY] = ERROR
            security.security_event(
                security.LOGIN_FAILED, actor=None, outcome=AccessLogEntry.Outcome.REFUSED, note="oidc: bad answer"
            )
            return self.login_failure()

    def login_success(self):
        response = super().login_success()
        user = self.request.user
        security.security_event(security.LOGIN, actor=user, note=f"oidc: {settings.KOERS_OIDC_PROVIDER_NAME}")
        if getattr(self.user, "koers_assurance_met", False):
            otp_login(self.request, self.user.koers_identity_link)
            security.security_event(security.SECOND_FACTOR_VERIFIED, actor=user, note="oidc assurance")
        return response


@no_person_data
def oidc_failed(request):
    """Why a provider login did not log anyone in, in plain Dutch."""
    reason = request.session.pop(REFUSED_SESSION_KEY, ERROR)
    return render(
        request,
        "accounts/oidc_failed.html",
        {"reason": reason, "provider": settings.KOERS_OIDC_PROVIDER_NAME},
        status=403,
    )


@no_person_data
@login_required
@require_http_methods(["GET", "POST"])
def oidc_link(request):
    """Link the signed-in (and second-factor verified) account to the provider: the next
    provider login of this browser is stored as this account's subject. Only with a verified second
    factor or an open enrolment: a password alone must not let someone attach their own DigiD."""
    _require_enabled()
    if not (request.user.is_verified() or enrolment_is_open(request)):
        return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': reverse('home')})}")
    if request.method == "GET":
        return render(request, "accounts/oidc_link.html", {"provider": settings.KOERS_OIDC_PROVIDER_NAME})
    request.session[LINK_SESSION_KEY] = request.user.pk
    return redirect("oidc:authenticate")
