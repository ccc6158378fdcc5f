"""The FHIR API's framework and people resources through the test client (issue #15)."""

from __future__ import annotations

import json
import uuid
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from koers import access
from koers.audit.models import AccessLogEntry
from koers.fhir import registry
from koers.handover.models import HandoverSummary
from koers.network.models import CareTeamMember, RelativeLink
from koers.network.services import consent_set
from koers.questionnaires import services as q_services
from tests.support.fhir import assert_valid_r4
from tests.support.testing import make_full_record, make_person

FHIR = "application/fhir+json"


def get(client, url, **headers):
    return client.get(url, headers={"Accept": FHIR, **headers})


def body(response) -> dict:
    assert response["Content-Type"].startswith(FHIR), response["Content-Type"]
    return json.loads(response.content)


def assert_outcome(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    outcome = body(response)
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["diagnostics"]
    assert "Traceback" not in response.content.decode()
    assert_valid_r4(outcome)
    return outcome


def assert_no_store(response):
    assert "no-store" in response["Cache-Control"], response["Cache-Control"]


def entries(bundle) -> list[dict]:
    return [e["resource"] for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]


# --- metadata ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_metadata_is_a_valid_capability_statement_from_the_registry(client):
    response = get(client, "/fhir/metadata")
    assert response.status_code == 200
    assert_no_store(response)
    statement = body(response)
    assert_valid_r4(statement)
    assert statement["fhirVersion"] == "4.0.1" and statement["format"] == ["json"]
    rest = statement["rest"][0]
    by_type = {r["type"]: r for r in rest["resource"]}
    assert set(by_type) == {t.name for t in registry.all_types()}
    assert {"Patient", "Practitioner", "PractitionerRole", "Organization", "CareTeam", "RelatedPerson"} <= set(by_type)
    patient = by_type["Patient"]
    assert patient["supportedProfile"] == ["http://nictiz.nl/fhir/StructureDefinition/nl-core-Patient"]
    assert {"_id", "name", "birthdate", "identifier", "_lastUpdated"} <= {p["name"] for p in patient["searchParam"]}
    assert {i["code"] for i in patient["interaction"]} == {"read", "search-type"}
    smart = rest["security"]["extension"][0]
    assert smart["url"] == "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
    uris = {e["url"]: urlsplit(e["valueUri"]).path for e in smart["extension"]}
    assert uris == {"authorize": "/o/authorize/", "token": "/o/token/", "revoke": "/o/revoke_token/"}


# --- content negotiation, methods, grant ------------------------------------------------------------


@pytest.mark.django_db
def test_json_only(cast, client):
    client.force_login(cast.noor)
    for accept in (FHIR, "application/json", "*/*", "text/html,application/xhtml+xml,*/*;q=0.8", ""):
        assert get(client, "/fhir/Patient", Accept=accept).status_code == 200, accept
    assert get(client, "/fhir/Patient?_format=json", Accept="application/fhir+xml").status_code == 200
    assert_outcome(get(client, "/fhir/Patient", Accept="application/fhir+xml"), 406)
    assert_outcome(get(client, "/fhir/Patient?_format=xml"), 406)
    assert_outcome(get(client, "/fhir/metadata", Accept="text/html"), 406)


@pytest.mark.django_db
def test_other_methods_are_405(cast, client):
    client.force_login(cast.noor)
    for url in ("/fhir/Patient", f"/fhir/Patient/{cast.anna.pk}", "/fhir/metadata"):
        response = client.post(url, data="{}", content_type=FHIR)
        assert_outcome(response, 405)
        assert_no_store(response)
        assert_outcome(client.delete(url), 405)


@pytest.mark.django_db
def test_without_a_grant_401_with_a_bearer_challenge(cast, client):
    for url in ("/fhir/Patient", f"/fhir/Patient/{cast.anna.pk}", "/fhir/Nonsense"):
        response = get(client, url)
        assert_outcome(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert_no_store(response)
    assert get(client, "/fhir/Patient", Authorization="Bearer made-up").status_code == 401


# --- read and search of Patient --------------------------------------------------------------------


@pytest.mark.django_db
def test_read_of_a_caseload_patient_is_logged(cast, client):
    client.force_login(cast.noor)
    rows = AccessLogEntry.objects.filter(user=cast.noor, person=cast.anna, action="R", outcome="success")
    before = rows.count()
    response = get(client, f"/fhir/Patient/{cast.anna.pk}")
    assert response.status_code == 200
    assert_no_store(response)
    patient = body(response)
    assert_valid_r4(patient)
    assert patient["name"][0]["family"] == "de Boer"
    assert rows.count() == before + 1


@pytest.mark.django_db
def test_bsn_only_when_set_and_the_reader_may_see_it(cast, client):
    cast.anna.bsn = "123456782"
    cast.anna.save()
    client.force_login(cast.noor)
    identifiers = body(get(client, f"/fhir/Patient/{cast.anna.pk}")).get("identifier", [])
    assert identifiers == [{"system": "http://fhir.nl/fhir/NamingSystem/bsn", "value": "123456782"}]
    found = body(get(client, "/fhir/Patient?identifier=http://fhir.nl/fhir/NamingSystem/bsn|123456782"))
    assert [p["id"] for p in entries(found)] == [str(cast.anna.pk)]
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=access.Topic.GOALS, granted=True)
    client.force_login(cast.rob)
    patient = body(get(client, f"/fhir/Patient/{cast.anna.pk}"))
    assert "identifier" not in patient
    assert body(get(client, "/fhir/Patient?identifier=123456782"))["total"] == 0


def _record_foreign_and_missing(cast, stranger) -> dict[str, tuple[str, str]]:
    """The person-record types (fhir-read-record): the stranger's objects, Sam's to see."""
    response = q_services.response_start(actor=cast.sam, person=stranger, instrument_id="phq-9")
    # make_full_record already assigned the PHQ-9 to the stranger
    assignment = q_services.assignment_create(actor=cast.sam, person=stranger, instrument_id="gad-7")
    summary = HandoverSummary.objects.create(
        person=stranger, kind="intake", category="demographics", sender=cast.sam, created_at=timezone.now()
    )
    consent = consent_set(
        actor=cast.sam,
        person=stranger,
        member=cast.sam,
        topic=access.Topic.GOALS,
        granted=True,
        recorded_with_person=True,
    )
    return {
        "QuestionnaireResponse": (response.pk, 999999),
        "Questionnaire": ("who-5", "no-such-instrument"),  # not Koers's to hand out (non-commercial)
        "Consent": (consent.pk, 999999),
        "Task": (f"assignment-{assignment.pk}", "action-999999"),
        "DocumentReference": (summary.pk, 999999),
        "AuditEvent": (AccessLogEntry.objects.filter(person=stranger).first().event_id, uuid.uuid4()),
    }


def _foreign_and_missing(cast) -> dict[str, tuple[str, str]]:
    """Per registered type: an id that exists but Noor may not see, and one that does not exist."""
    stranger = make_person(actor=cast.sam, given_name="Vreemd")
    other_link = RelativeLink.objects.create(person=stranger, user=cast.rob, relationship="broer")
    theirs = make_full_record(stranger, professional=cast.sam)
    return {
        "Goal": (theirs["goal_id"].pk, 999999),
        "CarePlan": (theirs["version"].care_plan.pk, 999999),
        "Observation": (f"mon-{theirs['observation_id'].pk}", "gas-999999"),
        "Patient": (stranger.pk, 999999),
        "CareTeam": (stranger.pk, 999999),
        "RelatedPerson": (other_link.pk, 999999),
        "Practitioner": (cast.sam.pk, 999999),
        "PractitionerRole": (cast.sam.pk, 999999),
        "Organization": (cast.elsewhere.pk, 999999),
        **_record_foreign_and_missing(cast, stranger),
    }


@pytest.mark.django_db
def test_foreign_and_missing_ids_answer_byte_for_byte_alike_for_every_type(cast, client):
    ids = _foreign_and_missing(cast)
    assert {t.name for t in registry.all_types()} <= set(ids), "a new type needs a foreign and a missing id here"
    client.force_login(cast.noor)
    unknown_type = get(client, "/fhir/Nonsense/1")
    assert_outcome(unknown_type, 404)
    for type_name, (foreign, missing) in ids.items():
        assert get(client, f"/fhir/{type_name}/{foreign}").status_code == 404, type_name
        odd = ("abc", "-1", "0", "9" * 30, "\u0663", "x" * 300)  # not ids, too big, an Arabic-Indic 3, too long
        answers = {get(client, f"/fhir/{type_name}/{i}").content for i in (foreign, missing, *odd)}
        assert answers == {unknown_type.content}, type_name
    assert_outcome(get(client, "/fhir/Nonsense"), 404)
    for query in ("_id=" + "9" * 30, "_id=\u0663", "patient=" + "9" * 30):
        assert body(get(client, f"/fhir/CareTeam?{query}"))["total"] == 0
    assert get(client, f"/fhir/Patient/{cast.anna.pk}/_history").content == unknown_type.content


@pytest.mark.django_db
def test_a_refused_read_leaves_a_refused_row(cast, client):
    client.force_login(cast.sam)
    refused = AccessLogEntry.objects.filter(user=cast.sam, outcome="refused")
    before = refused.count()
    assert get(client, f"/fhir/Patient/{cast.anna.pk}").status_code == 404
    assert refused.count() == before + 1


@pytest.mark.parametrize(
    "query",
    [
        "nonsense=1",
        "_sort=name",
        "birthdate=2026-13-01",
        "birthdate=yesterday",
        "birthdate=sa2026",
        "birthdate=9999-12-31",
        "name=an%00na",
        "_lastUpdated=2026-02-30",
        "_count=abc",
        "_count=-1",
        "_offset=x",
        "name:fuzzy=an",
        "name=",
        "identifier=a|b|c",
        "_include=Patient:organization",
    ],
)
@pytest.mark.django_db
def test_unknown_or_malformed_parameters_are_400(cast, client, query):
    client.force_login(cast.noor)
    response = get(client, f"/fhir/Patient?{query}")
    assert_outcome(response, 400)
    assert_no_store(response)


@pytest.mark.django_db
def test_patient_search_parameters(cast, client):
    client.force_login(cast.noor)

    def ids(query):
        return {p["id"] for p in entries(body(get(client, f"/fhir/Patient?{query}")))}

    anna, bas = str(cast.anna.pk), str(cast.bas.pk)
    assert ids("") == {anna, bas}
    assert ids("name=boer") == {anna}
    assert ids("name=ANNA") == {anna}
    assert ids("name=ann,smi") == {anna, bas}
    assert ids(f"_id={bas}") == {bas}
    assert ids("birthdate=1970") == {anna, bas}
    assert ids("birthdate=1970-05") == {anna, bas}
    assert ids("birthdate=1970-05-17") == {anna, bas}
    assert ids("birthdate=lt1970-05-17") == set()
    assert ids("birthdate=ge1970-05-17&birthdate=le1970-05-17") == {anna, bas}
    assert ids("birthdate=ne1970") == set()
    assert ids("_lastUpdated=gt2000-01-01T00:00:00Z") == {anna, bas}
    assert ids("_lastUpdated=lt2000") == set()


@pytest.mark.django_db
def test_paging_links_walk_every_result_exactly_once(cast, client):
    for i in range(7):
        make_person(actor=cast.noor, given_name=f"Extra{i}")
    client.force_login(cast.noor)
    url, seen, pages = "/fhir/Patient?_count=3", [], 0
    while url:
        bundle = body(get(client, url))
        assert_valid_r4(bundle)
        assert bundle["total"] == 9
        seen += [p["id"] for p in entries(bundle)]
        links = {link["relation"]: link["url"] for link in bundle["link"]}
        if pages:
            assert "previous" in links
        url = links.get("next")
        pages += 1
    assert pages == 3
    assert len(seen) == 9 and len(set(seen)) == 9


@pytest.mark.django_db
def test_count_zero_gives_the_total_only_and_large_counts_are_lowered(cast, client):
    client.force_login(cast.noor)
    bundle = body(get(client, "/fhir/Patient?_count=0"))
    assert bundle["total"] == 2 and "entry" not in bundle
    bundle = body(get(client, "/fhir/Patient?_count=1000"))
    assert "_count=100" in bundle["link"][0]["url"]


@pytest.mark.django_db
def test_a_search_logs_like_a_list_page(cast, client):
    client.force_login(cast.noor)
    rows = AccessLogEntry.objects.filter(user=cast.noor, action="R", outcome="success")
    before = rows.count()
    body(get(client, "/fhir/Patient?_count=1"))
    assert rows.count() == before + 1  # the page's one person, not everyone in the total


# --- who sees what ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_portal_person_sees_only_themself(cast, client):
    client.force_login(cast.anna_user)
    bundle = body(get(client, "/fhir/Patient"))
    assert [p["id"] for p in entries(bundle)] == [str(cast.anna.pk)] and bundle["total"] == 1
    assert get(client, f"/fhir/Patient/{cast.bas.pk}").status_code == 404
    assert get(client, f"/fhir/CareTeam/{cast.bas.pk}").status_code == 404
    team = body(get(client, f"/fhir/CareTeam/{cast.anna.pk}"))
    assert_valid_r4(team)
    members = {p["member"]["reference"] for p in team["participant"]}
    assert {f"Practitioner/{cast.noor.pk}", f"Practitioner/{cast.gert.pk}"} <= members


@pytest.mark.django_db
def test_a_relative_sees_the_person_only_under_consent(cast, client):
    link = RelativeLink.objects.get(person=cast.anna, user=cast.rob)
    client.force_login(cast.rob)
    refused = AccessLogEntry.objects.filter(user=cast.rob, outcome="refused")
    for url in (f"/fhir/Patient/{cast.anna.pk}", f"/fhir/RelatedPerson/{link.pk}", f"/fhir/CareTeam/{cast.anna.pk}"):
        before = refused.count()
        assert_outcome(get(client, url), 404)
        assert refused.count() == before + 1, url
    assert body(get(client, "/fhir/Patient"))["total"] == 0
    assert body(get(client, "/fhir/RelatedPerson"))["total"] == 0
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=access.Topic.GOALS, granted=True)
    assert get(client, f"/fhir/Patient/{cast.anna.pk}").status_code == 200
    related = body(get(client, f"/fhir/RelatedPerson/{link.pk}"))
    assert_valid_r4(related)
    assert related["patient"]["reference"] == f"Patient/{cast.anna.pk}"
    team = body(get(client, f"/fhir/CareTeam/{cast.anna.pk}"))
    assert [p["member"]["reference"] for p in team["participant"]] == [
        f"Practitioner/{cast.noor.pk}",
        f"RelatedPerson/{link.pk}",
    ]  # the coordinator and their own link, as on their pages
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=access.Topic.GOALS, granted=False)
    assert get(client, f"/fhir/Patient/{cast.anna.pk}").status_code == 404


