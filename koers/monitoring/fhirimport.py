"""Reading FHIR R4 Observation bundles into entries: pure, no database.

The FHIR JSON is read by the one Observation mapper (``koers.measurement.fhir``); this module
keeps what is self-monitoring's own: which codes and times it accepts and how problems are worded.

Accepted: a Bundle of Observations (or one Observation) with a LOINC code Koers knows (its own
code or an accepted alternative, ``koers.monitoring.catalogue.code_for_loinc``), a
``valueQuantity`` in UCUM (the UCUM ``code`` is preferred over the display ``unit``), and a time
(``effectiveDateTime``, ``effectiveInstant`` or the start of ``effectivePeriod``). A blood-pressure
panel (85354-9, or any Observation with components and no value of its own) gives one entry per
known component. Only final results are read (``final``, ``amended``, ``corrected``). Every
problem names its entry ("Onderdeel 3 (obs-17)"); the import task stores nothing when there is one.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from koers.lib.fhir import quantity_problem
from koers.measurement import fhir
from koers.monitoring import catalogue
from koers.monitoring.entries import Entry
from koers.monitoring.timestamps import DEFAULT_TZ, TimestampError, parse_timestamp

LOINC = fhir.LOINC
BP_PANEL = fhir.BP_PANEL
ACCEPTED_STATUSES = fhir.FINAL_STATUSES
MAX_ENTRIES = 100_000


class FhirError(ValueError):
    """Not a Bundle of Observations at all; str() is a message for the person."""


def _bundle_message(error: fhir.FhirError) -> str:
    if error.problem == fhir.Problem.NOT_JSON:
        return _("Dit is geen geldige JSON. Kies een FHIR-bundel met Observations.")
    if error.problem == fhir.Problem.EMPTY_BUNDLE:
        return _("De bundel is leeg.")
    if error.problem == fhir.Problem.TOO_MANY:
        return _("Te veel onderdelen: hoogstens %(max)d per bestand.") % {"max": MAX_ENTRIES}
    return _("Kies een FHIR-bundel met Observations.")


def load(text: str | dict | list) -> list:
    """The Observation resources of a Bundle (or a single Observation), in order. A list is
    taken as resources already loaded."""
    if isinstance(text, list):
        return text
    try:
        return fhir.bundle_resources(text, max_entries=MAX_ENTRIES)
    except fhir.FhirError as exc:
        raise FhirError(_bundle_message(exc)) from None


def count_entries(text: str | dict) -> int:
    return len(load(text))


def _entries_of(obs: fhir.ObservationData, number: int, when, fail) -> list[Entry]:
    """One entry per part with a known LOINC code; an unknown component of a blood-pressure panel
    (e.g. mean arterial pressure) is passed over, any other unknown code is a problem."""
    entries = []
    for part in obs.parts():
        code = next((found for found in map(catalogue.code_for_loinc, part.codes) if found), None)
        if code is None:
            if not part.component or not obs.is_panel:
                fail(
                    _("Koers kent deze LOINC-code niet (%(codes)s).") % {"codes": ", ".join(part.codes) or _("geen")},
                    obs.id,
                )
            continue
        try:
            quantity = part.quantity()
        except fhir.FhirError as exc:
            problem = quantity_problem(exc.problem)
            fail(problem[:1].upper() + problem[1:] + ".", obs.id)
            continue
        entries.append(
            Entry(
                type=code,
                value=quantity.value,
                unit=quantity.unit or None,
                effective_at=when,
                key=f"{number}:{code}",
                row=number,
                column=obs.id or code,
                external_id=f"{obs.id}#{code}" if obs.id and part.component else obs.id,
            )
        )
    return entries


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
        number = index + 1

        def fail(message: str, column: str = "") -> None:
            errors.append({"row": number, "column": column, "message": message})  # noqa: B023

        try:
            obs = fhir.read_observation(resources[index])
        except fhir.FhirError:
            fail(_("Onderdeel %(n)d is geen Observation.") % {"n": number})
            continue
        if not obs.final:
            fail(
                _("De status is ‘%(status)s’; alleen definitieve uitslagen worden ingelezen.")
                % {"status": obs.status or "—"},
                obs.id,
            )
            continue
        if obs.effective is None:
            fail(_("Er staat geen tijdstip in (effectiveDateTime)."), obs.id)
            continue
        try:
            when = parse_timestamp(obs.effective, tz)
        except TimestampError as exc:
            fail(str(exc), obs.id)
            continue
        found = _entries_of(obs, number, when, fail)
        entries.extend(found)
        if not found and not any(e["row"] == number for e in errors):
            fail(_("Er staat geen meting in die Koers kent."), obs.id)
    return entries, errors
