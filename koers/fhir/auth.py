"""Who is asking the FHIR API, and what their credential lets them do (issue #15).

A ``Grant`` (``koers.smart.grants``) is the one thing the API's views and resource types see of
the credential. It comes from a bearer token (SMART on FHIR: django-oauth-toolkit tokens, checked
on every request, so an expired or revoked token answers 401 at once) or, for scripts, tests and a
signed-in browser, from the session of a user whose second factor is verified the way the pages
decide it (``koers.accounts.middleware``). A grant's scopes never widen what the access layer
allows: a scope can only narrow it (``Grant.allows``), and the person-level decisions stay with
``koers.access``. A ``patient/`` grant answers about its launch patient alone.

Scopes follow SMART App Launch (``koers.smart.scopes``): ``<context>/<ResourceType|*>.<read|write|*>``
with context ``patient``, ``user`` or ``system``, and the v2 ``.rs``/``.cruds`` forms.
"""

from __future__ import annotations

from typing import Literal

from koers.accounts.middleware import needs_second_factor
from koers.smart.grants import Grant, grant_from_bearer

Interaction = Literal["read", "write"]

SESSION_SCOPES = frozenset({"user/*.read"})

__all__ = ["Grant", "Interaction", "SESSION_SCOPES", "grant_for"]


def _bearer_grant(request) -> Grant | None:
    """The grant of an ``Authorization: Bearer`` token (``koers.smart``), or None."""
    return grant_from_bearer(request)


def _session_grant(request) -> Grant | None:
    """A signed-in, active user who has passed the second factor as the pages require it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    verified = getattr(user, "is_verified", lambda: False)()
    if not verified and needs_second_factor(request, user):
        return None
    if getattr(user, "must_change_password", False):
        return None
    return Grant(user=user, system=None, scopes=SESSION_SCOPES, patient_id=None)


def grant_for(request) -> Grant | None:
    """The request's grant: a bearer token first, else the session; None answers 401."""
    return _bearer_grant(request) or _session_grant(request)
