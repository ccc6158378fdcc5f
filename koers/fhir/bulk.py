"""FHIR Bulk Data ``$export`` for one Patient (issue #15; HL7 Bulk Data Access IG 2.0.0).

Kick-off → a ``BulkExport`` row and the task ``bulk_export_build`` (django-tasks); the task writes
one NDJSON file per type into the private ``exports`` storage, each line a resource from the pure
mappers in ``koers.fhir.mappers``. Which types go in is decided when the task runs, by the access
layer (``access.can``: the policy table and the person's consent *at that moment*); a download
checks it again, so consent withdrawn after the build closes the file too. Only the user who
asked sees the job; anyone else gets the missing-record answer. Every step is in the access log:
the kick-off (C), the build (E, with the counts), each file download (R), cancel/expiry (D).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import logging
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor

from django.core.files import File
from django.core.files.storage import storages
from django.db import connection, connections, transaction
from django.db.models import Q
from django.utils import timezone

from koers import access
from koers.access import Action
from koers.audit.models import AccessLogEntry
from koers.fhir import bulk_rows, bulk_types, research_export
from koers.fhir.models import KEEP, BulkExport
from koers.fhir.resources.people import is_relative
from koers.lib import lost_work
from koers.people.models import Person

STORAGE = "exports"  # settings.STORAGES: private storage outside the web root (docs/export.md)
Status = BulkExport.Status
logger = logging.getLogger("koers.fhir")


TYPES = bulk_types.TYPES  # every readable type, in file order (koers.fhir.bulk_types)


def storage():
    return storages[STORAGE]


def bulk_export_request(*, actor, person: Person, types: list[str], since, request_url: str) -> BulkExport:
    """Kick-off (the caller checked the person through ``access.person_for``)."""
    return _request(person=person, requested_by=actor, types=types, since=since, request_url=request_url)


def group_export_request(*, system_client, types: list[str], since, request_url: str) -> BulkExport:
    """Kick-off of an organisation's export by its system client (``Group/<org>/$export``)."""
    return _request(
        organisation=system_client.organisation,
        system_client=system_client,
        types=types,
        since=since,
        request_url=request_url,
    )


def research_export_request(*, system_client, request_url: str) -> BulkExport:
    """Kick-off of the research extract of the client's project (``$research-export``; the caller
    checked that the client is registered for it and that the project has a key)."""
    return _request(
        organisation=system_client.organisation,
        system_client=system_client,
        project=system_client.research_project,
        types=["research"],
        since=None,
        request_url=request_url,
    )


def _request(*, types: list[str], since, request_url: str, **who) -> BulkExport:
    from koers.fhir import tasks  # the task module calls back into this one (same app)

    with transaction.atomic():
        export = BulkExport.objects.create(types=",".join(types), since=since, request_url=request_url[:2000], **who)
        _log(export, Action.CREATE, f"FHIR $export gevraagd: {export.types}")
    tasks.bulk_export_build.enqueue(export.pk)
    export.refresh_from_db()
    return export


_line = bulk_rows.line  # one resource as an NDJSON line (without its newline)


def reader_for(export: BulkExport) -> bulk_types.Reader:
    """Who the export is for, with the categories per person they may read *now*."""
    if export.person_id is None:  # an organisation's system
        categories = access.organisation_categories(export.organisation_id)
        reader = bulk_types.Reader(categories, organisation_id=export.organisation_id, show_bsn=True)
    else:
        actor = export.requested_by
        categories = {export.person_id: access.categories_for(actor, export.person)}
        show_bsn = bool(actor.is_person or actor.is_professional)  # never a relative (as the read)
        reader = bulk_types.Reader(categories, user=actor, relative=is_relative(actor), show_bsn=show_bsn)
    reader.since = export.since
    reader.person_ids = sorted(reader.categories)
    return reader


