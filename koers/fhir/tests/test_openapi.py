"""The OpenAPI description at /fhir/openapi.json, generated from the registry (issue #15)."""

from __future__ import annotations

import json
import re

import pytest

from koers.fhir import registry
from koers.fhir.openapi import DATE_PATTERN, ID_PATTERN, STRING_PATTERN, TOKEN_PATTERN, openapi_document
from koers.fhir.registry import Page, ResourceType, params_of
from koers.fhir.search import (
    ParamType,
    SearchParam,
    id_param,
    last_updated_param,
    parse_search,
    reference_param,
    string_param,
)

FHIR = "application/fhir+json"


def _document(types=None) -> dict:
    return openapi_document(registry.all_types() if types is None else types, base="https://k.test/fhir", version="t")


def _parameters(document, path) -> dict:
    return {p["name"]: p for p in document["paths"][path]["get"].get("parameters", [])}


def test_every_registered_type_has_read_and_search_with_its_parameters():
    document = _document()
    assert document["openapi"].startswith("3.0")
    assert document["servers"] == [{"url": "https://k.test/fhir"}]
    assert "/metadata" in document["paths"]
    for resource_type in registry.all_types():
        name = resource_type.name
        search = document["paths"][f"/{name}"]["get"]
        read = document["paths"][f"/{name}/{{id}}"]["get"]
        assert {"200", "400", "401", "403", "404", "406"} <= set(search["responses"]) == set(read["responses"])
        assert search["responses"]["200"]["content"][FHIR]["schema"] == {"$ref": "#/components/schemas/Bundle"}
        assert read["responses"]["200"]["content"][FHIR]["schema"] == {"$ref": f"#/components/schemas/{name}"}
        assert read["responses"]["404"]["content"][FHIR]["schema"] == {"$ref": "#/components/schemas/OperationOutcome"}
        parameters = _parameters(document, f"/{name}")
        assert set(resource_type.params) | {"_count", "_offset", "_total"} <= set(parameters)
        schema = document["components"]["schemas"][name]
        assert schema["properties"]["resourceType"]["enum"] == [name]
        assert schema["required"] == ["resourceType", "id"]


def test_parameters_are_typed_like_the_parser_reads_them():
    document = _document()
    patient = _parameters(document, "/Patient")
    assert patient["birthdate"]["schema"]["pattern"] == DATE_PATTERN
    assert patient["identifier"]["schema"]["pattern"] == TOKEN_PATTERN
    assert patient["_id"]["schema"]["pattern"] == TOKEN_PATTERN
    assert patient["name"]["schema"]["pattern"] == STRING_PATTERN
    assert {"name:exact", "name:contains"} <= set(patient)
    assert patient["_count"]["schema"]["type"] == "integer"
    care_team = _parameters(document, "/CareTeam")
    assert re.fullmatch(care_team["patient"]["schema"]["pattern"], "Patient/12")
    assert not re.fullmatch(care_team["patient"]["schema"]["pattern"], "Practitioner/12")
    assert care_team["_include"]["schema"]["enum"] == ["CareTeam:subject"]
    # What the patterns allow, the parser takes (and what they refuse does not look like a value).
    params = registry.get("Patient").params
    for key, value in [("birthdate", "ge2026-03-04T10:00:00.5+01:00"), ("identifier", "|1"), ("name", "de B")]:
        assert re.fullmatch(patient[key]["schema"]["pattern"], value)
        parse_search([(key, value)], params)
    refused = [(TOKEN_PATTERN, "a|b|c"), (TOKEN_PATTERN, "a,b"), (DATE_PATTERN, "xx2026"), (ID_PATTERN, "1/2")]
    refused += [(STRING_PATTERN, "\x00"), (STRING_PATTERN, "a\x07b"), (STRING_PATTERN, " "), (STRING_PATTERN, "a,b")]
    for pattern, value in refused:
        assert not re.fullmatch(pattern, value)


def _fake_type(name: str) -> ResourceType:
    return ResourceType(
        name=name,
        profiles=(),
        read=lambda grant, pk: {},
        search=lambda grant, search: Page(0, []),
        params=params_of(
            id_param(),
            last_updated_param("updated_at"),
            string_param("title", ("title",), "The title."),
            reference_param("patient", "person_id", "Patient", "The person."),
            SearchParam("status", ParamType.TOKEN, lambda qs, values, grant: qs, "The status."),
        ),
        includes=("Flag:patient",),
    )


