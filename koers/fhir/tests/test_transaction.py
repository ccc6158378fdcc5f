"""Transaction and batch Bundles at POST /fhir/ (issue #15): lab values to the screening import,
self-measurements to monitoring's, through their services; a failing transaction changes nothing."""

from __future__ import annotations

import datetime as dt
import json
import secrets

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oauth2_provider.models import get_access_token_model, set_token_value

from koers.audit.models import AccessLogEntry
from koers.monitoring.models import Observation
from koers.screening.models import Measurement
from koers.smart import services as smart
from tests.support.fhir import assert_valid_r4
from tests.support.testing import make_person
from tests.test_post_access import dump, person_data_models, signed_in

pytestmark = pytest.mark.django_db
FHIR = "application/fhir+json"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"


def observation(person, *, loinc="29463-7", value=72.5, unit="kg", when="2026-11-01T08:00:00+01:00", lab=False, id=""):  # noqa: A002
    resource = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": "laboratory" if lab else "vital-signs"}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
        "subject": {"reference": f"Patient/{person.pk}"},
        "effectiveDateTime": when,
        "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit},
    }
    if id:
        resource["id"] = id
    return resource


def hba1c(person, *, value=52, id="gp-1", when="2026-10-20T09:00:00+02:00"):
    return observation(person, loinc="59261-8", value=value, unit="mmol/mol", when=when, lab=True, id=id)


def bundle(kind: str, *resources, method="POST", url="Observation") -> dict:
    entries = [{"resource": r, "request": {"method": method, "url": url}} for r in resources]
    return {"resourceType": "Bundle", "type": kind, "entry": entries}


def token_for(user, scope="user/*.read user/*.write", patient_id=None) -> str:
    return smart.api_token_issue(username=user.username, scope=scope, patient_id=patient_id)


def app_token_for(user, scope: str) -> str:
    """The token a person's own app (a PGO) holds after the authorize page (docs/smart.md): made
    here directly, as ``koers api-token`` is for staff only."""
    raw = secrets.token_urlsafe(32)
    token = get_access_token_model()(
        user=user, application=smart._cli_application(), scope=scope, expires=timezone.now() + dt.timedelta(minutes=5)
    )
    set_token_value(token, raw)
    token.save()
    return raw


def post(body, token=None, client=None, headers=None):
    client = client or Client()
    headers = {"Accept": FHIR, **(headers or {})}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post("/fhir/", data=data, content_type=FHIR, headers=headers)


def answer(response) -> dict:
    body = json.loads(response.content)
    assert_valid_r4(body)
    return body


def statuses(response) -> list[str]:
    return [e["response"]["status"] for e in answer(response)["entry"]]


def test_a_transaction_stores_lab_values_and_self_measurements_through_the_import_services(cast):
    token = token_for(cast.noor)
    body = bundle(
        "transaction",
        hba1c(cast.anna),
        observation(cast.anna),
        observation(cast.anna, loinc="8867-4", value=64, unit="/min"),
    )
    response = post(body, token)
    assert response.status_code == 200, response.content
    result = answer(response)
    assert result["type"] == "transaction-response"
    assert statuses(response) == ["201 Created"] * 3
    lab = Measurement.objects.get(person=cast.anna, source=Measurement.Source.FHIR)
    assert (lab.measure, lab.external_id, int(lab.value)) == ("hba1c", "gp-1", 52)
    own = Observation.objects.filter(person=cast.anna, source=Observation.Source.FHIR).order_by("pk")
    assert [o.type.code for o in own] == ["weight", "heart_rate"]
    locations = [e["response"]["location"] for e in result["entry"]]
    assert locations == [f"Observation/lab-{lab.pk}", f"Observation/mon-{own[0].pk}", f"Observation/mon-{own[1].pk}"]
    rows = AccessLogEntry.objects.filter(user=cast.noor, person=cast.anna, action="C", outcome="success")
    written = rows.filter(object_type__in=["screening.Measurement", "monitoring.Observation"])
    assert sorted(written.values_list("object_id", flat=True)) == sorted([str(lab.pk), *(str(o.pk) for o in own)])


