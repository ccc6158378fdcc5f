"""Accepting an invitation: ``/netwerk/uitnodiging/<token>/`` (the mailed link) and
``/netwerk/uitnodiging/`` (typing the code shown on screen).

The secret is the access to this page: a wrong, expired, used or revoked secret — or a signed-in
account the invitation is not for — gets one and the same page, which says nothing about the
person, and a refused row in the access log. A valid one shows whose network it is and:

- a professional of another organisation: sign in as the invited account, then accept;
- a relative signed in with a relative's account: accept, and the account is linked;
- a relative without an account: choose a username and password (Django's validators) on the
  page; the account is made, signed in, and sent to set up the second factor.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from koers import access
from koers.access.decorators import no_person_data
from koers.accounts.enrolment import enrolment_open
from koers.audit import log as audit_log
from koers.network import invitations
from koers.network.invite_forms import CodeForm, NewRelativeAccountForm
from koers.network.models import Invitation

INVITATION = invitations.INVITATION
MODEL_BACKEND = "koers.accounts.backends.KoersModelBackend"


def _user(request):
    return request.user if request.user.is_authenticated else None


def _invalid(request):
    """One page for every secret that opens nothing (and for an account it is not meant for)."""
    audit_log.record(
        user=_user(request),
        action=access.Action.READ,
        object_type=INVITATION,
        outcome=access.Outcome.REFUSED,
        detail="invalid",
    )
    return render(request, "network/invitation_invalid.html", status=404)


def _page(request, invitation, code, **extra):
    access.record(_user(request), invitation.person, access.Action.READ, invitation)
    context = {"invitation": invitation, "person": invitation.person, "code": code, **extra}
    return render(request, "network/invitation_accept.html", context)


def _accept(request, raw, *, code):
    invitation = invitations.invitation_find(raw)
    if invitation is None:
        return _invalid(request)
    user = request.user
    if invitation.kind == Invitation.Kind.PROFESSIONAL and not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if user.is_authenticated and not invitations.may_accept(user, invitation):
        if invitation.kind == Invitation.Kind.RELATIVE:
            return _page(request, invitation, code, wrong_account=True)
        return _invalid(request)
    do = request.POST.get("do") if request.method == "POST" else None
    if do == "accept" and user.is_authenticated:
        return _accept_signed_in(request, invitation)
    if invitation.kind == Invitation.Kind.RELATIVE and not user.is_authenticated:
        form = NewRelativeAccountForm(request.POST if do == "create" else None)
        if do == "create" and form.is_valid():
            return _create_account(request, invitation, form)
        return _page(request, invitation, code, account_form=form)
    return _page(request, invitation, code)


def _accept_signed_in(request, invitation):
    try:
        invitations.invitation_accept(actor=request.user, invitation=invitation)
    except ValidationError:
        return _invalid(request)
    if invitation.kind == Invitation.Kind.PROFESSIONAL:
        messages.success(request, _("U zit nu in het netwerk van %(name)s.") % {"name": invitation.person.full_name})
        return redirect("workspace:person", person_id=invitation.person_id)
    messages.success(request, _("U bent nu verbonden als naaste van %(name)s.") % {"name": invitation.person.full_name})
    return redirect("home")


def _create_account(request, invitation, form):
    data = form.cleaned_data
    try:
        account = invitations.invitation_accept_new_account(
            invitation=invitation,
            username=data["username"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
        )
    except ValidationError:
        return _invalid(request)
    login(request, account, backend=MODEL_BACKEND)
    enrolment_open(request, account=account)
    messages.success(request, _("Uw account is gemaakt. Stel nu de tweestapsverificatie in."))
    return redirect("accounts:two_factor_setup")


@no_person_data
def invitation_accept(request, token):
    return _accept(request, token, code=None)


@no_person_data
def invitation_code(request):
    """Type the code shown on the inviter's screen; then the same page as the link."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _accept(request, form.cleaned_data["code"], code=form.cleaned_data["code"])
    return render(request, "network/invitation_code.html", {"form": form})
