"""FHIR Bulk Data ``$export`` for one Patient (issue #15): kick-off, status, manifest, NDJSON
files, consent at the time of the export, the requester alone, cancel, expiry, the access log.
In tests the task backend is immediate: the kick-off runs the task to the end."""

from __future__ import annotations

import base64
import datetime as dt
import json
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oauth2_provider.models import get_application_model

from koers import access
from koers.audit.models import AccessLogEntry
from koers.fhir import bulk, tasks
from koers.fhir.models import BulkExport
from koers.goals.models import Goal
from koers.network.services import consent_set
from koers.notifications import sources
from koers.smart import services as smart
from koers.smart.models import SystemClient
from tests.support.fhir import assert_valid_r4
from tests.support.testing import make_full_record

pytestmark = pytest.mark.django_db
ASYNC = {"Prefer": "respond-async", "Accept": "application/fhir+json"}


def kick_off(client, person_id, query="", **headers):
    return client.get(f"/fhir/Patient/{person_id}/$export{query}", headers={**ASYNC, **headers})


def status_of(client, url, **headers):
    return client.get(url, headers={"Accept": "application/json", **headers})


def manifest_for(client, person_id, query=""):
    response = kick_off(client, person_id, query)
    assert response.status_code == 202, response.content[:300]
    status = status_of(client, response["Content-Location"])
    assert status.status_code == 200, status.content[:300]
    return response["Content-Location"], json.loads(status.content)


def lines_of(client, url, **headers) -> list[dict]:
    response = client.get(url, headers={"Accept": "application/fhir+ndjson", **headers})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/fhir+ndjson"
    text = response.content.decode("utf-8")
    assert text.endswith("\n")
    resources = [json.loads(line) for line in text.splitlines()]
    for resource in resources:
        assert_valid_r4(resource)
    return resources


@pytest.fixture
def anna_record(cast):
    make_full_record(cast.anna, professional=cast.noor)
    make_full_record(cast.bas, professional=cast.noor)
    return cast.anna


def test_the_whole_flow_gives_r4_ndjson_of_the_persons_own_data(cast, client, anna_record):
    client.force_login(cast.noor)
    _, manifest = manifest_for(client, cast.anna.pk)
    assert manifest["requiresAccessToken"] is True
    assert manifest["request"].endswith(f"/fhir/Patient/{cast.anna.pk}/$export")
    assert manifest["error"] == []
    assert dt.datetime.fromisoformat(manifest["transactionTime"]).tzinfo is not None
    by_type = {o["type"]: o["url"] for o in manifest["output"]}
    # every readable type of hers with data; DocumentReference only if Noor sent or received one
    assert {"Patient", "CareTeam", "Goal", "CarePlan", "Observation", "QuestionnaireResponse", "Task"} <= set(by_type)
    assert set(by_type) <= set(bulk.TYPES)
    for output in manifest["output"]:
        lines = lines_of(client, output["url"])
        assert len(lines) == output["count"] and {r["resourceType"] for r in lines} == {output["type"]}
        subjects = {(r.get("subject") or r.get("patient") or r.get("for") or {}).get("reference") for r in lines}
        assert subjects <= {f"Patient/{cast.anna.pk}", None}, output["type"]
    patients = lines_of(client, by_type["Patient"])
    assert [p["id"] for p in patients] == [str(cast.anna.pk)]
    goals = lines_of(client, by_type["Goal"])
    expected = set(Goal.objects.filter(person=cast.anna).values_list("pk", flat=True))
    assert expected and {int(g["id"]) for g in goals} == expected
    assert {g["subject"]["reference"] for g in goals} == {f"Patient/{cast.anna.pk}"}
    plans = lines_of(client, by_type["CarePlan"])
    assert [p["subject"]["reference"] for p in plans] == [f"Patient/{cast.anna.pk}"]


