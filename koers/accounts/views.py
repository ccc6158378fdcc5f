"""Login, logout, two-factor authentication and the role-based landing page."""

from __future__ import annotations

import base64
import io
from urllib.parse import urlencode, urlsplit

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.access.decorators import no_person_data
from koers.accounts.forms import KoersPasswordChangeForm, LoginForm, TokenForm
from koers.audit.security import PASSWORD_CHANGED, security_event


@no_person_data
def home(request):
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if request.user.is_person:
        return redirect("workspace:portal_home")
    if request.user.is_professional:
        return redirect("workspace:caseload")
    return render(request, "accounts/home_other.html")


@no_person_data
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


class KoersLoginView(LoginView):
    """Django's login view: ``next`` is only followed to this site (``url_has_allowed_host_and_scheme``).

    Throttling is django-axes (first authentication backend): after KOERS_LOGIN_FAILURE_LIMIT
    failures for a username from one address, the lockout page answers, whether or not the
    username exists.
    """

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_redirect_url(self):
        # ``?next=`` pointing at this login page would make Django raise "redirection loop" (a 500)
        # for a logged-in user who follows such a link: treat it as no ``next`` at all.
        target = super().get_redirect_url()
        if target and urlsplit(target).path == self.request.path:
            return ""
        return target


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once an account is locked (AXES_LOCKOUT_CALLABLE): always the same page,
    whether or not the username exists, and it does not repeat the username."""
    minutes = max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


class KoersPasswordChangeView(PasswordChangeView):
    """Django's password change (keeps the user logged in on this device, logs out the others)."""

    template_name = "accounts/password_change.html"
    form_class = KoersPasswordChangeForm
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        security_event(PASSWORD_CHANGED, actor=user)
        messages.success(self.request, _("Uw wachtwoord is veranderd."))
        return response


password_change = no_person_data(KoersPasswordChangeView.as_view())


@no_person_data
@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("U bent uitgelogd."))
    return redirect("accounts:login")


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


def _verify(device, form, wrong_message) -> bool:
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
    if device is None:
        return redirect(_with_next("accounts:two_factor_setup", request))
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        wrong = _("Deze code klopt niet. Probeer het opnieuw met de nieuwste code uit uw app.")
        if _verify(device, form, wrong):
            otp_login(request, device)
            return redirect(_safe_next(request))
    return render(request, "accounts/two_factor.html", {"form": form, "next": _safe_next(request, default="")})


@no_person_data
@login_required
def two_factor_setup(request):
    """Link an authenticator app: show a QR code, confirm with a first code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(_with_next("accounts:two_factor", request))
    # One unconfirmed device per user, kept until confirmed, so reloading shows the same QR code.
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, confirmed=False, name="authenticator")
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        wrong = _("Deze code klopt niet. Scan de QR-code opnieuw en probeer het nog eens.")
        if _verify(device, form, wrong):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
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
