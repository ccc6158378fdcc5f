"""Create and update through the FHIR API (issue #15): Goal create/update with versions and
If-Match through the goals services, Observation create through the import services; scopes,
refusals (someone else's goal answers exactly like a missing one) and the access log."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from koers.audit.models import AccessLogEntry
from koers.fhir.mappers import systems
from koers.goals import services as goals
from koers.goals.models import Goal, GoalStatusChange
from koers.monitoring.models import Observation
from koers.smart import services as smart
from tests.support.fhir import assert_valid_r4

pytestmark = pytest.mark.django_db
FHIR = "application/fhir+json"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"


def token_for(user, scope="user/*.read user/*.write") -> str:
    return smart.api_token_issue(username=user.username, scope=scope)


def call(method, path, token=None, body=None, headers=None, client=None):
    client = client or Client()
    headers = {"Accept": FHIR, **(headers or {})}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = body if isinstance(body, (str, bytes)) or body is None else json.dumps(body)
    return client.generic(method, f"/fhir/{path}", data=data or "", content_type=FHIR, headers=headers)


def goal_of(cast, person=None, **extra) -> Goal:
    return goals.goal_create(
        actor=cast.noor,
        person=person or cast.anna,
        description="Elke dag een half uur wandelen",
        life_domain="health",
        lifecycle_status="active",
        **extra,
    )


def read(cast, goal, token):
    response = call("GET", f"Goal/{goal.pk}", token)
    assert response.status_code == 200, response.content
    return json.loads(response.content), response["ETag"]


def new_goal(person) -> dict:
    return {
        "resourceType": "Goal",
        "lifecycleStatus": "proposed",
        "category": [{"coding": [{"system": systems.LIFE_DOMAIN, "code": "social"}]}],
        "description": {"text": "Een keer per week iemand bellen"},
        "subject": {"reference": f"Patient/{person.pk}"},
    }


def test_a_goal_read_has_its_version_and_etag(cast):
    goal = goal_of(cast)
    resource, etag = read(cast, goal, token_for(cast.noor))
    assert resource["meta"]["versionId"] and etag == f'W/"{resource["meta"]["versionId"]}"'
    assert_valid_r4(resource)


def test_create_a_goal_through_the_service_with_its_log_row(cast):
    body = new_goal(cast.anna)
    response = call("POST", "Goal", token_for(cast.noor), body)
    assert response.status_code == 201, response.content
    created = json.loads(response.content)
    assert_valid_r4(created)
    goal = Goal.objects.get(pk=created["id"])
    assert (goal.person, goal.description, goal.created_by) == (cast.anna, "Een keer per week iemand bellen", cast.noor)
    version = created["meta"]["versionId"]
    assert response["Location"].endswith(f"/fhir/Goal/{goal.pk}/_history/{version}")
    assert response["ETag"] == f'W/"{version}"'
    assert AccessLogEntry.objects.filter(
        user=cast.noor, person=cast.anna, action="C", outcome="success", object_type="goals.Goal", object_id=goal.pk
    ).exists()
    assert GoalStatusChange.objects.filter(goal=goal).count() == 1


def test_update_with_if_match_then_a_stale_version_is_412(cast):
    goal = goal_of(cast)
    token = token_for(cast.noor)
    resource, etag = read(cast, goal, token)
    resource["description"]["text"] = "Elke dag drie kwartier wandelen"
    response = call("PUT", f"Goal/{goal.pk}", token, resource, {"If-Match": etag})
    assert response.status_code == 200, response.content
    assert response["ETag"] != etag
    goal.refresh_from_db()
    assert goal.description == "Elke dag drie kwartier wandelen"
    assert AccessLogEntry.objects.filter(
        user=cast.noor, action="U", outcome="success", object_type="goals.Goal", object_id=goal.pk
    ).exists()

    resource["description"]["text"] = "Overschreven"
    stale = call("PUT", f"Goal/{goal.pk}", token, resource, {"If-Match": etag})
    assert stale.status_code == 412
    assert json.loads(stale.content)["resourceType"] == "OperationOutcome"
    goal.refresh_from_db()
    assert goal.description == "Elke dag drie kwartier wandelen"


def test_update_of_the_status_goes_through_the_lifecycle_service(cast):
    goal = goal_of(cast)
    token = token_for(cast.noor)
    resource, etag = read(cast, goal, token)
    resource["lifecycleStatus"] = "completed"
    resource["achievementStatus"] = {"coding": [{"system": systems.GOAL_ACHIEVEMENT, "code": "achieved"}]}
    response = call("PUT", f"Goal/{goal.pk}", token, resource, {"If-Match": etag})
    assert response.status_code == 200, response.content
    goal.refresh_from_db()
    assert (goal.lifecycle_status, goal.achievement_status) == ("completed", "achieved")
    assert GoalStatusChange.objects.filter(goal=goal, lifecycle_status="completed").exists()
    # a completed goal's words cannot change: the service refuses, 422, nothing written
    resource, etag = read(cast, goal, token)
    resource["description"]["text"] = "Anders"
    refused = call("PUT", f"Goal/{goal.pk}", token, resource, {"If-Match": etag})
    assert refused.status_code == 422
    goal.refresh_from_db()
    assert goal.description == "Elke dag een half uur wandelen"


def test_update_needs_if_match_the_right_type_and_the_right_id(cast):
    goal = goal_of(cast)
    token = token_for(cast.noor)
    resource, etag = read(cast, goal, token)
    assert call("PUT", f"Goal/{goal.pk}", token, resource).status_code == 428
    wrong_type = {**resource, "resourceType": "CarePlan"}
    assert call("PUT", f"Goal/{goal.pk}", token, wrong_type, {"If-Match": etag}).status_code == 400
    wrong_id = {**resource, "id": str(goal.pk + 1)}
    assert call("PUT", f"Goal/{goal.pk}", token, wrong_id, {"If-Match": etag}).status_code == 400
    assert call("PUT", f"Goal/{goal.pk}", token, "{not json", {"If-Match": etag}).status_code == 400
    assert call("PUT", f"Patient/{cast.anna.pk}", token, {"resourceType": "Patient"}).status_code == 405


def test_someone_elses_goal_answers_like_a_missing_one_and_is_logged(cast):
    goal = goal_of(cast)
    resource, etag = read(cast, goal, token_for(cast.noor))
    sam = token_for(cast.sam)  # a GP of another practice: not in Anna's care team
    foreign = call("PUT", f"Goal/{goal.pk}", sam, resource, {"If-Match": etag})
    missing_resource = {**resource, "id": "999999"}
    missing = call("PUT", "Goal/999999", sam, missing_resource, {"If-Match": etag})
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content
    stale_foreign = call("PUT", f"Goal/{goal.pk}", sam, resource, {"If-Match": 'W/"1"'})
    assert stale_foreign.status_code == 404  # never 412: that would tell the goal exists
    assert AccessLogEntry.objects.filter(user=cast.sam, action="U", outcome="refused", person=cast.anna).exists()
    created = call("POST", "Goal", sam, {**resource, "id": None})
    assert created.status_code == 404 and created.content == missing.content
    assert AccessLogEntry.objects.filter(user=cast.sam, action="C", outcome="refused").exists()
    goal.refresh_from_db()
    assert goal.description == "Elke dag een half uur wandelen"


def test_a_read_token_or_a_session_may_not_write(cast):
    goal = goal_of(cast)
    resource, etag = read(cast, goal, token_for(cast.noor))
    reader = token_for(cast.noor, scope="user/*.read")
    assert call("PUT", f"Goal/{goal.pk}", reader, resource, {"If-Match": etag}).status_code == 403
    assert call("POST", "Goal", reader, resource).status_code == 403
    browser = Client()
    browser.force_login(cast.noor)
    session = call("PUT", f"Goal/{goal.pk}", None, resource, {"If-Match": etag}, client=browser)
    assert session.status_code == 403
    assert json.loads(session.content)["resourceType"] == "OperationOutcome"
    assert Goal.objects.get(pk=goal.pk).updated_at == goal.updated_at


def test_create_an_observation_through_the_import_service(cast):
    body = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": "vital-signs"}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
        "subject": {"reference": f"Patient/{cast.anna.pk}"},
        "effectiveDateTime": "2026-11-01T08:00:00+01:00",
        "valueQuantity": {"value": 72.5, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"},
    }
    token = token_for(cast.noor)
    response = call("POST", "Observation", token, body)
    assert response.status_code == 201, response.content
    stored = Observation.objects.get(person=cast.anna)
    assert json.loads(response.content)["id"] == f"mon-{stored.pk}"
    assert response["Location"].endswith(f"/fhir/Observation/mon-{stored.pk}")
    assert call("POST", "Observation", token, body).status_code == 409  # the same value again
    assert call("POST", "Observation", token_for(cast.sam), body).status_code == 404
    assert Observation.objects.filter(person=cast.anna).count() == 1


def test_a_goal_actions_status_changes_through_the_service_and_nothing_else(cast):
    goal = goal_of(cast)
    action = goals.action_create(actor=cast.noor, goal=goal, what="Na het eten een rondje lopen")
    token = token_for(cast.noor)
    response = call("GET", f"Task/action-{action.pk}", token)
    task, etag = json.loads(response.content), response["ETag"]
    assert etag == f'W/"{task["meta"]["versionId"]}"'
    done = call("PUT", f"Task/action-{action.pk}", token, {**task, "status": "completed"}, {"If-Match": etag})
    assert done.status_code == 200, done.content
    action.refresh_from_db()
    assert action.status == "done"
    assert AccessLogEntry.objects.filter(
        user=cast.noor, action="U", outcome="success", object_type="goals.Action", object_id=action.pk
    ).exists()
    assert call("PUT", f"Task/action-{action.pk}", token, task, {"If-Match": etag}).status_code == 412
    fresh = done["ETag"]
    reworded = {**json.loads(done.content), "description": "Iets anders"}
    assert call("PUT", f"Task/action-{action.pk}", token, reworded, {"If-Match": fresh}).status_code == 422
    assignment = {**task, "id": "assignment-1"}
    assert call("PUT", "Task/assignment-1", token, assignment, {"If-Match": fresh}).status_code == 422
    foreign = call("PUT", f"Task/action-{action.pk}", token_for(cast.sam), task, {"If-Match": fresh})
    assert foreign.status_code == 404
    action.refresh_from_db()
    assert (action.status, action.what) == ("done", "Na het eten een rondje lopen")
