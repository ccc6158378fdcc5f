"""Activation codes: one way to hand a secret to an account out of band (issue #11).

A code is issued by someone else than the account holder (a colleague, an administrator, the
professional in a person's care team) and reaches the holder by letter, e-mail or in person.
It is single use, expires (``KOERS_ACTIVATION_DAYS`` per channel), and a new code for the same
account and purpose revokes the older ones. Three purposes:

- ``activation``: a new account has no password; the holder sets their own with the code.
- ``enrolment``: the holder (signed in with their password) may bind a second factor.
- ``reset``: as enrolment, after removing the second factors the holder has (lost phone).

Only a keyed hash of the code is stored (HMAC-SHA256 under the ``SECRET_KEY`` with Django's
``salted_hmac``; rotating the key invalidates open codes). The code has 60 bits from
``secrets`` in 12 characters of an alphabet without look-alikes, so a hash lookup is safe and
guessing is slowed down twice over: per session and per account (``KOERS_ACTIVATION_FAILURE_LIMIT``
failures kill the account's open codes). A wrong code and a code of another or unknown account
get the same answer.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.accounts.factors import second_factors
from koers.accounts.models import STAFF_ROLES, ActivationCode, User
from koers.audit import security

Purpose = ActivationCode.Purpose
Channel = ActivationCode.Channel

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read aloud and to type
CODE_LENGTH = 12
GROUP = 4
SESSION_FAILURES = "koers_activation_failures"


class ActivationError(Exception):
    """Why a code was not accepted; ``message`` is for the person typing it."""

    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    THROTTLED = "throttled"

    MESSAGES = {
        WRONG: gettext_lazy(
            "Deze gebruikersnaam en deze code horen niet bij elkaar. Controleer de code en probeer het opnieuw."
        ),
        EXPIRED: gettext_lazy("Deze code is verlopen. Vraag uw praktijk om een nieuwe code."),
        USED: gettext_lazy(
            "Deze code is al gebruikt of vervangen door een nieuwere code. Vraag uw praktijk om een nieuwe code."
        ),
        THROTTLED: gettext_lazy(
            "U heeft te vaak een verkeerde code ingevuld. Wacht een kwartier of vraag uw praktijk om een nieuwe code."
        ),
    }

    def __init__(self, kind: str):
        self.kind = kind
        self.message = self.MESSAGES[kind]
        super().__init__(kind)


class IssueRefused(Exception):
    """The actor may not issue a code for this account (never for their own)."""


# --- the code -------------------------------------------------------------------------------


def normalise(code: str) -> str:
    """What the person typed, as stored: capitals, without spaces and dashes."""
    return re.sub(r"[^0-9A-Za-z]", "", code or "").upper()


def formatted(code: str) -> str:
    """Groups of four with dashes, as printed: ``ABCD-EFGH-JKLM``."""
    plain = normalise(code)
    return "-".join(plain[i : i + GROUP] for i in range(0, len(plain), GROUP))


def code_hash(code: str) -> str:
    return salted_hmac("koers.accounts.activation", normalise(code), algorithm="sha256").hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _i in range(CODE_LENGTH))


def validity(channel: str) -> dt.timedelta:
    """How long a code sent this way stays valid (settings ``KOERS_ACTIVATION_DAYS``)."""
    return dt.timedelta(days=settings.KOERS_ACTIVATION_DAYS[channel])


# --- issuing --------------------------------------------------------------------------------


def may_issue(actor, account) -> bool:
    """Who may hand a code to whom, apart from a person's care team (checked in people.services).

    Never for oneself: the point of the code is that someone else confirms. Staff accounts get
    theirs from a colleague of the same organisation (or a superuser); person and relative
    accounts from a professional only. An activation code (it sets a password) only for an
    account that has none yet.
    """
    if actor is None or not actor.is_authenticated or actor.pk == account.pk or not account.is_active:
        return False
    if account.role in STAFF_ROLES or account.is_staff:
        if actor.is_superuser:
            return True
        return (
            actor.role in STAFF_ROLES
            and account.organisation_id is not None
            and actor.organisation_id == account.organisation_id
        )
    # Person and relative accounts: only a professional, whose care-team membership the caller
    # has checked through koers.access. Not an administrator: the admin holds no person data.
    return actor.role == User.Role.PROFESSIONAL


def activation_issue(*, actor, account, purpose: str, channel: str) -> tuple[str, ActivationCode]:
    """Make a new code for ``account``; older open codes for the same purpose stop working.

    Returns ``(code, row)``: the code in groups of four, to be shown, printed or sent once.
    """
    if purpose not in Purpose.values or channel not in Channel.values:
        raise ValueError(f"unknown purpose {purpose!r} or channel {channel!r}")
    if not may_issue(actor, account):
        raise IssueRefused(account.pk)
    if purpose == Purpose.ACTIVATION and account.has_usable_password():
        # An activation code sets a password: for an account in use that would be a takeover.
        raise IssueRefused(account.pk)
    if channel == Channel.EMAIL and not account.email:
        raise ValueError("an e-mail code needs an e-mail address")
    code = _new_code()
    now = timezone.now()
    with transaction.atomic():
        revoked = ActivationCode.objects.filter(
            account=account, purpose=purpose, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        row = ActivationCode.objects.create(
            account=account,
            purpose=purpose,
            channel=channel,
            code_hash=code_hash(code),
            expires_at=now + validity(channel),
            issued_by=actor,
        )
        note = f"{purpose} via {channel}" + (f", {revoked} older revoked" if revoked else "")
        security.security_event(security.ACTIVATION_ISSUED, actor=actor, subject=account, note=note)
    return formatted(code), row


def activation_email(*, row: ActivationCode, code: str, link: str) -> None:
    """Send the code and its link to the account's e-mail address (Django's e-mail backend)."""
    context = {"account": row.account, "code": code, "link": link, "row": row}
    send_mail(
        subject=_("Uw code voor Koers"),
        message=render_to_string("accounts/activation_email.txt", context),
        from_email=None,
        recipient_list=[row.account.email],
    )


# --- redeeming ------------------------------------------------------------------------------


def _failures(session) -> int:
    stamp, count = session.get(SESSION_FAILURES, (0, 0))
    if timezone.now().timestamp() - stamp > settings.KOERS_ACTIVATION_COOLOFF_MINUTES * 60:
        return 0
    return count


def _fail(session, *, account, actor) -> None:
    """Count a wrong code for this session and, when the account is known, for its open codes."""
    session[SESSION_FAILURES] = (timezone.now().timestamp(), _failures(session) + 1)
    if account is not None:
        ActivationCode.objects.filter(account=account, used_at__isnull=True, revoked_at__isnull=True).update(
            failures=F("failures") + 1
        )
    security.security_event(
        security.ACTIVATION_USED,
        actor=actor,
        subject=account,
        subject_id=None,
        outcome="refused",
        note="wrong code",
    )


def _find(code: str, *, username: str | None, account, purposes) -> ActivationCode | None:
    """The open code's row if it belongs to this account and purpose, else None."""
    row = ActivationCode.objects.select_related("account").filter(code_hash=code_hash(code)).first()
    if row is None or row.purpose not in purposes:
        return None
    if account is not None and row.account_id != account.pk:
        return None
    if username is not None and row.account.username.lower() != username.strip().lower():
        return None
    if row.failures >= settings.KOERS_ACTIVATION_FAILURE_LIMIT:
        return None
    return row


