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

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from koers import access
from koers.access import Action, Category
from koers.careplans.models import CarePlanVersion
from koers.fhir.mappers import careplan as careplan_mappers
from koers.fhir.mappers import goal as goal_mappers
from koers.fhir.mappers import people as people_mappers
from koers.fhir.models import KEEP, BulkExport
from koers.goals.models import Goal
from koers.people.models import Person

STORAGE = "exports"  # settings.STORAGES: private storage outside the web root (docs/export.md)
Status = BulkExport.Status
logger = logging.getLogger("koers.fhir")


@dataclass(frozen=True)
class ExportType:
    name: str
    category: Category
    # (actor, person, since) -> resources
    collect: Callable[..., list[dict]]


def _patients(actor, person: Person, since) -> list[dict]:
    if since is not None and person.updated_at is not None and person.updated_at < since:
        return []
    show_bsn = bool(actor.is_person or actor.is_professional)  # never a relative (as the read)
    return [people_mappers.patient(person, show_bsn=show_bsn)]


def _goals(actor, person: Person, since) -> list[dict]:
    goals = Goal.objects.filter(person=person).prefetch_related("gas_levels").order_by("pk")
    if since is not None:
        goals = goals.filter(updated_at__gte=since)
    return [goal_mappers.goal_to_fhir(goal) for goal in goals]


def _care_plans(actor, person: Person, since) -> list[dict]:
    """The plan as its latest version (the read the care-plan page starts from)."""
    latest = CarePlanVersion.objects.filter(care_plan__person=person).select_related("care_plan")
    latest = latest.order_by("-number").first()
    if latest is None or (since is not None and (latest.updated_at or latest.created_at) < since):
        return []
    return [careplan_mappers.careplan_to_fhir(latest)]


# The types a Patient export can hold, in file order; the category is the one their pages use.
TYPES: dict[str, ExportType] = {
    t.name: t
    for t in (
        ExportType("Patient", Category.DEMOGRAPHICS, _patients),
        ExportType("Goal", Category.GOALS, _goals),
        ExportType("CarePlan", Category.CAREPLAN, _care_plans),
    )
}


def storage():
    return storages[STORAGE]


def bulk_export_request(*, actor, person: Person, types: list[str], since, request_url: str) -> BulkExport:
    """Kick-off (the caller checked the person through ``access.person_for``)."""
    from koers.fhir import tasks  # the task module calls back into this one (same app)

    with transaction.atomic():
        export = BulkExport.objects.create(
            person=person, requested_by=actor, types=",".join(types), since=since, request_url=request_url[:2000]
        )
        access.record(actor, person, Action.CREATE, export, detail=f"FHIR $export gevraagd: {export.types}")
    tasks.bulk_export_build.enqueue(export.pk)
    export.refresh_from_db()
    return export


def _ndjson(resources: list[dict]) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n" for r in resources)


def bulk_export_run(export_id: int) -> str:
    """Build a queued export (called by the task). Returns its final status."""
    with transaction.atomic():
        export = BulkExport.objects.select_for_update(of=("self",)).select_related("person", "requested_by")
        export = export.get(pk=export_id)
        if export.status != Status.QUEUED:
            return export.status
        export.status = Status.RUNNING
        export.save(update_fields=["status"])
    actor, person = export.requested_by, export.person
    moment = timezone.now()
    files = []
    try:
        for done, name in enumerate(export.type_list, start=1):
            kind = TYPES[name]
            if access.can(actor, person, kind.category, Action.READ):
                resources = kind.collect(actor, person, export.since)
                if resources:
                    path = storage().save(f"fhir-bulk/{export.key.hex}/{name}.ndjson", ContentFile(_ndjson(resources)))
                    files.append({"type": name, "name": path, "count": len(resources)})
            if BulkExport.objects.filter(pk=export.pk, status=Status.CANCELLED).exists():
                _delete_files(files)
                return Status.CANCELLED
            BulkExport.objects.filter(pk=export.pk).update(done=done)
    except Exception:
        logger.exception("FHIR bulk export %s failed", export.pk)
        _delete_files(files)
        BulkExport.objects.filter(pk=export.pk).update(status=Status.FAILED)
        access.record(actor, person, Action.EXECUTE, export, detail="FHIR $export mislukt")
        return Status.FAILED
    with transaction.atomic():
        changed = BulkExport.objects.filter(pk=export.pk, status=Status.RUNNING).update(
            status=Status.READY, files=files, transaction_time=moment, expires_at=timezone.now() + KEEP
        )
        if not changed:  # cancelled at the very end
            _delete_files(files)
            return Status.CANCELLED
        counts = ", ".join(f"{f['type']}={f['count']}" for f in files) or "leeg"
        access.record(actor, person, Action.EXECUTE, export, detail=f"FHIR $export gemaakt: {counts}")
    return Status.READY


def _delete_files(files) -> None:
    for entry in files:
        storage().delete(entry["name"])


def own_export(*, actor, key) -> BulkExport | None:
    """The user's own export by its key; anyone else's (or an expired one) is None."""
    export = BulkExport.objects.select_related("person").filter(key=key, requested_by=actor).first()
    if export is None or export.status in (Status.CANCELLED, Status.EXPIRED):
        return None
    if export.status == Status.READY and export.expires_at <= timezone.now():
        _expire(export)
        return None
    return export


def bulk_export_cancel(*, actor, export: BulkExport) -> None:
    """DELETE on the status URL: stop it (the task checks between types) and delete its files."""
    with transaction.atomic():
        BulkExport.objects.filter(pk=export.pk).update(status=Status.CANCELLED, files=[])
        access.record(actor, export.person, Action.DELETE, export, detail="FHIR $export afgebroken")
    _delete_files(export.files)


def export_file(*, actor, export: BulkExport, index: int) -> bytes | None:
    """One NDJSON file of a ready export, logged as a read; None when it is not there or the
    requester may no longer read its type (consent withdrawn since the build)."""
    if export.status != Status.READY or not 0 <= index < len(export.files):
        return None
    entry = export.files[index]
    if not access.can(actor, export.person, TYPES[entry["type"]].category, Action.READ):
        return None
    with storage().open(entry["name"], "rb") as handle:
        data = handle.read()
    access.record(actor, export.person, Action.READ, export, detail=f"FHIR $export bestand {entry['type']}")
    return data


def _expire(export: BulkExport) -> None:
    _delete_files(export.files)
    with transaction.atomic():
        BulkExport.objects.filter(pk=export.pk).update(status=Status.EXPIRED, files=[])
        access.record(None, export.person, Action.DELETE, export, detail="FHIR $export verlopen: bestanden verwijderd")


def bulk_exports_expire(*, now=None) -> int:
    """Delete the files of exports past their time (the periodic task); returns how many."""
    now = now or timezone.now()
    expired = BulkExport.objects.filter(status=Status.READY, expires_at__lte=now).select_related("person")
    count = 0
    for export in expired:
        _expire(export)
        count += 1
    return count
