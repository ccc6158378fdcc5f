"""The grant: SMART scopes (koers.smart) and who gets a grant from a session (issue #15)."""

from __future__ import annotations

import dataclasses
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from koers.accounts.middleware import HAS_FACTOR_KEY
from koers.fhir.auth import Grant, grant_for
from koers.smart.scopes import parse as parse_scope


def grant(*scopes, patient_id=None):
    return Grant(user=None, system=None, scopes=frozenset(scopes), patient_id=patient_id)


def test_scopes_allow_by_type_and_interaction():
    assert grant("user/*.read").allows("Patient", "read")
    assert not grant("user/*.read").allows("Patient", "write")
    assert grant("user/*.write").allows("CarePlan", "write")
    assert grant("user/*.*").allows("Goal", "write") and grant("user/*.*").allows("Goal", "read")
    assert not grant("user/*").allows("Goal", "read")  # not a SMART scope: the interaction is required
    assert grant("user/Observation.read").allows("Observation", "read")
    assert not grant("user/Observation.read").allows("Patient", "read")
    assert not grant("system/*.read").allows("Patient", "read")  # system scopes are for system clients
    assert Grant(None, "export-client", frozenset({"system/*.read"}), None).allows("Patient", "read")
    assert not grant("openid", "launch", "fhirUser", "user/*.rea").allows("Patient", "read")
    assert not grant("patient/Observation.read").allows("Observation", "read")  # no patient in context
    assert grant("patient/Observation.read", patient_id=3).allows("Observation", "read")
    assert parse_scope("nonsense/*.read") is None and parse_scope("user/patient.read") is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        grant("user/*.read").patient_id = 1


def _request(user, *, verified=False, has_factor=False):
    request = RequestFactory().get("/fhir/Patient")
    request.user = user
    request.session = SessionStore()
    request.session[HAS_FACTOR_KEY] = has_factor
    user.is_verified = lambda: verified
    return request


@pytest.mark.django_db
def test_a_session_grant_needs_the_second_factor_as_the_pages_do(cast, settings):
    settings.KOERS_REQUIRE_2FA = False
    assert grant_for(_request(cast.noor)) == Grant(cast.noor, None, frozenset({"user/*.read"}), None)
    assert grant_for(_request(cast.noor, has_factor=True)) is None  # a factor set up is always asked for
    assert grant_for(_request(cast.noor, verified=True, has_factor=True)) is not None
    settings.KOERS_REQUIRE_2FA = True
    assert grant_for(_request(cast.anna_user)) is None
    assert grant_for(_request(cast.anna_user, verified=True)) is not None
    cast.noor.is_active = False
    assert grant_for(_request(cast.noor, verified=True)) is None
    cast.noor.is_active, cast.noor.must_change_password = True, True
    assert grant_for(_request(cast.noor, verified=True)) is None
    anonymous = RequestFactory().get("/fhir/Patient")
    anonymous.user = AnonymousUser()
    assert grant_for(anonymous) is None


@pytest.mark.django_db
def test_a_session_without_the_second_factor_gets_401_not_the_code_page(cast, client, settings):
    """The pages send such a session to the code page; an API client cannot follow that, so the
    API answers 401 OperationOutcome itself (and the same for a password change pending)."""
    settings.KOERS_REQUIRE_2FA = True
    client.force_login(cast.noor)
    response = client.get("/fhir/Patient", headers={"Accept": "application/fhir+json"})
    assert response.status_code == 401
    assert json.loads(response.content)["resourceType"] == "OperationOutcome"
    assert client.get("/clienten/").status_code == 302  # the pages still ask for the code
    settings.KOERS_REQUIRE_2FA = False
    cast.noor.must_change_password = True
    cast.noor.save()
    assert client.get("/fhir/Patient").status_code == 401
