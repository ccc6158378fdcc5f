"""The FHIR Observation mapper: FHIR -> values -> FHIR round trips, panels, and clear errors for
anything malformed (a FhirError with a code, never a TypeError or KeyError)."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.measurement import fhir
from koers.measurement.fhir import FhirError, Measured, Problem
from koers.measurement.units import UCUM

WHEN = "2026-11-20T08:30:00+01:00"


def round_trip(resource: dict) -> dict:
    data = fhir.read_observation(resource)
    found = fhir.measured(data)
    if data.components is not None:
        panel = data.codes[0]
        return fhir.observation_resource(
            id=data.id, status=data.status, effective=data.effective, panel=panel, components=found
        )
    return fhir.observation_resource(id=data.id, status=data.status, effective=data.effective, value=found[0])


@pytest.mark.parametrize(
    "measured",
    [
        Measured("29463-7", 80.5, "kg"),
        Measured("8867-4", 62, "/min"),
        Measured("14743-9", 5.4, "mmol/L"),
        Measured("55423-8", 12000, "{steps}"),
        Measured("72514-3", 4, "{score}"),
        Measured("2093-3", 5.2, "mmol/L"),
    ],
)
def test_one_value_round_trips(measured):
    resource = fhir.observation_resource(id="obs-1", effective=WHEN, value=measured)
    assert resource["valueQuantity"] == {
        "value": measured.value,
        "unit": measured.unit,
        "system": UCUM,
        "code": measured.unit,
    }
    data = fhir.read_observation(resource)
    assert (data.id, data.status, data.codes, data.effective, data.final) == (
        "obs-1",
        "final",
        (measured.loinc,),
        WHEN,
        True,
    )
    assert fhir.measured(data) == [measured]
    assert round_trip(resource) == resource


def test_a_blood_pressure_panel_round_trips():
    parts = [Measured("8480-6", 128, "mm[Hg]"), Measured("8462-4", 82, "mm[Hg]")]
    resource = fhir.observation_resource(id="bp", effective=WHEN, panel=fhir.BP_PANEL, components=parts)
    data = fhir.read_observation(resource)
    assert data.is_panel and [p.component for p in data.parts()] == [True, True]
    assert fhir.measured(data) == parts
    assert round_trip(resource) == resource


def test_text_values_only_where_asked():
    part = fhir.Part(codes=("2345-7",), raw_quantity={"value": "5.40", "code": "mmol/L"})
    assert part.quantity(text_values=True) == fhir.Quantity("5.40", "mmol/L")
    with pytest.raises(FhirError) as caught:
        part.quantity()
    assert caught.value.problem == Problem.NOT_A_NUMBER


def test_prefers_the_ucum_code_over_the_display_unit():
    q = {"value": 7.2, "unit": "mmol/l", "system": UCUM, "code": "mmol/L"}
    assert fhir.read_quantity(q) == fhir.Quantity(7.2, "mmol/L")
    assert fhir.read_quantity({"value": 80, "unit": "kg"}) == fhir.Quantity(80, "kg")


@pytest.mark.parametrize(
    ("quantity", "problem"),
    [
        (None, Problem.NO_QUANTITY),
        ("80 kg", Problem.NO_QUANTITY),
        ({"unit": "kg"}, Problem.NO_QUANTITY),
        ({"value": True, "unit": "kg"}, Problem.NOT_A_NUMBER),
        ({"value": [80], "unit": "kg"}, Problem.NOT_A_NUMBER),
        ({"value": 7, "system": "http://snomed.info/sct", "code": "258683005"}, Problem.NOT_UCUM),
        ({"value": 7, "code": 12}, Problem.NOT_UCUM),
    ],
)
def test_a_bad_quantity_is_a_clear_error(quantity, problem):
    with pytest.raises(FhirError) as caught:
        fhir.read_quantity(quantity)
    assert caught.value.problem == problem


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ("{not json", Problem.NOT_JSON),
        ("[" * 100_000, Problem.NOT_JSON),
        (b"\xff\xfe", Problem.NOT_JSON),
        ("[]", Problem.NOT_A_BUNDLE),
        ({"resourceType": "Patient"}, Problem.NOT_A_BUNDLE),
        ({"resourceType": "Bundle"}, Problem.EMPTY_BUNDLE),
        ({"resourceType": "Bundle", "entry": {"resource": {}}}, Problem.EMPTY_BUNDLE),
        ({"resourceType": "Bundle", "entry": [{}] * 4}, Problem.TOO_MANY),
    ],
)
def test_what_is_not_a_bundle_is_a_clear_error(payload, problem):
    with pytest.raises(FhirError) as caught:
        fhir.bundle_resources(payload, max_entries=3)
    assert caught.value.problem == problem
    if problem == Problem.TOO_MANY:
        assert caught.value.detail == {"max": 3}


def test_a_bundle_gives_its_resources_in_order():
    obs = fhir.observation_resource(effective=WHEN, value=Measured("29463-7", 80, "kg"))
    bundle = {"resourceType": "Bundle", "entry": [{"resource": obs}, "junk", {"fullUrl": "x"}]}
    assert fhir.bundle_resources(json.dumps(bundle), max_entries=10) == [obs, None, None]
    assert fhir.bundle_resources(obs, max_entries=10) == [obs]


@pytest.mark.parametrize("resource", [None, [], "Observation", {"resourceType": "Patient"}, {}])
def test_what_is_not_an_observation_is_a_clear_error(resource):
    with pytest.raises(FhirError) as caught:
        fhir.read_observation(resource)
    assert caught.value.problem == Problem.NOT_AN_OBSERVATION


def test_malformed_parts_are_kept_as_parts_without_codes():
    data = fhir.read_observation(
        {
            "resourceType": "Observation",
            "id": 17,
            "status": ["final"],
            "code": {"coding": "8480-6"},
            "effectivePeriod": {"start": 20261120},
            "issued": "2026-11-21",
            "component": ["junk", {"code": {"coding": [{"system": fhir.LOINC, "code": 8480}]}}],
        }
    )
    assert (data.id, data.status, data.codes, data.effective, data.issued) == ("17", "", (), None, "2026-11-21")
    assert [(p.codes, p.malformed) for p in data.components] == [((), True), ((), False)]
    assert len(data.parts()) == 1
    assert fhir.measured(data) == []


def test_a_value_of_its_own_wins_over_components():
    resource = fhir.observation_resource(effective=WHEN, value=Measured("29463-7", 80, "kg"))
    resource["component"] = [{"code": {"coding": [{"system": fhir.LOINC, "code": "8480-6"}]}}]
    data = fhir.read_observation(resource)
    assert data.components is None and data.parts() == (data.own,)


def test_the_writer_wants_one_value_or_components():
    with pytest.raises(ValueError):
        fhir.observation_resource(effective=WHEN)
    with pytest.raises(ValueError):
        fhir.observation_resource(effective=WHEN, value=Measured("1", 1, "1"), components=[Measured("2", 2, "1")])


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)
FIELDS = st.sampled_from(
    ["id", "status", "code", "component", "valueQuantity", "effectiveDateTime", "effectivePeriod", "issued"]
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(FIELDS, JSON, max_size=8))
def test_any_malformed_observation_gives_values_or_a_fhir_error(fields):
    resource = {"resourceType": "Observation", **fields}
    data = fhir.read_observation(resource)
    for part in data.parts():
        try:
            part.quantity(text_values=True)
        except FhirError as exc:
            assert exc.problem in (Problem.NO_QUANTITY, Problem.NOT_A_NUMBER, Problem.NOT_UCUM)
    assert data.effective is None or isinstance(data.effective, str)


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_any_json_is_a_bundle_or_a_fhir_error(payload):
    try:
        resources = fhir.bundle_resources(json.dumps(payload), max_entries=10)
    except FhirError:
        return
    for resource in resources:
        try:
            fhir.read_observation(resource)
        except FhirError as exc:
            assert exc.problem == Problem.NOT_AN_OBSERVATION
