"""The catalogue of measurement types (data/types.json), synchronised into MeasurementType rows.

``data/types.json`` holds each type with its LOINC code (where one exists), canonical UCUM unit,
the units accepted on entry or import with their factor, a plausible range, decimals, whether
higher is better and how it is summarised per day. The Dutch names, questions and anchors are
source text here (gettext), so that they are translated like every other string.

Pure helpers (``spec``, ``to_number``, ``to_canonical``) take a ``MeasurementType`` row, a code or
a ``Spec`` (a ``koers.measurement.types.MeasureType``); they are shared by the services, the CSV
import and the FHIR import so that a value is checked the same way whatever way it came in. The
rules themselves (units, numbers, plausible range) are the measurement core's
(``koers.measurement``), which the screening uses too. ``sync`` runs after every migrate.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.lib.numbers import decimal_text
from koers.measurement import units, values
from koers.measurement.types import SCORE_UNIT, Catalogue, MeasureType, ValueKind

DATA = Path(__file__).parent / "data" / "types.json"

UnitError = units.UnitError  # the unit is not one this type accepts
Spec = MeasureType  # what a value of one type must satisfy (float numbers)
to_number = values.to_number  # a finite float from a number or text with a decimal point or comma


@dataclass(frozen=True)
class Definition:
    """One catalogue type as the data file describes it."""

    code: str
    kind: str
    scale: str
    loinc: str
    also_loinc: tuple[str, ...]
    unit: str
    accepted_units: dict[str, float]
    plausible: tuple[float, float]
    decimals: int
    integer: bool
    higher_is_better: bool | None
    daily: str
    source: str
    columns: tuple[str, ...]


@cache
def reference() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@cache
def definitions() -> dict[str, Definition]:
    """All catalogue types by code, in the order of the data file."""
    result: dict[str, Definition] = {}
    for raw in reference()["types"]:
        result[raw["code"]] = Definition(
            code=raw["code"],
            kind=raw["kind"],
            scale=raw["scale"],
            loinc=raw.get("loinc", ""),
            also_loinc=tuple(raw.get("also_loinc", ())),
            unit=raw["unit"],
            accepted_units={u: float(f) for u, f in raw["accepted_units"].items()},
            plausible=(float(raw["plausible"][0]), float(raw["plausible"][1])),
            decimals=int(raw["decimals"]),
            integer=bool(raw.get("integer", False)),
            higher_is_better=raw.get("higher_is_better"),
            daily=raw.get("daily", "mean"),
            source=raw["source"],
            columns=tuple(c.lower() for c in raw.get("columns", ())),
        )
    return result


def definition(code: str) -> Definition:
    """The catalogue type with this code; KeyError if unknown."""
    return definitions()[code]


def _measure_type(d: Definition) -> MeasureType:
    return MeasureType(
        code=d.code,
        unit=d.unit,
        accepted_units=d.accepted_units,
        low=d.plausible[0],
        high=d.plausible[1],
        decimals=d.decimals,
        integer=d.integer,
        loinc=(d.loinc, *d.also_loinc),
        value_kind=ValueKind.SCORE if d.unit == SCORE_UNIT else ValueKind.QUANTITY,
    )


@cache
def measure_types() -> Catalogue[MeasureType]:
    """The catalogue as measurement types, by code and by LOINC code."""
    return Catalogue.of(_measure_type(d) for d in definitions().values())


def code_for_loinc(loinc: str) -> str | None:
    """The catalogue code a LOINC code maps to (its own or an accepted alternative), or None."""
    found = measure_types().for_loinc(loinc)
    return found.code if found is not None else None


def source_text(key: str) -> str:
    return reference()["sources"].get(key, "")


# --- names, questions and anchors (Dutch source, translated) ---------------------------------

NAMES = {
    "systolic_bp": gettext_lazy("Bloeddruk, bovendruk"),
    "diastolic_bp": gettext_lazy("Bloeddruk, onderdruk"),
    "heart_rate": gettext_lazy("Hartslag"),
    "weight": gettext_lazy("Gewicht"),
    "waist": gettext_lazy("Buikomvang"),
    "glucose": gettext_lazy("Bloedsuiker (vingerprik)"),
    "steps": gettext_lazy("Stappen"),
    "sleep_duration": gettext_lazy("Slaapduur"),
    "body_temperature": gettext_lazy("Lichaamstemperatuur"),
    "oxygen_saturation": gettext_lazy("Zuurstof in het bloed (saturatie)"),
    "mood": gettext_lazy("Stemming"),
    "anxiety": gettext_lazy("Angst"),
    "stress": gettext_lazy("Stress"),
    "energy": gettext_lazy("Energie"),
    "sleep_quality": gettext_lazy("Kwaliteit van de slaap"),
    "rumination": gettext_lazy("Piekeren"),
    "suspicion": gettext_lazy("Wantrouwen"),
    "loneliness": gettext_lazy("Eenzaamheid"),
    "craving": gettext_lazy("Trek (craving)"),
    "voices": gettext_lazy("Last van stemmen"),
    "pain": gettext_lazy("Pijn"),
}

QUESTIONS = {
    "mood": gettext_lazy("Hoe is uw stemming op dit moment?"),
    "anxiety": gettext_lazy("Hoe angstig voelt u zich op dit moment?"),
    "stress": gettext_lazy("Hoeveel stress voelt u op dit moment?"),
    "energy": gettext_lazy("Hoeveel energie heeft u op dit moment?"),
    "sleep_quality": gettext_lazy("Hoe goed heeft u afgelopen nacht geslapen?"),
    "rumination": gettext_lazy("Hoeveel piekert u op dit moment?"),
    "suspicion": gettext_lazy("Hoe wantrouwend voelt u zich op dit moment?"),
    "loneliness": gettext_lazy("Hoe eenzaam voelt u zich op dit moment?"),
    "craving": gettext_lazy("Hoeveel trek heeft u op dit moment in alcohol of drugs?"),
    "voices": gettext_lazy("Hoeveel last heeft u op dit moment van stemmen?"),
    "pain": gettext_lazy("Hoeveel pijn heeft u op dit moment?"),
}

ANCHORS = {
    "mood": (gettext_lazy("heel somber"), gettext_lazy("heel goed")),
    "anxiety": (gettext_lazy("helemaal niet angstig"), gettext_lazy("heel erg angstig")),
    "stress": (gettext_lazy("helemaal geen stress"), gettext_lazy("heel veel stress")),
    "energy": (gettext_lazy("helemaal geen energie"), gettext_lazy("heel veel energie")),
    "sleep_quality": (gettext_lazy("heel slecht geslapen"), gettext_lazy("heel goed geslapen")),
    "rumination": (gettext_lazy("helemaal niet"), gettext_lazy("heel veel")),
    "suspicion": (gettext_lazy("helemaal niet wantrouwend"), gettext_lazy("heel erg wantrouwend")),
    "loneliness": (gettext_lazy("helemaal niet eenzaam"), gettext_lazy("heel erg eenzaam")),
    "craving": (gettext_lazy("helemaal geen trek"), gettext_lazy("heel veel trek")),
    "voices": (gettext_lazy("helemaal geen last"), gettext_lazy("heel veel last")),
    "pain": (gettext_lazy("geen pijn"), gettext_lazy("ergste pijn die ik me kan voorstellen")),
}

UNIT_LABELS = {  # symbols are the same in every language; words are translated
    "mm[Hg]": "mmHg",
    "/min": gettext_lazy("slagen per minuut"),
    "kg": "kg",
    "cm": "cm",
    "mmol/L": "mmol/L",
    "{steps}": gettext_lazy("stappen"),
    "h": gettext_lazy("uur"),
    "Cel": "°C",
    "%": "%",
    SCORE_UNIT: gettext_lazy("op een schaal van 0 tot 10"),
}

# Input units shown in choice lists by their everyday spelling.
INPUT_UNIT_LABELS = {
    "[lb_av]": gettext_lazy("Engelse pond (lb, 0,454 kg)"),
    "[in_i]": gettext_lazy("inch"),
    "min": gettext_lazy("minuten"),
    "s": gettext_lazy("seconden"),
}


def _code(type_or_code) -> str:
    return type_or_code if isinstance(type_or_code, str) else type_or_code.code


def _is_custom(type_or_code) -> bool:
    return not isinstance(type_or_code, str) and getattr(type_or_code, "person_id", None) is not None


def label(type_or_code) -> str:
    """The name of a type for people: translated for catalogue types, as typed for own items."""
    if _is_custom(type_or_code):
        return type_or_code.name
    name = NAMES.get(_code(type_or_code))
    return str(name) if name is not None else _code(type_or_code)


def question(type_or_code) -> str:
    """The diary question (custom items: their own wording; physical measurements: their name)."""
    if _is_custom(type_or_code):
        return type_or_code.name
    text = QUESTIONS.get(_code(type_or_code))
    return str(text) if text is not None else label(type_or_code)


def anchors(type_or_code) -> tuple[str, str] | None:
    """What the lowest and highest number mean on a rating scale; None for a number with a unit."""
    if _is_custom(type_or_code):
        if type_or_code.scale == "number":
            return None
        return (
            type_or_code.anchor_low or _("helemaal niet"),
            type_or_code.anchor_high or _("heel erg"),
        )
    pair = ANCHORS.get(_code(type_or_code))
    return (str(pair[0]), str(pair[1])) if pair else None


def unit_label(type_or_code) -> str:
    """The canonical unit as people read it ("mmHg", "uur", "op een schaal van 0 tot 10")."""
    if _is_custom(type_or_code):
        if type_or_code.scale == "vas":
            return _("op een schaal van 0 tot 100")
        return str(UNIT_LABELS[SCORE_UNIT])
    unit = type_or_code if isinstance(type_or_code, str) and type_or_code not in definitions() else None
    if unit is None:
        code = _code(type_or_code)
        unit = definitions()[code].unit if code in definitions() else getattr(type_or_code, "unit", "")
    text = UNIT_LABELS.get(unit)
    return str(text) if text is not None else unit


def input_unit_label(unit: str) -> str:
    """One accepted input unit as people read it (for the unit choice in forms and the import)."""
    text = INPUT_UNIT_LABELS.get(unit) or UNIT_LABELS.get(unit)
    return str(text) if text is not None else unit


def daily_how(type_or_code) -> str:
    """How values of this type are summarised per day for the analysis ("mean" or "sum")."""
    d = definitions().get(_code(type_or_code))
    return d.daily if d is not None and not _is_custom(type_or_code) else "mean"


def source_for(type_or_code) -> str:
    d = definitions().get(_code(type_or_code))
    return source_text(d.source) if d is not None and not _is_custom(type_or_code) else ""


# --- checking and converting values (pure) ---------------------------------------------------


def spec(type_or_code) -> Spec:
    """The checking rules of a catalogue code, a MeasurementType row (catalogue or own item) or a Spec."""
    if isinstance(type_or_code, Spec):
        return type_or_code
    if isinstance(type_or_code, str) or (not _is_custom(type_or_code) and type_or_code.code in definitions()):
        return measure_types().get(_code(type_or_code))
    t = type_or_code  # an own item, or a catalogue row no longer in the file
    kind = ValueKind.SCORE if t.unit == SCORE_UNIT else ValueKind.QUANTITY
    return Spec(t.code, t.unit, {t.unit: 1.0}, t.plausible_low, t.plausible_high, t.decimals, value_kind=kind)


def accepted_units(type_or_code) -> list[str]:
    """The units a value of this type may be given in, the canonical one first."""
    s = spec(type_or_code)
    return [s.unit, *(u for u in s.accepted_units if u != s.unit)]


def to_canonical(type_or_spec, value: float, unit: str | None) -> float:
    """The value in the type's canonical unit. An empty unit means the canonical one.

    UCUM is case-sensitive; only the spellings listed in types.json are accepted (plus a few
    spellings device exports use, such as "mmHg" and "bpm"). Anything else raises UnitError.
    """
    return units.to_canonical(value, unit, spec(type_or_spec).accepted_units, blank_is_canonical=True)


def is_plausible(type_or_spec, value: float) -> bool:
    return values.is_plausible(spec(type_or_spec), value)


def fmt(value: float, decimals: int = 1) -> str:
    """A number in the reader's language (a decimal comma in Dutch), no trailing zeros."""
    text = f"{value:.{decimals}f}" if decimals > 0 else f"{round(value):d}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return decimal_text(text)


