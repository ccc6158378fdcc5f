"""The gate in front of binding a second factor (issue #11, "enrolment out of band").

A password alone never binds an authenticator: whoever stole it would bind their own. Binding
a (first or new) second factor — TOTP in ``second_factor``, passkeys in ``passkeys`` — needs an
*open enrolment* in this session, opened only by redeeming an activation, enrolment or reset
code (``koers.accounts.activation``) that a colleague, an administrator or the person's care
team handed over out of band. It lasts ``KOERS_ENROLMENT_MINUTES`` (15) and closes as soon as a
factor is bound.

Session key ``koers_enrolment_until``: a POSIX timestamp. The session belongs to one account:
Django's ``login`` of another user and ``logout`` flush it, so the gate cannot pass from one
account to the next.
"""

from __future__ import annotations

import time

from django.conf import settings

SESSION_KEY = "koers_enrolment_until"


def enrolment_is_open(request) -> bool:
    """Whether the signed-in user may bind a second factor now."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    until = request.session.get(SESSION_KEY)
    return isinstance(until, int | float) and until > time.time()


def enrolment_open(request, *, account) -> None:
    """Open the enrolment for ``account``, the signed-in user (after a redeemed code)."""
    if getattr(request.user, "pk", None) != account.pk:
        raise ValueError("enrolment opens only for the signed-in account")
    minutes = getattr(settings, "KOERS_ENROLMENT_MINUTES", 15)
    request.session[SESSION_KEY] = time.time() + minutes * 60


def enrolment_close(request) -> None:
    """Close the enrolment (a factor was bound)."""
    request.session.pop(SESSION_KEY, None)
