"""Login, logout and the role-based landing page (the second factor: ``second_factor``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.access.decorators import no_person_data
from koers.accounts import session_time
from koers.accounts.forms import KoersPasswordChangeForm, LoginForm
from koers.accounts.models import User
from koers.audit.security import PASSWORD_CHANGED, security_event


@no_person_data
def home(request):
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if request.user.is_person:
        return redirect("workspace:portal_home")
    if request.user.is_professional:
        return redirect("workspace:caseload")
    if request.user.role == User.Role.RELATIVE:
        return redirect("workspace:relative_home")
    return render(request, "accounts/home_other.html")


@no_person_data
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@no_person_data
def favicon(request):
    """The site's icon at the address browsers ask for without reading the page. Not a permanent
    redirect: in production the icon's address carries its content's hash, which a new icon changes."""
    return HttpResponseRedirect(static("koers/favicon.svg"))


class KoersLoginView(LoginView):
    """Django's login view: ``next`` is only followed to this site (``url_has_allowed_host_and_scheme``).

    Throttling is django-axes (first authentication backend): after KOERS_LOGIN_FAILURE_LIMIT
    failures for a username from one address, the lockout page answers, whether or not the
    username exists.
    """

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Sent here by a session that ended (``session_time.SignedOutMiddleware``): say why. Only
        # on the page itself: the form is sent to this address too, and a mistyped password then
        # needs its own message, not the reason again.
        ended = self.request.GET.get(session_time.ENDED_PARAMETER) if self.request.method == "GET" else None
        context["ended"] = bool(ended)
        context["ended_with_form"] = ended == session_time.ENDED_FORM
        return context

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
