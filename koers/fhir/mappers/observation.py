"""Observations: self-measurements (monitoring), lab and screening values (screening) and
questionnaire scores (questionnaires) ↔ FHIR R4 Observation.

Values go through ``koers.measurement.fhir``, the one Observation mapper Koers imports with: the
valueQuantity is its ``quantity_resource`` (UCUM system and code) and reading goes through its
``read_observation`` / ``read_quantity`` (so what Koers writes is exactly what its import reads).
Codes: the LOINC code of the type where it has one (first), then the Koers type code
(``measurement-type``), so a diary item without LOINC is still coded. One value per Observation
(systolic and diastolic are two, as Koers keeps them). Category: ``vital-signs`` for body
measurements, ``laboratory`` for lab values, ``survey`` for diary items and scores.

A score is one Observation per completed response: the main score as valueQuantity (``{score}``),
each subscale a component, the band as ``interpretation``, ``derivedFrom`` the
QuestionnaireResponse, no value but a ``dataAbsentReason`` when the instrument's rules give no
score; the LOINC code of the total where one is known (PHQ-9, GAD-7).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

from koers.fhir.mappers import refs, systems
from koers.fhir.mappers.common import (
    choice,
    code,
    codes,
    coding,
    concept,
    drop_empty,
    element_list,
    expect_resource,
    extension,
    fhir_datetime,
    get,
    meta,
    optional_datetime,
    parse_datetime,
    reference_pk,
    text,
)
from koers.fhir.mappers.errors import MappingError
from koers.measurement import fhir as core
from koers.measurement.types import SCORE_UNIT
from koers.screening import targets as screening_targets

VITAL_SIGNS, LABORATORY, SURVEY = "vital-signs", "laboratory", "survey"
# Screening measures by topic: blood pressure and weight are body measurements, the rest lab.
BODY_TOPICS = frozenset({"blood_pressure", "weight"})
PROFILES = {
    "29463-7": systems.NL_CORE_BODY_WEIGHT,
    "8302-2": systems.NL_CORE_BODY_HEIGHT,
}
PREFIX = {"monitoring": "mon-", "screening": "lab-"}
# LOINC codes of instrument totals Koers is sure of; others carry only the Koers code.
SCORE_LOINC = {"phq-9": "44261-6", "gad-7": "70274-6"}


@dataclass(frozen=True)
class MeasurementData:
    """A self-measurement (``kind`` monitoring, value a float) or a screening/lab value
    (``kind`` screening, value a Decimal), in its type's canonical UCUM unit."""

    kind: str
    person_id: int
    type_code: str
    value: float | Decimal
    unit: str
    effective_at: dt.datetime
    loinc: str = ""
    category: str = VITAL_SIGNS
    source: str = ""
    note: str = ""
    recorded_at: dt.datetime | None = None
    id: int | None = None


# A self-measurement as a plain row (``values_list`` order) and its type's row: what ``$export``
# reads; the model-instance mapper below goes through the same rows.
SELF_MEASUREMENT_FIELDS = ("id", "person_id", "value", "effective_at", "source", "note", "recorded_at")
MEASUREMENT_TYPE_FIELDS = ("code", "loinc", "unit", "kind")


def self_measurement_row_data(row: tuple, type_row: tuple) -> MeasurementData:
    """A self-measurement from its row (``SELF_MEASUREMENT_FIELDS``) and its type's
    (``MEASUREMENT_TYPE_FIELDS``)."""
    pk, person_id, value, effective_at, source, note, recorded_at = row
    type_code, loinc, unit, type_kind = type_row
    return MeasurementData(
        kind="monitoring",
        id=pk,
        person_id=person_id,
        type_code=type_code,
        loinc=loinc,
        value=value,
        unit=unit,
        effective_at=effective_at,
        category=VITAL_SIGNS if type_kind == "physical" else SURVEY,
        source=source,
        note=note,
        recorded_at=recorded_at,
    )


def self_measurement_data(observation) -> MeasurementData:
    """A ``monitoring.Observation`` with its ``type`` loaded."""
    type_ = refs.loaded(observation, "type")
    return self_measurement_row_data(
        tuple(getattr(observation, "pk" if f == "id" else f) for f in SELF_MEASUREMENT_FIELDS),
        tuple(getattr(type_, f) for f in MEASUREMENT_TYPE_FIELDS),
    )


