"""Whatever JSON arrives, the FHIR import answers with imported rows or a ValidationError (a clear
message), never a server error, and never writes half."""

import json

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koers.screening import services
from koers.screening.models import Measurement

pytestmark = pytest.mark.django_db

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)  # fmt: skip
KEYS = ["resourceType", "id", "status", "code", "effectiveDateTime", "valueQuantity", "component", "issued"]
GOOD = {
    "resourceType": "Observation",
    "id": "g",
    "status": "final",
    "code": {"coding": [{"system": "http://loinc.org", "code": "14771-0"}]},
    "effectiveDateTime": "2026-01-05",
    "valueQuantity": {"value": 5.2, "system": "http://unitsofmeasure.org", "code": "mmol/L"},
}


@st.composite
def observations(draw):
    obs = dict(GOOD)
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=3, unique=True)):
        obs[key] = draw(json_values)
    return obs


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(observations() | json_values, min_size=1, max_size=4))
def test_any_json_gives_rows_or_a_message(cast, entries):
    before = Measurement.objects.count()
    payload = json.dumps({"resourceType": "Bundle", "entry": [{"resource": e} for e in entries]})
    try:
        created = services.measurements_import_fhir(actor=cast.noor, person=cast.anna, payload=payload)
    except ValidationError as exc:
        assert exc.messages and all(isinstance(m, str) and m for m in exc.messages)
        assert Measurement.objects.count() == before
    else:
        assert Measurement.objects.count() == before + len(created)
    Measurement.objects.all().delete()
