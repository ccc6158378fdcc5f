"""Writes of self-monitoring: observations, own items, targets, phases and imports.

The one place where monitoring state changes; every entry point (portal quick entry, diary
prompts, the professional's pages, the CSV/FHIR import task, the demo, tests) calls these.
Per docs/conventions.md: ``access.require`` outside the transaction, validate (a
``ValidationError`` in plain words; nothing written), then one atomic write with its log row.

Observations: a value is converted to the type's canonical unit, checked against the plausible
range (an impossible value is a typing or unit error, never a finding) and refused when the
person already has a value of that type at that moment. Errors are keyed per entry (the entry's
``key``, else its position), so that a form can put each message next to its field and an import
can name the row and column.

Targets and phases are the care team's work (the person reads them); own items (custom types)
are defined by the person or the care team.
"""

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.audit import log as audit_log
from koers.monitoring import catalogue
from koers.monitoring.entries import Entry
from koers.monitoring.models import ImportBatch, MeasurementType, Observation, Phase, Target

Action = access.Action
MEASUREMENTS = access.Category.MEASUREMENTS
OBSERVATION = "monitoring.Observation"
TYPE = "monitoring.MeasurementType"
TARGET = "monitoring.Target"
PHASE = "monitoring.Phase"
IMPORT = "monitoring.ImportBatch"

FUTURE_SLACK = dt.timedelta(minutes=5)
IMPORT_MAX_BYTES = 5 * 1024 * 1024
MAX_ENTRIES = 20_000  # per call outside an import (the quick entry sends a handful)
MAX_CUSTOM_TYPES = 30
NOTE_MAX = Observation._meta.get_field("note").max_length
NAME_MAX = MeasurementType._meta.get_field("name").max_length
ANCHOR_MAX = MeasurementType._meta.get_field("anchor_low").max_length
TARGET_NOTE_MAX = Target._meta.get_field("note").max_length
PHASE_LABEL_MAX = Phase._meta.get_field("label").max_length
PHASE_NOTE_MAX = Phase._meta.get_field("note").max_length
FILENAME_MAX = ImportBatch._meta.get_field("filename").max_length
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


def _too_long(limit: int) -> str:
    return _("Dit is te lang. Gebruik hoogstens %(max)d tekens.") % {"max": limit}


def _require_care_team(actor, person, action: str, object_type: str) -> None:
    """Targets and phases are written by the care team only (the person reads them)."""
    access.require(actor, person, MEASUREMENTS, action, object_type=object_type)
    if access.relationship_of(actor, person) != access.Relationship.CARE_TEAM:
        access.refuse(actor, person_id=person.pk, category=MEASUREMENTS, action=action, object_type=object_type)


def types_by_code(person) -> dict[str, MeasurementType]:
    """The active types this person may record: the catalogue and their own items."""
    from django.db.models import Q

    qs = MeasurementType.objects.filter(Q(person__isnull=True) | Q(person=person), active=True)
    return {t.code: t for t in qs}


def _resolve_type(person, raw, known: dict[str, MeasurementType]) -> MeasurementType | None:
    if isinstance(raw, MeasurementType):
        if raw.person_id not in (None, person.pk) or not raw.active:
            return None
        return known.get(raw.code) if raw.person_id is None else raw
    if isinstance(raw, str):
        return known.get(raw)
    return None


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M")


