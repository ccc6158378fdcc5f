"""Background tasks of the FHIR Bulk Data export (django-tasks: ``koers worker`` runs them)."""

from django_tasks import task

from koers.audit.context import acting_context
from koers.fhir import bulk


@task()
def bulk_export_build(export_id: int) -> str:
    """Build one requested ``$export`` (``bulk.bulk_export_run``)."""
    with acting_context(channel="task"):
        return bulk.bulk_export_run(export_id)


@task()
def bulk_exports_expire() -> int:
    """Delete expired ``$export`` files; enqueued with every sweep by ``koers scheduler``."""
    with acting_context(channel="task"):
        return bulk.bulk_exports_expire()


@task()
def bulk_exports_resume() -> dict:
    """Build again what a lost worker left (``bulk.bulk_exports_resume``); with every sweep."""
    with acting_context(channel="task"):
        return bulk.bulk_exports_resume(enqueue=bulk_export_build.enqueue)