def test_a_transaction_with_one_bad_entry_stores_nothing(cast):
    token = token_for(cast.noor)
    models = person_data_models()
    before = dump(models)
    bad = observation(cast.anna, value=7000)  # an impossible weight: the importer refuses it
    body = bundle("transaction", hba1c(cast.anna), observation(cast.anna), observation(cast.bas), bad)
    response = post(body, token)
    assert response.status_code == 400
    outcome = answer(response)
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["diagnostics"].startswith("Bundle.entry[3]: ")
    assert dump(models) == before
    assert not AccessLogEntry.objects.filter(
        object_type__in=["screening.Measurement", "monitoring.Observation"]
    ).exists()


def test_a_transaction_for_a_person_the_user_may_not_write_fails_and_keeps_the_refusal(cast):
    stranger = make_person(actor=cast.sam)
    token = token_for(cast.noor)
    models = person_data_models()
    before = dump(models)
    refused = AccessLogEntry.objects.filter(user=cast.noor, person_id=stranger.pk, outcome="refused")
    response = post(bundle("transaction", observation(cast.anna), observation(stranger)), token)
    assert response.status_code == 404
    assert "Bundle.entry[1]" in answer(response)["issue"][0]["diagnostics"]
    assert dump(models) == before
    assert refused.count() == 1


def test_a_batch_does_every_entry_on_its_own(cast):
    stranger = make_person(actor=cast.sam)
    token = token_for(cast.noor)
    body = bundle(
        "batch", observation(cast.anna), observation(stranger), observation(cast.anna, value=7000), hba1c(cast.anna)
    )
    body["entry"].append({"resource": observation(cast.anna), "request": {"method": "DELETE", "url": "Observation/1"}})
    body["entry"].append({"resource": {"resourceType": "Patient"}, "request": {"method": "POST", "url": "Patient"}})
    response = post(body, token)
    assert response.status_code == 200
    result = answer(response)
    assert result["type"] == "batch-response"
    assert statuses(response) == ["201 Created", "404 Not Found", "400 Bad Request", "201 Created",
                                  "405 Method Not Allowed", "400 Bad Request"]  # fmt: skip
    assert result["entry"][2]["response"]["outcome"]["issue"][0]["code"] == "invalid"
    assert Observation.objects.filter(person=cast.anna, source=Observation.Source.FHIR).count() == 1
    assert Measurement.objects.filter(person=cast.anna, source=Measurement.Source.FHIR).count() == 1
    assert not Observation.objects.filter(person=stranger).exists()


def test_a_repeated_self_measurement_is_reported_not_stored_twice(cast):
    token = app_token_for(cast.anna_user, scope="user/Observation.write")
    assert statuses(post(bundle("batch", observation(cast.anna)), token)) == ["201 Created"]
    response = post(
        bundle("transaction", observation(cast.anna), observation(cast.anna, when="2026-11-02T08:00:00Z")), token
    )
    assert statuses(response) == ["200 OK", "201 Created"]
    assert "already stored" in answer(response)["entry"][0]["response"]["outcome"]["issue"][0]["diagnostics"]
    assert Observation.objects.filter(person=cast.anna).count() == 2


def test_a_repeated_lab_value_is_refused_as_the_import_page_refuses_it(cast):
    token = token_for(cast.noor)
    assert statuses(post(bundle("batch", hba1c(cast.anna)), token)) == ["201 Created"]
    response = post(bundle("batch", hba1c(cast.anna)), token)
    assert statuses(response) == ["400 Bad Request"]
    assert Measurement.objects.filter(person=cast.anna).count() == 1


@pytest.mark.parametrize("scope", ["user/*.read", "user/Observation.read", "user/Patient.write", "user/Observation.rs"])
def test_without_a_write_scope_the_answer_is_403_and_nothing_is_stored(cast, scope):
    response = post(bundle("batch", observation(cast.anna)), token_for(cast.noor, scope=scope))
    assert response.status_code == 403
    assert answer(response)["issue"][0]["code"] == "forbidden"
    assert not Observation.objects.filter(person=cast.anna).exists()


def test_a_v2_create_scope_may_post(cast):
    response = post(bundle("batch", observation(cast.anna)), token_for(cast.noor, scope="user/Observation.c"))
    assert statuses(response) == ["201 Created"]


def test_a_patient_token_writes_about_its_patient_alone(cast):
    token = token_for(cast.noor, scope="user/Observation.write launch/patient", patient_id=cast.anna.pk)
    response = post(bundle("batch", observation(cast.anna), observation(cast.bas)), token)
    assert statuses(response) == ["201 Created", "404 Not Found"]
    assert not Observation.objects.filter(person=cast.bas).exists()
    assert AccessLogEntry.objects.filter(user=cast.noor, person_id=cast.bas.pk, outcome="refused").count() == 1


