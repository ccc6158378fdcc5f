"""Pure tests of the reference data and the target classification (no database)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.screening import targets
from koers.screening.targets import Status, Target

D = Decimal


def test_every_measure_has_loinc_ucum_plausible_range_and_sourced_targets():
    ref = targets.reference()
    assert {m.code for m in targets.measures().values()} >= {
        "systolic_bp", "diastolic_bp", "weight", "height", "bmi", "waist", "fasting_glucose",
        "hba1c", "total_cholesterol", "ldl", "hdl", "triglycerides", "egfr",
    }  # fmt: skip
    seen_loinc = set()
    for m in targets.measures().values():
        assert m.loinc and all(code.count("-") == 1 for code in m.loinc)
        assert not seen_loinc & set(m.loinc), "a LOINC code maps to two measures"
        seen_loinc |= set(m.loinc)
        assert m.accepted_units[m.unit] == 1, "the canonical unit is accepted with factor 1"
        assert m.plausible[0] < m.plausible[1]
        for t in m.targets:
            assert t["source"] in ref["sources"], f"{m.code}: target without a known source"
            assert t.get("low") is not None or t.get("high") is not None
            assert t.get("note")


def test_loinc_lookup():
    assert targets.measure_for_loinc("8480-6").code == "systolic_bp"
    assert targets.measure_for_loinc("59261-8").code == "hba1c"
    assert targets.measure_for_loinc("0000-0") is None


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("systolic_bp", "139", Status.IN_RANGE),
        ("systolic_bp", "140", Status.ABOVE),  # NHG CVRM: below 140
        ("systolic_bp", "400", Status.IMPOSSIBLE),
        ("ldl", "2.5", Status.IN_RANGE),
        ("ldl", "2.6", Status.ABOVE),
        ("egfr", "59", Status.BELOW),
        ("egfr", "60", Status.IN_RANGE),
        ("bmi", "18.4", Status.BELOW),
        ("bmi", "24.9", Status.IN_RANGE),
        ("bmi", "25.0", Status.ABOVE),
        ("fasting_glucose", "3.2", Status.BELOW),
        ("fasting_glucose", "7.4", Status.ABOVE),
        ("weight", "80", Status.NO_TARGET),
    ],
)
def test_classify_against_default_targets(code, value, expected):
    m = targets.measure(code)
    assert targets.classify(m, D(value), targets.default_target(m, "female")) == expected


def test_sex_specific_targets_and_unknown_sex():
    waist = targets.measure("waist")
    assert targets.classify(waist, D(95), targets.default_target(waist, "female")) == Status.ABOVE
    assert targets.classify(waist, D(95), targets.default_target(waist, "male")) == Status.IN_RANGE
    assert targets.default_target(waist, "unknown") is None
    assert targets.classify(waist, D(95), targets.default_target(waist, "unknown")) == Status.NO_TARGET


def test_personal_target_overrides_the_default():
    hba1c = targets.measure("hba1c")
    personal = Target(high=D(53), personal=True)
    assert targets.classify(hba1c, D(50), targets.default_target(hba1c)) == Status.ABOVE
    assert targets.classify(hba1c, D(50), targets.target_for(hba1c, personal=personal)) == Status.IN_RANGE
    assert targets.classify(hba1c, D(53), personal) == Status.IN_RANGE  # "tot en met"


def test_units_are_checked_and_converted():
    weight, height = targets.measure("weight"), targets.measure("height")
    assert targets.to_canonical(weight, D(80000), "g") == D(80)
    assert targets.to_canonical(height, D("1.80"), "m") == D("180.00")
    for unit in ("mg/dL", "MMOL/L", "", "lbs"):
        with pytest.raises(targets.UnitError):
            targets.to_canonical(targets.measure("ldl") if unit != "lbs" else weight, D(1), unit)


def test_to_decimal_accepts_comma_and_refuses_nonsense():
    assert targets.to_decimal("5,4") == D("5.4")
    for bad in ("", "abc", "NaN", "inf", True, None, "1e"):
        with pytest.raises(ValueError):
            targets.to_decimal(bad)


def test_bmi():
    assert targets.bmi(D(80), D(180)) == D("24.7")
    with pytest.raises(ValueError):
        targets.bmi(D(80), D(18))  # height in dm: refused, not a BMI of 2469


@given(
    weight=st.decimals(min_value=20, max_value=399, places=1),
    height=st.decimals(min_value=120, max_value=220, places=0),
)
def test_bmi_gives_back_the_weight_and_grows_with_it(weight, height):
    value = targets.bmi(weight, height)
    metres2 = (height / 100) ** 2
    assert abs(value * metres2 - weight) <= D("0.05") * metres2  # only rounding to one decimal
    assert targets.bmi(weight + 1, height) >= value


@given(
    code=st.sampled_from(sorted(targets.measures())),
    value=st.decimals(min_value=-1000, max_value=1000, places=2),
    sex=st.sampled_from(["female", "male", "other", "unknown"]),
)
def test_classification_is_total_and_consistent(code, value, sex):
    m = targets.measure(code)
    target = targets.default_target(m, sex)
    status = targets.classify(m, value, target)
    if not targets.is_plausible(m, value):
        assert status == Status.IMPOSSIBLE
    elif status == Status.ABOVE:
        assert target.high is not None and value >= target.high
    elif status == Status.BELOW:
        assert target.low is not None and value <= target.low
    elif status == Status.IN_RANGE:
        assert (target.low is None or value >= target.low) and (target.high is None or value <= target.high)


@given(
    low=st.decimals(min_value=1, max_value=50, places=1),
    width=st.decimals(min_value=0, max_value=50, places=1),
)
def test_personal_range_bounds_are_inclusive(low, width):
    m = targets.measure("egfr")
    target = Target(low=low, high=low + width, personal=True)
    assert targets.classify(m, low, target) == Status.IN_RANGE
    assert targets.classify(m, low + width, target) == Status.IN_RANGE