def _claimed_account(username: str | None, account):
    if account is not None:
        return account
    if username:
        return User.objects.filter(username__iexact=username.strip()).first()
    return None


def activation_check(*, session, code: str, purposes, username: str | None = None, account=None) -> ActivationCode:
    """The row for a valid, open code of this account, or ``ActivationError``. Counts failures.

    Either ``username`` (someone not signed in) or ``account`` (the signed-in user) says whose
    code it must be; a code of anyone else counts as wrong.
    """
    actor = account
    if _failures(session) >= settings.KOERS_ACTIVATION_FAILURE_LIMIT:
        raise ActivationError(ActivationError.THROTTLED)
    row = _find(code, username=username, account=account, purposes=purposes) if normalise(code) else None
    if row is None:
        _fail(session, account=_claimed_account(username, account), actor=actor)
        raise ActivationError(ActivationError.WRONG)
    if row.used_at is not None or row.revoked_at is not None:
        raise ActivationError(ActivationError.USED)
    if row.expires_at <= timezone.now():
        raise ActivationError(ActivationError.EXPIRED)
    if row.purpose == Purpose.ACTIVATION and row.account.has_usable_password():
        raise ActivationError(ActivationError.USED)  # the account has a password by now
    return row


def _remove_second_factors(account) -> int:
    removed = 0
    for device in second_factors(account, confirmed=None):
        device.delete()
        removed += 1
    return removed


def activation_redeem(
    *, session, code: str, purposes, username: str | None = None, account=None, new_password: str | None = None
) -> ActivationCode:
    """Use a code once: check it, then in one transaction mark it used and do what it is for.

    ``activation`` sets ``new_password`` (Django's validators; ``ValidationError`` leaves the
    code unused), ``reset`` removes the account's second factors. The caller then opens the
    enrolment (``koers.accounts.enrolment``) and, for an activation, signs the holder in.
    """
    row = activation_check(session=session, code=code, purposes=purposes, username=username, account=account)
    holder = row.account
    if row.purpose == Purpose.ACTIVATION:
        validate_password(new_password or "", user=holder)
    actor = account  # None when the holder is not signed in yet
    with transaction.atomic():
        claimed = ActivationCode.objects.filter(pk=row.pk, used_at__isnull=True, revoked_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not claimed:  # someone else used it a moment ago
            raise ActivationError(ActivationError.USED)
        if row.purpose == Purpose.ACTIVATION:
            holder.set_password(new_password)
            holder.save(update_fields=["password"])
        if row.purpose == Purpose.RESET:
            removed = _remove_second_factors(holder)
            security.security_event(
                security.SECOND_FACTOR_RESET, actor=actor, subject=holder, note=f"{removed} removed with a code"
            )
        security.security_event(security.ACTIVATION_USED, actor=actor, subject=holder, note=row.purpose)
    session.pop(SESSION_FAILURES, None)
    row.refresh_from_db()
    return row