def test_a_newly_registered_type_appears_by_itself(monkeypatch):
    monkeypatch.setitem(registry._TYPES, "Flag", _fake_type("Flag"))
    document = _document()
    assert {"/Flag", "/Flag/{id}"} <= set(document["paths"])
    parameters = _parameters(document, "/Flag")
    assert {"_id", "_lastUpdated", "title", "title:exact", "title:contains", "patient", "status"} <= set(parameters)
    assert parameters["_lastUpdated"]["schema"]["pattern"] == DATE_PATTERN
    assert parameters["_include"]["schema"]["enum"] == ["Flag:patient"]
    assert document["components"]["schemas"]["Flag"]["properties"]["resourceType"]["enum"] == ["Flag"]
    operation_ids = [op["get"]["operationId"] for op in document["paths"].values()]
    assert len(operation_ids) == len(set(operation_ids))


def test_writable_types_have_create_and_update_with_if_match():
    paths = _document()["paths"]
    assert {"post"} <= set(paths["/Goal"]) and {"put"} <= set(paths["/Goal/{id}"])
    assert "post" in paths["/Observation"] and "put" not in paths["/Observation/{id}"]
    assert set(paths["/Patient"]) == {"get"} and set(paths["/Patient/{id}"]) == {"get"}
    update = paths["/Goal/{id}"]["put"]
    assert {p["name"]: p["required"] for p in update["parameters"]} == {"id": True, "If-Match": True}
    assert {"200", "400", "403", "404", "412", "422", "428"} <= set(update["responses"])
    assert "201" in paths["/Goal"]["post"]["responses"] and "409" in paths["/Observation"]["post"]["responses"]


def test_the_document_is_pure_and_json():
    first, second = _document(), _document()
    assert first == second
    assert json.loads(json.dumps(first)) == first


@pytest.mark.django_db
def test_served_without_credential_and_without_person_data(cast, client):
    response = client.get("/fhir/openapi.json", headers={"Accept": FHIR})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(FHIR)
    assert "no-store" in response["Cache-Control"]
    document = json.loads(response.content)
    assert document["servers"] == [{"url": "http://testserver/fhir"}]
    assert set(document["paths"]) == set(_document()["paths"])
    text = response.content.decode()
    for person in (cast.anna, cast.bas):
        assert person.family_name not in text and person.given_name not in text
    assert client.get("/fhir/openapi.json", headers={"Accept": "text/html"}).status_code == 406


def test_versioned_types_have_vread_and_history():
    paths = _document()["paths"]
    for name in ("Goal", "CarePlan"):
        history = paths[f"/{name}/{{id}}/_history"]["get"]
        assert history["responses"]["200"]["content"][FHIR]["schema"] == {"$ref": "#/components/schemas/HistoryBundle"}
        assert {p["name"] for p in history["parameters"]} == {"id", "_count", "_offset"}
        assert f"/{name}/{{id}}/_history/{{vid}}" in paths
    assert "/Patient/{id}/_history" not in paths and "/Patient/{id}/_history/{vid}" not in paths


def test_the_bulk_urls_are_described():
    paths = _document()["paths"]
    bulk = {"/Patient/{id}/$export", "/Group/{id}/$export", "/$research-export"}
    bulk |= {"/$export-status/{key}", "/$export-file/{key}/{index}"}
    assert bulk <= set(paths)
    assert set(paths["/$export-status/{key}"]) == {"get", "delete"}
    kick_off = paths["/Group/{id}/$export"]["get"]
    assert {p["name"] for p in kick_off["parameters"]} == {"id", "Prefer", "_type", "_since", "_outputFormat"}
    assert "202" in kick_off["responses"] and "Content-Location" in kick_off["responses"]["202"]["headers"]
    assert {"200", "202", "404", "500"} <= set(paths["/$export-status/{key}"]["get"]["responses"])
    assert "project" in {p["name"] for p in paths["/$research-export"]["get"]["parameters"]}


def test_every_described_path_is_a_url_the_api_serves():
    """Each path, its parameters filled in, resolves to a real view (not the catch-all 404)."""
    from django.urls import resolve

    from koers.fhir import views

    samples = {"{id}": "1", "{vid}": "1", "{key}": "0b0d3c9e-8a5f-4b7e-9d55-2f7f1d2c3a4b", "{index}": "0"}
    for path in _document()["paths"]:
        url = path
        for name, value in samples.items():
            url = url.replace(name, value)
        assert resolve(f"/fhir{url}").func is not views.unknown, path