def screening_measurement_data(measurement, *, loinc: str = "", topic: str = "") -> MeasurementData:
    """A ``screening.Measurement``; ``loinc`` and ``topic`` from the screening catalogue
    (``screening.targets.measure(code)``), looked up by the caller when not given."""
    if not loinc or not topic:
        found = screening_targets.measure(measurement.measure)  # a file read once, not a query
        loinc, topic = loinc or (found.loinc[0] if found.loinc else ""), topic or found.topic
    return MeasurementData(
        kind="screening",
        id=measurement.pk,
        person_id=measurement.person_id,
        type_code=measurement.measure,
        loinc=loinc,
        value=measurement.value,
        unit=measurement.unit,
        effective_at=measurement.taken_at,
        category=VITAL_SIGNS if topic in BODY_TOPICS else LABORATORY,
        source=measurement.source,
        recorded_at=measurement.entered_at,
    )


def _code(data: MeasurementData) -> dict:
    codings = [coding(systems.LOINC, data.loinc)] if data.loinc else []
    codings.append(coding(systems.MEASUREMENT_TYPE, data.type_code))
    return {"coding": codings}


def _profile(data: MeasurementData) -> str:
    if data.category == LABORATORY:
        return systems.NL_CORE_OBSERVATION_LAB
    return PROFILES.get(data.loinc, "")


def measurement_to_fhir(data: MeasurementData) -> dict:
    return drop_empty(
        {
            "resourceType": "Observation",
            "id": f"{PREFIX[data.kind]}{data.id}" if data.id is not None else None,
            "meta": meta(profile=_profile(data)),
            "status": "final",
            "category": [concept(systems.OBSERVATION_CATEGORY, data.category)],
            "code": _code(data),
            "subject": refs.patient(data.person_id),
            "effectiveDateTime": fhir_datetime(data.effective_at),
            "issued": fhir_datetime(data.recorded_at),
            "valueQuantity": core.quantity_resource(data.value, data.unit),
            "method": concept(systems.MEASUREMENT_SOURCE, data.source) if data.source else None,
            "note": [{"text": data.note}] if data.note else None,
        }
    )


def self_measurement_to_fhir(observation) -> dict:
    return measurement_to_fhir(self_measurement_data(observation))


def screening_measurement_to_fhir(measurement, **catalogue) -> dict:
    return measurement_to_fhir(screening_measurement_data(measurement, **catalogue))


def _quantity(resource: dict, *, decimal: bool) -> core.Quantity:
    """The value and UCUM unit, read by the core reader (a Decimal still in the dict is passed
    as text, which the core reader takes for lab values)."""
    raw = resource.get("valueQuantity")
    if isinstance(raw, dict) and isinstance(raw.get("value"), Decimal):
        raw = dict(raw, value=str(raw["value"]))
    try:
        return core.read_quantity(raw, text_values=decimal)
    except core.FhirError as exc:
        message = _QUANTITY_PROBLEMS.get(exc.problem, str(exc.problem))
        raise MappingError(message, path="Observation.valueQuantity") from None


_QUANTITY_PROBLEMS = {
    core.Problem.NO_QUANTITY: "needs a valueQuantity with a value",
    core.Problem.NOT_A_NUMBER: "the value is not a number",
    core.Problem.NOT_UCUM: "the unit must be a UCUM code (system http://unitsofmeasure.org)",
}


def _number(value, *, decimal: bool, path: str):
    try:
        number = Decimal(str(value)) if decimal else float(value)
    except (ArithmeticError, ValueError):
        number = None
    if number is None or not math.isfinite(number):
        raise MappingError(f"{value!r} is not a number", path=path)
    return number


