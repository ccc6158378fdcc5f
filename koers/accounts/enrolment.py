"""The gate in front of binding a second factor (issue #11, "enrolment out of band").

A password alone never binds an authenticator: whoever stole it would bind their own. Binding
a (first or new) second factor — TOTP here, WebAuthn in its own module — needs an *open
enrolment* in this session, opened only by redeeming an activation, enrolment or reset code
(``koers.accounts.activation``) that a colleague, an administrator or the person's care team
handed over out of band. The enrolment is bound to the account that opened it and closes after
``KOERS_ENROLMENT_MINUTES`` (15) or as soon as a factor is bound.

Session key ``koers_enrolment_until``: a POSIX timestamp; ``koers_enrolment_account``: the
account's primary key (a different user in the same browser finds it closed).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

SESSION_KEY = "koers_enrolment_until"
ACCOUNT_KEY = "koers_enrolment_account"


def enrolment_is_open(request) -> bool:
    """Whether the signed-in user may bind a second factor now."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    until = request.session.get(SESSION_KEY)
    if not until or request.session.get(ACCOUNT_KEY) != user.pk:
        return False
    return timezone.now().timestamp() < float(until)


def enrolment_open(request, *, account) -> None:
    """Open the enrolment for ``account`` in this session (after a redeemed code)."""
    minutes = getattr(settings, "KOERS_ENROLMENT_MINUTES", 15)
    request.session[SESSION_KEY] = timezone.now().timestamp() + minutes * 60
    request.session[ACCOUNT_KEY] = account.pk


def enrolment_close(request) -> None:
    """Close the enrolment (a factor was bound, or the user logged out)."""
    request.session.pop(SESSION_KEY, None)
    request.session.pop(ACCOUNT_KEY, None)
