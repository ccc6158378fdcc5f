"""The one FHIR R4 Observation mapper: FHIR JSON <-> plain value objects, pure.

Reading: ``bundle_resources`` takes a Bundle (or one Observation) as JSON text or a dict and gives
its resources; ``read_observation`` gives an ``ObservationData`` with the id, status, LOINC codes,
time fields and the parts that carry a value (the Observation itself, or its components, as in a
blood-pressure panel); ``Part.quantity`` reads a ``valueQuantity`` (value and UCUM unit).
Writing: ``observation_resource`` builds an Observation from plain values.

Every problem is a ``FhirError`` with a ``Problem`` code (and the numbers a message needs in
``detail``); malformed input never raises TypeError or KeyError. Which codes a catalogue knows,
which times it accepts and how a problem is worded is the importing app's business.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass

from koers.measurement.units import UCUM

LOINC = "http://loinc.org"
BP_PANEL = "85354-9"  # blood pressure panel: systolic and diastolic as components
FINAL_STATUSES = frozenset({"final", "amended", "corrected"})
ID_MAX = 150


class Problem(enum.StrEnum):
    NOT_JSON = "not_json"
    NOT_A_BUNDLE = "not_a_bundle"  # neither a Bundle nor an Observation
    EMPTY_BUNDLE = "empty_bundle"
    TOO_MANY = "too_many"  # detail: max
    NOT_AN_OBSERVATION = "not_an_observation"
    NO_QUANTITY = "no_quantity"
    NOT_A_NUMBER = "not_a_number"
    NOT_UCUM = "not_ucum"


class FhirError(ValueError):
    """What is wrong, as a ``Problem`` code; ``detail`` holds the figures a message needs."""

    def __init__(self, problem: Problem, **detail):
        super().__init__(problem)
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class Quantity:
    value: int | float | str  # as sent: a number, or text where the caller allows it
    unit: str  # the UCUM code (or, without one, the display unit)


@dataclass(frozen=True)
class Part:
    """Something that carries a value: the Observation itself or one of its components.
    A component that is not even an object is kept as a part with no codes (``malformed``)."""

    codes: tuple[str, ...]
    raw_quantity: object = None
    component: bool = False
    malformed: bool = False

    def quantity(self, *, text_values: bool = False) -> Quantity:
        return read_quantity(self.raw_quantity, text_values=text_values)


@dataclass(frozen=True)
class ObservationData:
    """One Observation as plain values. Time fields hold the text as sent (None when absent or
    not text); ``components`` is None when the Observation has a value of its own or no list of
    components."""

    id: str
    status: str
    codes: tuple[str, ...]
    own: Part
    components: tuple[Part, ...] | None = None
    effective_date_time: str | None = None
    effective_instant: str | None = None
    effective_period_start: str | None = None
    issued: str | None = None

    @property
    def final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def effective(self) -> str | None:
        """The clinically relevant time (effective[x]: dateTime, instant or the start of a period)."""
        return self.effective_date_time or self.effective_instant or self.effective_period_start

    @property
    def is_panel(self) -> bool:
        return BP_PANEL in self.codes

    def parts(self) -> tuple[Part, ...]:
        """The parts to read: the well-formed components, or the Observation itself when it has none."""
        if self.components:
            return tuple(p for p in self.components if not p.malformed)
        return (self.own,)


# --- reading ---------------------------------------------------------------------------------


def bundle_resources(payload, *, max_entries: int) -> list:
    """The resources of a Bundle (or a one-item list for a single Observation), in order; an entry
    without a resource gives None. ``payload`` is JSON text (str or bytes) or the parsed dict."""
    if isinstance(payload, (str, bytes)):
        try:
            payload = json.loads(payload)
        except (ValueError, RecursionError):
            raise FhirError(Problem.NOT_JSON) from None
    if not isinstance(payload, dict):
        raise FhirError(Problem.NOT_A_BUNDLE)
    kind = payload.get("resourceType")
    if kind == "Observation":
        return [payload]
    if kind != "Bundle":
        raise FhirError(Problem.NOT_A_BUNDLE)
    entries = payload.get("entry") or []
    if not isinstance(entries, list) or not entries:
        raise FhirError(Problem.EMPTY_BUNDLE)
    if len(entries) > max_entries:
        raise FhirError(Problem.TOO_MANY, max=max_entries)
    return [e.get("resource") if isinstance(e, dict) else None for e in entries]


def loinc_codes(concept) -> tuple[str, ...]:
    """The LOINC codes of a CodeableConcept, in order; () for anything malformed."""
    if not isinstance(concept, dict):
        return ()
    codings = concept.get("coding")
    if not isinstance(codings, list):
        return ()
    return tuple(
        c["code"]
        for c in codings
        if isinstance(c, dict) and c.get("system") == LOINC and isinstance(c.get("code"), str)
    )


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def _component(raw) -> Part:
    if not isinstance(raw, dict):
        return Part(codes=(), component=True, malformed=True)
    return Part(codes=loinc_codes(raw.get("code")), raw_quantity=raw.get("valueQuantity"), component=True)


def read_observation(resource) -> ObservationData:
    """An Observation resource as plain values; FhirError(NOT_AN_OBSERVATION) for anything else."""
    if not isinstance(resource, dict) or resource.get("resourceType") != "Observation":
        raise FhirError(Problem.NOT_AN_OBSERVATION)
    codes = loinc_codes(resource.get("code"))
    raw_components = resource.get("component")
    components = None
    if isinstance(raw_components, list) and "valueQuantity" not in resource:
        components = tuple(_component(c) for c in raw_components)
    period = resource.get("effectivePeriod")
    return ObservationData(
        id=str(resource.get("id") or "")[:ID_MAX],
        status=_text(resource.get("status")) or "",
        codes=codes,
        own=Part(codes=codes, raw_quantity=resource.get("valueQuantity")),
        components=components,
        effective_date_time=_text(resource.get("effectiveDateTime")),
        effective_instant=_text(resource.get("effectiveInstant")),
        effective_period_start=_text(period.get("start")) if isinstance(period, dict) else None,
        issued=_text(resource.get("issued")),
    )


def read_quantity(q, *, text_values: bool = False) -> Quantity:
    """The value and unit of a FHIR ``valueQuantity``; FhirError when there is none, the value is
    no number or the unit is not UCUM.

    The UCUM ``code`` is preferred over the display ``unit``; a system other than UCUM is refused.
    ``text_values`` also accepts a number written as text (lab systems that send decimals as
    strings to keep their precision); the caller parses it.
    """
    if not isinstance(q, dict) or "value" not in q:
        raise FhirError(Problem.NO_QUANTITY)
    value = q["value"]
    kinds = (int, float, str) if text_values else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise FhirError(Problem.NOT_A_NUMBER)
    if q.get("system") not in (None, UCUM):
        raise FhirError(Problem.NOT_UCUM)
    unit = q.get("code") or q.get("unit") or ""
    if not isinstance(unit, str):
        raise FhirError(Problem.NOT_UCUM)
    return Quantity(value, unit)


# --- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    """One value to write: its LOINC code and the quantity (a number in a UCUM unit)."""

    loinc: str
    value: int | float | str
    unit: str


def _concept(loinc: str) -> dict:
    return {"coding": [{"system": LOINC, "code": loinc}]}


def quantity_resource(value, unit: str) -> dict:
    return {"value": value, "unit": unit, "system": UCUM, "code": unit}


def observation_resource(
    *,
    effective: str,
    value: Measured | None = None,
    panel: str = "",
    components: Sequence[Measured] = (),
    id: str = "",  # noqa: A002 — the FHIR element's name
    status: str = "final",
) -> dict:
    """An Observation with one value, or a panel (``panel`` its LOINC code) with one component per
    value. ``effective`` is the time as FHIR dateTime text. Numbers are written as given (a Decimal
    needs a JSON encoder that writes it as a number)."""
    if (value is None) == (not components):
        raise ValueError("give either one value or a panel's components")
    resource: dict = {"resourceType": "Observation"}
    if id:
        resource["id"] = id
    resource["status"] = status
    resource["code"] = _concept(value.loinc if value is not None else panel)
    resource["effectiveDateTime"] = effective
    if value is not None:
        resource["valueQuantity"] = quantity_resource(value.value, value.unit)
    else:
        resource["component"] = [
            {"code": _concept(c.loinc), "valueQuantity": quantity_resource(c.value, c.unit)} for c in components
        ]
    return resource


def measured(data: ObservationData, *, text_values: bool = False) -> list[Measured]:
    """The values of a read Observation, one per part with a LOINC code; FhirError on a bad quantity."""
    found = []
    for part in data.parts():
        if part.codes:
            q = part.quantity(text_values=text_values)
            found.append(Measured(part.codes[0], q.value, q.unit))
    return found
