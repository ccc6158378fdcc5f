"""The research extract through the bulk export (issue #16: "produced by a command and by the
API's bulk export"): a research system client kicks off ``$research-export`` for its project; the
files are the command's files (same cohort, pseudonyms, variables); consent withdrawn after the
build takes the person out of the download, as the Group ``$export`` does; the access log says
purpose research and holds no pseudonym; every other client, project or user gets the one 404.
In tests the task backend is immediate: the kick-off runs the build to the end."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.fhir.models import BulkExport
from koers.fhir.tests.test_bulk_group_export import system_token
from koers.goals.models import Goal
from koers.network.services import research_consent_set
from koers.smart.models import SystemClient

pytestmark = pytest.mark.django_db
ASYNC = {"Prefer": "respond-async", "Accept": "application/fhir+json"}
KEYS = {"herstel": "h" * 40, "leefstijl": "l" * 40}
FILES = [
    "persons.csv",
    "conditions.csv",
    "goals.csv",
    "gas_reviews.csv",
    "scores.csv",
    "care_plan_versions.csv",
    "yearly_evaluations.csv",
    "screenings.csv",
    "codebook.csv",
]


@pytest.fixture
def consented(cast, settings):
    settings.KOERS_RESEARCH_KEYS = KEYS
    research_consent_set(actor=cast.anna_user, person=cast.anna, granted=True)
    research_consent_set(actor=cast.bas_user, person=cast.bas, granted=True)
    Goal.objects.create(
        person=cast.anna,
        description="Vrije tekst die nooit in een extract komt",
        life_domain="health",
        created_by=cast.noor,
        start_date=timezone.localdate(),
    )
    return cast


def research_token(organisation, project="herstel", name="Onderzoek herstel") -> dict:
    bearer = system_token(organisation, name=name)
    SystemClient.objects.filter(application__name=name).update(research_project=project)
    return bearer


def kick_off(bearer, project="herstel", headers=ASYNC):
    return Client().get(f"/fhir/$research-export?project={project}", headers={**headers, **bearer})


def run(bearer, project="herstel") -> dict:
    response = kick_off(bearer, project)
    assert response.status_code == 202, response.content[:300]
    status = Client().get(response["Content-Location"], headers=bearer)
    assert status.status_code == 200, status.content[:300]
    return json.loads(status.content)


def download(bearer, manifest: dict, name: str):
    url = next(o["url"] for o in manifest["output"] if o["type"] == name)
    return Client().get(url, headers={**bearer, "Accept": "text/csv"})


def test_the_files_are_the_commands_files(consented, tmp_path):
    bearer = research_token(consented.gp_practice)
    manifest = run(bearer)
    assert [o["type"] for o in manifest["output"]] == FILES
    call_command(
        "research-extract", "--project", "herstel", "--user", "mia", "--out", str(tmp_path), stdout=io.StringIO()
    )
    for name in FILES:
        response = download(bearer, manifest, name)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        assert response.content.decode() == (tmp_path / name).read_text(encoding="utf-8"), name
    persons = list(csv.DictReader(io.StringIO(download(bearer, manifest, "persons.csv").content.decode())))
    assert len(persons) == 2  # Anna and Bas said yes; they are in the practice's care
    assert "Vrije tekst" not in b"".join(download(bearer, manifest, n).content for n in FILES).decode()


def test_consent_withdrawn_after_the_build_leaves_the_person_out_of_the_download(consented):
    bearer = research_token(consented.gp_practice)
    manifest = run(bearer)
    before = download(bearer, manifest, "goals.csv").content.decode()
    assert len(before.splitlines()) == 2  # the header and Anna's goal
    research_consent_set(actor=consented.anna_user, person=consented.anna, granted=False)
    after = download(bearer, manifest, "goals.csv")
    assert after.status_code == 200 and after.content.decode().splitlines() == before.splitlines()[:1]
    persons = download(bearer, manifest, "persons.csv").content.decode().splitlines()
    assert len(persons) == 2  # the header and Bas
    reads = AccessLogEntry.objects.filter(object_type="fhir.BulkExport", action="R", person=consented.anna)
    assert reads.count() == 1  # the one download before she withdrew; none after


def test_the_access_log_says_research_and_holds_no_pseudonym(consented):
    bearer = research_token(consented.gp_practice)
    manifest = run(bearer)
    pseudonyms = {row[0] for row in csv.reader(io.StringIO(download(bearer, manifest, "persons.csv").content.decode()))}
    rows = AccessLogEntry.objects.filter(object_type="fhir.BulkExport")
    assert rows.exists() and set(rows.values_list("purpose", flat=True)) == {"research"}
    assert {r.action for r in rows} == {"C", "E", "R"}
    assert set(rows.filter(action="E").values_list("person_id", flat=True)) == {consented.anna.pk, consented.bas.pk}
    assert not any(p in r.detail for r in rows for p in pseudonyms - {"person"})
    assert all(r.user_display.startswith("systeem: ") for r in rows)


def test_only_the_research_client_of_the_project_gets_its_extract(consented, client):
    research = research_token(consented.gp_practice)
    other_project = research_token(consented.gp_practice, project="leefstijl", name="Onderzoek leefstijl")
    exporter = system_token(consented.gp_practice, name="Regionale export")
    for bearer, project in ((exporter, "herstel"), (other_project, "herstel"), (research, "leefstijl")):
        assert kick_off(bearer, project).status_code == 404
    client.force_login(consented.mia)
    assert client.get("/fhir/$research-export?project=herstel", headers=ASYNC).status_code == 404
    group = Client().get(f"/fhir/Group/{consented.gp_practice.pk}/$export", headers={**ASYNC, **research})
    assert group.status_code == 404  # a research client fetches its extract, nothing else
    assert kick_off(research, headers={"Accept": "application/fhir+json"}).status_code == 400  # no Prefer
    assert not BulkExport.objects.exists()


def test_a_client_no_longer_registered_for_the_project_gets_no_file(consented):
    bearer = research_token(consented.gp_practice)
    manifest = run(bearer)
    SystemClient.objects.update(research_project="")
    assert download(bearer, manifest, "persons.csv").status_code == 404


def test_without_a_key_for_the_project_nothing_is_made(consented, settings):
    settings.KOERS_RESEARCH_KEYS = {}
    response = kick_off(research_token(consented.gp_practice))
    assert response.status_code == 500 and b"no key" in response.content
    assert not BulkExport.objects.exists()
