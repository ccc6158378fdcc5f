"""Who is asking the FHIR API, and what their credential lets them do (issue #15).

A ``Grant`` is the one thing the API's views and resource types see of the credential. It comes
from a bearer token (SMART on FHIR, ``koers.smart``, wired at merge) or, for scripts, tests and a
signed-in browser, from the session of a user whose second factor is verified the way the pages
decide it (``koers.accounts.middleware``). A grant's scopes never widen what the access layer
allows: a scope can only narrow it (``allows``), and the person-level decisions stay with
``koers.access``.

Scopes follow SMART App Launch v1: ``<context>/<ResourceType|*>.<read|write|*>`` with context
``patient``, ``user`` or ``system``; a bare ``*`` for the type or the interaction means any, and
``user/*`` means ``user/*.*``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from koers.accounts.middleware import needs_second_factor

Interaction = Literal["read", "write"]

_SCOPE = re.compile(r"^(patient|user|system)/(\*|[A-Z][A-Za-z]+)(?:\.(read|write|\*))?$")
SESSION_SCOPES = frozenset({"user/*.read"})


@dataclass(frozen=True)
class Scope:
    context: str
    resource_type: str  # "*" for any
    interaction: str  # "read", "write" or "*"

    def covers(self, resource_type: str, interaction: str) -> bool:
        return self.resource_type in ("*", resource_type) and self.interaction in ("*", interaction)


def parse_scope(text: str) -> Scope | None:
    """One SMART v1 resource scope, or None for anything else (``openid``, ``launch``, a typo)."""
    match = _SCOPE.match(text.strip())
    if match is None:
        return None
    context, resource_type, interaction = match.groups()
    return Scope(context, resource_type, interaction or "*")


@dataclass(frozen=True)
class Grant:
    """What one request may do: the user (or registered system) and the scopes of its credential.

    ``patient_id`` is the launch context of a ``patient/`` scope: the API then answers about that
    person alone. The same fields as the tokens of ``koers.smart``.
    """

    user: object
    system: str | None
    scopes: frozenset[str]
    patient_id: int | None

    def allows(self, resource_type: str, interaction: Interaction) -> bool:
        for text in self.scopes:
            scope = parse_scope(text)
            if scope is None or not scope.covers(resource_type, interaction):
                continue
            if scope.context == "patient" and self.patient_id is None:
                continue  # a patient scope without a patient in context opens nothing
            return True
        return False


def _bearer_grant(request) -> Grant | None:
    """The grant of an ``Authorization: Bearer`` token.

    Wired to koers.smart at merge: the SMART helper's django-oauth-toolkit tokens carry the same
    fields as ``Grant``. Until then no bearer token is accepted.
    """
    return None


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
