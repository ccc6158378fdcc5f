"""Reading FHIR R4 Observations into checked screening values: no database.

The FHIR JSON is read by the one Observation mapper (``koers.measurement.fhir``); this module keeps
what is the screening's own: its limits, the times it accepts (effectiveDateTime, the start of
effectivePeriod, else issued), its catalogue of LOINC codes, its checks and its words. Every
problem names its entry ("Onderdeel 3 (obs-17): …"); ``measurements_import_fhir`` in the services
writes the values only when there is none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from koers.lib.fhir import quantity_problem
from koers.measurement import fhir
from koers.screening import targets
from koers.screening.checks import clean_taken_at, clean_value

IMPORT_MAX_BYTES = 1_000_000
IMPORT_MAX_ENTRIES = 500


@dataclass(frozen=True)
class Reading:
    """One checked value to store: measure code, value in the canonical unit, moment, and the
    Observation id it came from (``id#measure`` for a panel's component; "" without an id)."""

    measure: str
    value: Decimal
    unit: str
    taken_at: dt.datetime
    external_id: str


def _observations(payload) -> list:
    """The Observations in a Bundle or a single Observation; ValidationError for anything else."""
    if isinstance(payload, (str, bytes)) and len(payload) > IMPORT_MAX_BYTES:
        raise ValidationError(_("Het bestand is te groot (hoogstens 1 MB)."))
    try:
        return fhir.bundle_resources(payload, max_entries=IMPORT_MAX_ENTRIES)
    except fhir.FhirError as exc:
        if exc.problem == fhir.Problem.NOT_JSON:
            raise ValidationError(_("Dit is geen geldige JSON. Plak een FHIR Observation of Bundle.")) from None
        if exc.problem == fhir.Problem.EMPTY_BUNDLE:
            raise ValidationError(_("De Bundle is leeg.")) from None
        if exc.problem == fhir.Problem.TOO_MANY:
            raise ValidationError(
                _("Te veel onderdelen: hoogstens %(max)d per keer.") % {"max": IMPORT_MAX_ENTRIES}
            ) from None
        raise ValidationError(_("Plak een FHIR Observation of een Bundle met Observations.")) from None


def _taken_at(obs: fhir.ObservationData, person) -> tuple[dt.datetime | None, list[str]]:
    """The moment of the values (effectiveDateTime, the start of effectivePeriod, else issued), checked;
    or the problems. A date that cannot be read or does not exist (30 February: Django's parsers
    raise ValueError on it) is a problem of the entry, never a crash."""
    raw = obs.effective_date_time or obs.effective_period_start or obs.issued
    if raw is None:
        return None, [_("er staat geen datum in")]
    try:
        when = parse_datetime(raw) or parse_date(raw)
    except ValueError:
        when = None
    if when is None:
        return None, [_("‘%(text)s’ is geen datum en tijd die Koers kan lezen.") % {"text": raw[:40]}]
    return clean_taken_at(person, when)


def _readings_of(obs: fhir.ObservationData, label: str, taken, problems: list[str], seen: set[str]) -> list[Reading]:
    """The values of one Observation's parts (its own value, or every component of a panel)."""
    found = []
    for part in obs.components if obs.components is not None else (obs.own,):
        m = next((t for t in map(targets.measure_for_loinc, part.codes) if t is not None), None)
        if m is None:
            problems.append(
                _("%(entry)s: Koers kent deze LOINC-code niet (%(codes)s).")
                % {"entry": label, "codes": ", ".join(part.codes) or _("geen LOINC-code")}
            )
            continue
        try:
            quantity = part.quantity(text_values=True)
        except fhir.FhirError as exc:
            problems.append(_("%(entry)s: %(problem)s.") % {"entry": label, "problem": quantity_problem(exc.problem)})
            continue
        _m, canonical, value_errors = clean_value(m.code, quantity.value, quantity.unit)
        if value_errors:
            problems.append(_("%(entry)s: %(problem)s") % {"entry": label, "problem": value_errors[0]})
            continue
        external_id = f"{obs.id}#{m.code}" if obs.id and part.component else obs.id
        if external_id:
            if external_id in seen:
                problems.append(_("%(entry)s: staat twee keer in het bestand.") % {"entry": label})
                continue
            seen.add(external_id)
        found.append(Reading(m.code, canonical, m.unit, taken, external_id))
    return found


def read(payload, *, person) -> tuple[list[Reading], list[str]]:
    """The checked values of a FHIR Observation or Bundle (JSON text or parsed), and the problems in
    plain words, each naming its entry. ValidationError when it is not a Bundle or Observation at all."""
    problems: list[str] = []
    readings: list[Reading] = []
    seen: set[str] = set()
    for index, resource in enumerate(_observations(payload), start=1):
        label = _("Onderdeel %(n)d") % {"n": index}
        try:
            obs = fhir.read_observation(resource)
        except fhir.FhirError:
            problems.append(_("%(entry)s: dit is geen Observation.") % {"entry": label})
            continue
        if obs.id:
            label = _("Onderdeel %(n)d (%(id)s)") % {"n": index, "id": obs.id}
        if not obs.final:
            problems.append(
                _("%(entry)s: de status is “%(status)s”; alleen definitieve uitslagen worden ingelezen.")
                % {"entry": label, "status": obs.status or "—"}
            )
            continue
        taken, date_errors = _taken_at(obs, person)
        if date_errors:
            problems.append(_("%(entry)s: %(problem)s") % {"entry": label, "problem": date_errors[0]})
            continue
        readings.extend(_readings_of(obs, label, taken, problems, seen))
    return readings, problems
