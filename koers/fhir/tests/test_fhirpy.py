"""A real FHIR client (fhirpy, sync) against a running server: read and search Patients with a
session cookie, update a Goal with a bearer token and If-Match (issue #15, "Proof")."""

from __future__ import annotations

import pytest
from django.test import Client
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import MultipleResourcesFound

from koers.goals import services as goals
from koers.smart import services as smart
from tests.support.testing import make_person


@pytest.mark.django_db(transaction=True)
def test_fhirpy_searches_a_caseload_and_reads_a_patient(cast, live_server):
    for i in range(4):
        make_person(actor=cast.noor, given_name=f"Lijst{i}")
    browser = Client()
    browser.force_login(cast.noor)
    cookie = browser.cookies["sessionid"].value
    fhir = SyncFHIRClient(f"{live_server.url}/fhir", extra_headers={"Cookie": f"sessionid={cookie}"})

    everyone = fhir.resources("Patient").limit(2).fetch_all()  # follows the next links
    assert len(everyone) == 6 and len({p.id for p in everyone}) == 6
    found = fhir.resources("Patient").search(name="boer").fetch()
    assert [p.id for p in found] == [str(cast.anna.pk)]
    anna = fhir.reference("Patient", str(cast.anna.pk)).to_resource()
    assert anna["birthDate"] == "1970-05-17"
    assert len(fhir.resources("Patient").search(birthdate="ge1970-01-01").limit(100).fetch()) == 6


@pytest.mark.django_db(transaction=True)
def test_fhirpy_updates_a_goal_with_if_match_and_a_stale_etag_is_412(cast, live_server):
    """fhirpy has no If-Match of its own: the ETag (``W/"<meta.versionId>"``) goes in as an extra
    header of the client that saves; it maps a 412 to ``MultipleResourcesFound``."""
    goal = goals.goal_create(actor=cast.noor, person=cast.anna, description="Elke dag wandelen", life_domain="health")
    token = smart.api_token_issue(username=cast.noor.username, scope="user/*.read user/*.write")
    base = f"{live_server.url}/fhir"
    reader = SyncFHIRClient(base, authorization=f"Bearer {token}")
    read = reader.reference("Goal", str(goal.pk)).to_resource().serialize()
    etag = f'W/"{read["meta"]["versionId"]}"'
    writer = SyncFHIRClient(base, authorization=f"Bearer {token}", extra_headers={"If-Match": etag})

    changed = writer.resource("Goal", **{**read, "description": {"text": "Elke dag een uur wandelen"}})
    saved = changed.save()  # PUT Goal/<id> with If-Match: the version read
    assert saved["meta"]["versionId"] != read["meta"]["versionId"]
    goal.refresh_from_db()
    assert goal.description == "Elke dag een uur wandelen"

    again = writer.resource("Goal", **{**read, "description": {"text": "Overschreven"}})
    with pytest.raises(MultipleResourcesFound) as refused:  # 412: the ETag is stale now
        again.save()
    assert "If-Match" in str(refused.value)
    goal.refresh_from_db()
    assert goal.description == "Elke dag een uur wandelen"
