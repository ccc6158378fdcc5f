"""Background tasks (Django's task framework, django-tasks). The same code runs on the embedded
database backend (django_tasks_db) and on a Redis queue (django-tasks-rq): see docs/running.md."""

from __future__ import annotations

from django_tasks import task

from koers.notifications import delivery, sweeps


@task()
def sweep_reminders() -> dict:
    """Find what is due and put it in the outbox (idempotent), then ask for delivery."""
    offered = sweeps.sweep()
    deliver_reminders.enqueue()
    return offered


@task()
def deliver_reminders() -> dict:
    """Deliver everything that is due now, batch by batch (safe to run in several workers)."""
    report = delivery.deliver_all()
    return {"claimed": report.claimed, "sent": report.sent, "skipped": report.skipped, "deferred": report.deferred}
