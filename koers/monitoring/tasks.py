"""The import task (django-tasks): check every row, then store all of it in one transaction, or nothing.

``run_import(batch_id)`` is queued by ``services.import_queue``. Rows are read and checked in
chunks of ``CHUNK`` rows; after each chunk ``processed_rows`` is written *outside* the final
transaction, so that the progress page can show how far it is. When any row has a problem the
batch ends ``failed`` with the problems per row (row number, column, message) and no observation
is stored. Otherwise all observations are written in one transaction together with the batch's
``done`` status. Importing the same export again: an identical value at a moment already in
Koers is counted as skipped; a different value at that moment is a row error. The uploaded
content is emptied when the import has finished, either way.

A worker killed mid-run does not lose the import: each run claims the next ``attempt`` and stores
only while the batch is still on that attempt, and ``resume_stale_imports`` (with every scheduler
sweep, ``imports_resume``) queues a batch that has shown no sign of life for ``RESUME_AFTER`` again, up to
``MAX_ATTEMPTS`` runs (docs/monitoring.md).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from koers import access
from koers.accounts.language import language_of
from koers.lib import lost_work
from koers.monitoring import csvimport, fhirimport, selectors
from koers.monitoring.models import ImportBatch
from koers.monitoring.services import entry, imports

logger = logging.getLogger(__name__)

CHUNK = 500
MAX_STORED_ERRORS = 1000
Status = ImportBatch.Status


ENDED_ELSEWHERE = {"status": "ended elsewhere"}  # the batch moved on to another run, which ends it


class _Ended(Exception):
    """The batch was no longer running when its values were about to be stored."""


@task()
def run_import(batch_id: int) -> dict:
    """Background entry point; see ``process``."""
    return process(batch_id)


def _general(message: str) -> list[dict]:
    """A problem with the whole file rather than one row."""
    return [{"row": 0, "column": "", "message": message}]


def _progress(batch: ImportBatch, processed: int) -> None:
    lost_work.this_run(batch).update(processed_rows=processed, alive_at=timezone.now())


def _fail(batch: ImportBatch, errors: list[dict], processed: int | None = None) -> dict:
    ordered = sorted(errors, key=lambda e: (e.get("row") or 0, e.get("column") or ""))
    stored = [{"row": e.get("row") or 0, "column": e.get("column") or "", "message": e["message"]} for e in ordered]
    if len(stored) > MAX_STORED_ERRORS:
        rest = len(stored) - MAX_STORED_ERRORS
        stored = stored[:MAX_STORED_ERRORS] + [
            {"row": 0, "column": "", "message": _("En nog %(n)d andere problemen.") % {"n": rest}}
        ]
    ended = lost_work.this_run(batch).update(
        status=Status.FAILED,
        errors=stored,
        imported=0,
        content="",
        finished_at=timezone.now(),
        **({"processed_rows": processed} if processed is not None else {}),
    )
    if not ended:
        return ENDED_ELSEWHERE
    return {"status": Status.FAILED, "errors": len(errors)}


def process(batch_id: int) -> dict:
    """Run one queued import to its end (done or failed). Safe to call twice: only a queued
    batch is claimed."""
    batch, claimed = lost_work.claim(
        ImportBatch.objects.select_related("person", "created_by"), batch_id, processed_rows=0
    )
    if not claimed:
        return {"status": "not queued"}
    with override(language_of(batch.created_by)):
        try:
            return _run(batch)
        except Exception:  # never leave a batch 'running' with the upload in it
            logger.exception("monitoring import %s failed", batch_id)
            return _fail(
                batch,
                _general(_("Er ging iets mis bij het verwerken. Er is niets bewaard.")),
            )


class _Unreadable(Exception):
    """The file or its chosen columns cannot be read: the batch fails with these errors."""

    def __init__(self, errors: list[dict]):
        super().__init__()
        self.errors = errors


def _run(batch: ImportBatch) -> dict:
    person, actor = batch.person, batch.created_by
    try:
        access.require(actor, person, access.Category.MEASUREMENTS, access.Action.CREATE, object_type=imports.IMPORT)
    except access.NotFound:
        return _fail(batch, _general(_("U mag voor deze persoon geen metingen meer toevoegen.")))
    known = selectors.types_by_code(person)
    try:
        total, chunk = _reader(batch, known)
    except _Unreadable as exc:
        return _fail(batch, exc.errors)
    if total != batch.total_rows:
        ImportBatch.objects.filter(pk=batch.pk).update(total_rows=total)
    checked, errors = _check_all(batch, known, total, chunk)
    if errors:
        return _fail(batch, errors, processed=total)
    if not checked.rows and not checked.skipped:
        return _fail(batch, _general(_("In de gekozen kolommen staan geen waarden.")), total)
    return _store_all(batch, checked, total)


def _reader(batch: ImportBatch, known: dict):
    """How many rows the file has, and a function that reads the rows from ``start`` (a chunk) as
    entries and row errors. Raises ``_Unreadable`` when the file or the chosen columns cannot be read."""
    if batch.kind == ImportBatch.Kind.CSV:
        try:
            table = csvimport.read_table(batch.content)
            mapping = csvimport.Mapping.from_dict(batch.mapping["chosen"])
        except csvimport.CsvError as exc:
            raise _Unreadable([{"row": 0, "column": "", "message": str(exc)}]) from None
        except (KeyError, TypeError, ValueError):
            raise _Unreadable(_general(_("Kies eerst wat er in de kolommen staat."))) from None
        problems = csvimport.check_mapping(mapping, table.header, known)
        if problems:
            raise _Unreadable([{"row": 0, "column": "", "message": p} for p in problems])

        def csv_chunk(start: int):
            return csvimport.parse_rows(table, mapping, start=start, stop=start + CHUNK)

        return len(table.rows), csv_chunk
    try:
        resources = fhirimport.load(batch.content)
    except fhirimport.FhirError as exc:
        raise _Unreadable([{"row": 0, "column": "", "message": str(exc)}]) from None

    def fhir_chunk(start: int):
        return fhirimport.parse_bundle(resources, start=start, stop=start + CHUNK)

    return len(resources), fhir_chunk


def _check_all(batch: ImportBatch, known: dict, total: int, chunk) -> tuple[entry.Checked, list[dict]]:
    """Check every row, chunk by chunk, writing the progress after each chunk (outside the final
    transaction, so the progress page can show it)."""
    seen: dict = {}
    checked = entry.Checked()
    errors: list[dict] = []
    for start in range(0, total, CHUNK):
        entries, row_errors = chunk(start)
        errors.extend(row_errors)
        part = entry.entries_check(
            person=batch.person, entries=entries, known=known, on_existing="skip_same", seen=seen
        )
        errors.extend(part.errors)
        checked.rows.extend(part.rows)
        checked.skipped += part.skipped
        _progress(batch, min(start + CHUNK, total))
    return checked, errors


def _store_all(batch: ImportBatch, checked: entry.Checked, total: int) -> dict:
    """Store every checked row and end the batch ``done`` in one transaction, or store nothing."""
    try:
        with transaction.atomic():
            created = imports.import_store(batch=batch, checked=checked)  # how many
            finished = lost_work.this_run(batch).update(
                status=Status.DONE,
                imported=created,
                skipped=checked.skipped,
                processed_rows=total,
                errors=[],
                content="",
                finished_at=timezone.now(),
            )
            if not finished:  # ended or run again meanwhile (imports_resume): store nothing
                raise _Ended
    except _Ended:
        return ENDED_ELSEWHERE
    except IntegrityError:
        return _fail(
            batch,
            [
                {
                    "row": 0,
                    "column": "",
                    "message": _(
                        "Intussen zijn op dezelfde tijdstippen andere waarden opgeslagen. "
                        "Er is niets bewaard; probeer het opnieuw."
                    ),
                }
            ],
            total,
        )
    return {"status": Status.DONE, "imported": created, "skipped": checked.skipped}


STALE_AFTER = dt.timedelta(hours=2)  # after this long since the upload, an import is given up
RESUME_AFTER = dt.timedelta(minutes=10)  # silent this long: the worker was lost
MAX_ATTEMPTS = 3


def imports_resume(*, now: dt.datetime | None = None) -> dict:
    """Imports whose worker was lost (killed mid-run, queue lost): a batch queued or running that
    has shown no sign of life for ``RESUME_AFTER`` is queued again and handed to a worker, unless
    it ran ``MAX_ATTEMPTS`` times or was uploaded more than ``STALE_AFTER`` ago: then it ends
    ``failed``, content emptied. Nothing is half-stored either way (the observations are written
    only in a run's final transaction, which checks that the batch is still on that run). For
    the scheduler; returns how many were resumed and how many ended (``koers.lib.lost_work``)."""
    now = now or timezone.now()

    def ended(batch: ImportBatch) -> dict:
        with override(language_of(batch.created_by)):  # as the run's own messages
            message = _("Het verwerken is niet afgemaakt. Er is niets bewaard; importeer het bestand opnieuw.")
        return {
            "status": Status.FAILED,
            "content": "",
            "finished_at": now,
            "errors": [{"row": 0, "column": "", "message": message}],
        }

    return lost_work.resume_lost(
        ImportBatch.objects.all(),  # no select_related: the sweep locks these rows, never the users
        now=now,
        resume_after=RESUME_AFTER,
        max_attempts=MAX_ATTEMPTS,
        too_old=Q(created_at__lt=now - STALE_AFTER),
        ended=ended,
        reset={"processed_rows": 0},
        enqueue=lambda pk: run_import.enqueue(pk),
    )


@task()
def resume_stale_imports() -> dict:
    """Queued by ``koers scheduler`` with every sweep: see ``imports_resume``."""
    return imports_resume()
