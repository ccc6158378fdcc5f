"""Questionnaire and QuestionnaireResponse mappers (issue #15)."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.fhir.mappers.errors import MappingError
from koers.fhir.mappers.questionnaire import (
    NotPublishable,
    canonical_instrument_id,
    questionnaire_from_fhir,
    questionnaire_response_from_fhir,
    questionnaire_response_to_fhir,
    questionnaire_to_fhir,
    response_data,
)
from koers.questionnaires import instruments
from koers.questionnaires import services as q_services
from koers.questionnaires.models import Response
from tests.support.fhir import assert_valid_r4

from .helpers import JUNK, assert_mapping_error, drop, put, strip_extension_value_extensions, texts

PHQ9 = {str(n): "1" for n in range(1, 10)}


@pytest.mark.parametrize("instrument", instruments.all(include_noncommercial=False), ids=lambda i: i.id)
def test_every_shipped_instrument_is_a_valid_questionnaire(instrument):
    resource = questionnaire_to_fhir(instrument)
    assert_valid_r4(strip_extension_value_extensions(resource))  # a known gap of fhir.resources
    assert resource["id"] == instrument.id and resource["url"] == instrument.url
    assert resource["meta"]["versionId"] == instrument.version
    assert questionnaire_from_fhir(resource).items == instrument.items


def test_a_non_commercial_instrument_is_handed_out_only_when_switched_on():
    who5 = instruments.get("who-5", include_noncommercial=True)
    with pytest.raises(NotPublishable):
        questionnaire_to_fhir(who5)
    with override_settings(KOERS_NONCOMMERCIAL_INSTRUMENTS=True):
        assert_valid_r4(strip_extension_value_extensions(questionnaire_to_fhir(who5)))


def test_an_imported_instrument_is_never_handed_out():
    own = instruments.from_json(instruments.get("phq-9").questionnaire)
    with pytest.raises(NotPublishable):
        questionnaire_to_fhir(own)


def test_the_validator_gap_is_only_extension_value_translations():
    """What the work-around strips is exactly what fhir.resources refuses: nothing else."""
    with pytest.raises(AssertionError) as refused:
        assert_valid_r4(questionnaire_to_fhir(instruments.get("phq-9")))
    lines = [line.strip() for line in str(refused.value).splitlines()[1:]]
    assert lines and all(line.endswith("_valueString") or "extra fields" in line for line in lines)


def test_a_broken_questionnaire_is_a_mapping_error_naming_the_item():
    broken = instruments.get("phq-9").questionnaire
    broken["item"][1]["type"] = "attachment"
    with pytest.raises(MappingError, match="Questionnaire"):
        questionnaire_from_fhir(broken)
    for junk in JUNK:
        with pytest.raises(MappingError):
            questionnaire_from_fhir(junk)


@pytest.fixture
def completed(cast):
    response = q_services.response_start(actor=cast.noor, person=cast.anna, instrument_id="phq-9")
    q_services.response_complete(actor=cast.noor, response=response, answers=PHQ9)
    return Response.objects.get(pk=response.pk)


def test_a_completed_response_maps_with_its_canonical_and_scores(cast, completed, django_assert_num_queries):
    with django_assert_num_queries(0):
        resource = questionnaire_response_to_fhir(completed)
    assert_valid_r4(resource)
    phq9 = instruments.get("phq-9")
    assert resource["questionnaire"] == f"{phq9.url}|{phq9.version}"
    assert resource["status"] == "completed"
    assert resource["subject"] == {"reference": f"Patient/{cast.anna.pk}"}
    assert resource["author"] == {"reference": f"Practitioner/{cast.noor.pk}"}
    assert resource["authored"].endswith(("+01:00", "+02:00"))
    data = questionnaire_response_from_fhir(resource, phq9)
    assert data == response_data(completed)
    assert data.answers == PHQ9
    assert canonical_instrument_id(resource["questionnaire"]) == ("phq-9", "1.0.0")


def test_the_stored_resource_and_the_mapped_one_agree_on_every_answer(completed):
    mapped = questionnaire_response_to_fhir(completed)
    assert mapped["item"] == completed.resource["item"]


def _answers(instrument):
    values = {}
    for item in instrument.answer_items:
        if item.type == "choice":
            values[item.link_id] = st.sampled_from([o.code for o in item.options])
        elif item.type == "integer":
            values[item.link_id] = st.integers(0, 10)
        elif item.type == "boolean":
            values[item.link_id] = st.booleans()
        else:
            values[item.link_id] = texts
    return st.fixed_dictionaries({}, optional=values)


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(instruments.all(include_noncommercial=False)).flatmap(lambda i: st.tuples(st.just(i), _answers(i)))
)
def test_any_in_progress_answers_round_trip(drawn):
    instrument, answers = drawn
    response = Response(
        pk=11,
        person_id=3,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        title=instrument.id,
        status="in-progress",
        mode="portal",
        answers=answers,
        filled_by_id=4,
        started_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        updated_at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
    )
    resource = questionnaire_response_to_fhir(response, instrument)
    assert_valid_r4(resource)
    back = questionnaire_response_from_fhir(resource, instrument)
    assert back == response_data(response)
    assert back.author == ("Patient", 3)


@pytest.fixture
def good(completed):
    return questionnaire_response_to_fhir(completed)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (put("questionnaire", "https://koers.example.org/fhir/Questionnaire/gad-7|1.0.0"), "is not"),
        (drop("questionnaire"), "QuestionnaireResponse.questionnaire: is required"),
        (put("status", "amended"), "QuestionnaireResponse.status"),
        (put("item", 1, "answer", 0, "valueCoding", "code", "9"), "QuestionnaireResponse.item(2)"),
        (put("item", 1, "answer", 0, "valueCoding", {"display": "vaak"}), "valueCoding.code: is required"),
        (put("item", 1, "answer", 0, {"valueString": "1", "valueInteger": 1}), "exactly one of"),
        (put("item", 1, "answer", [{"valueCoding": {"code": "1"}}, {"valueCoding": {"code": "2"}}]), "one answer"),
        (put("item", 1, "linkId", "99"), "no question '99'"),
        (put("item", 1, "linkId", 99), "linkId: expected text"),
        (put("item", 1, "answer", "1"), "answer: expected a list"),
        (put("subject", {"reference": "Patient/x"}), "not a Koers id"),
        (put("author", {"reference": "Device/1"}), "QuestionnaireResponse.author"),
        (put("authored", "vandaag"), "not a FHIR dateTime"),
    ],
)
def test_bad_response_input_is_a_clear_mapping_error(good, change, message):
    assert_mapping_error(lambda r: questionnaire_response_from_fhir(r, instruments.get("phq-9")), good, change, message)


@pytest.mark.parametrize("junk", JUNK)
def test_junk_is_a_mapping_error(junk):
    with pytest.raises(MappingError):
        questionnaire_response_from_fhir(copy.deepcopy(junk), instruments.get("phq-9"))
