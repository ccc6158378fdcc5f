"""The person's own data as a FHIR Bundle on "Mijn gegevens downloaden" (issue #15): a format
``koers.fhir`` registers with ``koers.exports.formats``; it validates as R4, holds the person's
own resources only, is logged, and nobody else gets it."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from koers.audit.models import AccessLogEntry
from koers.exports import formats
from koers.goals.models import Goal
from tests.support.fhir import assert_valid_r4
from tests.support.testing import make_full_record

pytestmark = pytest.mark.django_db
PAGE = reverse("exports:portal_export")
BUNDLE = reverse("exports:format_fhir")


@pytest.fixture
def records(cast):
    make_full_record(cast.anna, professional=cast.noor)
    make_full_record(cast.bas, professional=cast.noor)


def test_the_page_offers_the_fhir_bundle(cast, client):
    assert formats.get("fhir") is not None
    client.force_login(cast.anna_user)
    page = client.get(PAGE).content.decode()
    assert BUNDLE in page and "FHIR" in page


def test_the_bundle_validates_and_holds_her_own_resources(cast, client, records):
    client.force_login(cast.anna_user)
    response = client.get(BUNDLE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert response["Content-Disposition"].startswith('attachment; filename="koers-mijn-gegevens-')
    bundle = json.loads(response.content)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    assert_valid_r4(bundle)
    resources = [e["resource"] for e in bundle["entry"]]
    for resource in resources:
        assert_valid_r4(resource)
    by_type = {}
    for r in resources:
        by_type.setdefault(r["resourceType"], []).append(r)
    assert {"Patient", "CareTeam", "Goal", "CarePlan", "Observation", "Task"} <= set(by_type)
    assert [p["id"] for p in by_type["Patient"]] == [str(cast.anna.pk)]
    goals = set(Goal.objects.filter(person=cast.anna).values_list("pk", flat=True))
    assert {int(g["id"]) for g in by_type["Goal"]} == goals
    anna = f"Patient/{cast.anna.pk}"
    for r in resources:
        ref = r.get("subject") or r.get("patient") or r.get("for")
        assert ref is None or ref["reference"] == anna, r["resourceType"]
    assert all(e["fullUrl"].startswith("http://testserver/fhir/") for e in bundle["entry"])


def test_the_download_is_logged_and_nobody_else_gets_one(cast, client, records):
    client.force_login(cast.anna_user)
    assert client.get(BUNDLE).status_code == 200
    row = AccessLogEntry.objects.filter(user=cast.anna_user, object_type="exports.ExportFormat").get()
    assert row.action == "R" and row.person_id == cast.anna.pk and row.object_id == "fhir"
    assert client.get("/mijn/gegevens-downloaden/csv/").status_code == 404
    for other in (cast.noor, cast.rob):  # her care team and her relative: not their download
        client.force_login(other)
        assert client.get(BUNDLE).status_code == 404
        assert AccessLogEntry.objects.filter(user=other, outcome="refused", object_type="exports.ExportFormat").exists()