def _write(export: BulkExport, kind: bulk_types.ExportType, reader, persons: dict) -> dict | None:
    """One NDJSON file of the type and its index (a person id and category a line); None if empty."""
    count = 0
    pulse = lost_work.Pulse(export)  # a sign of life now and then: a big type takes minutes
    with tempfile.TemporaryFile() as data, tempfile.TemporaryFile() as index:
        for part in kind.parts:
            if reader.relative and not part.for_relative:
                continue
            ids = reader.persons_with(part.category)
            for start in range(0, len(ids), bulk_types.CHUNK):
                chunk = ids[start : start + bulk_types.CHUNK]
                pulse.beat()
                blocks = part.blocks_of(reader, chunk)
                for lines, where, people, many in blocks if blocks is not None else ():
                    data.write(lines)
                    index.write(where)
                    for person_id in people:
                        persons.setdefault(person_id, set()).add(kind.name)
                    count += many
                for person_id, line in part.lines_of(reader, chunk) if blocks is None else ():
                    data.write(line)
                    data.write(b"\n")
                    index.write(f"{person_id}\t{part.category}\n".encode())
                    persons.setdefault(person_id, set()).add(kind.name)
                    count += 1
        if not count:
            return None
        base = f"{export.folder()}/{kind.name}"
        data.seek(0)
        index.seek(0)
        path = storage().save(f"{base}.ndjson", File(data))
        index_path = storage().save(f"{base}.index", File(index))
    return {"type": kind.name, "name": path, "index": index_path, "count": count}


PARALLEL = True  # on PostgreSQL, outside a transaction: the Observation file in a second thread


GC_THRESHOLD = 50_000  # allocations between the collector's young-generation runs during a build
_COLLECTOR = {"builds": 0, "threshold": None, "froze": False}  # builds running in this process
_COLLECTOR_LOCK = threading.Lock()


@contextlib.contextmanager
def _fewer_collections():
    """The cyclic garbage collector less often while the files are made: the lines' dicts and
    lists are freed by reference counting as soon as each line is written, but the collector
    still ran every 700 allocations and now and then walked the whole heap (Django, the rows),
    ~10–20 % of the mapping types' CPU. The first build of the process to start freezes the
    objects there (left out of collections) and lets the young generation wait for
    ``GC_THRESHOLD`` allocations; the last one to end puts both back, when a collection picks
    up whatever cycles the builds left. Where objects were frozen already (a gunicorn worker,
    ``koers.gunicorn_conf.when_ready``) they stay as they were: ``gc.unfreeze`` would thaw those too."""
    with _COLLECTOR_LOCK:
        if not _COLLECTOR["builds"]:
            _COLLECTOR["threshold"] = gc.get_threshold()
            _COLLECTOR["froze"] = not gc.get_freeze_count()
            if _COLLECTOR["froze"]:
                gc.freeze()
            gc.set_threshold(GC_THRESHOLD, *_COLLECTOR["threshold"][1:])
        _COLLECTOR["builds"] += 1
    try:
        yield
    finally:
        with _COLLECTOR_LOCK:
            _COLLECTOR["builds"] -= 1
            if not _COLLECTOR["builds"]:
                gc.set_threshold(*_COLLECTOR["threshold"])
                if _COLLECTOR["froze"]:
                    gc.unfreeze()


def _write_types(export: BulkExport, files: list, persons: dict) -> bool:
    """One NDJSON file per type into ``files`` and its persons into ``persons``, both in type
    order; False when the export was cancelled meanwhile (its files deleted). The Observation
    file (most of the lines, made by PostgreSQL: ``bulk_sql``) may be written by a second thread
    meanwhile (``_aside``)."""
    with _fewer_collections():
        return _write_all(export, files, persons)


def _write_all(export: BulkExport, files: list, persons: dict) -> bool:
    reader = reader_for(export)
    names = export.type_list
    made: dict[str, tuple[dict | None, dict]] = {}  # per type: its file and its persons
    aside = _aside(export, reader, names)
    cancelled = False
    try:
        here = [name for name in names if aside is None or name != aside[0]]
        for done, name in enumerate(here, start=1):
            theirs: dict = {}
            made[name] = (_write(export, TYPES[name], reader, theirs), theirs)
            cancelled = not lost_work.this_run(export).update(done=done, alive_at=timezone.now())
            if cancelled:  # or built again meanwhile (bulk_exports_resume)
                break
        if aside is not None:
            made[aside[0]] = aside[1].result()
            cancelled = cancelled or not lost_work.this_run(export).update(done=len(names), alive_at=timezone.now())
    finally:
        if aside is not None and aside[0] not in made:  # this thread failed: the other's file goes too
            with contextlib.suppress(Exception):
                made[aside[0]] = aside[1].result()
        for name in (name for name in names if name in made):
            entry, theirs = made[name]
            files.extend([entry] if entry is not None else [])
            for person_id, kinds in theirs.items():
                persons.setdefault(person_id, set()).update(kinds)
    if cancelled:
        _delete_files(files)
        return False
    return True


