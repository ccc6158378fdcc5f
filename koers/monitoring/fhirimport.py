"""Reading FHIR R4 Observation bundles into entries: pure, no database.

Accepted: a Bundle of Observations (or one Observation) with a LOINC code Koers knows (its own
code or an accepted alternative, ``koers.monitoring.catalogue.code_for_loinc``), a
``valueQuantity`` in UCUM (the UCUM ``code`` is preferred over the display ``unit``), and a time
(``effectiveDateTime``, ``effectiveInstant`` or the start of ``effectivePeriod``). A blood-pressure
panel (85354-9, or any Observation with components and no value of its own) gives one entry per
known component. Only final results are read (``final``, ``amended``, ``corrected``). Every
problem names its entry ("Onderdeel 3 (obs-17)"); the import task stores nothing when there is one.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _

from koers.lib.fhir import value_quantity
from koers.monitoring import catalogue
from koers.monitoring.entries import Entry
from koers.monitoring.timestamps import DEFAULT_TZ, TimestampError, parse_timestamp

LOINC = "http://loinc.org"
BP_PANEL = "85354-9"
ACCEPTED_STATUSES = {"final", "amended", "corrected"}
MAX_ENTRIES = 100_000


class FhirError(ValueError):
    """Not a Bundle of Observations at all; str() is a message for the person."""


def load(text: str | dict | list) -> list:
    """The Observation resources of a Bundle (or a single Observation), in order. A list is
    taken as resources already loaded."""
    if isinstance(text, list):
        return text
    if isinstance(text, str):
        try:
            payload = json.loads(text)
        except (ValueError, RecursionError):
            raise FhirError(_("Dit is geen geldige JSON. Kies een FHIR-bundel met Observations.")) from None
    else:
        payload = text
    if not isinstance(payload, dict):
        raise FhirError(_("Kies een FHIR-bundel met Observations."))
    kind = payload.get("resourceType")
    if kind == "Observation":
        return [payload]
    if kind != "Bundle":
        raise FhirError(_("Kies een FHIR-bundel met Observations."))
    entries = payload.get("entry") or []
    if not isinstance(entries, list) or not entries:
        raise FhirError(_("De bundel is leeg."))
    if len(entries) > MAX_ENTRIES:
        raise FhirError(_("Te veel onderdelen: hoogstens %(max)d per bestand.") % {"max": MAX_ENTRIES})
    return [e.get("resource") if isinstance(e, dict) else None for e in entries]


def count_entries(text: str | dict) -> int:
    return len(load(text))


def _loinc_codes(concept) -> list[str]:
    if not isinstance(concept, dict):
        return []
    codings = concept.get("coding")
    if not isinstance(codings, list):
        return []
    return [
        c["code"]
        for c in codings
        if isinstance(c, dict) and c.get("system") == LOINC and isinstance(c.get("code"), str)
    ]


def _when(obs: dict) -> str | None:
    period = obs.get("effectivePeriod")
    raw = obs.get("effectiveDateTime") or obs.get("effectiveInstant")
    if raw is None and isinstance(period, dict):
        raw = period.get("start")
    return raw if isinstance(raw, str) else None


def parse_bundle(
    text: str | dict | list, *, tz: str = DEFAULT_TZ, start: int = 0, stop: int | None = None
) -> tuple[list[Entry], list[dict]]:
    """Entries and per-entry errors (``{"row": entry number, "column": id or code, "message"}``).

    ``start``/``stop`` select entries (for progress in chunks); numbering stays that of the file.
    """
    resources = load(text)
    entries: list[Entry] = []
    errors: list[dict] = []
    for index in range(start, len(resources) if stop is None else min(stop, len(resources))):
        obs = resources[index]
        number = index + 1

        def fail(message: str, column: str = "") -> None:
            errors.append({"row": number, "column": column, "message": message})  # noqa: B023

        if not isinstance(obs, dict) or obs.get("resourceType") != "Observation":
            fail(_("Onderdeel %(n)d is geen Observation.") % {"n": number})
            continue
        obs_id = str(obs.get("id") or "")[:150]
        status = obs.get("status") if isinstance(obs.get("status"), str) else ""
        if status not in ACCEPTED_STATUSES:
            fail(
                _("De status is ‘%(status)s’; alleen definitieve uitslagen worden ingelezen.")
                % {"status": status or "—"},
                obs_id,
            )
            continue
        raw_when = _when(obs)
        if raw_when is None:
            fail(_("Er staat geen tijdstip in (effectiveDateTime)."), obs_id)
            continue
        try:
            when = parse_timestamp(raw_when, tz)
        except TimestampError as exc:
            fail(str(exc), obs_id)
            continue
        own_codes = _loinc_codes(obs.get("code"))
        components = obs.get("component")
        if isinstance(components, list) and components and "valueQuantity" not in obs:
            parts = [p for p in components if isinstance(p, dict)]
        else:
            parts = [obs]
        found = 0
        for part in parts:
            codes = _loinc_codes(part.get("code"))
            code = next((catalogue.code_for_loinc(c) for c in codes if catalogue.code_for_loinc(c)), None)
            if code is None:
                if part is obs or BP_PANEL not in own_codes:
                    fail(
                        _("Koers kent deze LOINC-code niet (%(codes)s).") % {"codes": ", ".join(codes) or _("geen")},
                        obs_id,
                    )
                continue  # an unknown component of a known panel (e.g. mean arterial pressure)
            value, unit, problem = value_quantity(part.get("valueQuantity"))
            if problem:
                fail(problem[:1].upper() + problem[1:] + ".", obs_id)
                continue
            found += 1
            entries.append(
                Entry(
                    type=code,
                    value=value,
                    unit=unit or None,
                    effective_at=when,
                    key=f"{number}:{code}",
                    row=number,
                    column=obs_id or code,
                    external_id=f"{obs_id}#{code}" if obs_id and part is not obs else obs_id,
                )
            )
        if not found and not any(e["row"] == number for e in errors):
            fail(_("Er staat geen meting in die Koers kent."), obs_id)
    return entries, errors