def measurement_from_fhir(resource, *, kind: str = "monitoring") -> MeasurementData:
    """A self-measurement (``kind`` monitoring) or lab/screening value (``kind`` screening).
    The Koers type code is read from the ``measurement-type`` coding when present, else left
    empty: resolving a LOINC code to a type is the importing app's catalogue's business."""
    expect_resource(resource, "Observation")
    path = "Observation"
    choice(kind, PREFIX, "kind")
    status = get(resource, "status", str, path, required=True)
    if status not in core.FINAL_STATUSES:
        raise MappingError(
            f"{status!r}: only final values are kept ({', '.join(sorted(core.FINAL_STATUSES))})", path=f"{path}.status"
        )
    code_ = get(resource, "code", dict, path, required=True)
    loincs, types = codes(code_, systems.LOINC, f"{path}.code"), codes(code_, systems.MEASUREMENT_TYPE, f"{path}.code")
    if not loincs and not types:
        raise MappingError("needs a LOINC or Koers measurement-type code", path=f"{path}.code")
    quantity = _quantity(resource, decimal=kind == "screening")
    categories = [
        code(c, systems.OBSERVATION_CATEGORY, w, required=False) for w, c in element_list(resource, "category", path)
    ]
    notes = element_list(resource, "note", path)
    method = resource.get("method")
    return MeasurementData(
        kind=kind,
        id=_prefixed_pk(get(resource, "id", str, path), PREFIX[kind], f"{path}.id"),
        person_id=reference_pk(resource.get("subject"), refs.PATIENT, f"{path}.subject"),
        type_code=types[0] if types else "",
        loinc=loincs[0] if loincs else "",
        value=_number(quantity.value, decimal=kind == "screening", path=f"{path}.valueQuantity.value"),
        unit=quantity.unit,
        effective_at=parse_datetime(resource.get("effectiveDateTime"), f"{path}.effectiveDateTime"),
        category=next((c for c in categories if c), VITAL_SIGNS),
        source=code(method, systems.MEASUREMENT_SOURCE, f"{path}.method", required=False) or "",
        note=text(notes[0][1], "text", notes[0][0], max_length=300) if notes else "",
        recorded_at=optional_datetime(resource, "issued", path),
    )


def _prefixed_pk(raw: str | None, prefix: str, path: str) -> int | None:
    """``<prefix><pk>`` → pk; an id from elsewhere (an import's own) is no Koers id: None."""
    if raw is None or not raw.startswith(prefix):
        return None
    rest = raw[len(prefix) :]
    if not rest.isdigit():
        raise MappingError(f"{raw!r} is not a Koers id of the form {prefix}<number>", path=path)
    return int(rest)


# --- questionnaire scores -------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreData:
    person_id: int
    response_id: int
    instrument_id: str
    instrument_version: str
    authored_at: dt.datetime
    total: float | None = None
    subscales: tuple[tuple[str, float | None], ...] = ()
    band: str = ""
    missing: int = 0
    scorable: bool = True
    flags: tuple[str, ...] = ()
    id: int | None = None


def score_data(score) -> ScoreData:
    return ScoreData(
        id=score.pk,
        person_id=score.person_id,
        response_id=score.response_id,
        instrument_id=score.instrument_id,
        instrument_version=score.instrument_version,
        authored_at=score.authored_at,
        total=score.total,
        subscales=tuple(sorted((score.subscales or {}).items())),
        band=score.band,
        missing=score.missing,
        scorable=score.scorable,
        flags=tuple(score.flags or ()),
    )


def _score_value(value: float | None) -> dict:
    if value is None:
        return {
            "dataAbsentReason": concept(
                systems.DATA_ABSENT_REASON, "unknown", text="no score: too many answers missing"
            )
        }
    return {"valueQuantity": core.quantity_resource(value, SCORE_UNIT)}


def _score_code(data: ScoreData) -> dict:
    codings = [coding(systems.LOINC, SCORE_LOINC[data.instrument_id])] if data.instrument_id in SCORE_LOINC else []
    codings.append(coding(systems.QUESTIONNAIRE_SCORE, data.instrument_id))
    return {"coding": codings}


