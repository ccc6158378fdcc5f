"""Task mappers (issue #15): a goal's actions and questionnaire assignments (Koppeltaal manner)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.fhir.mappers import systems
from koers.fhir.mappers.errors import MappingError
from koers.fhir.mappers.task import (
    ActionTaskData,
    AssignmentTaskData,
    action_task_data,
    action_task_from_fhir,
    action_task_to_fhir,
    assignment_task_data,
    assignment_task_from_fhir,
    assignment_task_to_fhir,
)
from koers.goals import services
from koers.goals.models import Action, Responsible
from koers.questionnaires import instruments
from koers.questionnaires import services as q_services
from koers.questionnaires.models import Assignment
from tests.support.fhir import assert_valid_r4

from .helpers import JUNK, assert_mapping_error, dates, drop, maybe_text, moments, pks, put, texts


@pytest.fixture
def action(cast):
    goal = services.goal_create(
        actor=cast.noor, person=cast.anna, description="Wandelen", life_domain="health", lifecycle_status="active"
    )
    made = services.action_create(
        actor=cast.noor,
        goal=goal,
        what="Rondje om het blok",
        responsible="relative",
        responsible_name="Rob",
        review_date=dt.date(2027, 1, 10),
    )
    return Action.objects.get(pk=made.pk)


def test_an_action_is_a_task_for_the_goal_without_queries(cast, action, django_assert_num_queries):
    with django_assert_num_queries(0):
        resource = action_task_to_fhir(action)
    assert_valid_r4(resource)
    assert resource["id"] == f"action-{action.pk}"
    assert resource["status"] == "in-progress" and resource["intent"] == "plan"
    assert resource["code"]["coding"] == [{"system": systems.TASK_CODE, "code": "goal-action"}]
    assert resource["focus"] == {"reference": f"Goal/{action.goal_id}"}
    assert resource["for"] == {"reference": f"Patient/{cast.anna.pk}"}
    assert resource["owner"] == {"display": "Rob"}
    assert resource["restriction"] == {"period": {"end": "2027-01-10"}}
    assert action_task_from_fhir(resource) == action_task_data(action)


@settings(max_examples=50, deadline=None)
@given(
    st.builds(
        ActionTaskData,
        person_id=pks,
        goal_id=pks,
        what=texts,
        status=st.sampled_from(Action.Status.values),
        responsible=st.sampled_from(Responsible.values),
        responsible_name=maybe_text,
        review_date=st.none() | dates,
        created_at=st.none() | moments,
        updated_at=st.none() | moments,
        id=st.none() | pks,
    )
)
def test_any_action_task_round_trips_and_validates(data):
    resource = action_task_to_fhir(data)
    assert_valid_r4(resource)
    assert action_task_from_fhir(resource) == data


GOOD_ACTION = action_task_to_fhir(ActionTaskData(person_id=1, goal_id=2, what="Koken", id=3))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (put("code", {"coding": [{"system": systems.TASK_CODE, "code": "questionnaire"}]}), "'goal-action'"),
        (put("status", "ready"), "Task.status"),
        (put("intent", "order"), "Task.intent"),
        (put("focus", {"reference": "Questionnaire/phq-9"}), "Task.focus"),
        (drop("description"), "Task.description: is required"),
        (put("extension", []), "action-detail extension"),
        (put("extension", 0, "extension", 0, "valueCode", "robot"), "'robot'"),
        (put("id", "3"), "action-<number>"),
        (put("restriction", {"period": {"end": "10-01-2027"}}), "Task.restriction.period.end"),
    ],
)
def test_bad_action_task_input_is_a_clear_mapping_error(change, message):
    assert_mapping_error(action_task_from_fhir, GOOD_ACTION, change, message)


# --- assignments ---------------------------------------------------------------------------------


@pytest.fixture
def assignment(cast):
    made = q_services.assignment_create(
        actor=cast.noor, person=cast.anna, instrument_id="phq-9", due_date=dt.date(2027, 2, 1), note="Voor ons gesprek"
    )
    return Assignment.objects.get(pk=made.pk)


def test_an_assignment_is_a_koppeltaal_style_task_for_the_questionnaire(cast, assignment, django_assert_num_queries):
    with django_assert_num_queries(0):
        resource = assignment_task_to_fhir(assignment)
    assert_valid_r4(resource)
    phq9 = instruments.get("phq-9")
    assert resource["id"] == f"assignment-{assignment.pk}"
    assert resource["status"] == "ready" and resource["intent"] == "order"
    assert {"system": "http://hl7.org/fhir/CodeSystem/task-code", "code": "fulfill"} in resource["code"]["coding"]
    assert resource["focus"]["reference"] == "Questionnaire/phq-9"
    assert resource["for"] == resource["owner"] == {"reference": f"Patient/{cast.anna.pk}"}
    assert resource["requester"] == {"reference": f"Practitioner/{cast.noor.pk}"}
    assert resource["input"][0]["valueCanonical"] == f"{phq9.url}|{phq9.version}"
    assert resource["note"] == [{"text": "Voor ons gesprek"}]
    assert assignment_task_from_fhir(resource) == assignment_task_data(assignment, questionnaire_url=phq9.url)


@settings(max_examples=50, deadline=None)
@given(
    st.builds(
        AssignmentTaskData,
        person_id=pks,
        instrument_id=st.sampled_from(["phq-9", "k10"]),
        instrument_version=st.sampled_from(["1.0.0", "2"]),
        questionnaire_url=st.just("https://koers.example.org/fhir/Questionnaire/"),
        title=texts,
        assigned_by_id=pks,
        assigned_at=moments,
        status=st.sampled_from(Assignment.Status.values),
        due_date=st.none() | dates,
        note=maybe_text,
        id=st.none() | pks,
    )
)
def test_any_assignment_task_round_trips_and_validates(data):
    data = replace(data, questionnaire_url=data.questionnaire_url + data.instrument_id)
    resource = assignment_task_to_fhir(data)
    assert_valid_r4(resource)
    assert assignment_task_from_fhir(resource) == data


GOOD_ASSIGNMENT = assignment_task_to_fhir(
    AssignmentTaskData(
        person_id=1,
        instrument_id="phq-9",
        instrument_version="1.0.0",
        questionnaire_url="https://koers.example.org/fhir/Questionnaire/phq-9",
        title="PHQ-9",
        assigned_by_id=2,
        assigned_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        id=3,
    )
)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (put("status", "in-progress"), "Task.status"),
        (put("focus", {"reference": "Questionnaire/gad-7"}), "name different questionnaires"),
        (put("input", []), "needs the questionnaire canonical"),
        (put("input", 0, "valueCanonical", "phq-9"), "not a Questionnaire canonical"),
        (put("owner", {"reference": "Patient/9"}), "the owner is the person"),
        (put("requester", {"reference": "Patient/1"}), "Task.requester"),
        (drop("authoredOn"), "Task.authoredOn: is required"),
        (put("id", "action-3"), "assignment-<number>"),
    ],
)
def test_bad_assignment_task_input_is_a_clear_mapping_error(change, message):
    assert_mapping_error(assignment_task_from_fhir, GOOD_ASSIGNMENT, change, message)


@pytest.mark.parametrize("junk", JUNK)
def test_junk_is_a_mapping_error(junk):
    with pytest.raises(MappingError):
        action_task_from_fhir(junk)
    with pytest.raises(MappingError):
        assignment_task_from_fhir(junk)
