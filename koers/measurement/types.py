"""A measurement type: what a value of it must be, and a catalogue of types by code and LOINC.

The app that owns a catalogue chooses the kind of number (screening: ``Decimal``, lab values kept
exactly; self-monitoring: ``float``, for the analysis); the core only compares and multiplies.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar


class ValueKind(enum.StrEnum):
    QUANTITY = "quantity"  # a number with a UCUM unit (blood pressure, weight, steps)
    SCORE = "score"  # a rating on a scale, unit "{score}" (diary items)


SCORE_UNIT = "{score}"


@dataclass(frozen=True)
class MeasureType:
    """What a value of one type must satisfy: enough to check, convert and code it.

    ``accepted_units`` maps every accepted UCUM spelling to its factor to the canonical ``unit``;
    ``low``/``high`` is the plausible range (outside it a value is impossible: a typing or unit
    error, never a finding). ``loinc`` lists the LOINC codes, the one Koers writes first.
    """

    code: str
    unit: str
    accepted_units: Mapping[str, object]
    low: object
    high: object
    decimals: int = 0
    integer: bool = False
    loinc: tuple[str, ...] = ()
    value_kind: ValueKind = ValueKind.QUANTITY

    @property
    def plausible(self) -> tuple:
        return (self.low, self.high)


T = TypeVar("T", bound=MeasureType)


@dataclass(frozen=True)
class Catalogue(Generic[T]):
    """Types by code, in the order given, and by LOINC code (the first type listing a code wins)."""

    by_code: dict[str, T]
    by_loinc: dict[str, T] = field(default_factory=dict)

    @classmethod
    def of(cls, types: Iterable[T]) -> Catalogue[T]:
        by_code = {t.code: t for t in types}
        by_loinc: dict[str, T] = {}
        for t in by_code.values():
            for loinc in t.loinc:
                if loinc:
                    by_loinc.setdefault(loinc, t)
        return cls(by_code, by_loinc)

    def get(self, code: str) -> T:
        """The type with this code; KeyError if unknown."""
        return self.by_code[code]

    def for_loinc(self, loinc: str) -> T | None:
        return self.by_loinc.get(loinc)

    def first_for_loinc(self, codes: Iterable[str]) -> T | None:
        """The type of the first LOINC code in ``codes`` that the catalogue knows."""
        return next((t for t in map(self.for_loinc, codes) if t is not None), None)