def score_to_fhir(score) -> dict:
    data = score if isinstance(score, ScoreData) else score_data(score)
    parts = [
        {"url": "version", "valueString": data.instrument_version},
        {"url": "missing", "valueInteger": data.missing},
    ]
    parts += [{"url": "scorable", "valueBoolean": data.scorable}]
    parts += [{"url": "flag", "valueCode": flag} for flag in data.flags]
    return drop_empty(
        {
            "resourceType": "Observation",
            "id": f"score-{data.id}" if data.id is not None else None,
            "extension": [{"url": systems.EXT_SCORE, "extension": parts}],
            "status": "final",
            "category": [concept(systems.OBSERVATION_CATEGORY, SURVEY)],
            "code": _score_code(data),
            "subject": refs.patient(data.person_id),
            "effectiveDateTime": fhir_datetime(data.authored_at),
            **_score_value(data.total),
            "interpretation": [concept(systems.QUESTIONNAIRE_BAND, data.band)] if data.band else None,
            "derivedFrom": [{"reference": f"QuestionnaireResponse/{data.response_id}"}],
            "component": [
                {"code": concept(systems.QUESTIONNAIRE_SCORE, f"{data.instrument_id}/{name}"), **_score_value(value)}
                for name, value in data.subscales
            ],
        }
    )


def _score_number(element: dict, path: str) -> float | None:
    if "dataAbsentReason" in element and "valueQuantity" not in element:
        return None
    try:
        quantity = core.read_quantity(element.get("valueQuantity"))
    except core.FhirError as exc:
        raise MappingError(
            _QUANTITY_PROBLEMS.get(exc.problem, str(exc.problem)), path=f"{path}.valueQuantity"
        ) from None
    if quantity.unit != SCORE_UNIT:
        raise MappingError(f"a score's unit is {SCORE_UNIT}, not {quantity.unit!r}", path=f"{path}.valueQuantity")
    return float(quantity.value)


def _score_meta(resource: dict, path: str) -> dict:
    ext = extension(resource, systems.EXT_SCORE, path)
    if ext is None:
        raise MappingError("needs the Koers questionnaire-score extension (version, missing)", path=f"{path}.extension")
    found: dict = {"flags": []}
    for where, part in element_list(ext, "extension", f"{path}.extension"):
        url = part.get("url")
        if url == "version":
            found["version"] = text(part, "valueString", where, required=True, max_length=32)
        elif url == "missing":
            found["missing"] = get(part, "valueInteger", int, where, required=True)
        elif url == "scorable":
            found["scorable"] = get(part, "valueBoolean", bool, where, required=True)
        elif url == "flag":
            found["flags"].append(get(part, "valueCode", str, where, required=True))
    if "version" not in found:
        raise MappingError("needs the instrument version", path=f"{path}.extension")
    return found


def score_from_fhir(resource) -> ScoreData:
    expect_resource(resource, "Observation")
    path = "Observation"
    instrument = code(get(resource, "code", dict, path, required=True), systems.QUESTIONNAIRE_SCORE, f"{path}.code")
    derived = element_list(resource, "derivedFrom", path)
    if len(derived) != 1:
        raise MappingError("needs exactly one derivedFrom: the QuestionnaireResponse", path=f"{path}.derivedFrom")
    extra = _score_meta(resource, path)
    subscales = []
    for where, component in element_list(resource, "component", path):
        name = code(get(component, "code", dict, where, required=True), systems.QUESTIONNAIRE_SCORE, f"{where}.code")
        if not name.startswith(f"{instrument}/"):
            raise MappingError(f"{name!r} is not a subscale of {instrument!r}", path=f"{where}.code")
        subscales.append((name.split("/", 1)[1], _score_number(component, where)))
    bands = element_list(resource, "interpretation", path)
    return ScoreData(
        id=_prefixed_pk(get(resource, "id", str, path), "score-", f"{path}.id"),
        person_id=reference_pk(resource.get("subject"), refs.PATIENT, f"{path}.subject"),
        response_id=reference_pk(derived[0][1], "QuestionnaireResponse", derived[0][0]),
        instrument_id=instrument,
        instrument_version=extra["version"],
        authored_at=parse_datetime(resource.get("effectiveDateTime"), f"{path}.effectiveDateTime"),
        total=_score_number(resource, path),
        subscales=tuple(sorted(subscales)),
        band=code(bands[0][1], systems.QUESTIONNAIRE_BAND, bands[0][0]) if bands else "",
        missing=extra.get("missing", 0),
        scorable=extra.get("scorable", True),
        flags=tuple(extra["flags"]),
    )
