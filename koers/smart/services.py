"""Tokens made by Koers itself, not through an app: ``koers api-token`` (issue #15).

For scripts, tests and demos, an administrator with shell access issues a short-lived bearer token
for a user. The token is a normal django-oauth-toolkit access token on the application
``koers-cli`` (made on first use), so ``grant_from_bearer`` and revocation treat it like any other.

Only staff accounts (care professionals, managers, administrators) get one. A person's or a
relative's account is refused: a token for it would let whoever runs the command act as that
person, without their password, second factor or consent; a person who wants an app connects it
themself on the authorize page.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    revoke_access_token,
    set_token_value,
)

from koers import access
from koers.accounts.models import STAFF_ROLES, User
from koers.audit import security
from koers.smart import scopes as smart_scopes
from koers.smart.assertions import checked_jwks
from koers.smart.grants import token_checksum
from koers.smart.models import PatientContext, SystemClient

CLI_APPLICATION = "koers-cli"
MAX_MINUTES = 60
DEFAULT_MINUTES = 10


def _cli_application():
    Application = get_application_model()
    application, _created = Application.objects.get_or_create(
        name=CLI_APPLICATION,
        defaults={
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_CLIENT_CREDENTIALS,
            "client_secret": secrets.token_urlsafe(48),  # nobody needs it: no app signs in as koers-cli
        },
    )
    return application


def _refuse(message: str, *, subject=None) -> None:
    security.security_event(
        security.TOKEN_REFUSED, actor=None, subject=subject, outcome="refused", note=f"{CLI_APPLICATION}: {message}"
    )
    raise ValidationError(message)


def _check(username: str, scopes: list[str], minutes: int, patient_id: int | None) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        _refuse(_("Er is geen account met de gebruikersnaam ‘%(name)s’.") % {"name": username[:150]})
    if not user.is_active:
        _refuse(_("Het account ‘%(name)s’ is niet actief.") % {"name": username}, subject=user)
    if user.role not in STAFF_ROLES:
        _refuse(_("Alleen medewerkers krijgen een sleutel; cliënten en naasten koppelen zelf een app."), subject=user)
    refused = smart_scopes.invalid(scopes, system=False) if scopes else ["(leeg)"]
    if refused:
        _refuse(_("Onbekende of niet toegestane scope: %(scopes)s") % {"scopes": " ".join(refused)}, subject=user)
    if not 1 <= minutes <= MAX_MINUTES:
        _refuse(_("Kies 1 tot %(max)s minuten.") % {"max": MAX_MINUTES}, subject=user)
    if smart_scopes.needs_patient(scopes) != (patient_id is not None):
        # Not translated: it names the command's option and SMART's scopes (a technical line, as
        # the other commands' errors are), and the glossary keeps "patient" out of English text.
        _refuse("--patient hoort bij launch/patient of patient/-scopes / goes with those scopes only", subject=user)
    return user


def api_token_issue(*, username: str, scope: str, minutes: int = DEFAULT_MINUTES, patient_id: int | None = None) -> str:
    """A new bearer token for ``username`` with ``scope``; raises ValidationError with the reason.
    Issued and refused tokens are security events; a token with a patient needs the user to be
    able to read that person (``koers.access``, which logs either way)."""
    scopes = scope.split()
    user = _check(username, scopes, minutes, patient_id)
    if patient_id is not None:
        try:
            access.person_for(user, patient_id, category=access.Category.DEMOGRAPHICS, object_type="api_token")
        except access.NotFound:
            _refuse(
                _("Deze persoon bestaat niet of %(name)s mag de gegevens niet zien.") % {"name": username}, subject=user
            )
    raw = _cli_safe_token()
    token = get_access_token_model()(
        user=user,
        application=_cli_application(),
        scope=" ".join(scopes),
        expires=timezone.now() + timedelta(minutes=minutes),
    )
    set_token_value(token, raw)
    token.save()
    if patient_id is not None:
        PatientContext.objects.create(access_token=token, person_id=patient_id)
    security.security_event(
        security.TOKEN_ISSUED, actor=None, subject=user, note=f"{CLI_APPLICATION}, {minutes} min: {token.scope}"
    )
    return raw


def _cli_safe_token() -> str:
    """A urlsafe token that does not start with "-": one in 64 would, and ``koers api-token
    --revoke -x…`` reads such a value as an option. Drawing again keeps every other token
    equally likely (a loss of under 0.03 of a bit)."""
    while (raw := secrets.token_urlsafe(32)).startswith("-"):
        pass
    return raw


def api_token_revoke(*, raw: str) -> bool:
    """Revoke a token (any application's) by its value; False when no such token exists."""
    token = get_access_token_model().objects.filter(token_checksum=token_checksum(raw)).first()
    if token is None:
        return False
    user_id, client_id = token.user_id, token.application.client_id if token.application else "-"
    revoke_access_token(token)
    security.security_event(
        security.TOKEN_REVOKED, actor=None, subject_id=user_id, note=f"{CLI_APPLICATION}: client {client_id}"
    )
    return True


def system_client_keys_set(*, actor, system: SystemClient, jwks: dict) -> SystemClient:
    """Register (or rotate) a system client's public keys (``private_key_jwt``). The whole set is
    replaced: to rotate, register old and new key together, then the new one alone. An empty set
    sends the client back to its secret. A security event names the client and the kids."""
    system.jwks = checked_jwks(jwks) if jwks else {}
    system.save(update_fields=["jwks"])
    kids = ", ".join(key["kid"][:40] for key in system.jwks.get("keys", [])) or "none"
    security.security_event(
        security.ADMIN_ACTION,
        actor=actor,
        note=f"system client {system.application.client_id} keys: {kids}",
    )
    return system
