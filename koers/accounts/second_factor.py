"""Second factor (TOTP, django-otp): ask for the code, bind an app, redeem an enrolment code.

Binding an app needs an open enrolment (``koers.accounts.enrolment``): a password alone never
binds one. Without it the setup page explains how to get a code from the practice and shows
no secret. A signed-in user types an enrolment or reset code on ``two_factor_code``; a reset
code first removes the factors they had (lost phone). Every bind, wrong code and reset is a
security event (``koers.audit.security``).
"""

from __future__ import annotations

import base64
import io
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.access.decorators import no_person_data
from koers.accounts import activation, enrolment
from koers.accounts.factors import has_second_factor
from koers.accounts.forms import CodeForm, TokenForm
from koers.audit import security


def _safe_next(request, default="home"):
    """The ``next`` address if it stays on this site, else the default (no open redirect)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _with_next(url_name, request):
    """The URL of ``url_name``, carrying a safe ``next`` along."""
    target = _safe_next(request, default="")
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': target})}" if target else url


def _verify(request, device, form, wrong_message) -> bool:
    """Check the code; a clear message for a wrong code and for too many attempts in a row."""
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        form.add_error(
            "token",
            _("U heeft te vaak een verkeerde code ingevuld. Wacht een halve minuut en probeer het dan opnieuw."),
        )
        return False
    if device.verify_token(form.cleaned_data["token"].replace(" ", "")):
        return True
    security.security_event(security.SECOND_FACTOR_FAILED, actor=request.user, outcome="failed")
    form.add_error("token", wrong_message)
    return False


def _qr_svg(device) -> str:
    """The device's otpauth:// address as an inline SVG image with a text alternative (no style, so CSP holds)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration: this goes inside HTML
    label = escape(_("QR-code om Koers aan uw app toe te voegen"))
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def _secret_for_typing(device) -> str:
    """The key as authenticator apps expect it when typed: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@no_person_data
@login_required
def two_factor(request):
    """Ask for the code from the authenticator app."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None and not has_second_factor(request.user):
        return redirect(_with_next("accounts:two_factor_setup", request))
    if device is None:  # another kind of factor (a passkey): its own link on the page, no code form
        return render(request, "accounts/two_factor.html", {"form": None, "next": _safe_next(request, default="")})
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        wrong = _("Deze code klopt niet. Probeer het opnieuw met de nieuwste code uit uw app.")
        if _verify(request, device, form, wrong):
            otp_login(request, device)
            security.security_event(security.SECOND_FACTOR_VERIFIED, actor=request.user)
            return redirect(_safe_next(request))
    return render(request, "accounts/two_factor.html", {"form": form, "next": _safe_next(request, default="")})


@no_person_data
@login_required
def two_factor_setup(request):
    """Link an authenticator app: show a QR code, confirm with a first code. Only with an open enrolment."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(_with_next("accounts:two_factor", request))
    if not enrolment.enrolment_is_open(request):
        # No secret without a code from someone else: explain how to get one.
        return render(
            request,
            "accounts/two_factor_closed.html",
            {"form": CodeForm(), "next": _safe_next(request, default="")},
        )
    # One unconfirmed device per user, kept until confirmed, so reloading shows the same QR code.
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, confirmed=False, name="authenticator")
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        wrong = _("Deze code klopt niet. Scan de QR-code opnieuw en probeer het nog eens.")
        if _verify(request, device, form, wrong):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            enrolment.enrolment_close(request)
            security.security_event(security.SECOND_FACTOR_ENROLLED, actor=request.user, note="totp")
            messages.success(request, _("Tweestapsverificatie staat aan."))
            return redirect(_safe_next(request))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device),
            "secret": _secret_for_typing(device),
            "next": _safe_next(request, default=""),
        },
    )


@no_person_data
@login_required
def two_factor_code(request):
    """A signed-in user types the enrolment or reset code they received; it opens the enrolment."""
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            activation.activation_redeem(
                session=request.session,
                code=form.cleaned_data["code"],
                purposes={activation.Purpose.ENROLMENT, activation.Purpose.RESET},
                account=request.user,
            )
        except activation.ActivationError as error:
            form.add_error("code", error.message)
        else:
            enrolment.enrolment_open(request, account=request.user)
            messages.success(request, _("De code klopt. Koppel nu uw app."))
            return redirect(_with_next("accounts:two_factor_setup", request))
    return render(request, "accounts/two_factor_code.html", {"form": form, "next": _safe_next(request, default="")})
