"""DocumentReference through the API (issue #15): handover summaries, to their readers only."""

from __future__ import annotations

import base64
import json

import pytest
from django.utils import timezone

from koers import access
from koers.accounts.models import User
from koers.audit.models import AccessLogEntry
from koers.fhir.tests.test_api import assert_outcome, body, entries, get
from koers.handover.models import HandoverDelivery, HandoverSummary
from koers.network.models import CareTeamMember
from koers.network.services import consent_set
from koers.people.services import medication_add
from tests.support.fhir import assert_valid_r4
from tests.support.testing import make_user


@pytest.fixture
def summary(cast):
    """Pieter (GGZ) joins Anna's network and starts a medicine: a summary to Noor and Gert."""
    CareTeamMember.objects.create(
        person=cast.anna,
        professional=cast.pieter,
        organisation=cast.ggz,
        role=CareTeamMember.Role.MEMBER,
        assigned_by=cast.noor,
        started_at=timezone.now(),
    )
    medication_add(actor=cast.pieter, person=cast.anna, name="Lithium", dosage="400 mg")
    return HandoverSummary.objects.get(person=cast.anna)


def _ids(client, query=""):
    return {d["id"] for d in entries(body(get(client, f"/fhir/DocumentReference?{query}")))}


@pytest.mark.django_db
def test_a_recipient_reads_it_as_valid_r4_and_the_first_read_is_a_receipt(cast, client, summary):
    client.force_login(cast.noor)
    rows = AccessLogEntry.objects.filter(
        user=cast.noor, person=cast.anna, outcome="success", object_type=summary._meta.label
    )
    before = rows.count()
    document = body(get(client, f"/fhir/DocumentReference/{summary.pk}"))
    assert_valid_r4(document)
    assert document["subject"] == {"reference": f"Patient/{cast.anna.pk}"}
    text = base64.b64decode(document["content"][0]["attachment"]["data"]).decode()
    assert "Lithium" in text
    assert rows.count() == before + 1
    assert HandoverDelivery.objects.get(summary=summary, recipient=cast.noor).read_at is not None


@pytest.mark.django_db
def test_only_the_sender_and_the_recipients_read_it(cast, client, summary):
    """Also not a care-team member the summary was not delivered to (Pieter's colleague: within one
    organisation the team shares its own record, so she received nothing)."""
    colleague = make_user("gerda", organisation=cast.ggz, discipline=User.Discipline.PSYCHIATRIST)
    CareTeamMember.objects.create(
        person=cast.anna,
        professional=colleague,
        organisation=cast.ggz,
        assigned_by=cast.noor,
        started_at=timezone.now(),
    )
    assert access.can(colleague, cast.anna, access.Category.CLINICAL)
    for user, allowed in (
        (colleague, False),
        (cast.pieter, True),  # the sender
        (cast.noor, True),
        (cast.gert, True),
        (cast.cor, False),
        (cast.sam, False),
        (cast.mia, False),
        (cast.ada, False),
        (cast.anna_user, False),  # her page lists when and to whom, never the content
        (cast.bas_user, False),
        (cast.rob, False),
    ):
        client.force_login(user)
        refused = AccessLogEntry.objects.filter(user=user, outcome="refused")
        before = refused.count()
        assert get(client, f"/fhir/DocumentReference/{summary.pk}").status_code == (200 if allowed else 404), user
        assert (str(summary.pk) in _ids(client)) is allowed, user
        if not allowed:
            assert refused.count() == before + 1, user


@pytest.mark.django_db
def test_a_relative_with_every_topic_still_reads_no_summary(cast, client, summary):
    for topic in (access.Topic.DOCUMENTS, access.Topic.CLINICAL):
        consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=topic, granted=True)
    client.force_login(cast.rob)
    assert_outcome(get(client, f"/fhir/DocumentReference/{summary.pk}"), 404)
    assert _ids(client) == set()


@pytest.mark.django_db
def test_consent_withdrawn_from_a_recipient_works_on_the_next_request(cast, client, summary):
    client.force_login(cast.gert)
    assert get(client, f"/fhir/DocumentReference/{summary.pk}").status_code == 200
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.gert, topic=access.Topic.CLINICAL, granted=False)
    assert get(client, f"/fhir/DocumentReference/{summary.pk}").status_code == 404
    assert _ids(client) == set()
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.gert, topic=access.Topic.CLINICAL, granted=True)
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.gert, topic=access.Topic.DOCUMENTS, granted=False)
    assert get(client, f"/fhir/DocumentReference/{summary.pk}").status_code == 404


@pytest.mark.django_db
def test_document_search_parameters_and_paging(cast, client, summary):
    medication_add(actor=cast.pieter, person=cast.anna, name="Quetiapine", dosage="50 mg")
    medication_add(actor=cast.pieter, person=cast.anna, name="Sertraline", dosage="50 mg")
    every = {str(pk) for pk in HandoverSummary.objects.filter(person=cast.anna).values_list("pk", flat=True)}
    assert len(every) == 3
    client.force_login(cast.noor)
    assert _ids(client) == every
    assert _ids(client, f"patient={cast.anna.pk}") == every
    assert _ids(client, f"subject=Patient/{cast.bas.pk}") == set()
    assert _ids(client, "type=medication") == every
    assert _ids(client, "type=crisis") == set()
    assert _ids(client, "date=ge2000") == every and _ids(client, "date=lt2000") == set()
    assert _ids(client, f"_id={summary.pk}") == {str(summary.pk)}
    assert_outcome(get(client, "/fhir/DocumentReference?author=1"), 400)
    url, seen = "/fhir/DocumentReference?_count=2", []
    while url:
        bundle = body(get(client, url))
        assert_valid_r4(bundle)
        assert bundle["total"] == 3
        seen += [d["id"] for d in entries(bundle)]
        url = {link["relation"]: link["url"] for link in bundle["link"]}.get("next")
    assert sorted(seen) == sorted(every)
    assert json.dumps(seen)
