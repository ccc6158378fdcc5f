"""Observation mappers (issue #15): self-measurements, lab/screening values and questionnaire scores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.fhir.mappers import systems
from koers.fhir.mappers.errors import MappingError
from koers.fhir.mappers.observation import (
    MeasurementData,
    ScoreData,
    measurement_from_fhir,
    measurement_to_fhir,
    score_data,
    score_from_fhir,
    score_to_fhir,
    screening_measurement_data,
    screening_measurement_to_fhir,
    self_measurement_data,
    self_measurement_to_fhir,
)
from koers.measurement import fhir as core
from koers.monitoring.models import MeasurementType, Observation
from koers.questionnaires.models import Response, Score
from koers.screening import services as screening_services
from koers.screening.models import Measurement
from tests.support.fhir import assert_valid_r4

from .helpers import JUNK, assert_mapping_error, drop, maybe_text, moments, pks, put

WHEN = dt.datetime(2026, 7, 1, 8, 30, tzinfo=dt.UTC)


def _self_measurement(cast, code, value):
    type_ = MeasurementType.objects.get(code=code, person__isnull=True)
    obs = Observation.objects.create(
        person=cast.anna, type=type_, value=value, effective_at=WHEN, source="portal", recorded_by=cast.anna_user
    )
    return Observation.objects.select_related("type").get(pk=obs.pk)


def test_a_weight_is_a_vital_sign_in_loinc_and_ucum_without_queries(cast, django_assert_num_queries):
    obs = _self_measurement(cast, "weight", 72.5)
    with django_assert_num_queries(0):
        resource = self_measurement_to_fhir(obs)
    assert_valid_r4(resource)
    assert resource["id"] == f"mon-{obs.pk}"
    assert resource["code"]["coding"] == [
        {"system": systems.LOINC, "code": "29463-7"},
        {"system": systems.MEASUREMENT_TYPE, "code": "weight"},
    ]
    assert resource["category"][0]["coding"][0] == {"system": systems.OBSERVATION_CATEGORY, "code": "vital-signs"}
    assert resource["valueQuantity"] == {"value": 72.5, "unit": "kg", "system": systems.UCUM, "code": "kg"}
    assert resource["effectiveDateTime"] == "2026-07-01T10:30:00+02:00"
    assert resource["meta"]["profile"] == [systems.NL_CORE_BODY_WEIGHT]
    assert measurement_from_fhir(resource) == self_measurement_data(obs)


def test_what_koers_writes_its_own_import_reads(cast):
    resource = self_measurement_to_fhir(_self_measurement(cast, "weight", 72.5))
    data = core.read_observation(resource)
    assert data.final and data.codes == ("29463-7",)
    assert core.measured(data) == [core.Measured("29463-7", 72.5, "kg")]


def test_a_diary_item_without_loinc_is_coded_by_koers_as_a_survey(cast):
    obs = _self_measurement(cast, "mood", 6)
    resource = self_measurement_to_fhir(obs)
    assert_valid_r4(resource)
    assert resource["code"]["coding"] == [{"system": systems.MEASUREMENT_TYPE, "code": "mood"}]
    assert resource["category"][0]["coding"][0]["code"] == "survey"
    assert resource["valueQuantity"]["code"] == "{score}"
    assert measurement_from_fhir(resource) == self_measurement_data(obs)


def test_a_lab_value_keeps_its_decimal_and_is_laboratory(cast, django_assert_num_queries):
    screening_services.measurement_record(
        actor=cast.noor, person=cast.anna, measure="hba1c", value="53", unit="mmol/mol", taken_at=WHEN
    )
    measurement = Measurement.objects.get(person=cast.anna, measure="hba1c")
    with django_assert_num_queries(0):
        resource = screening_measurement_to_fhir(measurement)
    assert_valid_r4(resource)
    assert resource["id"] == f"lab-{measurement.pk}"
    assert resource["code"]["coding"][0] == {"system": systems.LOINC, "code": "59261-8"}
    assert resource["category"][0]["coding"][0]["code"] == "laboratory"
    assert resource["meta"]["profile"] == [systems.NL_CORE_OBSERVATION_LAB]
    assert resource["valueQuantity"]["code"] == "mmol/mol"
    back = measurement_from_fhir(resource, kind="screening")
    assert back == screening_measurement_data(measurement)
    assert isinstance(back.value, Decimal)


measurements = st.builds(
    MeasurementData,
    kind=st.just("monitoring"),
    person_id=pks,
    type_code=st.sampled_from(["weight", "mood", "custom-12"]),
    value=st.floats(-1e6, 1e6, allow_nan=False),
    unit=st.sampled_from(["kg", "{score}", "mm[Hg]"]),
    effective_at=moments,
    loinc=st.sampled_from(["", "29463-7"]),
    category=st.sampled_from(["vital-signs", "survey"]),
    source=st.sampled_from(["", "portal", "csv"]),
    note=maybe_text,
    recorded_at=st.none() | moments,
    id=st.none() | pks,
)
lab_values = st.builds(
    MeasurementData,
    kind=st.just("screening"),
    person_id=pks,
    type_code=st.sampled_from(["ldl", "egfr"]),
    value=st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False),
    unit=st.sampled_from(["mmol/L", "mL/min/{1.73_m2}"]),
    effective_at=moments,
    loinc=st.sampled_from(["22748-8", "62238-1"]),
    category=st.just("laboratory"),
    source=st.sampled_from(["entered", "fhir"]),
    recorded_at=st.none() | moments,
    id=st.none() | pks,
)


@settings(max_examples=50, deadline=None)
@given(measurements | lab_values)
def test_any_measurement_round_trips_and_validates(data):
    resource = measurement_to_fhir(data)
    assert_valid_r4(resource)
    assert measurement_from_fhir(resource, kind=data.kind) == data


GOOD = measurement_to_fhir(MeasurementData("monitoring", 3, "weight", 70.0, "kg", WHEN, loinc="29463-7", id=4))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (put("status", "preliminary"), "only final values are kept"),
        (drop("status"), "Observation.status: is required"),
        (put("code", {"coding": [{"system": "http://example.org", "code": "x"}]}), "needs a LOINC or Koers"),
        (put("code", {"coding": "29463-7"}), "Observation.code.coding: expected a list"),
        (drop("valueQuantity"), "needs a valueQuantity"),
        (put("valueQuantity", "value", "70"), "the value is not a number"),
        (put("valueQuantity", "value", True), "the value is not a number"),
        (put("valueQuantity", "system", "http://example.org/units"), "must be a UCUM code"),
        (put("effectiveDateTime", "2026-07-01"), "needs a time and a time zone"),
        (drop("effectiveDateTime"), "Observation.effectiveDateTime"),
        (put("subject", {"reference": "Patient/abc"}), "not a Koers id"),
        (put("id", "mon-x"), "mon-<number>"),
    ],
)
def test_bad_measurement_input_is_a_clear_mapping_error(change, message):
    assert_mapping_error(measurement_from_fhir, GOOD, change, message)


def test_a_lab_value_that_is_not_a_number_is_refused():
    resource = measurement_to_fhir(
        MeasurementData("screening", 3, "ldl", Decimal("2.5"), "mmol/L", WHEN, category="laboratory")
    )
    assert_mapping_error(
        lambda r: measurement_from_fhir(r, kind="screening"),
        resource,
        put("valueQuantity", "value", "NaN"),
        "not a number",
    )


@pytest.mark.parametrize("junk", JUNK)
def test_junk_is_a_mapping_error(junk):
    with pytest.raises(MappingError):
        measurement_from_fhir(junk)
    with pytest.raises(MappingError):
        score_from_fhir(junk)


# --- scores ---------------------------------------------------------------------------------------


def _score(cast, instrument_id="phq-9", **fields):
    response = Response.objects.create(
        person=cast.anna,
        instrument_id=instrument_id,
        instrument_version="1.0.0",
        title="PHQ-9",
        status="completed",
        mode="portal",
        filled_by=cast.anna_user,
        started_at=WHEN,
        authored_at=WHEN,
    )
    return Score.objects.create(
        response=response,
        person=cast.anna,
        instrument_id=instrument_id,
        instrument_version="1.0.0",
        authored_at=WHEN,
        **fields,
    )


def test_a_phq9_score_is_a_loinc_coded_survey_observation(cast, django_assert_num_queries):
    score = _score(cast, total=12.0, band="moderate", flags=["phq9_item9"])
    score = Score.objects.get(pk=score.pk)
    with django_assert_num_queries(0):
        resource = score_to_fhir(score)
    assert_valid_r4(resource)
    assert resource["code"]["coding"] == [
        {"system": systems.LOINC, "code": "44261-6"},
        {"system": systems.QUESTIONNAIRE_SCORE, "code": "phq-9"},
    ]
    assert resource["category"][0]["coding"][0]["code"] == "survey"
    assert resource["valueQuantity"] == {"value": 12.0, "unit": "{score}", "system": systems.UCUM, "code": "{score}"}
    assert resource["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{score.response_id}"}]
    assert resource["interpretation"][0]["coding"] == [{"system": systems.QUESTIONNAIRE_BAND, "code": "moderate"}]
    assert score_from_fhir(resource) == score_data(score)


def test_subscales_are_components_and_no_score_is_data_absent(cast):
    score = _score(cast, "dialog", total=None, subscales={"treatment": 5.5, "life": None}, scorable=False, missing=3)
    resource = score_to_fhir(Score.objects.get(pk=score.pk))
    assert_valid_r4(resource)
    assert "valueQuantity" not in resource
    assert resource["dataAbsentReason"]["coding"][0] == {"system": systems.DATA_ABSENT_REASON, "code": "unknown"}
    assert [c["code"]["coding"][0]["code"] for c in resource["component"]] == ["dialog/life", "dialog/treatment"]
    assert score_from_fhir(resource) == score_data(Score.objects.get(pk=score.pk))


scores = st.builds(
    ScoreData,
    person_id=pks,
    response_id=pks,
    instrument_id=st.sampled_from(["phq-9", "k10", "dialog"]),
    instrument_version=st.sampled_from(["1.0.0", "2026-01"]),
    authored_at=moments,
    total=st.none() | st.floats(0, 100, allow_nan=False),
    subscales=st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.none() | st.floats(0, 10)), unique_by=lambda t: t[0]
    ).map(lambda items: tuple(sorted(items))),
    band=st.sampled_from(["", "mild", "severe"]),
    missing=st.integers(0, 10),
    scorable=st.booleans(),
    flags=st.lists(st.sampled_from(["phq9_item9", "x"]), max_size=2).map(tuple),
    id=st.none() | pks,
)


@settings(max_examples=50, deadline=None)
@given(scores)
def test_any_score_round_trips_and_validates(data):
    resource = score_to_fhir(data)
    assert_valid_r4(resource)
    assert score_from_fhir(resource) == data


GOOD_SCORE = score_to_fhir(ScoreData(1, 2, "phq-9", "1.0.0", WHEN, total=3.0, subscales=(("x", 1.0),), id=5))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (put("code", {"coding": [{"system": systems.LOINC, "code": "44261-6"}]}), "questionnaire-score"),
        (put("derivedFrom", []), "exactly one derivedFrom"),
        (put("derivedFrom", [{"reference": "Observation/2"}]), "Observation.derivedFrom[0]"),
        (put("valueQuantity", "code", "kg"), "a score's unit is {score}"),
        (put("valueQuantity", "value", "3"), "the value is not a number"),
        (put("extension", []), "needs the Koers questionnaire-score extension"),
        (put("component", 0, "code", "coding", 0, "code", "gad-7/x"), "not a subscale of 'phq-9'"),
        (put("effectiveDateTime", "nu"), "not a FHIR dateTime"),
        (put("id", "score-"), "score-<number>"),
    ],
)
def test_bad_score_input_is_a_clear_mapping_error(change, message):
    assert_mapping_error(score_from_fhir, GOOD_SCORE, change, message)


def test_times_are_written_in_amsterdam_time():
    winter = measurement_to_fhir(
        MeasurementData("monitoring", 1, "weight", 1.0, "kg", timezone.make_aware(dt.datetime(2026, 1, 5, 9)))
    )
    assert winter["effectiveDateTime"] == "2026-01-05T09:00:00+01:00"
