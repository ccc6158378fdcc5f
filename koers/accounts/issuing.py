"""Pages that hand out and redeem activation codes (``koers.accounts.activation``).

- ``activate``: a new account holder types their username and code (or opens the link), chooses
  their own password, is signed in and goes on to bind a second factor.
- ``colleagues`` / ``colleague_code``: a professional, manager or administrator hands a code
  to a colleague of the same organisation (a first or new second factor, or a new activation
  code for an account that was never activated). Never to themself.
- ``handover``: the page shown once after issuing — a letter to print, the code to pass on in
  person, or the note that the e-mail was sent. A person's care team uses the same page
  (``koers.people.portal_accounts``).
"""

from __future__ import annotations

import logging
import smtplib

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from koers.access.decorators import no_person_data
from koers.accounts import activation, enrolment
from koers.accounts.forms import ActivationForm, IssueForm
from koers.accounts.models import ActivationCode, User

logger = logging.getLogger(__name__)
Purpose = ActivationCode.Purpose
Channel = ActivationCode.Channel
MODEL_BACKEND = "koers.accounts.backends.KoersModelBackend"


# --- redeeming an activation code ------------------------------------------------------------


@no_person_data
def activate(request, token: str = ""):  # nosec B107  # the activation code from the link, not a password
    """Activate a new account. The link only fills in the code: nothing happens on a GET."""
    if request.method == "POST":
        form = ActivationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                row = activation.activation_redeem(
                    session=request.session,
                    code=data["code"],
                    purposes={Purpose.ACTIVATION},
                    username=data["username"],
                    new_password=data["new_password1"],
                )
            except activation.ActivationError as error:
                form.add_error("code", error.message)
            except ValidationError as error:
                form.add_error("new_password1", error)
            else:
                login(request, row.account, backend=MODEL_BACKEND)
                enrolment.enrolment_open(request, account=row.account)
                messages.success(request, _("Uw account is klaar. Stel nu de tweestapsverificatie in."))
                return redirect("accounts:two_factor_setup")
    else:
        form = ActivationForm(initial={"code": activation.formatted(token)} if token else None)
    return render(request, "accounts/activate.html", {"form": form})


# --- handing a code over ---------------------------------------------------------------------


def activation_link(request, code: str) -> str:
    return request.build_absolute_uri(reverse("accounts:activate_link", args=[activation.normalise(code)]))


def handover(request, *, row: ActivationCode, code: str, back: str, organisation=None):
    """The one page that shows a freshly issued code (or says it was e-mailed). Sends the e-mail."""
    link = activation_link(request, code) if row.purpose == Purpose.ACTIVATION else ""
    unsent = False
    if row.channel == Channel.EMAIL:
        try:
            activation.activation_email(row=row, code=code, link=link)
        except (smtplib.SMTPException, OSError):
            # Not sent: the code is shown nowhere, so it cannot be used; a new one replaces it.
            logger.exception("activation e-mail not sent")
            unsent = True
        code = ""  # sent, not shown
    context = {"row": row, "code": code, "link": link, "back": back, "organisation": organisation, "unsent": unsent}
    return render(request, "accounts/handover.html", context)


def purposes_for(account) -> list[tuple[str, str]]:
    """What may be handed to this account: a new activation only while it was never activated."""
    choices = [(Purpose.ENROLMENT, Purpose.ENROLMENT.label), (Purpose.RESET, Purpose.RESET.label)]
    if not account.has_usable_password():
        choices = [(Purpose.ACTIVATION, Purpose.ACTIVATION.label)]
    return choices


def channels_for(account) -> list[tuple[str, str]]:
    choices = [(Channel.LETTER, Channel.LETTER.label), (Channel.IN_PERSON, Channel.IN_PERSON.label)]
    if account.email:
        choices.insert(1, (Channel.EMAIL, Channel.EMAIL.label))
    return choices


def issue_form(request, account) -> IssueForm:
    data = request.POST if request.method == "POST" else None
    return IssueForm(data, purposes=purposes_for(account), channels=channels_for(account))


# --- colleagues ------------------------------------------------------------------------------


def _colleague_accounts(actor):
    staff = User.objects.filter(is_active=True, role__in=activation.STAFF_ROLES).exclude(pk=actor.pk)
    if actor.is_superuser:
        return staff.select_related("organisation").order_by("last_name", "username")
    if actor.role not in activation.STAFF_ROLES or actor.organisation_id is None:
        return staff.none()
    return staff.filter(organisation_id=actor.organisation_id).order_by("last_name", "username")


@no_person_data
@login_required
def colleagues(request):
    accounts = _colleague_accounts(request.user)
    if request.user.role not in activation.STAFF_ROLES and not request.user.is_superuser:
        raise Http404
    return render(request, "accounts/colleagues.html", {"accounts": accounts})


@no_person_data
@login_required
def colleague_code(request, account_id: int):
    account = get_object_or_404(_colleague_accounts(request.user), pk=account_id)
    form = issue_form(request, account)
    if request.method == "POST" and form.is_valid():
        code, row = activation.activation_issue(
            actor=request.user,
            account=account,
            purpose=form.cleaned_data["purpose"],
            channel=form.cleaned_data["channel"],
        )
        return handover(
            request, row=row, code=code, back=reverse("accounts:colleagues"), organisation=account.organisation
        )
    return render(request, "accounts/colleague_code.html", {"account": account, "form": form})