def test_type_and_since_narrow_the_export(cast, client, anna_record):
    client.force_login(cast.noor)
    _, manifest = manifest_for(client, cast.anna.pk, "?_type=Goal")
    assert [o["type"] for o in manifest["output"]] == ["Goal"]
    later = (timezone.now() + dt.timedelta(minutes=5)).isoformat()
    _, manifest = manifest_for(client, cast.anna.pk, "?_since=" + later.replace("+", "%2B"))
    assert manifest["output"] == []


@pytest.mark.parametrize(
    "query, headers",
    [
        ("", {"Prefer": ""}),
        ("?_type=AuditEvent", {}),
        ("?_since=yesterday", {}),
        ("?_since=2026-01-01T10:00:00", {}),  # an instant needs a zone
        ("?_outputFormat=text/csv", {}),
        ("?_elements=id", {}),
    ],
)
def test_a_bad_kick_off_is_a_400(cast, client, query, headers):
    client.force_login(cast.noor)
    response = kick_off(client, cast.anna.pk, query, **headers)
    assert response.status_code == 400
    assert json.loads(response.content)["resourceType"] == "OperationOutcome"
    assert not BulkExport.objects.exists()


def test_a_running_export_answers_202_with_progress_then_the_manifest(cast, client, anna_record):
    client.force_login(cast.noor)
    with mock.patch.object(tasks, "bulk_export_build"):
        response = kick_off(client, cast.anna.pk)
    running = status_of(client, response["Content-Location"])
    assert running.status_code == 202
    assert running["Retry-After"] and "%" in running["X-Progress"]
    export = BulkExport.objects.get()
    assert bulk.bulk_export_run(export.pk) == BulkExport.Status.READY
    assert status_of(client, response["Content-Location"]).status_code == 200


def test_someone_elses_status_and_file_urls_answer_404_like_a_missing_one(cast, client, anna_record):
    client.force_login(cast.noor)
    status_url, manifest = manifest_for(client, cast.anna.pk)
    file_url = manifest["output"][0]["url"]
    missing = client.get("/fhir/$export-status/00000000-0000-0000-0000-000000000000").content
    for other in (cast.gert, cast.anna_user, cast.sam):  # the team, the person herself, a stranger
        other_client = Client()
        other_client.force_login(other)
        for url in (status_url, file_url):
            response = other_client.get(url)
            assert response.status_code == 404 and response.content == missing, (other, url)
        assert other_client.delete(status_url).status_code == 404
    assert BulkExport.objects.get().status == BulkExport.Status.READY


def test_a_foreign_patient_is_refused_like_a_missing_one_and_logged(cast, client, anna_record):
    client.force_login(cast.sam)
    response = kick_off(client, cast.anna.pk)
    assert response.status_code == 404
    assert kick_off(client, 10**12).content == response.content
    assert AccessLogEntry.objects.filter(user=cast.sam, outcome="refused", object_type="fhir.BulkExport").exists()
    assert not BulkExport.objects.exists()


def test_consent_withdrawn_before_the_export_leaves_that_data_out(cast, client, anna_record):
    for topic in (access.Topic.GOALS, access.Topic.CAREPLAN):
        consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=topic, granted=True)
    client.force_login(cast.rob)
    _, manifest = manifest_for(client, cast.anna.pk)
    assert {"Goal", "CarePlan"} <= {o["type"] for o in manifest["output"]}
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=access.Topic.GOALS, granted=False)
    _, manifest = manifest_for(client, cast.anna.pk)
    types = {o["type"] for o in manifest["output"]}
    assert "Goal" not in types and "CarePlan" in types
    for output in manifest["output"]:
        assert all(r["resourceType"] != "Goal" for r in lines_of(client, output["url"]))
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=access.Topic.CAREPLAN, granted=False)
    assert kick_off(client, cast.anna.pk).status_code == 404  # nothing shared: the person is not there


