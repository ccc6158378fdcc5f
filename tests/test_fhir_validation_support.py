"""The R4 validator the FHIR tests rely on does refuse what is not R4 (issue #15).

It checks structure, types, cardinality and formats, not code value sets (fhir.resources does not
bind codes): tests that care about a code assert it themselves."""

import pytest

from tests.support.fhir import assert_valid_r4


def test_a_valid_patient_passes():
    assert_valid_r4({"resourceType": "Patient", "id": "p1", "name": [{"family": "Boer", "given": ["Anna"]}]})


@pytest.mark.parametrize(
    "resource",
    [
        {"resourceType": "Patient", "birthDate": "1-2-1980"},  # not a FHIR date
        {"resourceType": "Goal", "lifecycleStatus": "active"},  # description and subject are required
        {"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "valueQuantity": {"value": "veel"}},
        {"resourceType": "NoSuchThing"},
        {"id": "no-type"},
    ],
)
def test_what_is_not_r4_is_refused(resource):
    with pytest.raises(AssertionError):
        assert_valid_r4(resource)
