"""Login, logout, two-factor authentication and the role-based landing page."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.accounts.forms import TokenForm
from koers.network.decorators import no_person_data


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
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@no_person_data
@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("U bent uitgelogd."))
    return redirect("accounts:login")


def _safe_next(request, default="home"):
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@no_person_data
@login_required
def two_factor(request):
    """Ask for the code from the authenticator app."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("accounts:two_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", _("Deze code klopt niet. Probeer het opnieuw met de nieuwste code uit uw app."))
    return render(request, "accounts/two_factor.html", {"form": form, "next": request.GET.get("next", "")})


@no_person_data
@login_required
def two_factor_setup(request):
    """Link an authenticator app: show a QR code, confirm with a first code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:two_factor")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Tweestapsverificatie staat aan."))
            return redirect(_safe_next(request))
        form.add_error("token", _("Deze code klopt niet. Scan de QR-code opnieuw en probeer het nog eens."))
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "qr_svg": buffer.getvalue().decode(), "secret": device.bin_key.hex()},
    )