def test_consent_withdrawn_after_the_build_closes_the_file(cast, client, anna_record):
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=access.Topic.GOALS, granted=True)
    client.force_login(cast.rob)
    _, manifest = manifest_for(client, cast.anna.pk, "?_type=Goal")
    url = manifest["output"][0]["url"]
    assert lines_of(client, url)
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=access.Topic.GOALS, granted=False)
    assert client.get(url).status_code == 404


def test_delete_cancels_and_removes_the_files(cast, client, anna_record):
    client.force_login(cast.noor)
    status_url, manifest = manifest_for(client, cast.anna.pk)
    names = [f["name"] for f in BulkExport.objects.get().files]
    assert names and all(bulk.storage().exists(n) for n in names)
    assert client.delete(status_url).status_code == 202
    assert not any(bulk.storage().exists(n) for n in names)
    assert status_of(client, status_url).status_code == 404
    assert client.get(manifest["output"][0]["url"]).status_code == 404
    assert AccessLogEntry.objects.filter(person=cast.anna, action="D", object_type="fhir.BulkExport").exists()


def test_a_cancel_while_queued_stops_the_build(cast, client, anna_record):
    client.force_login(cast.noor)
    with mock.patch.object(tasks, "bulk_export_build"):
        status_url = kick_off(client, cast.anna.pk)["Content-Location"]
    assert client.delete(status_url).status_code == 202
    export = BulkExport.objects.get()
    assert bulk.bulk_export_run(export.pk) == BulkExport.Status.CANCELLED
    assert not bulk.storage().listdir("fhir-bulk")[1] if bulk.storage().exists("fhir-bulk") else True


def test_files_expire_and_are_deleted(cast, client, anna_record):
    client.force_login(cast.noor)
    status_url, manifest = manifest_for(client, cast.anna.pk)
    names = [f["name"] for f in BulkExport.objects.get().files]
    assert bulk.bulk_exports_expire() == 0
    assert bulk.bulk_exports_expire(now=timezone.now() + dt.timedelta(hours=25)) == 1
    assert not any(bulk.storage().exists(n) for n in names)
    assert status_of(client, status_url).status_code == 404
    assert client.get(manifest["output"][0]["url"]).status_code == 404
    assert tasks.bulk_exports_expire in sources.periodic_tasks()


def test_an_export_past_its_time_is_gone_even_before_the_sweep(cast, client, anna_record):
    client.force_login(cast.noor)
    status_url, manifest = manifest_for(client, cast.anna.pk)
    BulkExport.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(manifest["output"][0]["url"]).status_code == 404
    assert BulkExport.objects.get().status == BulkExport.Status.EXPIRED


def test_every_step_is_in_the_access_log(cast, client, anna_record):
    client.force_login(cast.noor)
    _, manifest = manifest_for(client, cast.anna.pk)
    rows = AccessLogEntry.objects.filter(person=cast.anna, object_type="fhir.BulkExport", outcome="success")
    assert set(rows.values_list("action", flat=True)) == {"C", "E"}
    for output in manifest["output"]:
        lines_of(client, output["url"])
    reads = rows.filter(action="R", user=cast.noor)
    assert reads.count() == len(manifest["output"]) >= 7


def test_tokens_patient_scope_and_system_clients(cast, anna_record):
    token = smart.api_token_issue(
        username=cast.noor.username, scope="patient/Goal.read launch/patient", patient_id=cast.anna.pk
    )
    bearer = {"Authorization": f"Bearer {token}"}
    client = Client()
    assert kick_off(client, cast.bas.pk, **bearer).status_code == 404  # outside the launch patient
    assert kick_off(client, cast.anna.pk, "?_type=Patient", **bearer).status_code == 403  # outside the scopes
    response = kick_off(client, cast.anna.pk, **bearer)
    assert response.status_code == 202
    manifest = json.loads(status_of(client, response["Content-Location"], **bearer).content)
    assert [o["type"] for o in manifest["output"]] == ["Goal"]
    lines_of(client, manifest["output"][0]["url"], **bearer)


