"""Background tasks that belong to no one app (Django's task framework, django-tasks)."""

from __future__ import annotations

from django.core.management import call_command
from django_tasks import task


@task(queue_name="maintenance")  # may run for many minutes: not in the reminders' queue
def kept_data_repair(command: str) -> str:
    """``koers <command> repair`` for a kept (derived) table (a ``KeptDataCommand``): the drifted
    persons' rows stored again, with their access-log rows. The scheduler enqueues it once a night
    for each kept table its app registered (``notifications.sources.register_periodic``)."""
    call_command(command, "repair")
    return command
