"""The FHIR API with SMART bearer tokens (issue #15): the token decides who asks and how far the
scopes reach; the access layer still decides whose data; revoking works on the next request."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client
from django.urls import reverse
from oauth2_provider.models import get_application_model

from koers.audit.models import AccessLogEntry
from koers.smart import services
from koers.smart.models import SystemClient
from tests.support.testing import make_person

pytestmark = pytest.mark.django_db
FHIR = "application/fhir+json"


def get(url, token):
    return Client().get(url, headers={"Accept": FHIR, "Authorization": f"Bearer {token}"})


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    bundle = json.loads(response.content)
    return [e["resource"]["id"] for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]


def test_a_user_token_reads_what_the_user_may_read_and_is_logged_as_that_user(cast):
    token = services.api_token_issue(username=cast.noor.username, scope="user/*.read")
    rows = AccessLogEntry.objects.filter(user=cast.noor, person=cast.anna, action="R", outcome="success")
    before = rows.count()
    response = get(f"/fhir/Patient/{cast.anna.pk}", token)
    assert response.status_code == 200
    assert json.loads(response.content)["id"] == str(cast.anna.pk)
    assert rows.count() == before + 1
    stranger = make_person(actor=cast.sam)  # in Sam's caseload, not Noor's
    assert get(f"/fhir/Patient/{stranger.pk}", token).status_code == 404


def test_a_revoked_token_answers_401_on_the_next_request(cast):
    token = services.api_token_issue(username=cast.noor.username, scope="user/*.read")
    assert get(f"/fhir/Patient/{cast.anna.pk}", token).status_code == 200
    assert services.api_token_revoke(raw=token)
    response = get(f"/fhir/Patient/{cast.anna.pk}", token)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_patient_token_answers_about_its_patient_alone(cast):
    other = make_person(actor=cast.noor)  # also in Noor's caseload
    token = services.api_token_issue(
        username=cast.noor.username, scope="patient/*.read launch/patient", patient_id=cast.anna.pk
    )
    assert ids(get("/fhir/Patient", token)) == [str(cast.anna.pk)]
    assert get(f"/fhir/Patient/{other.pk}", token).status_code == 404
    session = Client()
    session.force_login(cast.noor)
    found = ids(session.get("/fhir/Patient", headers={"Accept": FHIR}))
    assert {str(cast.anna.pk), str(other.pk)} <= set(found)  # the same user without the launch context


def test_scopes_narrow_but_never_widen(cast):
    token = services.api_token_issue(username=cast.noor.username, scope="user/Observation.read")
    response = get(f"/fhir/Patient/{cast.anna.pk}", token)
    assert response.status_code == 403
    assert json.loads(response.content)["resourceType"] == "OperationOutcome"


def test_a_system_token_is_refused_clearly_not_with_a_server_error(cast):
    Application = get_application_model()
    secret = "s3cret-of-the-export-service-" + "x" * 20
    application = Application.objects.create(
        name="Regionale export",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
    )
    SystemClient.objects.create(application=application, organisation=cast.gp_practice)
    basic = base64.b64encode(f"{application.client_id}:{secret}".encode()).decode()
    issued = Client().post(
        reverse("oauth2_provider:token"),
        {"grant_type": "client_credentials", "scope": "system/*.read"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    raw = issued.json()["access_token"]
    for url in ("/fhir/Patient", f"/fhir/Patient/{cast.anna.pk}", "/fhir/CareTeam", "/fhir/Practitioner"):
        response = get(url, raw)
        assert response.status_code == 403, (url, response.status_code)
        outcome = json.loads(response.content)
        assert "bulk" in outcome["issue"][0]["diagnostics"]
