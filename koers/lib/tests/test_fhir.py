"""value_quantity: the one reader of FHIR valueQuantity for the screening and self-monitoring imports."""

import pytest

from koers.lib.fhir import UCUM, value_quantity


def test_reads_value_and_prefers_the_ucum_code():
    assert value_quantity({"value": 7.2, "unit": "mmol/l", "system": UCUM, "code": "mmol/L"}) == (7.2, "mmol/L", "")
    assert value_quantity({"value": 80, "unit": "kg"}) == (80, "kg", "")


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
    value, unit, message = value_quantity(quantity)
    assert value is None and unit == "" and problem in message


def test_text_values_only_where_asked():
    assert value_quantity({"value": "5.40", "code": "mmol/L"}, text_values=True) == ("5.40", "mmol/L", "")
    assert value_quantity({"value": "5.40", "code": "mmol/L"})[2]