def check_entries(
    person, entries: Sequence[Entry], *, known=None, on_existing: str = "error", seen: dict | None = None
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
    born = (
        timezone.make_aware(dt.datetime.combine(person.birth_date, dt.time.min)).astimezone(dt.UTC)
        if person.birth_date
        else None
    )

    def error(entry: Entry, key: str, message: str) -> None:
        result.errors.append({"key": key, "row": entry.row, "column": entry.column, "message": message})

    for index, entry in enumerate(entries):
        key = entry.key or str(index)
        mtype = _resolve_type(person, entry.type, known)
        if mtype is None:
            error(entry, key, _("Koers kent deze meting niet (%(code)s).") % {"code": str(entry.type)[:40]})
            continue
        if mtype.pk not in rules:
            rules[mtype.pk] = (catalogue.label(mtype), catalogue.spec(mtype))
        name, spec = rules[mtype.pk]
        try:
            number = catalogue.to_number(entry.value)
        except ValueError:
            error(
                entry,
                key,
                _("%(name)s: ‘%(value)s’ is geen getal. Schrijf bijvoorbeeld 5,4.")
                % {"name": name, "value": str(entry.value)[:40]},
            )
            continue
        try:
            value = catalogue.to_canonical(spec, number, entry.unit)
        except catalogue.UnitError:
            error(
                entry,
                key,
                _("%(name)s: de eenheid ‘%(unit)s’ past hier niet. Gebruik: %(units)s.")
                % {
                    "name": name,
                    "unit": str(entry.unit)[:20],
                    "units": ", ".join(catalogue.input_unit_label(u) for u in catalogue.accepted_units(mtype)),
                },
            )
            continue
        if spec.integer and value != int(value):
            error(entry, key, _("%(name)s: vul een heel getal in, zonder punt of komma.") % {"name": name})
            continue
        if not spec.low <= value <= spec.high:
            error(
                entry,
                key,
                _(
                    "%(name)s: %(value)s %(unit)s kan niet kloppen. "
                    "Een waarde ligt tussen %(low)s en %(high)s. Klopt de eenheid?"
                )
                % {
                    "name": name,
                    "value": catalogue.fmt(value, max(spec.decimals, 1)),
                    "unit": catalogue.unit_label(mtype),
                    "low": catalogue.fmt(spec.low, spec.decimals),
                    "high": catalogue.fmt(spec.high, spec.decimals),
                },
            )
            continue
        when = entry.effective_at
        if not isinstance(when, dt.datetime):
            error(entry, key, _("%(name)s: vul een geldige datum en tijd in.") % {"name": name})
            continue
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        when = when.astimezone(dt.UTC).replace(microsecond=0)
        if when > now + FUTURE_SLACK:
            error(
                entry,
                key,
                _("%(name)s: het tijdstip %(when)s ligt in de toekomst.") % {"name": name, "when": _local(when)},
            )
            continue
        if born is not None and when < born:
            error(entry, key, _("%(name)s: het tijdstip ligt voor de geboortedatum.") % {"name": name})
            continue
        note = (entry.note or "").strip()
        if len(note) > NOTE_MAX:
            error(entry, key, _too_long(NOTE_MAX))
            continue
        if (mtype.pk, when) in seen:
            if on_existing == "skip_same" and seen[(mtype.pk, when)] == value:
                result.skipped += 1
            else:
                error(
                    entry,
                    key,
                    _("%(name)s: er staan twee waarden op hetzelfde tijdstip (%(when)s).")
                    % {"name": name, "when": _local(when)},
                )
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
    for entry, key, obs in candidates:
        stored = existing.get((obs.type_id, obs.effective_at))
        if stored is None:
            result.rows.append(obs)
        elif on_existing == "skip_same" and abs(stored - obs.value) < 1e-6:
            result.skipped += 1
        else:
            error(
                entry,
                key,
                _(
                    "%(name)s: op %(when)s staat al een waarde (%(stored)s). "
                    "Pas die aan in plaats van een tweede toe te voegen."
                )
                % {
                    "name": rules[obs.type_id][0],
                    "when": _local(obs.effective_at),
                    "stored": catalogue.fmt(stored, max(rules[obs.type_id][1].decimals, 1)),
                },
            )
    return result


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


def _store(
    actor, person, rows: list[Observation], *, source: str, batch: ImportBatch | None = None
) -> list[Observation]:
    """Insert checked rows (caller holds the transaction). bulk_create sets pks on both databases."""
    for obs in rows:
        obs.source = source
        obs.recorded_by = actor
        obs.batch = batch
    created = Observation.objects.bulk_create(rows, batch_size=1000)
    if created and created[0].pk is None:  # pragma: no cover - databases without RETURNING
        created = list(Observation.objects.filter(person=person, batch=batch)) if batch else created
    _log_created(actor, person, created, batch=batch)
    return created


def record_observations(user, person, entries: Iterable[Entry], *, source: str) -> list[Observation]:
    """Record values (quick entry, diary prompt, professional). All or nothing.

    Raises ValidationError keyed per entry (``Entry.key`` or its position) when any entry is
    wrong: unknown type, not a number, wrong unit, impossible value, time in the future, or a
    value already at that moment. Nothing is stored then.
    """
    access.require(user, person, MEASUREMENTS, Action.CREATE, object_type=OBSERVATION)
    if source not in Observation.Source.values:
        raise ValueError(f"unknown source {source!r}")
    entries = list(entries)
    if not entries:
        raise ValidationError(_("Vul minstens één waarde in."))
    if len(entries) > MAX_ENTRIES:
        raise ValidationError(_("Te veel waarden in één keer. Gebruik het importeren van een bestand."))
    checked = check_entries(person, entries)
    if checked.errors:
        raise checked.as_validation_error()
    for obs in checked.rows:  # callers read obs.type and obs.person without a query each
        obs.person = person
        obs.type = checked.types[obs.type_id]
    try:
        with transaction.atomic():
            return _store(user, person, checked.rows, source=source)
    except IntegrityError:
        # Someone stored a value at the same moment between our check and our insert.
        raise ValidationError(
            _("Op dit tijdstip is net een andere waarde opgeslagen. Er is niets bewaard; probeer het opnieuw.")
        ) from None


def correct_observation(
    user, observation: Observation, *, value, unit: str | None = None, note: str | None = None
) -> Observation:
    """Correct a value (typing error). The person and the care team may; the time stays."""
    person = observation.person
    access.require(user, person, MEASUREMENTS, Action.UPDATE, object_type=OBSERVATION, object_id=observation.pk)
    entry = Entry(type=observation.type, value=value, unit=unit, effective_at=observation.effective_at,
                  note=observation.note if note is None else note, key="value")  # fmt: skip
    # The value being corrected is itself "at that moment": only number/unit/range errors count.
    checked = check_entries(person, [entry], on_existing="ignore", known={observation.type.code: observation.type})
    if checked.errors:
        raise ValidationError({"value": [e["message"] for e in checked.errors]})
    number = checked.rows[0].value
    with transaction.atomic():
        locked = Observation.objects.select_for_update().get(pk=observation.pk)
        before = locked.value
        locked.value = round(number, 6)
        locked.note = (entry.note or "").strip()
        locked.save(update_fields=["value", "note"])
        access.record(user, person, Action.UPDATE, locked, detail=f"value {before:g} -> {locked.value:g}")
    return locked


def remove_observation(user, observation: Observation) -> None:
    """Remove a value entered by mistake (care team; the person corrects instead)."""
    person = observation.person
    access.require(user, person, MEASUREMENTS, Action.DELETE, object_type=OBSERVATION, object_id=observation.pk)
    with transaction.atomic():
        access.record(user, person, Action.DELETE, observation)
        observation.delete()


# --- own items -------------------------------------------------------------------------------


def define_custom_type(
    user, person, *, name: str, scale: str = MeasurementType.Scale.RATING, anchor_low: str = "", anchor_high: str = ""
) -> MeasurementType:
    """An own item that the person and professional define together ("how much did the voices
    bother me"), rated 0-10 (or 0-100 on a slider). Both the person and the care team may."""
    access.require(user, person, MEASUREMENTS, Action.CREATE, object_type=TYPE)
    errors: dict[str, list[str]] = {}
    name = " ".join((name or "").split())
    anchor_low, anchor_high = (anchor_low or "").strip(), (anchor_high or "").strip()
    if not name:
        errors["name"] = [_("Schrijf op wat u wilt bijhouden, bijvoorbeeld: Hoeveel last had ik van de stemmen?")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_too_long(NAME_MAX)]
    elif MeasurementType.objects.filter(person=person, active=True, name__iexact=name).exists():
        errors["name"] = [_("Deze vraag houdt u al bij.")]
    if scale not in (MeasurementType.Scale.RATING, MeasurementType.Scale.VAS):
        errors["scale"] = [_("Kies een schaal van 0 tot 10 of van 0 tot 100.")]
    for field_name, text in (("anchor_low", anchor_low), ("anchor_high", anchor_high)):
        if len(text) > ANCHOR_MAX:
            errors[field_name] = [_too_long(ANCHOR_MAX)]
    if not errors and MeasurementType.objects.filter(person=person, active=True).count() >= MAX_CUSTOM_TYPES:
        errors["name"] = [_("U houdt al %(max)d eigen vragen bij. Zet er eerst een stop.") % {"max": MAX_CUSTOM_TYPES}]
    if errors:
        raise ValidationError(errors)
    high = 10.0 if scale == MeasurementType.Scale.RATING else 100.0
    with transaction.atomic():
        mtype = MeasurementType.objects.create(
            code="custom-new",
            kind=MeasurementType.Kind.CUSTOM,
            scale=scale,
            unit=catalogue.SCORE_UNIT,
            plausible_low=0.0,
            plausible_high=high,
            decimals=0,
            higher_is_better=None,
            person=person,
            name=name,
            anchor_low=anchor_low,
            anchor_high=anchor_high,
            created_by=user,
        )
        mtype.code = f"custom-{mtype.pk}"
        mtype.save(update_fields=["code"])
        access.record(user, person, Action.CREATE, mtype)
    return mtype


def retire_custom_type(user, mtype: MeasurementType) -> MeasurementType:
    """Stop an own item: no longer asked or offered; its values stay and can still be seen."""
    person = mtype.person
    if person is None:
        raise ValidationError(_("Alleen eigen vragen kunnen worden gestopt."))
    access.require(user, person, MEASUREMENTS, Action.UPDATE, object_type=TYPE, object_id=mtype.pk)
    with transaction.atomic():
        mtype.active = False
        mtype.save(update_fields=["active"])
        access.record(user, person, Action.UPDATE, mtype, detail="retired")
    return mtype


# --- targets ---------------------------------------------------------------------------------


def _bound(raw, spec, errors, name) -> float | None:
    if raw in (None, ""):
        return None
    try:
        number = catalogue.to_number(raw)
    except ValueError:
        errors[name] = [_("Vul een getal in, bijvoorbeeld 5,4.")]
        return None
    if not spec.low <= number <= spec.high:
        errors[name] = [
            _("Dit getal kan niet kloppen voor deze meting (tussen %(low)s en %(high)s).")
            % {"low": catalogue.fmt(spec.low, spec.decimals), "high": catalogue.fmt(spec.high, spec.decimals)}
        ]
        return None
    return number


def set_target(
    user,
    person,
    type,
    *,
    low=None,
    high=None,
    signal_target: bool = False,
    signal_usual: bool = False,
    agreed_with_person: bool = False,
    note: str = "",
) -> Target:
    """What the professional and the person agreed about one type: a target range (either bound
    may be open) and whether values outside it, or far outside the usual, are signalled to the
    care team. Care team only; replaces an earlier agreement."""
    _require_care_team(user, person, Action.UPDATE, TARGET)
    mtype = _resolve_type(person, type, types_by_code(person))
    if mtype is None:
        raise ValidationError({"type": [_("Kies een meting.")]})
    spec = catalogue.spec(mtype)
    errors: dict[str, list[str]] = {}
    low_v = _bound(low, spec, errors, "low")
    high_v = _bound(high, spec, errors, "high")
    note = (note or "").strip()
    if len(note) > TARGET_NOTE_MAX:
        errors["note"] = [_too_long(TARGET_NOTE_MAX)]
    if not errors and low_v is not None and high_v is not None and low_v >= high_v:
        errors["low"] = [_("De ondergrens moet lager zijn dan de bovengrens.")]
    if not errors and low_v is None and high_v is None and not signal_usual:
        errors["high"] = [
            _("Vul een ondergrens, een bovengrens of allebei in, of laat weten bij waarden ver buiten het gewone.")
        ]
    if not errors and signal_target and low_v is None and high_v is None:
        errors["signal_target"] = [_("Zonder grens kan Koers niet laten weten wanneer een waarde erbuiten valt.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        target, _created = Target.objects.update_or_create(
            person=person,
            type=mtype,
            defaults={
                "low": low_v,
                "high": high_v,
                "signal_target": bool(signal_target),
                "signal_usual": bool(signal_usual),
                "agreed_with_person": bool(agreed_with_person),
                "note": note,
                "set_by": user,
            },
        )
        access.record(user, person, Action.UPDATE, target)
    return target


def remove_target(user, target: Target) -> None:
    person = target.person
    _require_care_team(user, person, Action.DELETE, TARGET)
    with transaction.atomic():
        access.record(user, person, Action.DELETE, target)
        target.delete()


# --- phases ----------------------------------------------------------------------------------


def add_phase(user, person, *, starts_on: dt.date, label: str, note: str = "", medication=None, decision=None) -> Phase:
    """Mark a change in treatment ("Start sertraline 50 mg"); the analysis compares before and
    after. Care team only. ``medication`` or ``decision`` (at most one): the person's own
    medication change or shared decision that the mark records; another person's record is
    refused exactly like one that does not exist."""
    _require_care_team(user, person, Action.CREATE, PHASE)
    errors: dict[str, list[str]] = {}
    label = " ".join((label or "").split())
    note = (note or "").strip()
    if not isinstance(starts_on, dt.date) or isinstance(starts_on, dt.datetime):
        errors["starts_on"] = [_("Vul een geldige datum in.")]
    elif starts_on > timezone.localdate() + dt.timedelta(days=366):
        errors["starts_on"] = [_("Kies een datum binnen een jaar vanaf vandaag.")]
    elif person.birth_date and starts_on < person.birth_date:
        errors["starts_on"] = [_("De datum ligt voor de geboortedatum.")]
    elif Phase.objects.filter(person=person, starts_on=starts_on).exists():
        errors["starts_on"] = [_("Op deze dag staat al een verandering. Kies een andere dag of pas die aan.")]
    if not label:
        errors["label"] = [_("Schrijf op wat er veranderde, bijvoorbeeld: Start met medicijn.")]
    elif len(label) > PHASE_LABEL_MAX:
        errors["label"] = [_too_long(PHASE_LABEL_MAX)]
    if len(note) > PHASE_NOTE_MAX:
        errors["note"] = [_too_long(PHASE_NOTE_MAX)]
    links, link_errors = _phase_links(user, person, medication=medication, decision=decision)
    if link_errors:
        errors["link"] = link_errors
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        phase = Phase.objects.create(
            person=person, starts_on=starts_on, label=label, note=note, created_by=user, **links
        )
        access.record(user, person, Action.CREATE, phase)
    return phase


def _phase_links(user, person, *, medication, decision) -> tuple[dict, list[str]]:
    """The records a mark may point at: this person's own, and only in categories the user may
    read. Anything else — missing, another person's, not readable — gets one and the same answer."""
    from koers.decisions.models import SharedDecision
    from koers.people.models import Medication

    if medication is not None and decision is not None:
        return {}, [_("Kies een medicijn óf een besluit, niet allebei.")]
    for name, model, category in (
        ("medication", Medication, access.Category.CLINICAL),
        ("decision", SharedDecision, access.Category.DECISIONS),
    ):
        wanted = medication if name == "medication" else decision
        if wanted is None:
            continue
        pk = getattr(wanted, "pk", wanted)
        found = (
            model.objects.filter(person=person, pk=pk).first()
            if access.can(user, person, category) and str(pk).isdigit()
            else None
        )
        if found is None:
            return {}, [_("Dit medicijn of besluit staat niet (meer) bij deze persoon. Kies er een uit de lijst.")]
        return {name: found}, []
    return {}, []


def remove_phase(user, phase: Phase) -> None:
    person = phase.person
    _require_care_team(user, person, Action.DELETE, PHASE)
    with transaction.atomic():
        access.record(user, person, Action.DELETE, phase)
        phase.delete()


# --- imports ---------------------------------------------------------------------------------


def decode_upload(content: bytes | str) -> str:
    """Text of an upload: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252
    (Excel on Windows).

    Refuses binary files (a NUL byte) and anything neither encoding can read, with a message.
    """
    if isinstance(content, str):
        text = content.removeprefix("\ufeff")
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError:
            raise ValidationError(
                _("Koers kan de tekens in dit bestand niet lezen. Sla het op als CSV in UTF-8 en probeer opnieuw.")
            ) from None
    else:
        if b"\x00" in content[:4096]:
            raise ValidationError(
                _("Dit lijkt geen tekstbestand. Sla het op als CSV (puntkomma- of kommagescheiden) en probeer opnieuw.")
            )
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("cp1252")
            except UnicodeDecodeError:
                raise ValidationError(
                    _("Koers kan de tekens in dit bestand niet lezen. Sla het op als CSV in UTF-8 en probeer opnieuw.")
                ) from None
    if "\x00" in text:
        raise ValidationError(_("Dit lijkt geen tekstbestand. Sla het op als CSV en probeer opnieuw."))
    return text


def start_import(user, person, *, kind: str, filename: str, content: bytes | str) -> ImportBatch:
    """Upload step: read and check the file enough to show the mapping (CSV) or to queue (FHIR).

    CSV: the header and a proposed mapping (``batch.mapping`` = the proposal until
    ``set_mapping``). FHIR: a JSON Bundle of Observations. Nothing is stored as observations here.
    """
    from koers.monitoring import csvimport, fhirimport

    access.require(user, person, MEASUREMENTS, Action.CREATE, object_type=IMPORT)
    if kind not in ImportBatch.Kind.values:
        raise ValidationError({"kind": [_("Kies CSV of FHIR.")]})
    size = len(content.encode("utf-8") if isinstance(content, str) else content)
    if size == 0:
        raise ValidationError({"file": [_("Het bestand is leeg.")]})
    if size > IMPORT_MAX_BYTES:
        raise ValidationError({"file": [_("Het bestand is te groot (hoogstens 5 MB). Splits het in delen.")]})
    try:
        text = decode_upload(content)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    filename = (filename or "").strip()[:FILENAME_MAX]
    mapping: dict = {}
    if kind == ImportBatch.Kind.CSV:
        try:
            table = csvimport.read_table(text)
        except csvimport.CsvError as exc:
            raise ValidationError({"file": [str(exc)]}) from None
        total = len(table.rows)
        proposal = csvimport.propose_mapping(table.header, types_by_code(person).values(), sample=table.rows[:20])
        mapping = {"proposed": proposal.as_dict(), "header": table.header, "delimiter": table.delimiter}
    else:
        try:
            total = fhirimport.count_entries(text)
        except fhirimport.FhirError as exc:
            raise ValidationError({"file": [str(exc)]}) from None
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            person=person,
            kind=kind,
            filename=filename,
            content=text,
            mapping=mapping,
            total_rows=total,
            created_by=user,
        )
        access.record(user, person, Action.CREATE, batch, detail=f"{kind} {total} rows")
    return batch


def _own_batch(user, person, batch: ImportBatch, action: str) -> ImportBatch:
    access.require(user, person, MEASUREMENTS, action, object_type=IMPORT, object_id=batch.pk)
    if batch.person_id != person.pk:
        access.refuse(
            user, person_id=person.pk, category=MEASUREMENTS, action=action, object_type=IMPORT, object_id=batch.pk
        )
    return batch


def set_mapping(user, person, batch: ImportBatch, mapping) -> ImportBatch:
    """Which column holds the time (or date and time), and which columns hold which type in which
    unit. Checked against the file's header and the person's types."""
    from koers.monitoring import csvimport

    _own_batch(user, person, batch, Action.UPDATE)
    if batch.kind != ImportBatch.Kind.CSV:
        raise ValidationError(_("Alleen bij een CSV-bestand kiest u de kolommen."))
    if batch.status != ImportBatch.Status.UPLOADED:
        raise ValidationError(_("Deze import is al gestart."))
    if not isinstance(mapping, csvimport.Mapping):
        try:
            mapping = csvimport.Mapping.from_dict(mapping)
        except (KeyError, TypeError, ValueError):
            raise ValidationError(_("Kies voor elke kolom wat erin staat.")) from None
    header = batch.mapping.get("header") or []
    problems = csvimport.check_mapping(mapping, header, types_by_code(person))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        locked.mapping = {**locked.mapping, "chosen": mapping.as_dict()}
        locked.save(update_fields=["mapping"])
        access.record(user, person, Action.UPDATE, locked, detail="mapping")
    batch.refresh_from_db()
    return batch


def queue_import(user, person, batch: ImportBatch) -> ImportBatch:
    """Hand the import to the worker (``tasks.run_import``); the page then shows its progress."""
    from koers.monitoring import tasks

    _own_batch(user, person, batch, Action.CREATE)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.UPLOADED:
            raise ValidationError(_("Deze import is al gestart."))
        if locked.kind == ImportBatch.Kind.CSV and not locked.mapping.get("chosen"):
            raise ValidationError(_("Kies eerst wat er in de kolommen staat."))
        locked.status = ImportBatch.Status.QUEUED
        locked.save(update_fields=["status"])
        access.record(user, person, Action.UPDATE, locked, detail="queued")
    # After the commit, so a worker never sees the batch still 'uploaded'.
    tasks.run_import.enqueue(batch.pk)
    batch.refresh_from_db()
    return batch


INSERT_CHUNK = 5000
INSERT_COLUMNS = ("person", "type", "value", "effective_at", "source", "batch", "external_id", "note", "recorded_by",
                  "recorded_at")  # fmt: skip


def _insert_many(actor, person, rows: list[Observation], *, source: str, batch: ImportBatch) -> int:
    """Insert many checked rows with one ``executemany`` (caller holds the transaction).

    The import path: the same columns ``bulk_create`` would write, without building an INSERT
    per ~100 rows with Django's per-value preparation (3x faster for a year of diary data). A
    value already stored at a moment raises IntegrityError (the unique constraint) like
    ``bulk_create`` would.
    """
    from django.db import connection

    meta = Observation._meta
    fields = [meta.get_field(name) for name in INSERT_COLUMNS]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - quoted model identifiers; values are parameters
        quote(meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    adapt = connection.ops.adapt_datetimefield_value
    now = adapt(timezone.now())
    params = [
        (person.pk, o.type_id, o.value, adapt(o.effective_at), source, batch.pk, o.external_id, o.note, actor.pk, now)
        for o in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), INSERT_CHUNK):
            cursor.executemany(sql, params[start : start + INSERT_CHUNK])
    return len(params)


def store_import(batch: ImportBatch, checked: Checked) -> int:
    """The import's one write: all rows (the task holds the one transaction). Returns how many."""
    source = Observation.Source.CSV if batch.kind == ImportBatch.Kind.CSV else Observation.Source.FHIR
    actor, person = batch.created_by, batch.person
    if len(checked.rows) <= LOGGED_ONE_BY_ONE:
        return len(_store(actor, person, checked.rows, source=source, batch=batch))
    count = _insert_many(actor, person, checked.rows, source=source, batch=batch)
    access.record(
        actor, person, Action.CREATE, object_type=OBSERVATION, object_id=batch.pk,
        detail=f"{count} observations (import {batch.pk})",
    )  # fmt: skip
    return count
