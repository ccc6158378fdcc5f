"""Target ranges: in range, above, below, open bounds, strict bounds, impossible values."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from koers.measurement import targets
from koers.measurement.targets import Position, TargetRange
from koers.measurement.types import MeasureType

SYSTOLIC = MeasureType("systolic_bp", "mm[Hg]", {"mm[Hg]": Decimal(1)}, Decimal(50), Decimal(300))


@pytest.mark.parametrize(
    ("value", "target", "expected"),
    [
        (120, TargetRange(high=140, high_strict=True), Position.IN_RANGE),
        (140, TargetRange(high=140, high_strict=True), Position.ABOVE),
        (140, TargetRange(high=140), Position.IN_RANGE),
        (141, TargetRange(high=140), Position.ABOVE),
        (4, TargetRange(low=4), Position.IN_RANGE),
        (4, TargetRange(low=4, low_strict=True), Position.BELOW),
        (3.9, TargetRange(low=4, high=7), Position.BELOW),
        (7.1, TargetRange(low=4, high=7), Position.ABOVE),
        (5, TargetRange(), Position.NO_TARGET),
        (5, None, Position.NO_TARGET),
    ],
)
def test_position(value, target, expected):
    assert targets.position(value, target) == expected


def test_any_object_with_low_and_high_is_a_target_with_inclusive_bounds():
    row = SimpleNamespace(low=3.0, high=6.0)
    assert targets.position(6.0, row) == Position.IN_RANGE
    assert targets.position(6.5, row) == Position.ABOVE


def test_outside_with_open_bounds():
    assert targets.outside(8, None, 7) and targets.outside(2, 3, None)
    assert not targets.outside(5, None, None) and not targets.outside(7, 3, 7)


def test_a_range_with_low_above_high_is_refused():
    with pytest.raises(ValueError):
        TargetRange(low=8, high=4)


def test_classify_says_impossible_before_anything_else():
    target = TargetRange(high=Decimal(140), high_strict=True)
    assert targets.classify(SYSTOLIC, Decimal(400), target) == Position.IMPOSSIBLE
    assert targets.classify(SYSTOLIC, Decimal(150), target) == Position.ABOVE
    assert targets.classify(SYSTOLIC, Decimal(120), None) == Position.NO_TARGET
