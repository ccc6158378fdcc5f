"""Consent through the API (issue #15): the person's choices, for the person and their care team."""

from __future__ import annotations

import pytest
from django.utils import timezone

from koers import access
from koers.audit.models import AccessLogEntry
from koers.fhir.tests.test_api import assert_outcome, body, entries, get
from koers.network.models import RelativeLink
from koers.network.services import consent_set
from tests.support.fhir import assert_valid_r4

GOALS, CAREPLAN = access.Topic.GOALS, access.Topic.CAREPLAN


@pytest.fixture
def choices(cast):
    to_rob = consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=GOALS, granted=True)
    from_gert = consent_set(
        actor=cast.noor, person=cast.anna, member=cast.gert, topic=CAREPLAN, granted=False, recorded_with_person=True
    )
    bas = consent_set(actor=cast.bas_user, person=cast.bas, member=cast.noor, topic=GOALS, granted=False)
    return to_rob, from_gert, bas


def _ids(client, query=""):
    return {r["id"] for r in entries(body(get(client, f"/fhir/Consent?{query}")))}


@pytest.mark.django_db
def test_a_consent_reads_as_valid_r4_naming_the_member(cast, client, choices):
    to_rob, from_gert, _ = choices
    link = RelativeLink.objects.get(person=cast.anna, user=cast.rob)
    client.force_login(cast.anna_user)
    rows = AccessLogEntry.objects.filter(user=cast.anna_user, person=cast.anna, outcome="success")
    before = rows.count()
    rob = body(get(client, f"/fhir/Consent/{to_rob.pk}"))
    assert_valid_r4(rob)
    assert rob["status"] == "active" and rob["patient"] == {"reference": f"Patient/{cast.anna.pk}"}
    assert rob["provision"]["actor"][0]["reference"] == {"reference": f"RelatedPerson/{link.pk}"}
    gert = body(get(client, f"/fhir/Consent/{from_gert.pk}"))
    assert_valid_r4(gert)
    assert gert["status"] == "inactive" and gert["provision"]["type"] == "deny"
    assert gert["provision"]["actor"][0]["reference"] == {"reference": f"Practitioner/{cast.gert.pk}"}
    assert {"reference": f"Practitioner/{cast.noor.pk}"} in gert["performer"]  # recorded with the person
    assert rows.count() == before + 2
    assert rows.latest("pk").object_type == "network.Consent"


@pytest.mark.django_db
def test_who_reads_the_choices(cast, client, choices):
    to_rob = choices[0]
    for user, allowed in (
        (cast.noor, True),
        (cast.gert, True),
        (cast.anna_user, True),
        (cast.cor, False),
        (cast.sam, False),
        (cast.mia, False),
        (cast.ada, False),
        (cast.bas_user, False),
        (cast.rob, False),  # even about themself: no page shows a relative the person's choices
    ):
        client.force_login(user)
        refused = AccessLogEntry.objects.filter(user=user, outcome="refused")
        before = refused.count()
        assert get(client, f"/fhir/Consent/{to_rob.pk}").status_code == (200 if allowed else 404), user
        assert (str(to_rob.pk) in _ids(client)) is allowed, user
        if not allowed:
            assert refused.count() == before + 1, user


@pytest.mark.django_db
def test_a_withdrawal_shows_on_the_next_request_and_the_relative_stays_out(cast, client, choices):
    to_rob = choices[0]
    client.force_login(cast.noor)
    assert _ids(client, f"patient={cast.anna.pk}&status=active") == {str(to_rob.pk)}
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=GOALS, granted=False)
    resource = body(get(client, f"/fhir/Consent/{to_rob.pk}"))
    assert resource["status"] == "inactive" and resource["policyRule"]["coding"][0]["code"] == "OPTOUT"
    assert _ids(client, f"patient={cast.anna.pk}&status=active") == set()
    client.force_login(cast.rob)
    assert_outcome(get(client, f"/fhir/Consent/{to_rob.pk}"), 404)


@pytest.mark.django_db
def test_an_ended_relative_link_still_names_the_relative(cast, client, choices):
    link = RelativeLink.objects.get(person=cast.anna, user=cast.rob)
    link.ended_at = timezone.now()
    link.save()
    client.force_login(cast.anna_user)
    rob = body(get(client, f"/fhir/Consent/{choices[0].pk}"))
    assert rob["provision"]["actor"][0]["reference"] == {"reference": f"RelatedPerson/{link.pk}"}


@pytest.mark.django_db
def test_consent_search_parameters_and_paging(cast, client, choices):
    to_rob, from_gert, bas = choices
    client.force_login(cast.noor)
    assert _ids(client) == {str(to_rob.pk), str(from_gert.pk), str(bas.pk)}
    assert _ids(client, f"patient=Patient/{cast.anna.pk}") == {str(to_rob.pk), str(from_gert.pk)}
    assert _ids(client, "status=inactive") == {str(from_gert.pk), str(bas.pk)}
    assert _ids(client, "status=active,inactive") == {str(to_rob.pk), str(from_gert.pk), str(bas.pk)}
    assert _ids(client, "status=draft") == set()
    assert _ids(client, f"_id={bas.pk}") == {str(bas.pk)}
    assert_outcome(get(client, "/fhir/Consent?actor=1"), 400)
    url, seen = "/fhir/Consent?_count=2", []
    while url:
        bundle = body(get(client, url))
        assert_valid_r4(bundle)
        assert bundle["total"] == 3
        seen += [r["id"] for r in entries(bundle)]
        url = {link["relation"]: link["url"] for link in bundle["link"]}.get("next")
    assert sorted(seen) == sorted({str(to_rob.pk), str(from_gert.pk), str(bas.pk)})
    client.force_login(cast.bas_user)
    assert _ids(client) == {str(bas.pk)} and body(get(client, "/fhir/Consent"))["total"] == 1
