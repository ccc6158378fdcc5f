"""grant_from_bearer, client credentials for a system client, revocation, smart-configuration."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from koers.audit import security
from koers.smart import services
from koers.smart.grants import grant_from_bearer
from koers.smart.models import SystemClient
from tests.support.testing import verified

pytestmark = pytest.mark.django_db
SECRET = "s3cret-of-the-export-service-" + "x" * 20


class Bearer:
    def __init__(self, token):
        self.headers = {"Authorization": f"Bearer {token}"}


def basic(client_id, secret):
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


@pytest.fixture
def system_client(cast):
    Application = get_application_model()
    application = Application.objects.create(
        name="Regionale export",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=SECRET,
    )
    return SystemClient.objects.create(application=application, organisation=cast.gp_practice)


def client_credentials(system_client, scope, secret=SECRET):
    return Client().post(
        reverse("oauth2_provider:token"),
        {"grant_type": "client_credentials", "scope": scope},
        HTTP_AUTHORIZATION=basic(system_client.application.client_id, secret),
    )


def test_a_system_client_gets_a_system_token(system_client):
    response = client_credentials(system_client, "system/*.read")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["scope"] == "system/*.read" and "refresh_token" not in body and "patient" not in body
    grant = grant_from_bearer(Bearer(body["access_token"]))
    assert grant.user is None and grant.system == system_client.application.client_id
    assert grant.allows("Observation", "read") and not grant.allows("Observation", "write")
    assert security.security_events().filter(detail__startswith="token_issued: client_credentials").count() == 1


def test_a_system_client_gets_no_user_scope_and_a_wrong_secret_nothing(system_client):
    assert client_credentials(system_client, "user/*.read").status_code == 400
    assert client_credentials(system_client, "system/*.write").status_code == 400
    assert client_credentials(system_client, "system/*.read", secret="wrong").status_code == 401
    assert security.security_events().filter(detail__startswith="token_refused").count() == 3


def test_an_unregistered_confidential_client_gets_no_system_token(system_client):
    system_client.delete()  # the application remains, no longer bound to an organisation
    assert client_credentials(system_client, "system/*.read").status_code == 400


def test_expired_revoked_unknown_and_inactive_give_no_grant(cast):
    raw = services.api_token_issue(username="noor", scope="user/*.read", minutes=5)
    assert grant_from_bearer(Bearer(raw)).user == cast.noor
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert grant_from_bearer(Bearer(raw)) is None
    assert grant_from_bearer(Bearer("nonsense")) is None
    assert grant_from_bearer(type("R", (), {"headers": {}})()) is None
    assert grant_from_bearer(type("R", (), {"headers": {"Authorization": f"Basic {raw}"}})()) is None
    cast.noor.is_active = False
    cast.noor.save()
    assert grant_from_bearer(Bearer(raw)) is None
    cast.noor.is_active = True
    cast.noor.save()
    assert services.api_token_revoke(raw=raw)
    assert grant_from_bearer(Bearer(raw)) is None  # the next request after revoking
    assert security.security_events().filter(detail__startswith="token_revoked").count() == 1


def test_revoking_through_the_endpoint_takes_effect_on_the_next_request(system_client):
    raw = client_credentials(system_client, "system/*.read").json()["access_token"]
    assert grant_from_bearer(Bearer(raw)) is not None
    response = Client().post(
        reverse("oauth2_provider:revoke-token"),
        {"token": raw},
        HTTP_AUTHORIZATION=basic(system_client.application.client_id, SECRET),
    )
    assert response.status_code == 200
    assert grant_from_bearer(Bearer(raw)) is None
    assert security.security_events().filter(detail__startswith="token_revoked").count() == 1


def test_a_patient_token_whose_person_is_gone_fails_closed(cast):
    raw = services.api_token_issue(username="noor", scope="patient/*.read", patient_id=cast.anna.pk)
    assert grant_from_bearer(Bearer(raw)).patient_id == cast.anna.pk
    token = get_access_token_model().objects.get(application__name=services.CLI_APPLICATION)
    token.koers_patient.delete()
    assert grant_from_bearer(Bearer(raw)) is None


def test_tokens_are_kept_as_checksums_only(cast):
    raw = services.api_token_issue(username="noor", scope="user/*.read")
    token = get_access_token_model().objects.get()
    assert token.token == "" and raw not in str(get_access_token_model().objects.values())


def test_the_admin_shows_no_token_value(cast, client):
    raw = services.api_token_issue(username="noor", scope="user/*.read")
    token = get_access_token_model().objects.get()
    verified(client, cast.ada)
    for url in (
        reverse("admin:oauth2_provider_accesstoken_changelist"),
        reverse("admin:oauth2_provider_accesstoken_change", args=[token.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200 and raw not in response.content.decode()


def test_smart_configuration(client):
    response = client.get("/fhir/.well-known/smart-configuration")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["authorization_endpoint"] == "http://testserver/o/authorize/"
    assert body["token_endpoint"] == "http://testserver/o/token/"
    assert body["revocation_endpoint"] == "http://testserver/o/revoke_token/"
    assert body["introspection_endpoint"] == "http://testserver/o/introspect/"
    assert body["code_challenge_methods_supported"] == ["S256"]
    assert body["issuer"] == "http://testserver"  # as the authorization response's iss (RFC 9207)
    assert body["response_types_supported"] == ["code"]
    assert {
        "launch-standalone",
        "client-public",
        "client-confidential-symmetric",
        "context-standalone-patient",
        "permission-patient",
        "permission-user",
        "permission-offline",
    } <= set(body["capabilities"])
    assert {
        "openid",
        "fhirUser",
        "launch/patient",
        "offline_access",
        "patient/*.read",
        "user/*.read",
        "user/*.write",
        "system/*.read",
        "patient/Observation.read",
    } <= set(body["scopes_supported"])
    # Backend Services' asymmetric client authentication (koers.smart.assertions; test_client_assertion.py).
    assert "private_key_jwt" in body["token_endpoint_auth_methods_supported"]
    assert body["token_endpoint_auth_signing_alg_values_supported"] == ["RS384", "ES384"]


def test_a_confidential_client_introspects_a_token(system_client):
    raw = client_credentials(system_client, "system/*.read").json()["access_token"]
    auth = basic(system_client.application.client_id, SECRET)
    url = reverse("oauth2_provider:introspect")
    active = Client().post(url, {"token": raw}, HTTP_AUTHORIZATION=auth).json()
    assert active["active"] is True and active["scope"] == "system/*.read"
    assert Client().post(url, {"token": "unknown"}, HTTP_AUTHORIZATION=auth).json() == {"active": False}
    assert Client().post(url, {"token": raw}).status_code in (401, 403)  # not for anyone