# --- synchronising the rows ------------------------------------------------------------------


def _fields(d: Definition) -> dict:
    return {
        "kind": d.kind,
        "scale": d.scale,
        "loinc": d.loinc,
        "unit": d.unit,
        "plausible_low": d.plausible[0],
        "plausible_high": d.plausible[1],
        "decimals": d.decimals,
        "higher_is_better": d.higher_is_better,
        "active": True,
    }


def sync(using: str = "default") -> dict[str, int]:
    """Create or update the catalogue rows from data/types.json (idempotent).

    Catalogue rows no longer in the file are deactivated, never deleted (observations refer to
    them). Rows already up to date are not written. Returns counts for the log.
    """
    from django.db import connections, transaction

    from koers.monitoring.models import MeasurementType

    if MeasurementType._meta.db_table not in connections[using].introspection.table_names():
        return {"created": 0, "updated": 0, "deactivated": 0}  # migrating backwards past 0001
    counts = {"created": 0, "updated": 0, "deactivated": 0}
    defs = definitions()
    with transaction.atomic(using=using):
        rows = MeasurementType.objects.using(using).filter(person__isnull=True)
        existing = {row.code: row for row in rows}
        for d in defs.values():
            fields = _fields(d)
            row = existing.get(d.code)
            if row is None:
                MeasurementType.objects.using(using).create(code=d.code, **fields)
                counts["created"] += 1
            elif any(getattr(row, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(row, name, value)
                row.save(using=using, update_fields=list(fields))
                counts["updated"] += 1
        counts["deactivated"] = (
            MeasurementType.objects.using(using)
            .filter(person__isnull=True, active=True)
            .exclude(code__in=list(defs))
            .update(active=False)
        )
    return counts
