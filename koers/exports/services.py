"""Writes of the data export: ask for one, build it (from the task), download it, let it expire.

The export holds every category, including who looked at the data, which only the person may
read: asking for and downloading an export is checked as reading the access log
(``Category.ACCESS_LOG``), so today only the person themself (SELF) can. Every step leaves an
access-log row: the request (C), the build (E), each download (R), the deletion after expiry (D).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.access import Action, Category
from koers.audit import log as audit_log
from koers.exports import build
from koers.exports.models import ExportRequest

STORAGE = "exports"  # settings.STORAGES: private storage outside the web root (docs/export.md)
Status = ExportRequest.Status
IN_PROGRESS = (Status.QUEUED, Status.RUNNING)
# A request still waiting after this long lost its worker: it no longer blocks a new one, and
# exports_expire marks it failed.
STALE = timedelta(hours=2)
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


def export_run(export_id: int) -> str:
    """Build a queued export (called by the task). Returns its final status."""
    with transaction.atomic():
        # of=("self",): PostgreSQL cannot lock the nullable side of the join to the requester.
        export = ExportRequest.objects.select_for_update(of=("self",)).select_related("person", "requested_by")
        export = export.get(pk=export_id)
        if export.status != Status.QUEUED:
            return export.status
        export.status = Status.RUNNING
        export.save(update_fields=["status"])
    actor, person = export.requested_by, export.person

    def progress(done: int, total: int) -> None:
        # Outside any transaction, so the page's progress moves while the export is built.
        ExportRequest.objects.filter(pk=export.pk).update(sections_done=done, sections_total=total)

    try:
        data, manifest = build.build_zip(actor, person, progress=progress)
        name = storage().save(f"{person.pk}/{uuid.uuid4().hex}.zip", ContentFile(data))
    except Exception:
        logger.exception("export %s failed", export.pk)
        ExportRequest.objects.filter(pk=export.pk).update(status=Status.FAILED, error=_("Het maken lukte niet."))
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
        ExportRequest.objects.filter(pk=export.pk).update(
            status=Status.READY,
            file_name=name,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            finished_at=now,
            expires_at=ExportRequest.expiry_from(now),
        )
        counts = ", ".join(f"{s['key']}={s['count']}" for s in manifest["sections"])
        access.record(actor, person, Action.EXECUTE, export, detail=f"export gemaakt: {counts}")
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


def exports_expire(*, now=None) -> int:
    """Delete the files of exports past their date (the periodic task); returns how many.
    Requests whose worker was lost (still waiting after ``STALE``) are marked failed."""
    now = now or timezone.now()
    ExportRequest.objects.filter(status__in=IN_PROGRESS, requested_at__lte=now - STALE).update(
        status=Status.FAILED, error=_("Het maken lukte niet.")
    )
    expired = 0
    for export in ExportRequest.objects.filter(status=Status.READY, expires_at__lte=now).select_related("person"):
        if export.file_name:
            storage().delete(export.file_name)
        with transaction.atomic():
            ExportRequest.objects.filter(pk=export.pk).update(status=Status.EXPIRED, file_name="")
            access.record(None, export.person, Action.DELETE, export, detail="export verlopen: bestand verwijderd")
        expired += 1
    return expired
