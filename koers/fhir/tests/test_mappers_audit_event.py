"""AuditEvent mapper (issue #15): access-log rows, read-only."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.audit.models import AccessLogEntry
from koers.fhir.mappers import systems
from koers.fhir.mappers.audit_event import OBJECT_RESOURCES, auditevent_to_fhir
from koers.goals import services
from tests.support.fhir import assert_valid_r4

from .helpers import moments, pks


def test_the_rows_a_service_writes_map_to_valid_audit_events_without_queries(cast, django_assert_num_queries):
    goal = services.goal_create(actor=cast.noor, person=cast.anna, description="Koken", life_domain="daily")
    rows = list(AccessLogEntry.objects.filter(person=cast.anna, object_type="goals.Goal"))
    assert rows
    with django_assert_num_queries(0):
        resources = [auditevent_to_fhir(row) for row in rows]
    for resource in resources:
        assert_valid_r4(resource)
    created = next(r for r in resources if r["action"] == "C")
    assert created["type"] == {
        "system": "http://dicom.nema.org/resources/ontology/DCM",
        "code": "110110",
        "display": "Patient Record",
    }
    assert created["outcome"] == "0"
    assert created["agent"][0]["who"]["reference"] == f"Practitioner/{cast.noor.pk}"
    assert created["agent"][0]["requestor"] is True
    assert created["purposeOfEvent"][0]["coding"][0] == {
        "system": systems.V3_ACT_REASON,
        "code": "TREAT",
        "display": "treatment",
    }
    assert created["entity"][0]["what"] == {"reference": f"Patient/{cast.anna.pk}"}
    assert created["entity"][1]["what"] == {"reference": f"Goal/{goal.pk}"}
    assert created["recorded"].endswith(("+01:00", "+02:00"))


def _entry(**fields):
    defaults = {
        "event_id": uuid.uuid4(),
        "occurred_at": dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC),
        "action": "R",
        "outcome": "success",
        "user_id": 5,
        "user_display": "Noor Bakker",
        "role": "professional:practice_nurse",
        "purpose": "treatment",
        "person_id": 7,
    }
    return AccessLogEntry(**{**defaults, **fields})


def test_a_refused_read_is_outcome_4_and_an_api_row_is_rest():
    resource = auditevent_to_fhir(_entry(outcome="refused", detail="not in the care team"), rest=True)
    assert_valid_r4(resource)
    assert resource["outcome"] == "4" and resource["outcomeDesc"] == "not in the care team"
    assert resource["type"]["code"] == "rest" and resource["type"]["system"] == systems.AUDIT_EVENT_TYPE
    assert resource["subtype"] == [{"system": systems.RESTFUL_INTERACTION, "code": "read"}]


def test_the_person_reading_their_own_data_is_not_called_a_practitioner():
    resource = auditevent_to_fhir(_entry(role="person", purpose="self", user_display="Anna"))
    assert resource["agent"][0]["who"] == {
        "identifier": {"system": systems.KOERS_NS + "user", "value": "5"},
        "display": "Anna",
    }
    assert resource["purposeOfEvent"][0]["coding"][0]["code"] == "PATRQT"


def test_an_unknown_object_type_keeps_its_koers_name_and_id():
    resource = auditevent_to_fhir(_entry(object_type="consults.Consult", object_id="12"))
    assert resource["entity"][1]["what"] == {
        "identifier": {"system": systems.AUDIT_OBJECT_TYPE, "value": "consults.Consult/12"}
    }


entries = st.builds(
    _entry,
    occurred_at=moments,
    action=st.sampled_from(AccessLogEntry.Action.values),
    outcome=st.sampled_from(AccessLogEntry.Outcome.values),
    user_id=st.none() | pks,
    user_display=st.sampled_from(["", "Noor", "anonymous"]),
    role=st.sampled_from(["", "person", "relative", "professional:gp", "administrator"]),
    on_behalf_of_id=st.none() | pks,
    purpose=st.sampled_from(AccessLogEntry.Purpose.values),
    person_id=st.none() | pks,
    object_type=st.sampled_from(["", "caseload", *OBJECT_RESOURCES]),
    object_id=st.sampled_from(["", "3"]),
    client_address=st.sampled_from(["", "192.0.2.1"]),
    detail=st.sampled_from(["", "agreed"]),
    organisation_display=st.sampled_from(["", "Huisartsenpraktijk De Linde"]),
)


@settings(max_examples=80, deadline=None)
@given(entries, st.booleans())
def test_any_row_maps_to_a_valid_audit_event(entry, rest):
    resource = auditevent_to_fhir(entry, rest=rest)
    assert_valid_r4(resource)
    assert resource["action"] == entry.action
    assert resource["outcome"] in ("0", "4", "8")


@pytest.mark.parametrize("outcome", ["success", "refused", "failed"])
def test_every_outcome_has_its_code(outcome):
    assert (
        auditevent_to_fhir(_entry(outcome=outcome))["outcome"]
        == {"success": "0", "refused": "4", "failed": "8"}[outcome]
    )
