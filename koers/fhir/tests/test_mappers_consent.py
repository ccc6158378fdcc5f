"""Consent mapper (issue #15): the person's choices per network member and topic."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.fhir.mappers import systems
from koers.fhir.mappers.consent import TOPICS, ConsentData, consent_data, consent_from_fhir, consent_to_fhir
from koers.fhir.mappers.errors import MappingError
from koers.network.models import Consent, RelativeLink
from koers.network.services import consent_set
from tests.support.fhir import assert_valid_r4

from .helpers import JUNK, assert_mapping_error, drop, moments, pks, put


def test_a_withdrawal_is_an_inactive_deny_for_that_member_without_queries(cast, django_assert_num_queries):
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.gert, topic="goals", granted=False)
    consent = Consent.objects.select_related("decision").get(person=cast.anna, member=cast.gert, topic="goals")
    with django_assert_num_queries(0):
        resource = consent_to_fhir(consent)
    assert_valid_r4(resource)
    assert resource["status"] == "inactive"
    assert resource["scope"]["coding"][0] == {
        "system": systems.CONSENT_SCOPE,
        "code": "patient-privacy",
        "display": "Privacy Consent",
    }
    assert resource["category"][0]["coding"][0]["code"] == "59284-0"
    assert resource["patient"] == {"reference": f"Patient/{cast.anna.pk}"}
    assert resource["performer"] == [{"reference": f"Patient/{cast.anna.pk}"}]
    provision = resource["provision"]
    assert provision["type"] == "deny"
    assert provision["actor"][0]["reference"] == {"reference": f"Practitioner/{cast.gert.pk}"}
    assert provision["actor"][0]["role"]["coding"][0]["code"] == "IRCP"
    assert provision["code"] == [{"coding": [{"system": systems.CONSENT_TOPIC, "code": "goals"}]}]
    assert {"system": "http://hl7.org/fhir/resource-types", "code": "Goal"} in provision["class"]
    assert resource["meta"]["versionId"] == str(consent.decision_id)
    assert consent_from_fhir(resource) == consent_data(consent)


def test_a_relative_granted_with_the_professional_is_an_active_permit(cast):
    consent_set(
        actor=cast.noor, person=cast.anna, member=cast.rob, topic="crisis_plan", granted=True, recorded_with_person=True
    )
    consent = Consent.objects.select_related("decision").get(person=cast.anna, member=cast.rob)
    link = RelativeLink.objects.get(person=cast.anna, user=cast.rob)
    resource = consent_to_fhir(consent_data(consent, relative_link_id=link.pk))
    assert_valid_r4(resource)
    assert resource["status"] == "active" and resource["provision"]["type"] == "permit"
    assert resource["policyRule"]["coding"][0] == {"system": systems.V3_ACT_CODE, "code": "OPTIN"}
    assert resource["provision"]["actor"][0]["reference"] == {"reference": f"RelatedPerson/{link.pk}"}
    assert {"reference": f"Practitioner/{cast.noor.pk}"} in resource["performer"]
    assert consent_from_fhir(resource) == consent_data(consent, relative_link_id=link.pk)


@st.composite
def consents(draw):
    return ConsentData(
        id=draw(st.none() | pks),
        person_id=draw(pks),
        topic=draw(st.sampled_from(TOPICS)),
        granted=draw(st.booleans()),
        decided_at=draw(moments),
        member_type=draw(st.sampled_from(["Practitioner", "RelatedPerson"])),
        member_id=draw(pks),
        recorded_by_id=draw(st.none() | pks),
        decision_id=draw(st.none() | pks),
    )


@settings(max_examples=60, deadline=None)
@given(consents())
def test_any_consent_round_trips_and_validates(data):
    resource = consent_to_fhir(data)
    assert_valid_r4(resource)
    assert consent_from_fhir(resource) == data


GOOD = consent_to_fhir(
    ConsentData(
        person_id=1,
        topic="goals",
        granted=True,
        decided_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
        member_type="Practitioner",
        member_id=2,
        decision_id=3,
        id=4,
    )
)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (put("status", "inactive"), "disagree"),
        (put("status", "proposed"), "Consent.status"),
        (put("scope", {"coding": [{"system": systems.CONSENT_SCOPE, "code": "research"}]}), "Consent.scope"),
        (drop("provision"), "Consent.provision: is required"),
        (put("provision", "actor", []), "exactly one actor"),
        (
            put("provision", "actor", 0, "reference", {"reference": "Organization/3"}),
            "Consent.provision.actor[0].reference",
        ),
        (put("provision", "code", [{"coding": [{"system": systems.CONSENT_TOPIC, "code": "research"}]}]), "'research'"),
        (put("provision", "code", []), "exactly one code"),
        (put("provision", "type", "maybe"), "Consent.provision.type"),
        (put("patient", {"reference": "Group/1"}), "Consent.patient"),
        (put("dateTime", "2026-02-01"), "time zone"),
        (put("meta", "versionId", "v1"), "not a Koers decision id"),
    ],
)
def test_bad_consent_input_is_a_clear_mapping_error(change, message):
    assert_mapping_error(consent_from_fhir, GOOD, change, message)


@pytest.mark.parametrize("junk", JUNK)
def test_junk_is_a_mapping_error(junk):
    with pytest.raises(MappingError):
        consent_from_fhir(junk)