def _aside(export: BulkExport, reader, names: list[str]):
    """("Observation", its future) when that file is written by a second thread: on PostgreSQL
    (its lines are made by the database, so the thread mostly waits while this one maps the
    other types), outside a transaction (the thread has its own connection, which sees only
    what is committed), and only beside other types."""
    if not PARALLEL or "Observation" not in names or len(names) < 2:
        return None
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-export")
    future = pool.submit(_write_aside, export, TYPES["Observation"], reader)
    pool.shutdown(wait=False)
    return "Observation", future


def _write_aside(export: BulkExport, kind: bulk_types.ExportType, reader) -> tuple[dict | None, dict]:
    try:
        theirs: dict = {}
        return _write(export, kind, reader, theirs), theirs
    finally:
        connections.close_all()  # this thread's own connection


GONE = "gone"  # bulk_export_run's answer for an export no longer there (removed with its person)


def bulk_export_run(export_id: int) -> str:
    """Build a queued export (called by the task). Returns its final status."""
    related = ("person", "requested_by", "organisation", "system_client__application")
    export, claimed = lost_work.claim(BulkExport.objects.select_related(*related), export_id, done=0)
    if not claimed:  # another worker's, ended, or gone with its person
        return export.status if export is not None else GONE
    _delete_folders(export, range(1, export.attempt))  # what an earlier, lost run left
    moment = timezone.now()
    files, persons = [], {}
    try:
        if export.project:  # the research extract: CSV files of koers.research (research_export)
            files, persons = research_export.build(export, storage())
        elif not _write_types(export, files, persons):  # cancelled, or built again meanwhile
            return BulkExport.objects.values_list("status", flat=True).get(pk=export.pk)
    except Exception:
        logger.exception("FHIR bulk export %s failed", export.pk)
        _delete_files(files)
        lost_work.this_run(export).update(status=Status.FAILED)
        _log(export, Action.EXECUTE, "FHIR $export mislukt")
        return Status.FAILED
    return _finish(export, files, persons, moment)


def _finish(export: BulkExport, files: list, persons: dict, moment) -> str:
    with transaction.atomic():
        changed = lost_work.this_run(export).update(
            status=Status.READY, files=files, transaction_time=moment, expires_at=timezone.now() + KEEP
        )
        if not changed:  # cancelled at the very end, or built again meanwhile (bulk_exports_resume)
            _delete_files(files)
            return BulkExport.objects.get(pk=export.pk).status
        if export.person_id is not None:
            counts = ", ".join(f"{f['type']}={f['count']}" for f in files) or "leeg"
            _log(export, Action.EXECUTE, f"FHIR $export gemaakt: {counts}")
        else:  # one row per person exported (NEN 7513), naming the types of theirs it holds
            made = f"onderzoeksextract {export.project} gemaakt" if export.project else "FHIR $export gemaakt: "
            rows = ((pid, made + ("" if export.project else ",".join(sorted(types)))) for pid, types in persons.items())
            _log_persons(export, Action.EXECUTE, rows)
    return Status.READY


def _system_name(export: BulkExport) -> str:
    return export.system_client.application.name if export.system_client_id else ""


def _log(export: BulkExport, action: str, detail: str) -> None:
    """One row about the export: the person's (a Patient export) or the organisation's."""
    if export.person_id is not None:
        access.record(export.requested_by, export.person, action, export, detail=detail)
    else:
        _log_persons(export, action, [(None, detail)])


def _log_persons(export: BulkExport, action: str, rows) -> None:
    purpose = AccessLogEntry.Purpose.RESEARCH if export.project else AccessLogEntry.Purpose.TREATMENT
    access.record_for_system(
        _system_name(export),
        export.organisation,
        rows,
        action,
        object_type=export._meta.label,
        object_id=export.pk,
        purpose=purpose,
    )


def _delete_files(files) -> None:
    for entry in files:
        storage().delete(entry["name"])
        if entry.get("index"):
            storage().delete(entry["index"])


def _delete_folders(export: BulkExport, attempts) -> None:
    """Every file the runs ``attempts`` of the export left (a lost run never listed its files)."""
    for attempt in attempts:
        folder = export.folder(attempt)
        try:
            names = storage().listdir(folder)[1]
        except FileNotFoundError:
            continue
        for name in names:
            storage().delete(f"{folder}/{name}")


def _usable(export: BulkExport | None) -> BulkExport | None:
    if export is None or export.status in (Status.CANCELLED, Status.EXPIRED):
        return None
    if export.status == Status.READY and export.expires_at <= timezone.now():
        _expire(export)
        return None
    return export


def own_export(*, actor, key) -> BulkExport | None:
    """The user's own export by its key; anyone else's (or an expired one) is None."""
    return _usable(BulkExport.objects.select_related("person").filter(key=key, requested_by=actor).first())


