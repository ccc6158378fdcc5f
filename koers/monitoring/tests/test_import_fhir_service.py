"""``observations_import_fhir``: the FHIR import page's rules in one synchronous call (the FHIR
API's transaction and batch Bundles, issue #15)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from koers import access
from koers.audit.models import AccessLogEntry
from koers.monitoring import services
from koers.monitoring.models import Observation

pytestmark = pytest.mark.django_db


def weight(value=72.5, when="2026-11-01T08:00:00+01:00") -> dict:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
        "effectiveDateTime": when,
        "valueQuantity": {"value": value, "system": "http://unitsofmeasure.org", "code": "kg"},
    }


def test_stores_logs_and_skips_a_repeat(cast):
    created, skipped = services.observations_import_fhir(actor=cast.noor, person=cast.anna, resources=[weight()])
    assert (len(created), skipped) == (1, 0)
    assert created[0].source == Observation.Source.FHIR
    assert AccessLogEntry.objects.filter(object_type="monitoring.Observation", object_id=str(created[0].pk)).exists()
    created, skipped = services.observations_import_fhir(actor=cast.noor, person=cast.anna, resources=[weight()])
    assert (created, skipped) == ([], 1)
    with pytest.raises(ValidationError):  # another value at the same moment is an error, not a skip
        services.observations_import_fhir(actor=cast.noor, person=cast.anna, resources=[weight(80)])
    assert Observation.objects.filter(person=cast.anna).count() == 1


def test_all_or_nothing_and_refused_for_a_stranger(cast):
    with pytest.raises(ValidationError):
        services.observations_import_fhir(
            actor=cast.noor, person=cast.anna, resources=[weight(when="2026-11-02T08:00:00Z"), weight(7000)]
        )
    assert not Observation.objects.filter(person=cast.anna).exists()
    with pytest.raises(access.NotFound):
        services.observations_import_fhir(actor=cast.sam, person=cast.anna, resources=[weight()])
    assert AccessLogEntry.objects.filter(user=cast.sam, person=cast.anna, outcome="refused").count() == 1
    assert not Observation.objects.filter(person=cast.anna).exists()
