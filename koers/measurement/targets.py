"""Target ranges and where a value stands against one: pure, used by screening and monitoring.

A range may be open on either side. A bound is inclusive unless marked strict: a target "below
140" is ``TargetRange(high=140, high_strict=True)``. Anything with ``low`` and ``high`` (a
self-monitoring ``Target`` row, for instance) can be checked too; its bounds are inclusive.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from koers.measurement import values
from koers.measurement.types import MeasureType


class Position(enum.StrEnum):
    IN_RANGE = "in_range"
    ABOVE = "above"
    BELOW = "below"
    IMPOSSIBLE = "impossible"
    NO_TARGET = "no_target"


@dataclass(frozen=True)
class TargetRange:
    low: object = None
    high: object = None
    low_strict: bool = False  # value must be > low (else >= low)
    high_strict: bool = False  # value must be < high (else <= high)

    def __post_init__(self):
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError("low > high")


def is_below(value, target) -> bool:
    low = target.low
    if low is None:
        return False
    return value <= low if getattr(target, "low_strict", False) else value < low


def is_above(value, target) -> bool:
    high = target.high
    if high is None:
        return False
    return value >= high if getattr(target, "high_strict", False) else value > high


def position(value, target) -> Position:
    """Where ``value`` stands against ``target`` (a TargetRange, anything with low/high, or None)."""
    if target is None or (target.low is None and target.high is None):
        return Position.NO_TARGET
    if is_below(value, target):
        return Position.BELOW
    if is_above(value, target):
        return Position.ABOVE
    return Position.IN_RANGE


def outside(value, low, high) -> bool:
    """Outside the inclusive range [low, high]; an open bound never is."""
    return (low is not None and value < low) or (high is not None and value > high)


def classify(mtype: MeasureType, value, target) -> Position:
    """As ``position``, but an impossible value (outside the type's plausible range) says so first."""
    if not values.is_plausible(mtype, value):
        return Position.IMPOSSIBLE
    return position(value, target)
