"""Reading a measured number and checking it against its type.

``to_number`` (float) and ``to_decimal`` (Decimal) read what people and devices write; ``check``
applies a type's rules in a fixed order (number, unit, whole number, plausible range) and stops at
the first problem, which it reports as a ``Problem`` code for the app to put into words.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from koers.measurement import units
from koers.measurement.types import MeasureType


class Problem(enum.StrEnum):
    NOT_A_NUMBER = "not_a_number"
    WRONG_UNIT = "wrong_unit"
    NOT_WHOLE = "not_whole"
    IMPLAUSIBLE = "implausible"


class ValueProblem(ValueError):
    """A value that does not fit its type; ``problem`` says why, ``value`` is the canonical value
    where it is known (for "implausible")."""

    def __init__(self, problem: Problem, value=None):
        super().__init__(problem)
        self.problem = problem
        self.value = value


def to_number(value) -> float:
    """A finite float from a number or text with a decimal point or a decimal comma (not both).

    ValueError otherwise. "1.234,5" and "1,234.5" are refused rather than guessed.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(value)
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
    else:
        text = str(value).strip().replace("\u2212", "-")
        if "," in text and "." in text:
            raise ValueError(value)
        text = text.replace(",", ".")
        if not text or text.count(".") > 1:
            raise ValueError(value)
        try:
            number = float(Decimal(text))
        except (InvalidOperation, ValueError) as exc:
            raise ValueError(value) from exc
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def to_decimal(value) -> Decimal:
    """A finite Decimal from a number or a string with a decimal point or comma; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(value) from exc
    if not number.is_finite():
        raise ValueError(value)
    return number


def is_plausible(mtype: MeasureType, value) -> bool:
    return mtype.low <= value <= mtype.high


def check(
    mtype: MeasureType,
    raw,
    unit: str | None,
    *,
    read: Callable[[object], object] = to_number,
    blank_unit_is_canonical: bool = True,
):
    """``raw`` given in ``unit`` as a value of ``mtype`` in its canonical unit; ValueProblem if it
    is no number (read with ``read``), the unit is not accepted, a whole number is required and
    this is not one, or the value is outside the plausible range."""
    try:
        number = read(raw)
    except ValueError:
        raise ValueProblem(Problem.NOT_A_NUMBER) from None
    try:
        value = units.to_canonical(number, unit, mtype.accepted_units, blank_is_canonical=blank_unit_is_canonical)
    except units.UnitError:
        raise ValueProblem(Problem.WRONG_UNIT) from None
    if mtype.integer and value != int(value):
        raise ValueProblem(Problem.NOT_WHOLE, value)
    if not is_plausible(mtype, value):
        raise ValueProblem(Problem.IMPLAUSIBLE, value)
    return value