@pytest.mark.django_db
def test_every_people_resource_validates(cast, client):
    cast.gp_practice.agb_code = "01234567"
    cast.gp_practice.city = "Utrecht"
    cast.gp_practice.save()
    client.force_login(cast.noor)
    for type_name, include in (
        ("Patient", ""),
        ("CareTeam", "_include=CareTeam:subject"),
        ("RelatedPerson", "_include=RelatedPerson:patient"),
        ("Practitioner", ""),
        ("PractitionerRole", "_include=PractitionerRole:practitioner&_include=PractitionerRole:organization"),
        ("Organization", ""),
    ):
        bundle = body(get(client, f"/fhir/{type_name}?{include}"))
        assert_valid_r4(bundle)
        assert entries(bundle), type_name
        for entry in bundle["entry"]:
            assert_valid_r4(entry["resource"])
            read = get(client, f"/fhir/{entry['resource']['resourceType']}/{entry['resource']['id']}")
            assert read.status_code == 200 and body(read) == entry["resource"]
        if include:
            assert any(e["search"]["mode"] == "include" for e in bundle["entry"]), type_name


@pytest.mark.django_db
def test_professionals_and_organisations_only_from_visible_networks(cast, client):
    client.force_login(cast.noor)
    practitioners = {p["id"] for p in entries(body(get(client, "/fhir/Practitioner")))}
    assert practitioners == {str(cast.noor.pk), str(cast.gert.pk)}
    organisations = {o["id"] for o in entries(body(get(client, "/fhir/Organization")))}
    assert organisations == {str(cast.gp_practice.pk)}
    CareTeamMember.objects.create(
        person=cast.anna,
        professional=cast.pieter,
        organisation=cast.ggz,
        assigned_by=cast.noor,
        started_at=timezone.now(),
    )
    assert str(cast.pieter.pk) in {p["id"] for p in entries(body(get(client, "/fhir/Practitioner?name=piet")))}
    client.force_login(cast.sam)
    assert {p["id"] for p in entries(body(get(client, "/fhir/Practitioner")))} == {str(cast.sam.pk)}


