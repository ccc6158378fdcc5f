"""UCUM units: converting a value to a type's canonical unit.

UCUM is case-sensitive, so only the spellings a type lists (with their factor to the canonical
unit) are accepted: "MMOL/L" or "mg/dL" for a type that does not list it is refused, not guessed.
"""

from __future__ import annotations

from collections.abc import Mapping

UCUM = "http://unitsofmeasure.org"


class UnitError(ValueError):
    """The unit is not one this type accepts."""


def factor(unit: str | None, accepted: Mapping[str, object]):
    """The factor from ``unit`` to the canonical unit; UnitError when ``unit`` is not accepted."""
    found = accepted.get((unit or "").strip())
    if found is None:
        raise UnitError(unit)
    return found


def to_canonical(value, unit: str | None, accepted: Mapping[str, object], *, blank_is_canonical: bool = False):
    """``value`` given in ``unit``, in the canonical unit (the one whose factor is 1).

    Works for float and Decimal alike (the factor table holds the same kind of number as the
    value). ``blank_is_canonical``: an empty unit means the canonical one (quick entry, imports
    without a unit column); otherwise an empty unit is refused like any unknown one.
    """
    if blank_is_canonical and not (unit or "").strip():
        return value
    f = factor(unit, accepted)
    return value if f == 1 else value * f
