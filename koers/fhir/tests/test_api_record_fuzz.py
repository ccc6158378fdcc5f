"""Whatever the query string, a search of the person-record types answers 200 or 400, never a
server error (issue #15), for a professional and for the person (the only reader of AuditEvent)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

KEYS = st.sampled_from(
    [
        "_id",
        "patient",
        "subject",
        "for",
        "status",
        "authored",
        "questionnaire",
        "url",
        "name",
        "name:exact",
        "title:contains",
        "date",
        "action",
        "code",
        "focus",
        "type",
        "_lastUpdated",
        "_count",
        "_offset",
        "x",
    ]
)
VALUES = st.one_of(
    st.text(max_size=25),
    st.sampled_from(
        [
            "ge2026",
            "lt2026-03-04T10:00Z",
            "Patient/1",
            "Goal/1",
            "Questionnaire/phq-9",
            "1",
            "|1",
            "a|b",
            "action-1",
            "assignment-99999999999999999999",
            "00000000-0000-0000-0000-000000000000",
            "completed",
            "R",
            "phq-9",
        ]
    ),
)
TYPES = ["QuestionnaireResponse", "Questionnaire", "Consent", "AuditEvent", "Task", "DocumentReference"]


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    type_name=st.sampled_from(TYPES),
    as_person=st.booleans(),
    pairs=st.lists(st.tuples(KEYS, VALUES), max_size=4),
)
def test_any_query_is_200_or_400(cast, client, type_name, as_person, pairs):
    client.force_login(cast.anna_user if as_person else cast.noor)
    response = client.get(f"/fhir/{type_name}?{urlencode(pairs)}", headers={"Accept": "application/fhir+json"})
    assert response.status_code in (200, 400), (pairs, response.status_code)
    resource = json.loads(response.content)
    assert resource["resourceType"] == ("Bundle" if response.status_code == 200 else "OperationOutcome")