@pytest.mark.django_db
def test_care_team_search_by_patient_and_status(cast, client):
    client.force_login(cast.noor)
    bundle = body(get(client, f"/fhir/CareTeam?patient=Patient/{cast.anna.pk}&status=active"))
    assert [t["id"] for t in entries(bundle)] == [str(cast.anna.pk)]
    assert body(get(client, f"/fhir/CareTeam?subject={cast.anna.pk}&status=inactive"))["total"] == 0
    assert_outcome(get(client, f"/fhir/CareTeam?patient=Practitioner/{cast.noor.pk}"), 400)


@pytest.mark.django_db
def test_no_store_on_every_answer(cast, client):
    client.force_login(cast.noor)
    for url in ("/fhir/metadata", "/fhir/Patient", "/fhir/Patient/0", "/fhir/Patient?x=1", "/fhir/"):
        assert_no_store(get(client, url))
    assert_no_store(get(client, "/fhir/Patient", Accept="text/html"))


@pytest.mark.django_db
def test_a_failure_is_a_logged_500_without_a_trace(cast, client, monkeypatch, caplog):
    from koers.fhir.resources import people

    def broken(grant):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(people, "visible_persons", broken)
    client.force_login(cast.noor)
    response = get(client, "/fhir/Patient?name=anna")
    outcome = assert_outcome(response, 500)
    assert "secret" not in json.dumps(outcome)
    assert_no_store(response)
    assert any("FHIR request failed" in r.getMessage() for r in caplog.records)
    assert "name=anna" not in caplog.text
