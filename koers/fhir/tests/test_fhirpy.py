"""A real FHIR client (fhirpy, sync) against a running server: read and search Patients with a
session cookie (issue #15, "Proof")."""

from __future__ import annotations

import pytest
from django.test import Client
from fhirpy import SyncFHIRClient

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
