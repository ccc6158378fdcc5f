"""CarePlan mapper (issue #15): a stored version as CarePlan, versionId, activities, round trips."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.careplans import services as plan_services
from koers.careplans.models import CarePlanVersion, FollowUpAgreement
from koers.fhir.mappers import systems
from koers.fhir.mappers.careplan import (
    ActivityData,
    CarePlanData,
    FollowUpData,
    careplan_data,
    careplan_from_fhir,
    careplan_to_fhir,
)
from koers.fhir.mappers.errors import MappingError
from koers.goals import services
from koers.goals.models import Action, Responsible
from tests.support.fhir import assert_valid_r4

from .helpers import JUNK, assert_mapping_error, dates, drop, maybe_text, moments, pks, put, texts


@pytest.fixture
def version(cast):
    goal = services.goal_create(
        actor=cast.noor, person=cast.anna, description="Weer wandelen", life_domain="health", lifecycle_status="active"
    )
    services.action_create(
        actor=cast.noor,
        goal=goal,
        what="Elke ochtend een rondje",
        when="'s ochtends",
        how_often="elke dag",
        where="in het park",
        with_whom="met Rob",
        responsible="relative",
        responsible_name="Rob",
        review_date=dt.date(2027, 1, 15),
    )
    plan_services.follow_up_create(
        actor=cast.noor, person=cast.anna, what="Hoe gaat het wandelen?", who="Noor", next_date=dt.date(2027, 2, 1)
    )
    plan_services.care_plan_agree(actor=cast.noor, person=cast.anna, summary="Afgesproken in het gesprek")
    return CarePlanVersion.objects.select_related("care_plan").filter(care_plan__person=cast.anna).first()


def test_a_version_maps_to_a_valid_careplan_without_queries(cast, version, django_assert_num_queries):
    with django_assert_num_queries(0):
        resource = careplan_to_fhir(version)
    assert_valid_r4(resource)
    assert resource["meta"]["versionId"] == str(version.number)
    assert resource["status"] == "active" and resource["intent"] == "plan"
    assert resource["subject"] == {"reference": f"Patient/{cast.anna.pk}"}
    assert resource["author"] == {"reference": f"Practitioner/{cast.noor.pk}"}
    assert {"reference": f"Practitioner/{cast.gert.pk}"} in resource["contributor"]
    assert resource["note"] == [{"text": "Afgesproken in het gesprek"}]
    goal_id = version.snapshot["goals"][0]["id"]
    assert resource["goal"] == [{"reference": f"Goal/{goal_id}"}]
    action, follow_up = (a["detail"] for a in resource["activity"])
    assert action["kind"] == "Task" and action["status"] == "in-progress"
    assert action["description"] == "Elke ochtend een rondje" and action["goal"] == [{"reference": f"Goal/{goal_id}"}]
    assert action["performer"] == [{"display": "Rob"}]
    assert follow_up["kind"] == "Appointment" and follow_up["scheduledPeriod"] == {"start": "2027-02-01"}
    assert follow_up["code"]["coding"][0]["system"] == systems.FOLLOW_UP_METHOD


def test_a_version_round_trips_unchanged(version):
    data = careplan_data(version)
    assert careplan_from_fhir(careplan_to_fhir(version)) == data
    assert data.activities[0].responsible_name == "Rob" and data.activities[0].review_date == dt.date(2027, 1, 15)


def test_an_open_version_is_a_draft(cast):
    services.goal_create(actor=cast.noor, person=cast.anna, description="Koken", life_domain="daily")
    version = CarePlanVersion.objects.select_related("care_plan").get(care_plan__person=cast.anna)
    assert careplan_to_fhir(version)["status"] == "draft"


def test_a_schema_1_snapshot_still_maps(cast, version):
    version.snapshot = {"schema": 1, "goals": [{"id": 5, "description": "x", "actions": []}], "follow_ups": []}
    resource = careplan_to_fhir(version)
    assert_valid_r4(resource)
    assert resource["goal"] == [{"reference": "Goal/5"}] and "contributor" not in resource


@st.composite
def plans(draw):
    activities = draw(
        st.lists(
            st.builds(
                ActivityData,
                action_id=pks,
                goal_id=pks,
                what=texts,
                status=st.sampled_from([Action.Status.ACTIVE.value, Action.Status.DONE.value]),
                when=maybe_text,
                how_often=maybe_text,
                where=maybe_text,
                with_whom=maybe_text,
                responsible=st.sampled_from(Responsible.values),
                responsible_name=maybe_text,
                review_date=st.none() | dates,
            ),
            max_size=3,
        )
    )
    follow_ups = draw(
        st.lists(
            st.builds(
                FollowUpData,
                follow_up_id=pks,
                what=texts,
                who=maybe_text,
                method=st.sampled_from(FollowUpAgreement.Method.values),
                frequency=maybe_text,
                next_date=st.none() | dates,
            ),
            max_size=2,
        )
    )
    return CarePlanData(
        plan_id=draw(pks),
        person_id=draw(pks),
        version=draw(st.integers(1, 10**6)),
        created_at=draw(moments),
        created_by_id=draw(pks),
        started_at=draw(st.none() | moments),
        updated_at=draw(st.none() | moments),
        agreed=draw(st.booleans()),
        summary=draw(maybe_text),
        what_matters=draw(maybe_text),
        goal_ids=tuple(draw(st.lists(pks, max_size=3))),
        activities=tuple(activities),
        follow_ups=tuple(follow_ups),
        care_team_ids=tuple(draw(st.lists(pks, max_size=3))),
    )


@settings(max_examples=50, deadline=None)
@given(plans())
def test_any_plan_round_trips_and_validates(data):
    resource = careplan_to_fhir(data)
    assert_valid_r4(resource)
    assert careplan_from_fhir(resource) == data


ACTION = ActivityData(action_id=1, goal_id=2, what="Wandelen")
FOLLOW = FollowUpData(follow_up_id=3, what="Terugkijken")
GOOD = careplan_to_fhir(
    CarePlanData(
        plan_id=9,
        person_id=4,
        version=2,
        created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        created_by_id=5,
        activities=(ACTION,),
        follow_ups=(FOLLOW,),
    )
)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (put("status", "revoked"), "CarePlan.status: 'revoked' is not one of"),
        (put("intent", "order"), "CarePlan.intent"),
        (drop("meta", "versionId"), "CarePlan.meta.versionId: is required"),
        (put("meta", "versionId", "v2"), "not a version number"),
        (drop("id"), "CarePlan.id: is required"),
        (put("subject", {"reference": "Group/1"}), "CarePlan.subject"),
        (drop("created"), "CarePlan.created: is required"),
        (put("created", "gisteren"), "CarePlan.created"),
        (put("goal", [{"display": "zonder verwijzing"}]), "CarePlan.goal[0]"),
        (put("activity", [{"reference": {"reference": "Task/1"}}]), "CarePlan.activity[0].detail: is required"),
        (put("activity", 0, "detail", "kind", "MedicationRequest"), "Koers plans hold actions"),
        (put("activity", 0, "detail", "status", "on-hold"), "CarePlan.activity[0].detail.status"),
        (put("activity", 0, "detail", "extension", []), "needs the Koers extension"),
        (put("activity", 0, "detail", "goal", []), "exactly one goal"),
        (put("activity", 0, "detail", "description", ""), "must not be empty"),
        (
            put("activity", 1, "detail", "code", {"coding": [{"system": systems.FOLLOW_UP_METHOD, "code": "pigeon"}]}),
            "'pigeon'",
        ),
        (put("contributor", [{"reference": "Patient/4"}]), "CarePlan.contributor[0]"),
    ],
)
def test_bad_careplan_input_is_a_clear_mapping_error(change, message):
    assert_mapping_error(careplan_from_fhir, GOOD, change, message)


@pytest.mark.parametrize("junk", JUNK)
def test_junk_is_a_mapping_error(junk):
    with pytest.raises(MappingError):
        careplan_from_fhir(junk)
