"""The screening's catalogue of measures and their targets: pure, no database.

``data/measures.json`` holds each measure with its LOINC codes, UCUM unit, accepted units,
plausible range and default target ranges with their source. A person's own target (a
``PersonalTarget``, passed in here as a ``Target``) always replaces the default. A ``Measure`` is a
measurement type of the core (``koers.measurement``), with Decimal numbers; units, numbers and
target ranges follow the core's rules, which self-monitoring uses too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from koers.lib.numbers import decimal_text
from koers.measurement import targets as core_targets
from koers.measurement import units, values
from koers.measurement.types import Catalogue, MeasureType

DATA = Path(__file__).parent / "data" / "measures.json"

Status = core_targets.Position  # in_range, above, below, impossible, no_target
UnitError = units.UnitError  # the unit is not one this measure accepts
to_decimal = values.to_decimal  # a finite Decimal from a number or text with a point or comma
is_plausible = values.is_plausible


@dataclass(frozen=True)
class Target(core_targets.TargetRange):
    """A target range with where it comes from (a default from measures.json, or personal)."""

    source: str = ""  # key into the sources of measures.json, or "" for a personal target
    source_text: str = ""
    note: str = ""
    koers_default: bool = False
    personal: bool = False


@dataclass(frozen=True)
class Measure(MeasureType):
    """A screening measure: a measurement type (Decimal numbers) with its topic and default targets."""

    topic: str = ""
    derived: bool = False
    targets: tuple[dict, ...] = ()


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@cache
def reference() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@cache
def _catalogue() -> Catalogue[Measure]:
    return Catalogue.of(
        Measure(
            code=raw["code"],
            loinc=tuple(raw["loinc"]),
            unit=raw["unit"],
            accepted_units={unit: Decimal(str(f)) for unit, f in raw["accepted_units"].items()},
            low=Decimal(str(raw["plausible"][0])),
            high=Decimal(str(raw["plausible"][1])),
            decimals=raw["decimals"],
            topic=raw["topic"],
            derived=raw.get("derived", False),
            targets=tuple(raw["targets"]),
        )
        for raw in reference()["measures"]
    )


def measures() -> dict[str, Measure]:
    """All measures by code, in the order of the data file."""
    return _catalogue().by_code


def measure(code: str) -> Measure:
    """The measure with this code; KeyError if unknown."""
    return _catalogue().get(code)


def measure_for_loinc(loinc: str) -> Measure | None:
    return _catalogue().for_loinc(loinc)


def source_text(key: str) -> str:
    return reference()["sources"].get(key, "")


def to_canonical(m: Measure, value: Decimal, unit: str) -> Decimal:
    """The value in the measure's canonical UCUM unit. UCUM is case-sensitive: only the listed
    spellings are accepted, so "MMOL/L" or "mg/dL" is refused rather than guessed."""
    return units.to_canonical(value, unit, m.accepted_units)


def rounded(m: Measure, value: Decimal) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-m.decimals), rounding=ROUND_HALF_UP)


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
    return core_targets.classify(m, value, target)


def bmi(weight_kg: Decimal, height_cm: Decimal) -> Decimal:
    """Body-mass index (kg/m2), one decimal. ValueError for implausible weight or height."""
    if not is_plausible(measure("weight"), weight_kg) or not is_plausible(measure("height"), height_cm):
        raise ValueError("implausible weight or height")
    metres = height_cm / Decimal(100)
    return rounded(measure("bmi"), weight_kg / (metres * metres))


def _fmt(value: Decimal) -> str:
    return decimal_text(format(value.normalize(), "f"))


def fmt(value: Decimal) -> str:
    """A number in the reader's language (a decimal comma in Dutch), no trailing zeros."""
    return _fmt(value)
