"""Self-service password reset that does not tell whether an account exists (issue #11).

Django's own reset views and tokens (``default_token_generator``: single use, since the token
covers the password hash, and valid for ``PASSWORD_RESET_TIMEOUT``). For every person,
relative and professional with an e-mail address and a password (accounts still waiting for
their activation have none and get no mail).

- The answer to a request is the same page for a known and an unknown address; for an unknown
  address the same mail is still built (and not sent), so the work done is alike. What stays
  different is the time the mail server takes to accept a mail: docs/running.md asks for a
  local mail relay, which accepts at once.
- A completed reset does not log anyone in: the link ends at the login page, where the
  password is followed by the second factor as always. It also ends ``must_change_password``:
  the user chose this password themselves.
- Requests and completed resets are security events in the access log; the address typed is
  not written down.
- No mail bombing and no flood: within an hour one account gets at most
  ``KOERS_PASSWORD_RESET_ACCOUNT_LIMIT`` mails and one client address makes at most
  ``KOERS_PASSWORD_RESET_ADDRESS_LIMIT`` requests that send anything (counted in the security
  events of the log, so the count is the same on every worker). Past a limit the page answers
  exactly the same and the refused request is a "failed" event saying why.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sites.shortcuts import get_current_site
from django.template import loader
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.access.decorators import no_person_data
from koers.accounts.models import User
from koers.audit import context
from koers.audit.log import Outcome
from koers.audit.security import PASSWORD_RESET_DONE, PASSWORD_RESET_REQUESTED, security_event, security_events

EMAIL_TEMPLATE = "accounts/password_reset_email.txt"
SUBJECT_TEMPLATE = "accounts/password_reset_subject.txt"


WINDOW = dt.timedelta(hours=1)  # the limits below count the requests of the last hour
TOO_MANY_FOR_ACCOUNT = "too many for this account"
TOO_MANY_FROM_ADDRESS = "too many from this address"


def _requests_since(since):
    return security_events().filter(occurred_at__gte=since, detail__startswith=PASSWORD_RESET_REQUESTED)


def _address_exhausted(address: str) -> bool:
    """This client address made as many requests this hour as it may (whatever their outcome)."""
    since = timezone.now() - WINDOW
    return _requests_since(since).filter(client_address=address).count() >= settings.KOERS_PASSWORD_RESET_ADDRESS_LIMIT


def _accounts_mailed_enough(accounts) -> set[int]:
    """The accounts that were sent as many reset mails this hour as they may get."""
    since = timezone.now() - WINDOW
    sent = _requests_since(since).filter(
        detail=PASSWORD_RESET_REQUESTED, outcome=Outcome.SUCCESS, object_id__in=[str(a.pk) for a in accounts]
    )
    counts: dict[str, int] = {}
    for object_id in sent.values_list("object_id", flat=True):
        counts[object_id] = counts.get(object_id, 0) + 1
    return {a.pk for a in accounts if counts.get(str(a.pk), 0) >= settings.KOERS_PASSWORD_RESET_ACCOUNT_LIMIT}


def _hours() -> int:
    return max(1, round(settings.PASSWORD_RESET_TIMEOUT / 3600))


class KoersPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=gettext_lazy("Uw e-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": gettext_lazy("Vul uw e-mailadres in."),
            "invalid": gettext_lazy("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
        },
    )

    held_back: frozenset[int] = frozenset()  # accounts past a limit: no mail (the view decides)

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.pk not in self.held_back)

    def save(self, **kwargs):
        if not any(True for _user in self.get_users(self.cleaned_data["email"])):
            self._build_unsent_mail(kwargs)
        return super().save(**kwargs)

    def _build_unsent_mail(self, kwargs) -> None:
        """The work of a real mail (a token, both templates) for an address without an account."""
        stand_in = User(username="-", email=self.cleaned_data["email"])
        context = {
            "email": stand_in.email,
            "domain": kwargs.get("domain_override") or "",
            "site_name": "",
            "uid": "-",
            "user": stand_in,
            "token": default_token_generator.make_token(stand_in),
            "protocol": "https" if kwargs.get("use_https") else "http",
            **(kwargs.get("extra_email_context") or {}),
        }
        loader.render_to_string(SUBJECT_TEMPLATE, context)
        loader.render_to_string(EMAIL_TEMPLATE, context)


def send_reset_mail(request, user) -> None:
    """Mail one account a reset link, as the reset page does (the admin's "send password reset")."""
    site = get_current_site(request)
    context = {
        "email": user.email,
        "domain": site.domain,
        "site_name": site.name,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request.is_secure() else "http",
        "hours": _hours(),
    }
    KoersPasswordResetForm().send_mail(SUBJECT_TEMPLATE, EMAIL_TEMPLATE, context, None, user.email)


class KoersPasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = KoersPasswordResetForm
    email_template_name = EMAIL_TEMPLATE
    subject_template_name = SUBJECT_TEMPLATE
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        self.extra_email_context = {"hours": _hours()}  # read now: tests and operators may change it
        actor = self.request.user if self.request.user.is_authenticated else None
        accounts = list(form.get_users(form.cleaned_data["email"]))
        if _address_exhausted(context.current().client_address):
            held_back, reason = {a.pk for a in accounts}, TOO_MANY_FROM_ADDRESS
        else:
            held_back, reason = _accounts_mailed_enough(accounts), TOO_MANY_FOR_ACCOUNT
        form.held_back = frozenset(held_back)
        for account in accounts:
            if account.pk in held_back:
                security_event(
                    PASSWORD_RESET_REQUESTED, actor=actor, subject=account, outcome=Outcome.FAILED, note=reason
                )
            else:
                security_event(PASSWORD_RESET_REQUESTED, actor=actor, subject=account)
        if not accounts:
            note = "no account" if reason == TOO_MANY_FOR_ACCOUNT else f"no account; {reason}"
            security_event(PASSWORD_RESET_REQUESTED, actor=actor, subject_id=None, outcome=Outcome.FAILED, note=note)
        return super().form_valid(form)


class KoersSetPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Nieuw wachtwoord")
        self.fields["new_password1"].help_text = _(
            "Minstens 10 tekens. Niet alleen cijfers, geen veelgebruikt wachtwoord en niet te veel zoals uw naam."
        )
        self.fields["new_password2"].label = _("Nieuw wachtwoord nog een keer")
        self.fields["new_password2"].help_text = _("Zo weten we zeker dat u zich niet vergist heeft.")


class KoersPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = KoersSetPasswordForm
    post_reset_login = False  # the second factor still comes after the password, at the login
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        form.user.must_change_password = False
        response = super().form_valid(form)
        security_event(PASSWORD_RESET_DONE, actor=None, subject=form.user)
        messages.success(self.request, _("Uw nieuwe wachtwoord is opgeslagen. Log nu in met uw nieuwe wachtwoord."))
        return response


class KoersPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "hours": _hours()}


password_reset = no_person_data(KoersPasswordResetView.as_view())
password_reset_done = no_person_data(KoersPasswordResetDoneView.as_view())
password_reset_confirm = no_person_data(KoersPasswordResetConfirmView.as_view())
