"""What a bearer token lets its holder do: a ``Grant`` (issue #15).

``grant_from_bearer(request)`` reads ``Authorization: Bearer …`` and answers with the grant of a
valid token or ``None``. A token is valid when django-oauth-toolkit holds it (a revoked token is
deleted, so revoking takes effect on the very next request), it has not expired, and it stands
for an active user or a registered system client. A token with ``patient/`` scopes but no
patient chosen (the person was deleted since) is no token at all: it fails closed.

``Grant.allows`` says whether the scopes cover a resource type and an interaction. It does not
say whose data: the FHIR API still puts every request through ``koers.access`` as ``user``
(and, for ``patient/`` scopes, only for ``patient_id``). Scopes narrow access, never widen it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from oauth2_provider.models import get_access_token_model

from koers.smart import scopes as smart_scopes


@dataclass(frozen=True)
class Grant:
    user: object | None  # the user the token stands for; None for a system client
    system: str | None  # the system client's client_id; None for a user's token
    scopes: frozenset[str]
    patient_id: int | None  # the FHIR Patient (person pk) chosen at launch, for patient/ scopes

    def allows(self, resource_type: str, interaction: str) -> bool:
        """Whether a scope covers ``interaction`` ("read"/"write") on ``resource_type``. Scopes of
        the ``patient`` context count only with a patient; ``system`` only for a system client."""
        for scope in self.scopes:
            parsed = smart_scopes.parse(scope)
            if parsed is None or not parsed.covers(resource_type, interaction):
                continue
            if parsed.context == "patient" and self.patient_id is None:
                continue
            if (parsed.context == "system") != (self.system is not None):
                continue
            return True
        return False


def _bearer(request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value or " " in value:
        return None
    return value


def token_checksum(raw: str) -> str:
    """How django-oauth-toolkit finds a token (it may keep only this, not the token itself)."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def grant_from_bearer(request) -> Grant | None:
    """The grant of the request's bearer token, or None (no token, unknown, expired, revoked,
    inactive user, unregistered system, patient scopes without a patient)."""
    raw = _bearer(request)
    if raw is None:
        return None
    token = (
        get_access_token_model()
        .objects.select_related("user", "application", "koers_patient")
        .filter(token_checksum=token_checksum(raw))
        .first()
    )
    if token is None or token.is_expired() or token.application is None:
        return None
    scopes = frozenset(token.scope.split())
    context = getattr(token, "koers_patient", None)
    patient_id = context.person_id if context is not None else None
    if patient_id is None and any((p := smart_scopes.parse(s)) is not None and p.context == "patient" for s in scopes):
        return None
    if token.user_id is not None:
        if not token.user.is_active:
            return None
        return Grant(user=token.user, system=None, scopes=scopes, patient_id=patient_id)
    if not hasattr(token.application, "koers_system_client"):
        return None
    return Grant(user=None, system=token.application.client_id, scopes=scopes, patient_id=None)
