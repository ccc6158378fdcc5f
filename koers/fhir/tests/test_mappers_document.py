"""DocumentReference mapper (issue #15): handover summaries, shown per reader like the page."""

from __future__ import annotations

import base64
import json

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.access import Category
from koers.fhir.mappers import systems
from koers.fhir.mappers.document import (
    HandoverData,
    document_reference_from_fhir,
    document_reference_to_fhir,
    handover_data,
)
from koers.fhir.mappers.errors import MappingError
from koers.handover.models import HandoverSummary
from koers.network.models import CareTeamMember
from koers.people.services import medication_add
from tests.support.fhir import assert_valid_r4

from .helpers import JUNK, assert_mapping_error, moments, pks, put, texts

EVERYTHING = frozenset(Category)


@pytest.fixture
def summary(cast):
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


def _attachment(resource, index):
    return base64.b64decode(resource["content"][index]["attachment"]["data"]).decode("utf-8")


def test_a_summary_is_a_final_document_with_text_and_json(cast, summary, django_assert_num_queries):
    with django_assert_num_queries(0):
        resource = document_reference_to_fhir(summary, categories=EVERYTHING)
    assert_valid_r4(resource)
    assert resource["status"] == "current" and resource["docStatus"] == "final"
    assert resource["type"]["coding"][0]["system"] == systems.HANDOVER_MOMENT
    assert resource["type"]["coding"][0]["code"] == "medication"
    assert resource["category"][0]["coding"][0] == {"system": systems.DATA_CATEGORY, "code": "clinical"}
    assert resource["subject"] == {"reference": f"Patient/{cast.anna.pk}"}
    assert resource["author"] == [
        {"reference": f"Practitioner/{cast.pieter.pk}"},
        {"reference": f"Organization/{cast.ggz.pk}"},
    ]
    assert "Lithium — 400 mg" in _attachment(resource, 0)
    assert json.loads(_attachment(resource, 1))["medication"][0]["name"] == "Lithium"
    assert document_reference_from_fhir(resource) == handover_data(summary, categories=EVERYTHING)


def test_a_reader_without_clinical_sees_no_medication_in_either_attachment(summary):
    resource = document_reference_to_fhir(summary, categories=EVERYTHING - {Category.CLINICAL})
    assert_valid_r4(resource)
    assert "Lithium" not in _attachment(resource, 0)
    parts = json.loads(_attachment(resource, 1))
    assert "medication" not in parts and "changed" not in parts and "goals" in parts


@settings(max_examples=40, deadline=None)
@given(
    st.builds(
        HandoverData,
        person_id=pks,
        kind=st.sampled_from(HandoverSummary.Kind.values),
        category=st.sampled_from(["clinical", "careplan", "demographics"]),
        created_at=moments,
        sender_id=pks,
        sender_organisation_id=st.none() | pks,
        content=st.fixed_dictionaries(
            {},
            optional={
                "goals": st.lists(st.fixed_dictionaries({"description": texts}), max_size=2),
                "asked": texts,
            },
        ),
        id=st.none() | pks,
    )
)
def test_any_summary_round_trips_and_validates(data):
    resource = document_reference_to_fhir(data)
    assert_valid_r4(resource)
    assert document_reference_from_fhir(resource) == data


GOOD = document_reference_to_fhir(
    HandoverData(person_id=1, kind="crisis", category="crisis_plan", created_at=timezone.now(), sender_id=2, id=3)
)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (put("type", {"coding": [{"system": systems.HANDOVER_MOMENT, "code": "party"}]}), "'party'"),
        (put("type", {"text": "crisis"}), "DocumentReference.type"),
        (put("category", []), "exactly one category"),
        (put("author", [{"reference": "Organization/4"}]), "needs the Practitioner"),
        (put("content", 1, "attachment", "data", "not base64!"), "is not base64 JSON"),
        (put("content", 1, "attachment", "data", base64.b64encode(b"[1]").decode()), "object of parts"),
        (put("content", ["text"]), "DocumentReference.content[0]"),
        (put("date", "2026"), "DocumentReference.date"),
    ],
)
def test_bad_document_input_is_a_clear_mapping_error(change, message):
    assert_mapping_error(document_reference_from_fhir, GOOD, change, message)


@pytest.mark.parametrize("junk", JUNK)
def test_junk_is_a_mapping_error(junk):
    with pytest.raises(MappingError):
        document_reference_from_fhir(junk)
