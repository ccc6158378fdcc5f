"""Whatever the query string, a search answers 200 or 400 with an OperationOutcome, never a
server error (issue #15: "unknown or malformed ones get 400, never a server error")."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koers.fhir import registry

KEYS = st.sampled_from(
    [
        "_id",
        "name",
        "name:exact",
        "birthdate",
        "identifier",
        "gender",
        "_lastUpdated",
        "patient",
        "subject",
        "status",
        "practitioner",
        "organization",
        "_count",
        "_offset",
        "_include",
        "_total",
        "_format",
        "x",
    ]
)
VALUES = st.one_of(
    st.text(max_size=25),
    st.sampled_from(["ge2026", "lt2026-03-04T10:00Z", "Patient/1", "1", "|1", "a|b", "0", "100000", "active"]),
)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    type_name=st.sampled_from(
        ["Patient", "CareTeam", "RelatedPerson", "Practitioner", "PractitionerRole", "Organization"]
    ),
    pairs=st.lists(st.tuples(KEYS, VALUES), max_size=4),
)
def test_any_query_is_200_or_400(cast, client, type_name, pairs):
    assert registry.get(type_name) is not None
    client.force_login(cast.noor)
    response = client.get(f"/fhir/{type_name}?{urlencode(pairs)}", headers={"Accept": "application/fhir+json"})
    assert response.status_code in (200, 400, 406), (pairs, response.status_code)
    resource = json.loads(response.content)
    assert resource["resourceType"] == ("Bundle" if response.status_code == 200 else "OperationOutcome")