def test_a_cancel_needs_a_csrf_token_from_a_session_but_not_with_a_bearer_token(cast, anna_record):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.noor)
    status_url = kick_off(browser, cast.anna.pk)["Content-Location"]
    response = browser.delete(status_url)
    assert response.status_code == 403
    assert json.loads(response.content)["resourceType"] == "OperationOutcome"
    assert BulkExport.objects.get().status == BulkExport.Status.READY
    token = smart.api_token_issue(username=cast.noor.username, scope="user/*.read")
    app = Client(enforce_csrf_checks=True)
    bearer = {"Authorization": f"Bearer {token}"}
    status_url = kick_off(app, cast.anna.pk, **bearer)["Content-Location"]
    assert app.delete(status_url, headers=bearer).status_code == 202
    assert BulkExport.objects.get(key=status_url.rsplit("/", 1)[1]).status == BulkExport.Status.CANCELLED


def test_a_system_client_gets_403_on_a_patient_export(cast):
    Application = get_application_model()
    secret = "s3cret-of-the-export-service-" + "x" * 20
    application = Application.objects.create(
        name="Regionale export",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
    )
    SystemClient.objects.create(application=application, organisation=cast.gp_practice)
    basic = base64.b64encode(f"{application.client_id}:{secret}".encode()).decode()
    issued = Client().post(
        reverse("oauth2_provider:token"),
        {"grant_type": "client_credentials", "scope": "system/*.read"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    bearer = {"Authorization": f"Bearer {issued.json()['access_token']}"}
    assert kick_off(Client(), cast.anna.pk, **bearer).status_code == 403
    assert kick_off(Client(), cast.gp_practice.pk, **bearer).status_code == 403
    assert not BulkExport.objects.exists()


def test_the_collector_setting_is_put_back_after_a_build_and_after_a_failure(cast, client, anna_record):
    import gc

    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    seen = []

    def write(*args):
        seen.append((gc.get_threshold()[0], gc.get_freeze_count() > frozen))
        return real(*args)

    real = bulk._write
    client.force_login(cast.noor)
    with mock.patch.object(tasks, "bulk_export_build"):
        kick_off(client, cast.anna.pk)
    with mock.patch.object(bulk, "_write", side_effect=write):
        assert bulk.bulk_export_run(BulkExport.objects.get().pk) == BulkExport.Status.READY
    assert seen and all(young == bulk.GC_THRESHOLD and was_frozen for young, was_frozen in seen)
    assert (gc.get_threshold(), gc.get_freeze_count()) == (threshold, frozen)
    with mock.patch.object(tasks, "bulk_export_build"):
        kick_off(client, cast.anna.pk)
    with mock.patch.object(bulk, "_write", side_effect=RuntimeError("boom")):
        assert bulk.bulk_export_run(BulkExport.objects.order_by("-pk").first().pk) == BulkExport.Status.FAILED
    assert (gc.get_threshold(), gc.get_freeze_count()) == (threshold, frozen)


def test_the_collector_setting_spans_overlapping_builds_and_leaves_frozen_objects_frozen():
    import gc

    threshold = gc.get_threshold()
    with bulk._fewer_collections():
        with bulk._fewer_collections():  # a second build in another thread meanwhile
            assert gc.get_threshold()[0] == bulk.GC_THRESHOLD
        assert gc.get_threshold()[0] == bulk.GC_THRESHOLD  # the first is still running
    assert gc.get_threshold() == threshold and gc.get_freeze_count() == 0
    gc.freeze()  # as a gunicorn worker inherits them (koers.gunicorn_conf.when_ready)
    try:
        frozen = gc.get_freeze_count()
        with bulk._fewer_collections():
            assert gc.get_threshold()[0] == bulk.GC_THRESHOLD
        assert gc.get_freeze_count() > frozen // 2  # still frozen (a few freed meanwhile), not thawed
        assert gc.get_threshold() == threshold
    finally:
        gc.unfreeze()
