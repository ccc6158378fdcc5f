"""The organisation export ``Group/<organisation>/$export`` for a system client (issue #15):
whom it holds (the persons in the care of the organisation's professionals), what of each (the
categories those professionals may read under the person's consent, read when the export runs
and again at download), the access log (a row per person), and the system alone sees its job.
In tests the task backend is immediate: the kick-off runs the task to the end."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.timezone import now
from oauth2_provider.models import get_application_model

from koers import access
from koers.audit.models import AccessLogEntry
from koers.fhir import bulk
from koers.fhir.models import BulkExport
from koers.goals.models import Goal
from koers.network.models import CareTeamMember
from koers.network.services import consent_set
from koers.smart.models import SystemClient
from tests.support.fhir import assert_valid_r4
from tests.support.testing import make_full_record, make_person

pytestmark = pytest.mark.django_db
ASYNC = {"Prefer": "respond-async", "Accept": "application/fhir+json"}


def system_token(organisation, name="Regionale export", scope="system/*.read") -> dict:
    Application = get_application_model()
    secret = "s3cret-of-the-export-service-" + "x" * 20
    application = Application.objects.create(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
    )
    SystemClient.objects.create(application=application, organisation=organisation)
    basic = base64.b64encode(f"{application.client_id}:{secret}".encode()).decode()
    issued = Client().post(
        reverse("oauth2_provider:token"),
        {"grant_type": "client_credentials", "scope": scope},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    assert issued.status_code == 200, issued.content
    return {"Authorization": f"Bearer {issued.json()['access_token']}"}


def export(bearer, organisation_id, query="") -> tuple[str, dict]:
    client = Client()
    response = client.get(f"/fhir/Group/{organisation_id}/$export{query}", headers={**ASYNC, **bearer})
    assert response.status_code == 202, response.content[:300]
    status = client.get(response["Content-Location"], headers=bearer)
    assert status.status_code == 200, status.content[:300]
    return response["Content-Location"], json.loads(status.content)


def lines_by_type(bearer, manifest) -> dict[str, list[dict]]:
    found = {}
    for output in manifest["output"]:
        response = Client().get(output["url"], headers={"Accept": "application/fhir+ndjson", **bearer})
        assert response.status_code == 200 and response["Content-Type"] == "application/fhir+ndjson"
        lines = [json.loads(line) for line in response.content.decode().splitlines()]
        for resource in lines:
            assert_valid_r4(resource)  # every NDJSON line is R4
        assert len(lines) == output["count"]
        found[output["type"]] = lines
    return found


def subjects(resources) -> set[str]:
    refs = set()
    for r in resources:
        ref = r.get("subject") or r.get("patient") or r.get("for")
        refs.add(ref["reference"] if ref else f"Patient/{r['id']}")
    return refs


@pytest.fixture
def records(cast):
    make_full_record(cast.anna, professional=cast.noor)
    make_full_record(cast.bas, professional=cast.noor)
    # Eva is in the care of another organisation only (Sam, Praktijk Elders)
    eva = make_person(actor=cast.sam, given_name="Eva", family_name="Elders")
    make_full_record(eva, professional=cast.sam)
    return eva


def test_the_organisation_export_holds_its_persons_and_validates(cast, records):
    bearer = system_token(cast.gp_practice)
    _, manifest = export(bearer, cast.gp_practice.pk)
    found = lines_by_type(bearer, manifest)
    assert {"Patient", "CareTeam", "Goal", "CarePlan", "Observation", "QuestionnaireResponse", "Task"} <= set(found)
    mine = {f"Patient/{cast.anna.pk}", f"Patient/{cast.bas.pk}"}
    assert {p["id"] for p in found["Patient"]} == {str(cast.anna.pk), str(cast.bas.pk)}
    for name, resources in found.items():
        assert subjects(resources) <= mine, name  # Eva (another organisation's) is absent
    goals = set(Goal.objects.filter(person__in=[cast.anna, cast.bas]).values_list("pk", flat=True))
    assert {int(g["id"]) for g in found["Goal"]} == goals


def test_type_filters_and_another_organisation_or_a_user_gets_404(cast, records):
    bearer = system_token(cast.gp_practice)
    _, manifest = export(bearer, cast.gp_practice.pk, "?_type=Goal,Patient")
    assert [o["type"] for o in manifest["output"]] == ["Goal", "Patient"]
    client = Client()
    for org in (cast.elsewhere.pk, cast.ggz.pk, 10**12, "abc"):
        assert client.get(f"/fhir/Group/{org}/$export", headers={**ASYNC, **bearer}).status_code == 404
    client.force_login(cast.noor)
    assert client.get(f"/fhir/Group/{cast.gp_practice.pk}/$export", headers=ASYNC).status_code == 404
    bad = client.get(f"/fhir/Group/{cast.gp_practice.pk}/$export?_type=AuditEvent", headers={**ASYNC, **bearer})
    assert bad.status_code == 400
    narrow = system_token(cast.gp_practice, name="Alleen doelen", scope="system/Goal.read")
    _, manifest = export(narrow, cast.gp_practice.pk)
    assert [o["type"] for o in manifest["output"]] == ["Goal"]


def test_consent_withdrawn_for_a_category_leaves_it_out(cast, records):
    bearer = system_token(cast.gp_practice)
    anna = f"Patient/{cast.anna.pk}"
    # withdrawn from Noor alone: Gert (same organisation) still reads Anna's goals
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.noor, topic=access.Topic.GOALS, granted=False)
    _, manifest = export(bearer, cast.gp_practice.pk, "?_type=Goal")
    assert anna in subjects(lines_by_type(bearer, manifest)["Goal"])
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.gert, topic=access.Topic.GOALS, granted=False)
    _, manifest = export(bearer, cast.gp_practice.pk, "?_type=Goal,Observation,Task,CarePlan")
    found = lines_by_type(bearer, manifest)
    assert anna not in subjects(found["Goal"]) and f"Patient/{cast.bas.pk}" in subjects(found["Goal"])
    gas = [o for o in found["Observation"] if o["id"].startswith("gas-")]
    assert gas and anna not in subjects(gas)  # GAS levels are goals data
    actions = [t for t in found["Task"] if t["id"].startswith("action-")]
    assert anna not in subjects(actions)
    assert anna in subjects(found["CarePlan"])  # the plan is another topic


def test_consent_withdrawn_after_the_build_leaves_it_out_of_the_download(cast, records):
    bearer = system_token(cast.gp_practice)
    _, manifest = export(bearer, cast.gp_practice.pk, "?_type=Goal")
    for member in (cast.noor, cast.gert):
        consent_set(actor=cast.anna_user, person=cast.anna, member=member, topic=access.Topic.GOALS, granted=False)
    response = Client().get(manifest["output"][0]["url"], headers=bearer)
    assert response.status_code == 200
    goals = [json.loads(line) for line in response.content.decode().splitlines()]
    assert goals and subjects(goals) == {f"Patient/{cast.bas.pk}"}  # the file now holds Bas's alone


def test_a_person_enters_and_leaves_the_export_with_the_care_team(cast, records):
    bearer = system_token(cast.gp_practice)
    _, manifest = export(bearer, cast.gp_practice.pk, "?_type=Patient")
    assert str(records.pk) not in {p["id"] for p in lines_by_type(bearer, manifest)["Patient"]}
    membership = CareTeamMember.objects.create(  # Eva also in the care of Cor, of the practice
        person=records, professional=cast.cor, organisation=cast.gp_practice, assigned_by=cast.sam, started_at=now()
    )
    _, manifest = export(bearer, cast.gp_practice.pk, "?_type=Patient")
    assert str(records.pk) in {p["id"] for p in lines_by_type(bearer, manifest)["Patient"]}
    CareTeamMember.objects.filter(pk=membership.pk).update(ended_at=now())
    _, manifest = export(bearer, cast.gp_practice.pk, "?_type=Patient")
    assert str(records.pk) not in {p["id"] for p in lines_by_type(bearer, manifest)["Patient"]}


def test_every_person_exported_has_a_row_in_the_access_log(cast, records):
    bearer = system_token(cast.gp_practice)
    _, manifest = export(bearer, cast.gp_practice.pk, "?_type=Patient,Goal")
    rows = AccessLogEntry.objects.filter(object_type="fhir.BulkExport", role=access.SYSTEM_ROLE)
    assert rows.filter(action="C", person__isnull=True).count() == 1
    built = rows.filter(action="E")
    assert set(built.values_list("person_id", flat=True)) == {cast.anna.pk, cast.bas.pk}
    row = built.get(person=cast.anna)
    assert row.user_id is None and row.user_display == "systeem: Regionale export"
    assert row.organisation_display == cast.gp_practice.name and row.purpose == "treatment"
    assert row.detail == "FHIR $export gemaakt: Goal,Patient"
    assert not rows.filter(person=records).exists()
    lines_by_type(bearer, manifest)
    reads = rows.filter(action="R")
    assert reads.count() == 4  # two files, two persons each
    assert set(reads.values_list("person_id", flat=True)) == {cast.anna.pk, cast.bas.pk}


def test_only_the_system_that_asked_sees_the_job_and_it_can_cancel(cast, records):
    bearer = system_token(cast.gp_practice)
    status_url, manifest = export(bearer, cast.gp_practice.pk)
    file_url = manifest["output"][0]["url"]
    other = system_token(cast.gp_practice, name="Andere koppeling")
    noor = Client()
    noor.force_login(cast.noor)
    for client, headers in ((Client(), other), (noor, {})):
        assert client.get(status_url, headers=headers).status_code == 404
        assert client.get(file_url, headers=headers).status_code == 404
    names = [f["name"] for f in BulkExport.objects.get().files]
    assert Client().delete(status_url, headers=bearer).status_code == 202
    assert not any(bulk.storage().exists(n) for n in names)
    assert Client().get(status_url, headers=bearer).status_code == 404
    assert AccessLogEntry.objects.filter(action="D", role=access.SYSTEM_ROLE, person__isnull=True).exists()


def test_a_system_client_still_reads_no_single_resource(cast, records):
    bearer = system_token(cast.gp_practice)
    assert Client().get(f"/fhir/Patient/{cast.anna.pk}", headers=bearer).status_code == 403
    assert Client().get(f"/fhir/Patient/{cast.anna.pk}/$export", headers={**ASYNC, **bearer}).status_code == 403
