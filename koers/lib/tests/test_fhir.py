"""The words for the FHIR mapper's valueQuantity problems, shared by the screening and self-monitoring imports."""

import pytest

from koers.lib.fhir import QUANTITY_PROBLEMS, quantity_problem
from koers.measurement import fhir


def test_every_quantity_problem_has_words():
    assert set(QUANTITY_PROBLEMS) == {fhir.Problem.NO_QUANTITY, fhir.Problem.NOT_A_NUMBER, fhir.Problem.NOT_UCUM}


@pytest.mark.parametrize(
    ("quantity", "problem"),
    [
        (None, "valueQuantity"),
        ({"unit": "kg"}, "valueQuantity"),
        ({"value": True, "unit": "kg"}, "geen getal"),
        ({"value": "7,2", "unit": "kg"}, "geen getal"),
        ({"value": 7, "system": "http://snomed.info/sct", "code": "258683005"}, "UCUM"),
        ({"value": 7, "code": 12}, "UCUM"),
    ],
)
def test_refuses_what_is_not_a_ucum_quantity(quantity, problem):
    with pytest.raises(fhir.FhirError) as caught:
        fhir.read_quantity(quantity)
    assert problem in quantity_problem(caught.value.problem)
