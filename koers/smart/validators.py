"""django-oauth-toolkit, told the SMART rules (``OAUTH2_PROVIDER`` in koers/settings.py).

``SmartValidator`` (oauthlib's request validator, as DOT's ``OAuth2Validator``):

- scopes: parsed by ``koers.smart.scopes``; a backend service (``client_credentials``) must be a
  registered ``SystemClient`` and gets ``system/`` scopes only, a user's app never gets them;
- the patient chosen on the authorize page travels with the authorization code, then with each
  access token made from it (and from its refresh tokens), and the token response says
  ``patient`` (the FHIR Patient id: the person's pk as a string) beside ``scope``;
- a system client with registered keys authenticates with a signed JWT (``private_key_jwt``,
  ``koers.smart.assertions``), never with its secret; the others as DOT does (secret);
- every token issued and every token revoked is a security event in the access log.
"""

from __future__ import annotations

from oauth2_provider.models import get_access_token_model, get_refresh_token_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes

from koers.audit import security
from koers.smart import assertions
from koers.smart import scopes as smart_scopes
from koers.smart.grants import token_checksum
from koers.smart.models import PatientContext, SystemClient

PATIENT_ATTR = "koers_patient_id"


class SmartScopes(BaseScopes):
    """The scope list DOT shows and checks by default: SMART's, from koers.smart.scopes."""

    def get_all_scopes(self):
        return {scope: " ".join(smart_scopes.describe(scope)) for scope in smart_scopes.supported()}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return smart_scopes.supported()

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return []  # an app names what it wants; nothing is granted unasked


def _is_system_request(request) -> bool:
    return getattr(request, "grant_type", None) == "client_credentials"


def _refuse(request, reason: str) -> bool:
    """Leave the reason for the token view's ``token_refused`` event; answer "not authenticated"."""
    context = assertions.context_from(request)
    if context is not None:
        context.refusal = reason
    return False


class SmartValidator(OAuth2Validator):
    def authenticate_client(self, request, *args, **kwargs):
        if assertions.carries_assertion(request):
            try:
                assertions.verify(request, self._load_application)
            except assertions.AssertionRefused as refused:
                request.client = None
                return _refuse(request, str(refused))
            return True
        if not super().authenticate_client(request, *args, **kwargs):
            return False
        system = SystemClient.objects.filter(application=request.client).first()
        if system is not None and system.has_keys:
            # Registered keys replace the secret: a leaked or old secret opens nothing.
            request.client = None
            return _refuse(request, "a secret from a client with registered keys")
        return True

    def client_authentication_required(self, request, *args, **kwargs):
        if assertions.carries_assertion(request):
            return True
        return super().client_authentication_required(request, *args, **kwargs)

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        if not scopes:
            return False
        system = _is_system_request(request)
        if system and not SystemClient.objects.filter(application=client).exists():
            return False
        return smart_scopes.invalid(scopes, system=system) == []

    def save_authorization_code(self, client_id, code, request, *args, **kwargs):
        grant = self._create_authorization_code(request, code)
        patient_id = getattr(request, PATIENT_ATTR, None)
        if patient_id is not None:
            PatientContext.objects.create(grant=grant, person_id=patient_id)

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        if not super().validate_code(client_id, code, client, request, *args, **kwargs):
            return False
        context = PatientContext.objects.filter(grant__code=code, grant__application=client).first()
        setattr(request, PATIENT_ATTR, context.person_id if context is not None else None)
        return True

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs):
        if not super().validate_refresh_token(refresh_token, client, request, *args, **kwargs):
            return False
        previous = request.refresh_token_instance.access_token_id
        context = PatientContext.objects.filter(access_token_id=previous).first() if previous else None
        setattr(request, PATIENT_ATTR, context.person_id if context is not None else None)
        return True

    def save_bearer_token(self, token, request, *args, **kwargs):
        super().save_bearer_token(token, request, *args, **kwargs)
        access_token = get_access_token_model().objects.get(token_checksum=token_checksum(token["access_token"]))
        patient_id = getattr(request, PATIENT_ATTR, None)
        if patient_id is not None:
            PatientContext.objects.get_or_create(access_token=access_token, defaults={"person_id": patient_id})
            token["patient"] = str(patient_id)
        security.security_event(
            security.TOKEN_ISSUED,
            actor=access_token.user,
            subject_id=access_token.user_id,
            note=f"{request.grant_type}, client {request.client.client_id}: {token.get('scope', '')}",
        )

    def revoke_token(self, token, token_type_hint, request, *args, **kwargs):
        client_pk = getattr(request.client, "pk", None)
        lookup = {"token_checksum": token_checksum(token), "application_id": client_pk}
        found = [
            model.objects.filter(**lookup).select_related("user").first()
            for model in (get_access_token_model(), get_refresh_token_model())
        ]
        super().revoke_token(token, token_type_hint, request, *args, **kwargs)
        revoked = next((t for t in found if t is not None), None)
        if client_pk is not None and revoked is not None:
            security.security_event(
                security.TOKEN_REVOKED,
                actor=None,
                subject_id=revoked.user_id,
                note=f"{type(revoked).__name__}, client {request.client.client_id}",
            )
