"""Background tasks of the network (django-tasks: ``koers worker`` runs them)."""

from django_tasks import task

from koers.audit.context import acting_context
from koers.network import coordination


@task()
def handover_overlaps_end() -> int:
    """End former coordinators' memberships whose overlap is over; enqueued with every reminder
    sweep by ``koers scheduler`` (registered by the workspace, which sits above notifications)."""
    with acting_context(channel="task"):
        return coordination.handover_overlaps_end()
