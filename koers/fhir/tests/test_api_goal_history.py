"""Goal versions through the FHIR API (issue #15): every goals service appends a ``GoalVersion``;
``GET /fhir/Goal/<id>/_history`` and ``/_history/<vid>`` show them with the versionId the reads
and writes gave as ETag; foreign, missing and an unknown version answer like a missing goal; every
access is logged; the data migration gives each existing goal its first version."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps
from django.test import Client

from koers.audit.models import AccessLogEntry
from koers.goals import services as goals
from koers.goals.models import Goal, GoalVersion
from koers.smart import services as smart
from tests.support.fhir import assert_valid_r4
from tests.support.testing import make_full_record, make_person

pytestmark = pytest.mark.django_db
FHIR = "application/fhir+json"
LEVELS = {level: f"Stap {level}" for level in range(-2, 3)}


def call(method, path, token, body=None, headers=None):
    headers = {"Accept": FHIR, "Authorization": f"Bearer {token}", **(headers or {})}
    data = "" if body is None else json.dumps(body)
    return Client().generic(method, f"/fhir/{path}", data=data, content_type=FHIR, headers=headers)


def ok(response) -> dict:
    assert response.status_code in (200, 201), (response.status_code, response.content[:300])
    return json.loads(response.content)


@pytest.fixture
def token(cast):
    return smart.api_token_issue(username=cast.noor.username, scope="user/*.read user/*.write")


def _written_goal(cast) -> tuple[Goal, list[str]]:
    """A goal through each goals service; the ETag the API answers after each write."""
    etags = []

    def etag(goal):
        etags.append(f'W/"{goal_meta(goal)}"')

    goal = goals.goal_create(actor=cast.noor, person=cast.anna, description="Elke dag wandelen", life_domain="health")
    etag(goal)
    goal = goals.goal_update(actor=cast.noor, goal=goal, description="Elke dag een uur wandelen", life_domain="health")
    etag(goal)
    goal = goals.gas_levels_set(actor=cast.noor, goal=goal, levels=LEVELS, weight=2)
    etag(goal)
    goal = goals.goal_set_status(actor=cast.noor, goal=goal, lifecycle_status="active")
    etag(goal)
    return goal, etags


def goal_meta(goal) -> str:
    from koers.fhir.mappers.goal import goal_version

    return goal_version(Goal.objects.get(pk=goal.pk).updated_at)


def test_every_goals_service_appends_a_version_and_history_shows_them_newest_first(cast, token):
    goal, etags = _written_goal(cast)
    assert GoalVersion.objects.filter(goal=goal).count() == 4
    read = call("GET", f"Goal/{goal.pk}", token)
    assert read["ETag"] == etags[-1]
    history = ok(call("GET", f"Goal/{goal.pk}/_history", token))
    assert_valid_r4(history)
    assert history["type"] == "history" and history["total"] == 4
    versions = [e["resource"]["meta"]["versionId"] for e in history["entry"]]
    assert [f'W/"{v}"' for v in versions] == etags[::-1]  # the ETags each write answered with
    assert [e["request"]["method"] for e in history["entry"]] == ["PUT", "PUT", "PUT", "POST"]
    oldest, newest = history["entry"][-1]["resource"], history["entry"][0]["resource"]
    assert oldest["description"]["text"] == "Elke dag wandelen" and oldest["lifecycleStatus"] == "proposed"
    assert newest == ok(read)
    paged = ok(call("GET", f"Goal/{goal.pk}/_history?_count=1&_offset=1", token))
    assert [e["resource"]["meta"]["versionId"] for e in paged["entry"]] == [versions[1]]
    assert {link["relation"] for link in paged["link"]} == {"self", "next", "previous"}


def test_vread_gives_each_version_with_its_etag(cast, token):
    goal, etags = _written_goal(cast)
    for index, etag in enumerate(etags):
        version_id = etag[3:-1]
        response = call("GET", f"Goal/{goal.pk}/_history/{version_id}", token)
        resource = ok(response)
        assert_valid_r4(resource)
        assert response["ETag"] == etag and resource["meta"]["versionId"] == version_id
        assert ("extension" in resource and len(resource["extension"]) == 2) == (index >= 2)  # GAS from the 3rd
    assert AccessLogEntry.objects.filter(
        user=cast.noor, person=cast.anna, action="R", outcome="success", object_type="goals.GoalVersion"
    ).count() == len(etags)


def test_a_fhir_write_answers_with_an_etag_that_vread_and_history_know(cast, token):
    goal = goals.goal_create(actor=cast.noor, person=cast.anna, description="Vaker buiten zijn", life_domain="health")
    resource, etag = ok(call("GET", f"Goal/{goal.pk}", token)), None
    etag = call("GET", f"Goal/{goal.pk}", token)["ETag"]
    resource["description"]["text"] = "Elke dag buiten zijn"
    resource["lifecycleStatus"] = "active"
    updated = call("PUT", f"Goal/{goal.pk}", token, resource, {"If-Match": etag})
    assert updated.status_code == 200, updated.content
    history = ok(call("GET", f"Goal/{goal.pk}/_history", token))
    assert f'W/"{history["entry"][0]["resource"]["meta"]["versionId"]}"' == updated["ETag"]
    assert etag in {e["response"]["etag"] for e in history["entry"]}
    # the old version is still there, and still stale for an update
    assert ok(call("GET", f"Goal/{goal.pk}/_history/{etag[3:-1]}", token))["description"]["text"] == "Vaker buiten zijn"
    assert call("PUT", f"Goal/{goal.pk}", token, resource, {"If-Match": etag}).status_code == 412
    created = call("POST", "Goal", token, {**resource, "id": None, "lifecycleStatus": "proposed"})
    assert created.status_code == 201, created.content
    location = created["Location"].split("/fhir/", 1)[1]
    assert ok(call("GET", location, token))["meta"]["versionId"] == created["ETag"][3:-1]


def test_foreign_missing_and_unknown_versions_answer_like_a_missing_goal(cast, token):
    stranger = make_person(actor=cast.sam, given_name="Vreemd")
    theirs = goals.goal_create(actor=cast.sam, person=stranger, description="Iets", life_domain="health")
    mine = goals.goal_create(actor=cast.noor, person=cast.anna, description="Iets", life_domain="health")
    their_vid = goal_meta(theirs)
    missing = call("GET", "Goal/999999", token).content
    urls = [
        f"Goal/{theirs.pk}/_history",
        f"Goal/{theirs.pk}/_history/{their_vid}",
        "Goal/999999/_history",
        "Goal/999999/_history/1",
        f"Goal/{mine.pk}/_history/{their_vid}",
        f"Goal/{mine.pk}/_history/abc",
        f"Goal/{mine.pk}/_history/" + "9" * 40,
    ]
    for url in urls:
        response = call("GET", url, token)
        assert (response.status_code, response.content) == (404, missing), url
    refused = AccessLogEntry.objects.filter(user=cast.noor, outcome="refused", object_type="goals.GoalVersion")
    assert refused.count() == len(urls)
    assert not GoalVersion.objects.filter(goal=theirs).exclude(person=stranger).exists()


def test_a_version_is_never_changed(cast):
    goal = goals.goal_create(actor=cast.noor, person=cast.anna, description="Iets", life_domain="health")
    version = GoalVersion.objects.get(goal=goal)
    version.snapshot = {}
    with pytest.raises(ValueError, match="never changed"):
        version.save()


def test_a_goal_written_outside_the_services_has_its_current_state_as_a_version(cast, token):
    goal = make_full_record(cast.anna, professional=cast.noor)["goal_id"]
    assert not GoalVersion.objects.filter(goal=goal).exists()
    etag = call("GET", f"Goal/{goal.pk}", token)["ETag"]
    history = ok(call("GET", f"Goal/{goal.pk}/_history", token))
    assert history["total"] == 1 and history["entry"][0]["response"]["etag"] == etag


def test_the_data_migration_gives_each_existing_goal_its_first_version(cast, token):
    record = make_full_record(cast.anna, professional=cast.noor)
    other = make_full_record(cast.bas, professional=cast.noor)
    migration = importlib.import_module("koers.goals.migrations.0003_goalversion")
    migration.first_versions(apps, None)
    for goal in (record["goal_id"], other["goal_id"]):
        version = GoalVersion.objects.get(goal=goal)
        assert version.person_id == goal.person_id and version.updated_at == goal.updated_at
        assert version.snapshot["gas_levels"] == [[lv, f"Niveau {lv}"] for lv in range(-2, 3)]
        read = call("GET", f"Goal/{goal.pk}", token)
        vread = call("GET", f"Goal/{goal.pk}/_history/{read['ETag'][3:-1]}", token)
        assert ok(vread) == ok(read)