def system_export(*, client_id: str, key) -> BulkExport | None:
    """A system client's own organisation export by its key; anyone else's is None."""
    exports = BulkExport.objects.select_related("organisation", "system_client__application")
    return _usable(exports.filter(key=key, system_client__application__client_id=client_id).first())


def bulk_export_cancel(*, export: BulkExport) -> None:
    """DELETE on the status URL (by its requester): stop it (the task checks between types) and
    delete its files."""
    with transaction.atomic():
        BulkExport.objects.filter(pk=export.pk).update(status=Status.CANCELLED, files=[])
        _log(export, Action.DELETE, "FHIR $export afgebroken")
    _delete_files(export.files)
    _delete_folders(export, range(1, export.attempt + 1))  # also what a lost or running run wrote


def export_file(*, export: BulkExport, index: int) -> bytes | None:
    """One NDJSON file of a ready export, logged as a read (a row per person in it), holding only
    the lines the requester may still read *now* (consent withdrawn since the build closes them);
    None when it is not there or nothing of it is left."""
    if export.status != Status.READY or not 0 <= index < len(export.files):
        return None
    entry = export.files[index]
    if export.project:
        return _research_file(export, entry)
    categories = reader_for(export).categories
    kept, persons = [], {}
    with storage().open(entry["name"], "rb") as data, storage().open(entry["index"], "rb") as lines:
        for line, where in zip(data, lines, strict=True):
            person_id, category = where.decode().rstrip("\n").split("\t")
            if category in categories.get(int(person_id), ()):
                kept.append(line)
                persons[int(person_id)] = None
    if not kept:
        return None
    detail = f"FHIR $export bestand {entry['type']}"
    if export.person_id is not None:
        access.record(export.requested_by, export.person, Action.READ, export, detail=detail)
    else:
        _log_persons(export, Action.READ, ((pid, detail) for pid in persons))
    return b"".join(kept)


def _research_file(export: BulkExport, entry: dict) -> bytes | None:
    """A research extract's file: only while the client is registered for the project, with the
    records of the people still consenting and in the organisation's care now."""
    if not research_export.still_allowed(export):
        return None
    data, persons = research_export.file_records(export, entry, storage())
    detail = f"onderzoeksextract {export.project}: {entry['type']}"
    _log_persons(export, Action.READ, [(pid, detail) for pid in sorted(persons)] or [(None, detail)])
    return data


def _expire(export: BulkExport) -> None:
    _delete_files(export.files)
    with transaction.atomic():
        BulkExport.objects.filter(pk=export.pk).update(status=Status.EXPIRED, files=[])
        detail = "FHIR $export verlopen: bestanden verwijderd"
        if export.person_id is not None:
            access.record(None, export.person, Action.DELETE, export, detail=detail)
        else:
            _log_persons(export, Action.DELETE, [(None, detail)])


RESUME_AFTER = dt.timedelta(minutes=10)  # queued or running without a sign of life: the worker was lost
MAX_ATTEMPTS = 3
GIVE_UP_AFTER = dt.timedelta(days=1)  # asked this long ago and still not built: failed


def bulk_exports_resume(*, enqueue, now=None) -> dict:
    """Exports whose worker was lost (killed mid-build, queue lost) are built again: queued or
    running without a sign of life for ``RESUME_AFTER`` → queued and handed to a worker, unless
    built ``MAX_ATTEMPTS`` times or asked more than ``GIVE_UP_AFTER`` ago: then failed, and what
    its runs left is removed; ``enqueue(pk)`` hands one to a worker (the task module passes
    ``bulk_export_build.enqueue``). The periodic task's work (``koers.lib.lost_work``)."""
    now = now or timezone.now()
    return lost_work.resume_lost(
        BulkExport.objects.all(),
        now=now,
        resume_after=RESUME_AFTER,
        max_attempts=MAX_ATTEMPTS,
        too_old=Q(requested_at__lte=now - GIVE_UP_AFTER),
        ended={"status": Status.FAILED},
        reset={"done": 0},
        enqueue=enqueue,
        on_ended=lambda export: _delete_folders(export, range(1, export.attempt + 1)),
    )


def bulk_exports_expire(*, now=None) -> int:
    """Delete the files of exports past their time (the periodic task); returns how many."""
    now = now or timezone.now()
    expired = BulkExport.objects.filter(status=Status.READY, expires_at__lte=now)
    count = 0
    for export in expired.select_related("person", "organisation", "system_client__application"):
        _expire(export)
        count += 1
    return count
