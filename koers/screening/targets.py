"""Reference data and targets for measurements: pure, no database.

``data/measures.json`` holds each measure with its LOINC codes, UCUM unit, accepted units,
plausible range and default target ranges with their source. A person's own target (a
``PersonalTarget``, passed in here as a ``Target``) always replaces the default.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "measures.json"


class Status(enum.StrEnum):
    IN_RANGE = "in_range"
    ABOVE = "above"
    BELOW = "below"
    IMPOSSIBLE = "impossible"
    NO_TARGET = "no_target"


class UnitError(ValueError):
    """The unit is not one this measure accepts."""


@dataclass(frozen=True)
class Target:
    low: Decimal | None = None
    high: Decimal | None = None
    low_strict: bool = False  # value must be > low (else >= low)
    high_strict: bool = False  # value must be < high (else <= high)
    source: str = ""  # key into the sources of measures.json, or "" for a personal target
    source_text: str = ""
    note: str = ""
    koers_default: bool = False
    personal: bool = False

    def __post_init__(self):
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError("low > high")


@dataclass(frozen=True)
class Measure:
    code: str
    loinc: tuple[str, ...]
    unit: str
    accepted_units: dict[str, Decimal]
    plausible: tuple[Decimal, Decimal]
    decimals: int
    topic: str
    derived: bool = False
    targets: tuple[dict, ...] = field(default_factory=tuple)


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@cache
def reference() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@cache
def measures() -> dict[str, Measure]:
    """All measures by code, in the order of the data file."""
    result = {}
    for raw in reference()["measures"]:
        result[raw["code"]] = Measure(
            code=raw["code"],
            loinc=tuple(raw["loinc"]),
            unit=raw["unit"],
            accepted_units={unit: Decimal(str(f)) for unit, f in raw["accepted_units"].items()},
            plausible=(Decimal(str(raw["plausible"][0])), Decimal(str(raw["plausible"][1]))),
            decimals=raw["decimals"],
            topic=raw["topic"],
            derived=raw.get("derived", False),
            targets=tuple(raw["targets"]),
        )
    return result


def measure(code: str) -> Measure:
    """The measure with this code; KeyError if unknown."""
    return measures()[code]


@cache
def _by_loinc() -> dict[str, Measure]:
    return {loinc: m for m in measures().values() for loinc in m.loinc}


def measure_for_loinc(loinc: str) -> Measure | None:
    return _by_loinc().get(loinc)


def source_text(key: str) -> str:
    return reference()["sources"].get(key, "")


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


def to_canonical(m: Measure, value: Decimal, unit: str) -> Decimal:
    """The value in the measure's canonical UCUM unit. UCUM is case-sensitive: only the listed
    spellings are accepted, so "MMOL/L" or "mg/dL" is refused rather than guessed."""
    factor = m.accepted_units.get((unit or "").strip())
    if factor is None:
        raise UnitError(unit)
    return value * factor


def rounded(m: Measure, value: Decimal) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-m.decimals), rounding=ROUND_HALF_UP)


def is_plausible(m: Measure, value: Decimal) -> bool:
    low, high = m.plausible
    return low <= value <= high


def default_target(m: Measure, sex: str = "") -> Target | None:
    """The default target for this measure and sex. Sex-specific targets apply only when the
    sex is known: for "other"/"unknown" there is no default (the professional sets a personal one)."""
    general = [t for t in m.targets if "sex" not in t]
    specific = [t for t in m.targets if t.get("sex") == sex]
    chosen = (specific or general or [None])[0]
    if chosen is None:
        return None
    return Target(
        low=_dec(chosen.get("low")),
        high=_dec(chosen.get("high")),
        low_strict=chosen.get("low_strict", False),
        high_strict=chosen.get("high_strict", False),
        source=chosen["source"],
        source_text=source_text(chosen["source"]),
        note=chosen.get("note", ""),
        koers_default=chosen.get("koers_default", False),
    )


def target_for(m: Measure, *, sex: str = "", personal: Target | None = None) -> Target | None:
    return personal if personal is not None else default_target(m, sex)


def classify(m: Measure, value: Decimal, target: Target | None) -> Status:
    """Where a value (in the canonical unit) stands against the target."""
    if not is_plausible(m, value):
        return Status.IMPOSSIBLE
    if target is None or (target.low is None and target.high is None):
        return Status.NO_TARGET
    if target.low is not None and (value <= target.low if target.low_strict else value < target.low):
        return Status.BELOW
    if target.high is not None and (value >= target.high if target.high_strict else value > target.high):
        return Status.ABOVE
    return Status.IN_RANGE


def bmi(weight_kg: Decimal, height_cm: Decimal) -> Decimal:
    """Body-mass index (kg/m2), one decimal. ValueError for implausible weight or height."""
    if not is_plausible(measure("weight"), weight_kg) or not is_plausible(measure("height"), height_cm):
        raise ValueError("implausible weight or height")
    metres = height_cm / Decimal(100)
    return rounded(measure("bmi"), weight_kg / (metres * metres))


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def fmt(value: Decimal) -> str:
    """A number the Dutch way (decimal comma), no trailing zeros."""
    return _fmt(value)
