"""The FHIR API as an access path of its own: every person-data type × every actor of the cast,
read and search, against the policy table (issue #15; access path ``api`` in docs/access.md).

Allowed → 200 and a success row for the person; not allowed → the missing-record 404 and a
refused row, and the person absent from every search.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from koers import access
from koers.access import Category, Relationship, policy
from koers.accounts.models import User
from koers.audit.models import AccessLogEntry
from koers.network.models import EmergencyAccess, RelativeLink
from koers.network.services import consent_set
from tests.support.testing import make_user

PERSON_TYPES = ("Patient", "CareTeam", "RelatedPerson")


def _actors(cast):
    """(name, user, relationship the table knows them by, topics)."""
    none = frozenset()
    return [
        ("coordinator", cast.noor, Relationship.CARE_TEAM, None),
        ("care team member", cast.gert, Relationship.CARE_TEAM, None),
        ("colleague outside the team", cast.cor, Relationship.NONE, none),
        ("other organisation", cast.pieter, Relationship.NONE, none),
        ("stranger", cast.sam, Relationship.NONE, none),
        ("manager", cast.mia, Relationship.NONE, none),
        ("administrator", cast.ada, Relationship.NONE, none),
        ("the person", cast.anna_user, Relationship.SELF, None),
        ("another person", cast.bas_user, Relationship.NONE, none),
        ("relative without consent", cast.rob, Relationship.RELATIVE, none),
    ]


def _expected(relationship, topics) -> bool:
    if topics is None:
        topics = policy.effective_topics(relationship, "", {})
    return policy.allowed(relationship, Category.DEMOGRAPHICS, policy.R, topics=topics)


def _ids(cast):
    link = RelativeLink.objects.get(person=cast.anna, user=cast.rob)
    return {"Patient": cast.anna.pk, "CareTeam": cast.anna.pk, "RelatedPerson": link.pk}


def _check(client, cast, name, user, allowed):
    client.force_login(user)
    for type_name, pk in _ids(cast).items():
        success = AccessLogEntry.objects.filter(user=user, person=cast.anna, outcome="success")
        refused = AccessLogEntry.objects.filter(user=user, outcome="refused")
        ok, no = success.count(), refused.count()
        response = client.get(f"/fhir/{type_name}/{pk}", headers={"Accept": "application/fhir+json"})
        if allowed:
            assert response.status_code == 200, f"{name}: {type_name} gave {response.status_code}"
            assert success.count() == ok + 1, f"{name}: {type_name} read without a log row"
        else:
            assert response.status_code == 404, f"{name}: {type_name} gave {response.status_code}"
            assert refused.count() == no + 1, f"{name}: {type_name} refused without a log row"
        bundle = json.loads(client.get(f"/fhir/{type_name}?_count=100").content)
        found = {e["resource"]["id"] for e in bundle.get("entry", [])}
        assert (str(pk) in found) is allowed, f"{name}: {type_name} search"


@pytest.mark.django_db
def test_every_actor_reads_and_searches_as_the_table_says(cast, client):
    for name, user, relationship, topics in _actors(cast):
        _check(client, cast, name, user, _expected(relationship, topics))


@pytest.mark.django_db
def test_consent_given_then_withdrawn_works_on_the_next_request(cast, client):
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=access.Topic.CAREPLAN, granted=True)
    assert _expected(Relationship.RELATIVE, frozenset({access.Topic.CAREPLAN}))
    _check(client, cast, "relative with consent", cast.rob, True)
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=access.Topic.CAREPLAN, granted=False)
    _check(client, cast, "relative after withdrawal", cast.rob, False)


@pytest.mark.django_db
def test_a_relative_reads_only_their_own_link(cast, client):
    ria = make_user("ria", role=User.Role.RELATIVE)
    ria_link = RelativeLink.objects.create(person=cast.anna, user=ria, relationship="dochter")
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=access.Topic.GOALS, granted=True)
    client.force_login(cast.rob)
    assert client.get(f"/fhir/RelatedPerson/{ria_link.pk}").status_code == 404
    bundle = json.loads(client.get("/fhir/RelatedPerson").content)
    assert [e["resource"]["id"] for e in bundle["entry"]] == [str(_ids(cast)["RelatedPerson"])]
    client.force_login(cast.noor)
    bundle = json.loads(client.get(f"/fhir/RelatedPerson?patient={cast.anna.pk}").content)
    assert bundle["total"] == 2


@pytest.mark.django_db
def test_emergency_access_reads_by_id_while_it_runs_and_never_lists(cast, client):
    """Break the glass: the professional reads the Patient by id (a row with purpose emergency)
    while the access runs, finds no one by searching, and gets 404 once it is over."""
    now = timezone.now()
    emergency = EmergencyAccess.objects.create(
        person=cast.anna,
        professional=cast.sam,
        organisation=cast.elsewhere,
        reason="Opgenomen op de SEH",
        scope=access.Topic.CAREPLAN,
        started_at=now - dt.timedelta(hours=1),
        expires_at=now + dt.timedelta(hours=3),
    )
    client.force_login(cast.sam)
    assert client.get(f"/fhir/Patient/{cast.anna.pk}").status_code == 200
    row = AccessLogEntry.objects.filter(user=cast.sam, person=cast.anna, outcome="success").latest("pk")
    assert row.purpose == "emergency"
    assert json.loads(client.get("/fhir/Patient").content)["total"] == 0
    emergency.expires_at = now - dt.timedelta(minutes=1)
    emergency.save()
    assert client.get(f"/fhir/Patient/{cast.anna.pk}").status_code == 404


@pytest.mark.django_db
def test_head_answers_like_get_without_a_body(cast, client):
    client.force_login(cast.noor)
    response = client.head(f"/fhir/Patient/{cast.anna.pk}")
    assert response.status_code == 200 and response.content == b""
    assert "no-store" in response["Cache-Control"]
