"""Importing a device export (CSV) or a FHIR Bundle: upload, choose the columns, queue, store.

Upload reads and checks the file enough to show the mapping (CSV) or to queue (FHIR); the
worker (``koers.monitoring.tasks.run_import``) checks every row with
``entry.entries_check`` and stores all of them in one transaction with ``import_store``, or
nothing.
"""

from __future__ import annotations

import codecs

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.monitoring import csvimport, fhirimport
from koers.monitoring.models import ImportBatch, Observation
from koers.monitoring.selectors import types_by_code
from koers.monitoring.services.entry import (
    LOGGED_ONE_BY_ONE,
    MEASUREMENTS,
    OBSERVATION,
    Checked,
    entries_check,
    store_checked,
)
from koers.people import attention

Action = access.Action
IMPORT = "monitoring.ImportBatch"
IMPORT_MAX_BYTES = 5 * 1024 * 1024
FILENAME_MAX = ImportBatch._meta.get_field("filename").max_length


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


def import_start(*, actor, person, kind: str, filename: str, content: bytes | str) -> ImportBatch:
    """Upload step: read and check the file enough to show the mapping (CSV) or to queue (FHIR).

    CSV: the header and a proposed mapping (``batch.mapping`` = the proposal until
    ``import_mapping_set``). FHIR: a JSON Bundle of Observations. Nothing is stored as observations here.
    """
    access.require(actor, person, MEASUREMENTS, Action.CREATE, object_type=IMPORT)
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
            created_by=actor,
        )
        access.record(actor, person, Action.CREATE, batch, detail=f"{kind} {total} rows")
    return batch


def _own_batch(actor, person, batch: ImportBatch, action: str) -> ImportBatch:
    access.require(actor, person, MEASUREMENTS, action, object_type=IMPORT, object_id=batch.pk)
    if batch.person_id != person.pk:
        access.refuse(
            actor, person_id=person.pk, category=MEASUREMENTS, action=action, object_type=IMPORT, object_id=batch.pk
        )
    return batch


def import_mapping_set(*, actor, person, batch: ImportBatch, mapping) -> ImportBatch:
    """Which column holds the time (or date and time), and which columns hold which type in which
    unit. Checked against the file's header and the person's types."""
    _own_batch(actor, person, batch, Action.UPDATE)
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
        access.record(actor, person, Action.UPDATE, locked, detail="mapping")
    batch.refresh_from_db()
    return batch


def import_queue(*, actor, person, batch: ImportBatch) -> ImportBatch:
    """Hand the import to the worker (``tasks.run_import``); the page then shows its progress."""
    # Inside the function: the task module checks and stores with this one (same app).
    from koers.monitoring import tasks

    _own_batch(actor, person, batch, Action.CREATE)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.UPLOADED:
            raise ValidationError(_("Deze import is al gestart."))
        if locked.kind == ImportBatch.Kind.CSV and not locked.mapping.get("chosen"):
            raise ValidationError(_("Kies eerst wat er in de kolommen staat."))
        locked.status = ImportBatch.Status.QUEUED
        locked.alive_at = timezone.now()
        locked.save(update_fields=["status", "alive_at"])
        access.record(actor, person, Action.UPDATE, locked, detail="queued")
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
    meta = Observation._meta
    fields = [meta.get_field(name) for name in INSERT_COLUMNS]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608  # nosec B608  # quoted model identifiers; values are parameters
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
    attention.rows_written("monitoring.Observation", [person.pk])  # no model signals on this path
    return len(params)


def import_store(*, batch: ImportBatch, checked: Checked) -> int:
    """The import's one write: all rows (the task holds the one transaction). Returns how many."""
    source = Observation.Source.CSV if batch.kind == ImportBatch.Kind.CSV else Observation.Source.FHIR
    actor, person = batch.created_by, batch.person
    if len(checked.rows) <= LOGGED_ONE_BY_ONE:
        return len(store_checked(actor=actor, person=person, rows=checked.rows, source=source, batch=batch))
    count = _insert_many(actor, person, checked.rows, source=source, batch=batch)
    access.record(
        actor, person, Action.CREATE, object_type=OBSERVATION, object_id=batch.pk,
        detail=f"{count} observations (import {batch.pk})",
    )  # fmt: skip
    return count


def observations_import_fhir(*, actor, person, resources: list) -> tuple[list[Observation], int]:
    """Store the self-measurements of FHIR Observations at once, without a batch (the FHIR API's
    transaction and batch Bundles, issue #15): the rules of the FHIR import page (``fhirimport``,
    ``entries_check`` with ``skip_same``) in one call. All or nothing: any problem raises a
    ValidationError naming it and nothing is stored. A value already stored at the same moment
    (same type and time, same value) is skipped, not stored twice. Returns (created rows, skipped)."""
    access.require(actor, person, MEASUREMENTS, Action.CREATE, object_type=OBSERVATION)
    try:
        entries, errors = fhirimport.parse_bundle(list(resources))
    except fhirimport.FhirError as exc:
        raise ValidationError(str(exc)) from None
    if errors:
        raise ValidationError([e["message"] for e in errors])
    checked = entries_check(person=person, entries=entries, on_existing="skip_same")
    if checked.errors:
        raise ValidationError([e["message"] for e in checked.errors])
    try:
        with transaction.atomic():
            created = store_checked(actor=actor, person=person, rows=checked.rows, source=Observation.Source.FHIR)
    except IntegrityError:
        # Someone stored a value at the same moment between our check and our insert.
        raise ValidationError(
            _("Op dit tijdstip is net een andere waarde opgeslagen. Er is niets bewaard; probeer het opnieuw.")
        ) from None
    return created, checked.skipped
