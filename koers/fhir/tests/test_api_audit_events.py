"""AuditEvent through the API (issue #15): the person's own access log as "Wie keek er" shows it."""

from __future__ import annotations

import json

import pytest

from koers.audit.models import AccessLogEntry
from koers.audit.selectors import access_log_for_person
from koers.fhir.tests.test_api import assert_outcome, body, entries, get
from tests.support.fhir import assert_valid_r4


@pytest.fixture
def looked(cast, client):
    """Noor and Gert read Anna's record; Rob (a relative without consent), Bas (another client) and
    Sam (a stranger) try and are refused. Returns Anna's rows as her page shows them."""
    for user in (cast.noor, cast.gert, cast.rob, cast.bas_user, cast.sam):
        client.force_login(user)
        get(client, f"/fhir/Patient/{cast.anna.pk}")
    client.logout()
    return list(access_log_for_person(cast.anna))


def _events(client, query=""):
    return entries(body(get(client, f"/fhir/AuditEvent?{query}&_count=100")))


@pytest.mark.django_db
def test_the_person_sees_the_rows_of_their_page_and_no_other_clients_or_relatives_names(cast, client, looked):
    client.force_login(cast.anna_user)
    bundle = body(get(client, "/fhir/AuditEvent?_count=100"))
    assert_valid_r4(bundle)
    events = entries(bundle)
    assert bundle["total"] == len(looked) and {e["id"] for e in events} == {str(r.event_id) for r in looked}
    text = json.dumps(events)
    for private in (cast.rob, cast.bas_user):
        assert private.get_full_name() not in text and private.username not in text
    for row in looked:
        if row.user_id in (cast.rob.pk, cast.bas_user.pk):
            event = body(get(client, f"/fhir/AuditEvent/{row.event_id}"))
            assert_valid_r4(event)
            assert event["outcome"] == "4"
            assert event["agent"][0]["who"] == {"display": "Iemand anders, geen zorgverlener"}
            assert "role" not in event["agent"][0] and "site" not in event["source"]
    refused_sam = next(r for r in looked if r.user_id == cast.sam.pk)
    sam = body(get(client, f"/fhir/AuditEvent/{refused_sam.event_id}"))
    assert sam["agent"][0]["who"]["reference"] == f"Practitioner/{cast.sam.pk}"  # professionals are named
    assert "network" not in sam["agent"][0] and "outcomeDesc" not in sam


@pytest.mark.django_db
def test_only_the_person_reads_their_log(cast, client, looked):
    row = next(r for r in looked if r.user_id == cast.noor.pk)
    for user in (cast.noor, cast.gert, cast.cor, cast.sam, cast.mia, cast.ada, cast.bas_user, cast.rob):
        client.force_login(user)
        refused = AccessLogEntry.objects.filter(user=user, outcome="refused")
        before = refused.count()
        assert_outcome(get(client, f"/fhir/AuditEvent/{row.event_id}"), 404)
        assert refused.count() == before + 1, user
        assert str(row.event_id) not in {e["id"] for e in _events(client)}, user
    client.force_login(cast.anna_user)
    assert get(client, f"/fhir/AuditEvent/{row.event_id}").status_code == 200


@pytest.mark.django_db
def test_rows_the_page_leaves_out_are_missing(cast, client, looked):
    client.force_login(cast.anna_user)
    get(client, f"/fhir/Patient/{cast.anna.pk}")  # her own read: not on her page by default
    own = AccessLogEntry.objects.filter(user=cast.anna_user, person=cast.anna).latest("pk")
    assert_outcome(get(client, f"/fhir/AuditEvent/{own.event_id}"), 404)
    assert str(own.event_id) not in {e["id"] for e in _events(client)}
    bas_row = AccessLogEntry.objects.filter(person=cast.bas).first()
    assert get(client, f"/fhir/AuditEvent/{bas_row.event_id}").status_code == 404


@pytest.mark.django_db
def test_audit_event_search_parameters_and_paging(cast, client, looked):
    client.force_login(cast.anna_user)
    every = {str(r.event_id) for r in looked}
    assert {e["id"] for e in _events(client, f"patient={cast.anna.pk}")} == every
    assert _events(client, f"patient={cast.bas.pk}") == []
    reads = {str(r.event_id) for r in looked if r.action == "R"}
    assert reads and {e["id"] for e in _events(client, "action=R")} == reads
    assert {e["id"] for e in _events(client, "action=C,R,U")} == every
    assert _events(client, "action=D") == []
    assert {e["id"] for e in _events(client, "date=ge2000")} == every
    assert _events(client, "date=lt2000") == []
    one = looked[0].event_id
    assert [e["id"] for e in _events(client, f"_id={one}")] == [str(one)]
    assert_outcome(get(client, "/fhir/AuditEvent?agent=1"), 400)
    url, seen = "/fhir/AuditEvent?_count=2", []
    while url:
        bundle = body(get(client, url))
        seen += [e["id"] for e in entries(bundle)]
        url = {link["relation"]: link["url"] for link in bundle["link"]}.get("next")
    assert sorted(seen) == sorted(every)


@pytest.mark.django_db
def test_no_write_ever(cast, client, looked):
    client.force_login(cast.anna_user)
    row = looked[0]
    for url in ("/fhir/AuditEvent", f"/fhir/AuditEvent/{row.event_id}"):
        assert_outcome(client.post(url, data="{}", content_type="application/fhir+json"), 405)
        assert_outcome(client.put(url, data="{}", content_type="application/fhir+json"), 405)
        assert_outcome(client.delete(url), 405)
