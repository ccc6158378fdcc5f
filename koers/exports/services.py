"""Writes of the data export: ask for one, build it (from the task), download it, let it expire.

The export holds every category, including who looked at the data, which only the person may
read: asking for and downloading an export is checked as reading the access log
(``Category.ACCESS_LOG``), so today only the person themself (SELF) can. Every step leaves an
access-log row: the request (C), the build (E), each download (R), the deletion after expiry (D).

A worker killed while building loses nothing: each build claims the next ``attempt`` and marks the
request ready only while it is still on that attempt; ``exports_resume`` (with every scheduler
sweep) builds a request that has shown no sign of life for ``RESUME_AFTER`` again, up to
``MAX_ATTEMPTS`` builds, and removes the file a lost build may have left (docs/export.md).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.access import Action, Category
from koers.audit import log as audit_log
from koers.exports import build
from koers.exports.models import ExportRequest
from koers.lib import lost_work

STORAGE = "exports"  # settings.STORAGES: private storage outside the web root (docs/export.md)
Status = ExportRequest.Status
IN_PROGRESS = (Status.QUEUED, Status.RUNNING)
# A request still waiting after this long is given up: it no longer blocks a new one, and
# exports_resume marks it failed.
STALE = timedelta(hours=2)
RESUME_AFTER = timedelta(minutes=10)  # queued or running without a sign of life: the worker was lost
MAX_ATTEMPTS = 3
GONE = "gone"  # export_run's answer for a request no longer there (removed with its person)
logger = logging.getLogger(__name__)


def storage():
    return storages[STORAGE]


def _require(actor, person, action: str) -> None:
    access.require(actor, person, Category.ACCESS_LOG, action, object_type=ExportRequest._meta.label)


def export_request(*, actor, person) -> ExportRequest:
    """Ask for a new export; the background task ``export_build`` makes it."""
    # Inside the function: the task module calls back into this one (same app).
    from koers.exports import tasks

    _require(actor, person, Action.READ)
    with transaction.atomic():
        waiting = ExportRequest.objects.select_for_update().filter(person=person, status__in=IN_PROGRESS)
        if waiting.filter(requested_at__gt=timezone.now() - STALE):
            raise ValidationError(_("Er wordt al een download voor u gemaakt. Wacht tot die klaar is."))
        export = ExportRequest.objects.create(person=person, requested_by=actor)
        access.record(actor, person, Action.CREATE, export, detail="export gevraagd")
    tasks.export_build.enqueue(export.pk)
    export.refresh_from_db()
    return export


def file_name(export: ExportRequest, attempt: int) -> str:
    """Where a build puts its zip in the export storage: known beforehand, so that the file of a
    build that was lost can be found and removed."""
    return f"{export.person_id}/{export.pk}-{attempt}.zip"


def _claim(export_id: int) -> tuple[ExportRequest | None, bool]:
    """The request, and whether this worker took it up (only a queued one is); a build taken up
    again removes what an earlier, lost build left."""
    export, claimed = lost_work.claim(ExportRequest.objects.select_related("person", "requested_by"), export_id)
    if claimed:
        _remove_files(export, range(1, export.attempt))
    return export, claimed


def _remove_files(export: ExportRequest, attempts) -> None:
    for attempt in attempts:
        storage().delete(file_name(export, attempt))  # no error when it is not there


def export_run(export_id: int) -> str:
    """Build a queued export (called by the task). Returns its final status."""
    export, claimed = _claim(export_id)
    if not claimed:  # another worker's, ended, or gone with its person
        return export.status if export is not None else GONE
    actor, person = export.requested_by, export.person

    def progress(done: int, total: int) -> None:
        # Outside any transaction, so the page's progress moves while the export is built.
        lost_work.this_run(export).update(sections_done=done, sections_total=total, alive_at=timezone.now())

    try:
        data, manifest = build.build_zip(actor, person, progress=progress)
        name = storage().save(file_name(export, export.attempt), ContentFile(data))
    except Exception:
        logger.exception("export %s failed", export.pk)
        lost_work.this_run(export).update(status=Status.FAILED, error=_("Het maken lukte niet."))
        audit_log.record(
            user=actor,
            action=Action.EXECUTE,
            person=person,
            object_type=ExportRequest._meta.label,
            object_id=export.pk,
            outcome=access.Outcome.FAILED,
            detail="export mislukt",
        )
        return Status.FAILED
    now = timezone.now()
    with transaction.atomic():
        ready = lost_work.this_run(export).update(
            status=Status.READY,
            file_name=name,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            finished_at=now,
            expires_at=ExportRequest.expiry_from(now),
        )
        if ready:
            counts = ", ".join(f"{s['key']}={s['count']}" for s in manifest["sections"])
            access.record(actor, person, Action.EXECUTE, export, detail=f"export gemaakt: {counts}")
    if not ready:  # built again or given up meanwhile (exports_resume): offer nothing of this build
        storage().delete(name)
        return ExportRequest.objects.get(pk=export.pk).status
    return Status.READY


def export_file(*, actor, person, export: ExportRequest, part: str) -> bytes | None:
    """The zip (``part="zip"``) or its PDF (``"pdf"``) of a downloadable export, logged as a read;
    ``None`` when it is not (or no longer) there."""
    _require(actor, person, Action.READ)
    if not export.downloadable:
        return None
    with storage().open(export.file_name, "rb") as handle:
        data = handle.read()
    if part == "pdf":
        data = build.pdf_from_zip(data)
    with transaction.atomic():
        ExportRequest.objects.filter(pk=export.pk).update(
            downloads=export.downloads + 1, last_downloaded_at=timezone.now()
        )
        access.record(actor, person, Action.READ, export, detail=f"export gedownload ({part})")
    return data


def exports_resume(*, enqueue, now=None) -> dict:
    """Requests whose worker was lost (killed mid-build, queue lost): queued or running without a
    sign of life for ``RESUME_AFTER`` → queued again and handed to a worker, unless built
    ``MAX_ATTEMPTS`` times or asked more than ``STALE`` ago: then failed, and the files its
    builds may have left are removed; ``enqueue(pk)`` hands one to a worker (the task module
    passes ``export_build.enqueue``). The periodic task's work; returns how many were resumed and
    ended (``koers.lib.lost_work``)."""
    now = now or timezone.now()
    return lost_work.resume_lost(
        ExportRequest.objects.all(),
        now=now,
        resume_after=RESUME_AFTER,
        max_attempts=MAX_ATTEMPTS,
        too_old=Q(requested_at__lte=now - STALE),
        ended={"status": Status.FAILED, "error": _("Het maken lukte niet.")},
        reset={"sections_done": 0},
        enqueue=enqueue,
        on_ended=lambda export: _remove_files(export, range(1, export.attempt + 1)),
    )


def exports_expire(*, now=None) -> int:
    """Delete the files of exports past their date (the periodic task); returns how many."""
    now = now or timezone.now()
    expired = 0
    for export in ExportRequest.objects.filter(status=Status.READY, expires_at__lte=now).select_related("person"):
        if export.file_name:
            storage().delete(export.file_name)
        with transaction.atomic():
            ExportRequest.objects.filter(pk=export.pk).update(status=Status.EXPIRED, file_name="")
            access.record(None, export.person, Action.DELETE, export, detail="export verlopen: bestand verwijderd")
        expired += 1
    return expired
