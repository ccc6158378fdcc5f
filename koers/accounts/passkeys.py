"""Passkeys (WebAuthn) as a second factor, with django-otp-webauthn (issue #11).

The package does the WebAuthn ceremonies, keeps the credentials as django-otp devices and ships
its own JavaScript as a static file (no inline script: CSP holds). Koers adds three things around
its views:

- a passkey is *added* only while enrolment is open in this session (``enrolment_is_open``: an
  activation code delivered out of band), never just because someone knows the password;
- a passkey *verifies* the second factor through django-otp (``otp_login``), so
  ``user.is_verified()`` is true and ``TwoFactorRequiredMiddleware`` lets the user through;
- every enrolment, verification and failed verification is a security event in the access log.

A passkey is never a login on its own (``OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp_webauthn import exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from koers.access.decorators import no_person_data
from koers.accounts.enrolment import enrolment_close, enrolment_is_open
from koers.audit import security
from koers.audit.models import AccessLogEntry

NOTE = "passkey"


class EnrolmentClosed(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "enrolment_closed"
    default_detail = _(
        "U kunt nu geen toegangssleutel toevoegen. Daarvoor heeft u eerst een activeringscode nodig. "
        "Vraag die aan bij de beheerder van uw organisatie."
    )


class _EnrolmentGate:
    def check_can_register(self):
        if not enrolment_is_open(self.request):
            raise EnrolmentClosed()


class PasskeyRegistrationBegin(_EnrolmentGate, BeginCredentialRegistrationView):
    pass


class PasskeyRegistrationComplete(_EnrolmentGate, CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        security.security_event(security.SECOND_FACTOR_ENROLLED, actor=self.request.user, note=NOTE)
        enrolment_close(self.request)  # one activation, one new factor
        return response


class PasskeyAuthenticationBegin(BeginCredentialAuthenticationView):
    pass


class PasskeyAuthenticationComplete(CompleteCredentialAuthenticationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        security.security_event(security.SECOND_FACTOR_VERIFIED, actor=self.request.user, note=NOTE)
        return response

    def handle_exception(self, exc):
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            code = getattr(exc, "code", "error")
            security.security_event(
                security.SECOND_FACTOR_FAILED,
                actor=user,
                outcome=AccessLogEntry.Outcome.FAILED,
                note=f"{NOTE}: {code}",
            )
        return super().handle_exception(exc)


def _next(request) -> str:
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


@no_person_data
@login_required
def passkey_verify(request):
    """The second-factor step with a passkey instead of a code."""
    return render(request, "accounts/passkey_verify.html", {"next": _next(request)})


@no_person_data
@login_required
def passkey_setup(request):
    """Add a passkey; only while enrolment is open (an activation code), else say what to do."""
    return render(
        request,
        "accounts/passkey_setup.html",
        {"enrolment_open": enrolment_is_open(request), "next": _next(request)},
    )