def test_no_credential_or_a_bad_token_is_401(cast):
    assert post(bundle("batch", observation(cast.anna))).status_code == 401
    response = post(bundle("batch", observation(cast.anna)), "not-a-token")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_session_post_needs_csrf_and_even_with_it_has_no_write_scope(cast, settings):
    settings.KOERS_REQUIRE_2FA = False
    client, csrf = signed_in(cast.noor)
    response = post(bundle("batch", observation(cast.anna)), client=client)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")  # Django's CSRF refusal, before the API
    response = post(bundle("batch", observation(cast.anna)), client=client, headers={"X-CSRFToken": csrf})
    assert response.status_code == 403  # past the CSRF check: a session's scopes only read
    assert answer(response)["issue"][0]["code"] == "forbidden"
    # A bearer header never falls back to the session: a bad token beside the cookie is 401.
    assert post(bundle("batch", observation(cast.anna)), "nope", client=client).status_code == 401
    assert not Observation.objects.filter(person=cast.anna).exists()


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        json.dumps({"resourceType": "Patient"}),
        json.dumps({"resourceType": "Bundle", "type": "searchset"}),
        json.dumps({"resourceType": "Bundle", "type": "batch", "entry": {}}),
        b"\xff\xfe",
    ],
)
def test_what_is_not_a_transaction_or_batch_bundle_is_400(cast, body):
    response = post(body, token_for(cast.noor))
    assert response.status_code == 400
    assert answer(response)["issue"][0]["code"] == "invalid"


def test_limits(cast, monkeypatch):
    token = token_for(cast.noor)
    too_many = bundle("batch", *[observation(cast.anna)] * 1001)
    assert post(too_many, token).status_code == 400
    large = bundle("batch", observation(cast.anna))  # over Django's 2.5 MB form limit, under the API's 5 MB
    large["entry"][0]["resource"]["note"] = [{"text": "x" * 3_000_000}]
    assert statuses(post(large, token)) == ["201 Created"]
    large["entry"][0]["resource"]["note"] = [{"text": "x" * 5_300_000}]
    assert post(large, token).status_code == 413
    from koers.fhir import transaction

    monkeypatch.setattr(transaction, "MAX_BYTES", 100)
    response = post(bundle("batch", observation(cast.anna, when="2026-11-03T08:00:00Z")), token)
    assert response.status_code == 413
    assert Observation.objects.filter(person=cast.anna).count() == 1


def test_the_base_still_answers_a_get_with_the_one_404(cast):
    response = Client().get("/fhir/", headers={"Authorization": f"Bearer {token_for(cast.noor)}"})
    assert response.status_code == 404
    assert answer(response)["issue"][0]["code"] == "not-found"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
FIELDS = ["status", "code", "subject", "effectiveDateTime", "valueQuantity", "component", "category", "id",
          "effectivePeriod", "issued", "resourceType"]  # fmt: skip


@st.composite
def junk_entries(draw, person):
    resource = observation(person, lab=draw(st.booleans()))
    for field in draw(st.lists(st.sampled_from(FIELDS), max_size=3)):
        resource[field] = draw(json_values)
    entry = {"resource": resource, "request": {"method": "POST", "url": "Observation"}}
    if draw(st.integers(0, 4)) == 0:
        entry[draw(st.sampled_from(["resource", "request"]))] = draw(json_values)
    return draw(st.sampled_from([entry, draw(json_values)]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_junk_bundles_never_answer_500(cast, data):
    token = token_for(cast.noor)
    kind = data.draw(st.sampled_from(["transaction", "batch", "searchset", None]))
    entries = data.draw(st.lists(junk_entries(cast.anna), max_size=4) | json_values)
    body = data.draw(st.sampled_from([{"resourceType": "Bundle", "type": kind, "entry": entries}, entries]))
    response = post(body, token)
    assert response.status_code in (200, 400, 404, 405), response.content
    answer(response)


def test_the_capability_statement_names_transaction_and_batch(db):
    statement = answer(Client().get("/fhir/metadata"))
    assert {i["code"] for i in statement["rest"][0]["interaction"]} == {"transaction", "batch"}
