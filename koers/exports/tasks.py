"""Background tasks of the export (django-tasks: ``koers worker`` runs them)."""

from django_tasks import task

from koers.audit.context import acting_context
from koers.exports import services


@task()
def export_build(export_id: int) -> str:
    """Build one requested export (``services.export_run``)."""
    with acting_context(channel="task"):
        return services.export_run(export_id)


@task()
def exports_expire() -> int:
    """Delete expired export files; enqueued with every reminder sweep by ``koers scheduler``."""
    with acting_context(channel="task"):
        return services.exports_expire()


@task()
def exports_resume() -> dict:
    """Build again what a lost worker left (``services.exports_resume``); with every sweep."""
    with acting_context(channel="task"):
        return services.exports_resume(enqueue=export_build.enqueue)
