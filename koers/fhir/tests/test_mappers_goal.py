"""Goal and GAS attainment mappers (issue #15): valid R4, codes, round trips, clear errors, no queries."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.fhir.mappers import systems
from koers.fhir.mappers.errors import MappingError
from koers.fhir.mappers.goal import (
    GasAttainmentData,
    GoalData,
    gas_attainment_from_fhir,
    gas_attainment_to_fhir,
    gas_baseline_data,
    goal_data,
    goal_from_fhir,
    goal_to_fhir,
)
from koers.fhir.mappers.refs import NotLoaded
from koers.goals import services
from koers.goals.models import Goal, GoalReview, LifeDomain, Responsible
from tests.support.fhir import assert_valid_r4

from .helpers import FHIR_SAFE_CHARACTERS

LEVELS = {-2: "Nooit buiten", -1: "Eén keer per week", 0: "Twee keer per week", 1: "Vier keer", 2: "Elke dag"}


@pytest.fixture
def gas_goal(cast):
    goal = services.goal_create(
        actor=cast.noor,
        person=cast.anna,
        description="Weer wandelen met de hond",
        life_domain="health",
        why_it_matters="Dan kom ik buiten en zie ik mensen.",
        lifecycle_status="active",
        target_date=dt.date(2027, 3, 1),
        uses_gas=True,
        gas_weight=2,
        gas_levels=LEVELS,
        gas_baseline=-1,
    )
    return Goal.objects.prefetch_related("gas_levels").get(pk=goal.pk)


def test_a_goal_maps_to_valid_r4_with_its_codes_and_no_query(gas_goal, django_assert_num_queries):
    with django_assert_num_queries(0):
        resource = goal_to_fhir(gas_goal)
    assert_valid_r4(resource)
    assert resource["lifecycleStatus"] == "active"
    assert resource["description"] == {"text": "Weer wandelen met de hond"}
    assert resource["subject"] == {"reference": f"Patient/{gas_goal.person_id}"}
    assert resource["category"][0]["coding"][0] == {
        "system": systems.LIFE_DOMAIN,
        "code": "health",
        "display": "Gezondheid",
    }
    assert resource["target"] == [{"dueDate": "2027-03-01"}]
    assert resource["expressedBy"] == {"reference": f"Patient/{gas_goal.person_id}"}
    assert resource["note"] == [{"text": "Dan kom ik buiten en zie ik mensen."}]
    assert resource["meta"]["profile"] == [systems.NL_CORE_GOAL]
    assert resource["meta"]["lastUpdated"].endswith(("+01:00", "+02:00"))
    gas = next(e for e in resource["extension"] if e["url"] == systems.EXT_GAS)
    assert {"url": "baseline", "valueInteger": -1} in gas["extension"]
    assert len([e for e in gas["extension"] if e["url"] == "level"]) == 5


def test_a_goal_round_trips_unchanged(gas_goal):
    assert goal_from_fhir(goal_to_fhir(gas_goal)) == goal_data(gas_goal)


def test_the_mapper_refuses_to_query_for_levels_it_was_not_given(gas_goal):
    bare = Goal.objects.get(pk=gas_goal.pk)
    with pytest.raises(NotLoaded):
        goal_to_fhir(bare)


def test_achievement_status_uses_the_hl7_code_system(cast):
    goal = services.goal_create(
        actor=cast.noor, person=cast.anna, description="Een baan", life_domain="work", lifecycle_status="active"
    )
    services.goal_set_status(actor=cast.noor, goal=goal, lifecycle_status="completed", achievement_status="achieved")
    goal.refresh_from_db()
    resource = goal_to_fhir(goal)
    assert_valid_r4(resource)
    assert resource["achievementStatus"]["coding"] == [{"system": systems.GOAL_ACHIEVEMENT, "code": "achieved"}]
    assert goal_from_fhir(resource) == goal_data(goal)


texts = st.text(FHIR_SAFE_CHARACTERS, min_size=1, max_size=60).filter(str.strip)
dates = st.none() | st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1))
moments = st.none() | st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2090, 1, 1), timezones=st.just(dt.UTC)
)


@st.composite
def goals(draw):
    uses_gas = draw(st.booleans())
    levels = tuple((lv, draw(texts)) for lv in (-2, -1, 0, 1, 2)) if uses_gas else ()
    return GoalData(
        id=draw(st.none() | st.integers(1, 10**9)),
        person_id=draw(st.integers(1, 10**9)),
        description=draw(texts),
        life_domain=draw(st.sampled_from(LifeDomain.values)),
        lifecycle_status=draw(st.sampled_from(Goal.LifecycleStatus.values)),
        achievement_status=draw(st.sampled_from(Goal.AchievementStatus.values)),
        why_it_matters=draw(st.just("") | texts),
        owner=draw(st.sampled_from(Responsible.values)),
        start_date=draw(dates),
        target_date=draw(dates),
        uses_gas=uses_gas,
        gas_weight=draw(st.integers(1, 10)) if uses_gas else 1,
        gas_baseline=draw(st.none() | st.integers(-2, 2)) if uses_gas else None,
        gas_levels=levels,
        updated_at=draw(moments),
    )


@settings(max_examples=60, deadline=None)
@given(goals())
def test_any_goal_round_trips_and_validates(data):
    resource = goal_to_fhir(data)
    assert_valid_r4(resource)
    assert goal_from_fhir(resource) == data


def _goal_json():
    return goal_to_fhir(
        GoalData(id=7, person_id=3, description="Koken", life_domain="daily", lifecycle_status="active")
    )


def _drop(key):
    def change(r):
        del r[key]

    return change


def _set(key, value):
    def change(r):
        r[key] = value

    return change


BAD_GOALS = [
    (lambda r: r.clear(), "resourceType"),
    (_set("resourceType", "CarePlan"), "resourceType"),
    (_drop("lifecycleStatus"), "Goal.lifecycleStatus: is required"),
    (_set("lifecycleStatus", "rejected"), "Goal.lifecycleStatus"),
    (_set("lifecycleStatus", 3), "Goal.lifecycleStatus: expected text"),
    (_drop("description"), "Goal.description: is required"),
    (_set("description", {"text": "  "}), "must not be empty"),
    (_set("description", {"text": "x" * 1001}), "longer than 1000"),
    (_set("category", []), "life domain"),
    (_set("category", [{"coding": [{"system": systems.LIFE_DOMAIN, "code": "moon"}]}]), "'moon'"),
    (_set("category", "health"), "Goal.category: expected a list"),
    (_set("subject", {"reference": "Practitioner/4"}), "Goal.subject"),
    (_drop("subject"), "Goal.subject"),
    (_set("startDate", "01-02-2026"), "Goal.startDate"),
    (_set("startDate", "2026-02-30"), "not a valid date"),
    (_set("target", [{"dueDate": "2026-01-01"}, {"dueDate": "2026-02-01"}]), "one target date"),
    (_set("id", "abc"), "Goal.id"),
    (_set("achievementStatus", {"coding": [{"system": systems.GOAL_ACHIEVEMENT, "code": "sustaining"}]}), "sustaining"),
    (_set("extension", [{"url": systems.EXT_GAS, "extension": [{"url": "baseline", "valueInteger": 5}]}]), "GAS level"),
    (_set("extension", [{"url": systems.EXT_GOAL_OWNER, "valueCode": "cat"}]), "goal-owner"),
    (_set("meta", {"lastUpdated": "2026-01-01T10:00:00"}), "time zone"),
]


@pytest.mark.parametrize(("change", "message"), BAD_GOALS)
def test_bad_goal_input_is_a_clear_mapping_error(change, message):
    resource = copy.deepcopy(_goal_json())
    change(resource)
    with pytest.raises(MappingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        goal_from_fhir(resource)


@pytest.mark.parametrize("junk", [None, 3, "Goal", [], {"resourceType": "Goal", "lifecycleStatus": "active"}])
def test_junk_is_a_mapping_error_never_key_or_type_error(junk):
    with pytest.raises(MappingError):
        goal_from_fhir(junk)


# --- GAS attainment ------------------------------------------------------------------------------


def test_a_review_maps_to_a_pco_attainment_observation(cast, gas_goal, django_assert_num_queries):
    services.goal_review_record(actor=cast.noor, goal=gas_goal, gas_level=1, note="Gaat goed")
    review = GoalReview.objects.select_related("reviewed_by").get(goal=gas_goal)
    review.goal = gas_goal  # with its prefetched levels
    with django_assert_num_queries(0):
        resource = gas_attainment_to_fhir(review)
    assert_valid_r4(resource)
    assert resource["code"]["coding"] == [{"system": systems.LOINC, "code": "107333-7"}]
    assert resource["category"][0]["coding"][0]["code"] == "survey"
    assert resource["focus"] == [{"reference": f"Goal/{gas_goal.pk}"}]
    assert resource["valueCodeableConcept"] == {
        "coding": [{"system": systems.GAS_LEVEL, "code": "1", "display": "Somewhat more than expected"}],
        "text": "Vier keer",
    }
    assert resource["performer"] == [{"reference": f"Practitioner/{cast.noor.pk}"}]
    data = gas_attainment_from_fhir(resource)
    assert data.level == 1 and data.goal_id == gas_goal.pk and data.reviewed_at == review.reviewed_at
    assert data.note == "Gaat goed" and data.level_text == "Vier keer"


@st.composite
def attainments(draw):
    reporter = draw(st.sampled_from(["practitioner", "patient", "caregiver", "baseline"]))
    moment = draw(
        st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2090, 1, 1), timezones=st.just(dt.UTC))
    )
    return GasAttainmentData(
        id=draw(st.none() | st.integers(1, 10**9)),
        person_id=draw(st.integers(1, 10**9)),
        goal_id=draw(st.integers(1, 10**9)),
        level=draw(st.integers(-2, 2)),
        reviewed_at=moment,
        reporter=reporter,
        performer_id=draw(st.integers(1, 10**6)) if reporter == "practitioner" else None,
        level_text=draw(st.just("") | texts),
        note=draw(st.just("") | texts),
    )


@settings(max_examples=60, deadline=None)
@given(attainments())
def test_any_attainment_round_trips_and_validates(data):
    resource = gas_attainment_to_fhir(data)
    assert_valid_r4(resource)
    assert gas_attainment_from_fhir(resource) == data


def _gas_json():
    return gas_attainment_to_fhir(
        GasAttainmentData(id=1, person_id=2, goal_id=3, level=0, reviewed_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    )


BAD_GAS = [
    (_set("code", {"coding": [{"system": systems.LOINC, "code": "8480-6"}]}), "is not a GAS score"),
    (_drop("code"), "Observation.code: is required"),
    (_set("focus", []), "exactly one focus"),
    (_set("focus", [{"reference": "CarePlan/3"}]), "Observation.focus"),
    (_set("valueCodeableConcept", {"coding": [{"system": systems.GAS_LEVEL, "code": "3"}]}), "GAS level"),
    (_set("valueCodeableConcept", {"coding": [{"system": systems.GAS_LEVEL, "code": "lots"}]}), "GAS level"),
    (_drop("valueCodeableConcept"), "is required"),
    (_drop("effectiveDateTime"), "effectiveDateTime"),
    (_set("effectiveDateTime", "2026-05-01"), "time zone"),
    (_set("id", "7"), "gas-<number>"),
]


@pytest.mark.parametrize(("change", "message"), BAD_GAS)
def test_bad_attainment_input_is_a_clear_mapping_error(change, message):
    resource = copy.deepcopy(_gas_json())
    change(resource)
    with pytest.raises(MappingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        gas_attainment_from_fhir(resource)


def test_the_baseline_is_a_pco_baseline_observation(gas_goal):
    data = gas_baseline_data(gas_goal)
    resource = gas_attainment_to_fhir(data)
    assert_valid_r4(resource)
    assert resource["id"] == f"gas-baseline-{gas_goal.pk}"
    assert resource["code"]["coding"] == [{"system": systems.LOINC, "code": "112296-9"}]
    assert resource["valueCodeableConcept"]["coding"][0]["code"] == "-1"
    assert resource["valueCodeableConcept"]["text"] == "Eén keer per week"
    assert gas_attainment_from_fhir(resource) == data


def test_a_goal_without_gas_has_no_baseline(cast):
    goal = services.goal_create(actor=cast.noor, person=cast.anna, description="Koken", life_domain="daily")
    assert gas_baseline_data(goal) is None
