"""Checking and recording values: the one path every new value takes.

Quick entry, diary prompts, the professional's entry page, the import task, the demo and tests
all come here. A value is converted to the type's canonical unit, checked against the plausible
range (an impossible value is a typing or unit error, never a finding) and refused when the
person already has a value of that type at that moment. Errors are keyed per entry (the entry's
``key``, else its position), so that a form can put each message next to its field and an
import can name the row and column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.audit import log as audit_log
from koers.lib.dates import moment_text
from koers.monitoring import catalogue
from koers.monitoring.entries import Entry
from koers.monitoring.models import ImportBatch, MeasurementType, Observation
from koers.monitoring.selectors import types_by_code
from koers.people import attention

Action = access.Action
MEASUREMENTS = access.Category.MEASUREMENTS
OBSERVATION = "monitoring.Observation"

FUTURE_SLACK = dt.timedelta(minutes=5)
MAX_ENTRIES = 20_000  # per call outside an import (the quick entry sends a handful)
NOTE_MAX = Observation._meta.get_field("note").max_length
LOGGED_ONE_BY_ONE = 50  # more observations than this in one call get one log row with a count


@dataclass
class Checked:
    """The outcome of checking entries: rows ready to store, errors, and entries already stored."""

    rows: list[Observation] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # {"key", "row", "column", "message"}
    skipped: int = 0
    types: dict[int, MeasurementType] = field(default_factory=dict)  # the types of ``rows`` by pk

    def as_validation_error(self) -> ValidationError:
        by_key: dict[str, list[str]] = {}
        for e in self.errors:
            by_key.setdefault(e["key"], []).append(e["message"])
        return ValidationError(by_key)


def too_long(limit: int) -> str:
    return _("Dit is te lang. Gebruik hoogstens %(max)d tekens.") % {"max": limit}


def resolve_type(person, raw, known: dict[str, MeasurementType]) -> MeasurementType | None:
    """A type this person may record (the catalogue's or their own, active) from an object or a code."""
    if isinstance(raw, MeasurementType):
        if raw.person_id not in (None, person.pk) or not raw.active:
            return None
        return known.get(raw.code) if raw.person_id is None else raw
    if isinstance(raw, str):
        return known.get(raw)
    return None


def _local(moment: dt.datetime) -> str:
    return moment_text(moment)


def _value(entry: Entry, mtype: MeasurementType, name: str, spec: catalogue.Spec) -> tuple[float | None, str]:
    """The entry's value in the type's canonical unit, or None and what is wrong with it: not a
    number, a unit the type does not accept, not whole where it must be, outside the plausible range."""
    try:
        number = catalogue.to_number(entry.value)
    except ValueError:
        return None, _("%(name)s: ‘%(value)s’ is geen getal. Schrijf bijvoorbeeld 5,4.") % {
            "name": name,
            "value": str(entry.value)[:40],
        }
    try:
        value = catalogue.to_canonical(spec, number, entry.unit)
    except catalogue.UnitError:
        return None, _("%(name)s: de eenheid ‘%(unit)s’ past hier niet. Gebruik: %(units)s.") % {
            "name": name,
            "unit": str(entry.unit)[:20],
            "units": ", ".join(catalogue.input_unit_label(u) for u in catalogue.accepted_units(mtype)),
        }
    if spec.integer and value != int(value):
        return None, _("%(name)s: vul een heel getal in, zonder punt of komma.") % {"name": name}
    if not spec.low <= value <= spec.high:
        return None, _(
            "%(name)s: %(value)s %(unit)s kan niet kloppen. "
            "Een waarde ligt tussen %(low)s en %(high)s. Klopt de eenheid?"
        ) % {
            "name": name,
            "value": catalogue.fmt(value, max(spec.decimals, 1)),
            "unit": catalogue.unit_label(mtype),
            "low": catalogue.fmt(spec.low, spec.decimals),
            "high": catalogue.fmt(spec.high, spec.decimals),
        }
    return value, ""


def _moment(entry: Entry, name: str, now: dt.datetime, born: dt.datetime | None) -> tuple[dt.datetime | None, str]:
    """The entry's moment in UTC to the second, or None and what is wrong with it: not a date and
    time, in the future, before the birth date."""
    when = entry.effective_at
    if not isinstance(when, dt.datetime):
        return None, _("%(name)s: vul een geldige datum en tijd in.") % {"name": name}
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    when = when.astimezone(dt.UTC).replace(microsecond=0)
    if when > now + FUTURE_SLACK:
        return None, _("%(name)s: het tijdstip %(when)s ligt in de toekomst.") % {"name": name, "when": _local(when)}
    if born is not None and when < born:
        return None, _("%(name)s: het tijdstip ligt voor de geboortedatum.") % {"name": name}
    return when, ""


def _error(result: Checked, entry: Entry, key: str, message: str) -> None:
    result.errors.append({"key": key, "row": entry.row, "column": entry.column, "message": message})


def entries_check(
    *, person, entries: Sequence[Entry], known=None, on_existing: str = "error", seen: dict | None = None
) -> Checked:
    """Check every entry; build unsaved Observations for the good ones (no database writes).

    ``on_existing``: what an existing value at the same moment means — ``"error"`` (manual entry:
    there is already a value then), or ``"skip_same"`` (imports: the identical value is counted as
    skipped, a different one is an error), or ``"ignore"`` (correcting the stored value itself).
    ``seen`` carries the moments already checked across calls (an import checks its rows in
    chunks).
    """
    known = types_by_code(person) if known is None else known
    result = Checked()
    now = timezone.now()
    seen = {} if seen is None else seen  # (type pk, moment) -> value
    candidates: list[tuple[Entry, str, Observation]] = []
    rules: dict[int, tuple[str, catalogue.Spec]] = {}  # per type: its name and checking rules
    born = _born(person)
    for index, entry in enumerate(entries):
        key = entry.key or str(index)
        mtype = resolve_type(person, entry.type, known)
        if mtype is None:
            _error(result, entry, key, _("Koers kent deze meting niet (%(code)s).") % {"code": str(entry.type)[:40]})
            continue
        if mtype.pk not in rules:
            rules[mtype.pk] = (catalogue.label(mtype), catalogue.spec(mtype))
        name, spec = rules[mtype.pk]
        fields, problem = _fields(entry, mtype, name, spec, now, born)
        if fields is None:
            _error(result, entry, key, problem)
            continue
        value, when, note = fields
        if (mtype.pk, when) in seen:
            if on_existing == "skip_same" and seen[(mtype.pk, when)] == value:
                result.skipped += 1
            else:
                message = _("%(name)s: er staan twee waarden op hetzelfde tijdstip (%(when)s).")
                _error(result, entry, key, message % {"name": name, "when": _local(when)})
            continue
        seen[(mtype.pk, when)] = value
        obs = Observation(
            person_id=person.pk,  # ids, not instances: assigning relations costs more than the rest
            type_id=mtype.pk,
            value=round(value, 6),
            effective_at=when,
            note=note,
            external_id=(entry.external_id or "")[:200],
        )
        candidates.append((entry, key, obs))
        result.types[mtype.pk] = mtype
    existing = {} if on_existing == "ignore" else _existing_values(person, [obs for _e, _k, obs in candidates])
    _against_stored(result, candidates, existing, rules, on_existing)
    return result


def _born(person) -> dt.datetime | None:
    """The start of the person's day of birth (UTC): no value can be from before it."""
    if not person.birth_date:
        return None
    return timezone.make_aware(dt.datetime.combine(person.birth_date, dt.time.min)).astimezone(dt.UTC)


def _fields(
    entry: Entry, mtype: MeasurementType, name: str, spec: catalogue.Spec, now: dt.datetime, born: dt.datetime | None
) -> tuple[tuple[float, dt.datetime, str] | None, str]:
    """((value, moment, note), "") of one entry, or (None, the first thing wrong with it): its
    value, then its moment, then the note's length."""
    value, problem = _value(entry, mtype, name, spec)
    if value is None:
        return None, problem
    when, problem = _moment(entry, name, now, born)
    if when is None:
        return None, problem
    note = (entry.note or "").strip()
    if len(note) > NOTE_MAX:
        return None, too_long(NOTE_MAX)
    return (value, when, note), ""


def _against_stored(result: Checked, candidates, existing: dict, rules: dict, on_existing: str) -> None:
    """Keep the checked rows with no value stored at their moment; an identical stored value is
    skipped on import, anything else is an error."""
    for entry, key, obs in candidates:
        stored = existing.get((obs.type_id, obs.effective_at))
        if stored is None:
            result.rows.append(obs)
        elif on_existing == "skip_same" and abs(stored - obs.value) < 1e-6:
            result.skipped += 1
        else:
            message = _(
                "%(name)s: op %(when)s staat al een waarde (%(stored)s). "
                "Pas die aan in plaats van een tweede toe te voegen."
            )
            name, spec = rules[obs.type_id]
            _error(
                result,
                entry,
                key,
                message
                % {
                    "name": name,
                    "when": _local(obs.effective_at),
                    "stored": catalogue.fmt(stored, max(spec.decimals, 1)),
                },
            )


def _existing_values(person, rows: list[Observation]) -> dict[tuple[int, dt.datetime], float]:
    """Values already stored at the moments of these rows (per type), read in a few queries."""
    if not rows:
        return {}
    found: dict[tuple[int, dt.datetime], float] = {}
    by_type: dict[int, list[dt.datetime]] = {}
    for obs in rows:
        by_type.setdefault(obs.type_id, []).append(obs.effective_at)
    for type_id, moments in by_type.items():
        low, high = min(moments), max(moments)
        wanted = set(moments)
        qs = Observation.objects.filter(person=person, type_id=type_id, effective_at__gte=low, effective_at__lte=high)
        for when, value in qs.values_list("effective_at", "value").iterator(chunk_size=2000):
            when = when.astimezone(dt.UTC)
            if when in wanted:
                found[(type_id, when)] = value
    return found


def _log_created(actor, person, rows: list[Observation], *, batch: ImportBatch | None = None) -> None:
    if len(rows) <= LOGGED_ONE_BY_ONE:
        audit_log.record_many(
            audit_log.build_entry(
                user=actor, action=Action.CREATE, person=person, object_type=OBSERVATION, object_id=o.pk
            )
            for o in rows
        )
    else:
        access.record(
            actor,
            person,
            Action.CREATE,
            object_type=OBSERVATION,
            object_id=batch.pk if batch else "",
            detail=f"{len(rows)} observations" + (f" (import {batch.pk})" if batch else ""),
        )


def store_checked(
    *, actor, person, rows: list[Observation], source: str, batch: ImportBatch | None = None
) -> list[Observation]:
    """Insert checked rows (caller holds the transaction). bulk_create sets pks on both databases."""
    for obs in rows:
        obs.source = source
        obs.recorded_by = actor
        obs.batch = batch
    created = Observation.objects.bulk_create(rows, batch_size=1000)
    attention.rows_written("monitoring.Observation", [person.pk])  # bulk_create sends no signals
    if created and created[0].pk is None:  # pragma: no cover - databases without RETURNING
        created = list(Observation.objects.filter(person=person, batch=batch)) if batch else created
    _log_created(actor, person, created, batch=batch)
    return created


def observations_record(*, actor, person, entries: Iterable[Entry], source: str) -> list[Observation]:
    """Record values (quick entry, diary prompt, professional). All or nothing.

    Raises ValidationError keyed per entry (``Entry.key`` or its position) when any entry is
    wrong: unknown type, not a number, wrong unit, impossible value, time in the future, or a
    value already at that moment. Nothing is stored then.
    """
    access.require(actor, person, MEASUREMENTS, Action.CREATE, object_type=OBSERVATION)
    if source not in Observation.Source.values:
        raise ValueError(f"unknown source {source!r}")
    entries = list(entries)
    if not entries:
        raise ValidationError(_("Vul minstens één waarde in."))
    if len(entries) > MAX_ENTRIES:
        raise ValidationError(_("Te veel waarden in één keer. Gebruik het importeren van een bestand."))
    checked = entries_check(person=person, entries=entries)
    if checked.errors:
        raise checked.as_validation_error()
    for obs in checked.rows:  # callers read obs.type and obs.person without a query each
        obs.person = person
        obs.type = checked.types[obs.type_id]
    try:
        with transaction.atomic():
            return store_checked(actor=actor, person=person, rows=checked.rows, source=source)
    except IntegrityError:
        # Someone stored a value at the same moment between our check and our insert.
        raise ValidationError(
            _("Op dit tijdstip is net een andere waarde opgeslagen. Er is niets bewaard; probeer het opnieuw.")
        ) from None
