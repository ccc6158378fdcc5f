"""Units, numbers and plausibility: the rules screening and self-monitoring share."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.measurement import units, values
from koers.measurement.types import Catalogue, MeasureType

WEIGHT = MeasureType(
    code="weight",
    unit="kg",
    accepted_units={"kg": 1.0, "g": 0.001, "[lb_av]": 0.45359237},
    low=1.0,
    high=400.0,
    decimals=1,
    loinc=("29463-7", "3141-9"),
)
STEPS = MeasureType("steps", "{steps}", {"{steps}": 1.0}, 0.0, 100_000.0, integer=True, loinc=("55423-8",))
GLUCOSE = MeasureType(
    "glucose", "mmol/L", {"mmol/L": Decimal(1), "mmol/l": Decimal(1)}, Decimal("0.5"), Decimal(50), decimals=1
)


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(80.0, "kg", 80.0), (80_000.0, "g", 80.0), (100.0, "[lb_av]", 45.359237), (80.0, " kg ", 80.0)],
)
def test_converts_to_the_canonical_unit(value, unit, expected):
    assert units.to_canonical(value, unit, WEIGHT.accepted_units) == pytest.approx(expected)


@pytest.mark.parametrize("unit", ["KG", "lb", "mg/dL", "", None])
def test_refuses_a_unit_the_type_does_not_list(unit):
    with pytest.raises(units.UnitError):
        units.to_canonical(80.0, unit, WEIGHT.accepted_units)


def test_a_blank_unit_means_the_canonical_one_only_where_asked():
    assert units.to_canonical(80.0, "", WEIGHT.accepted_units, blank_is_canonical=True) == 80.0
    assert units.to_canonical(80.0, None, WEIGHT.accepted_units, blank_is_canonical=True) == 80.0


def test_decimals_stay_exact():
    assert units.to_canonical(Decimal("5.40"), "mmol/l", GLUCOSE.accepted_units) == Decimal("5.40")
    assert str(units.to_canonical(Decimal("5.40"), "mmol/l", GLUCOSE.accepted_units)) == "5.40"


@pytest.mark.parametrize(("text", "number"), [("5,4", 5.4), (" 5.4 ", 5.4), ("\u22123", -3.0), (7, 7.0)])
def test_reads_numbers_with_a_point_or_a_comma(text, number):
    assert values.to_number(text) == number


@pytest.mark.parametrize("text", ["1.234,5", "1,234.5", "", "abc", "1.2.3", "nan", "inf", True, None])
def test_refuses_what_is_not_one_number(text):
    with pytest.raises(ValueError):
        values.to_number(text)


@pytest.mark.parametrize("text", ["abc", "NaN", "Infinity", True, ""])
def test_to_decimal_refuses_what_is_not_a_finite_number(text):
    with pytest.raises(ValueError):
        values.to_decimal(text)


def test_to_decimal_keeps_the_written_precision():
    assert str(values.to_decimal("5,40")) == "5.40"


@pytest.mark.parametrize(
    ("mtype", "raw", "unit", "problem"),
    [
        (WEIGHT, "heavy", "kg", values.Problem.NOT_A_NUMBER),
        (WEIGHT, "80", "stone", values.Problem.WRONG_UNIT),
        (WEIGHT, "800", "kg", values.Problem.IMPLAUSIBLE),
        (WEIGHT, "80", "", None),
        (STEPS, "12,5", "", values.Problem.NOT_WHOLE),
        (STEPS, "1200", "{steps}", None),
    ],
)
def test_check_names_the_first_problem(mtype, raw, unit, problem):
    if problem is None:
        assert values.check(mtype, raw, unit) == float(raw)
        return
    with pytest.raises(values.ValueProblem) as caught:
        values.check(mtype, raw, unit)
    assert caught.value.problem == problem


def test_check_reports_the_impossible_value_in_the_canonical_unit():
    with pytest.raises(values.ValueProblem) as caught:
        values.check(WEIGHT, "800000", "g")
    assert caught.value.problem == values.Problem.IMPLAUSIBLE and caught.value.value == pytest.approx(800.0)


def test_check_with_decimals_and_no_blank_unit():
    assert values.check(GLUCOSE, "5,4", "mmol/L", read=values.to_decimal, blank_unit_is_canonical=False) == Decimal(
        "5.4"
    )
    with pytest.raises(values.ValueProblem):
        values.check(GLUCOSE, "5,4", "", read=values.to_decimal, blank_unit_is_canonical=False)


@given(st.floats(min_value=1, max_value=400))
def test_plausible_values_pass_in_grams_and_kilograms(kg):
    assert values.check(WEIGHT, kg * 1000, "g") == pytest.approx(kg)


def test_catalogue_by_code_and_loinc():
    catalogue = Catalogue.of([WEIGHT, STEPS, GLUCOSE])
    assert list(catalogue.by_code) == ["weight", "steps", "glucose"]
    assert catalogue.get("steps") is STEPS
    assert catalogue.for_loinc("3141-9") is WEIGHT
    assert catalogue.for_loinc("") is None and catalogue.for_loinc("0000-0") is None
    assert catalogue.first_for_loinc(["0000-0", "55423-8", "29463-7"]) is STEPS
    with pytest.raises(KeyError):
        catalogue.get("height")
    assert WEIGHT.plausible == (1.0, 400.0)
