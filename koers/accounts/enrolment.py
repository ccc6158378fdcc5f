"""The enrolment gate: a second factor may only be added while enrolment is open in this session.

Minimal stand-in written beside the passkey work (issue #11); the activation-code work replaces
this module with the real one, which keeps these three functions. Enrolment is open while the
session's ``koers_enrolment_until`` timestamp lies in the future.
"""

from __future__ import annotations

import time

SESSION_KEY = "koers_enrolment_until"
ENROLMENT_SECONDS = 15 * 60


def enrolment_is_open(request) -> bool:
    until = request.session.get(SESSION_KEY)
    return isinstance(until, int | float) and until > time.time()


def enrolment_open(request, *, account) -> None:
    if request.user.pk != account.pk:
        raise ValueError("enrolment opens only for the signed-in account")
    request.session[SESSION_KEY] = time.time() + ENROLMENT_SECONDS


def enrolment_close(request) -> None:
    request.session.pop(SESSION_KEY, None)
