"""The workspace's background work."""

from __future__ import annotations

from django_tasks import task

from koers.workspace import kept_overview


@task(queue_name="maintenance")
def kept_overviews_prune() -> int:
    """Remove the person overviews kept as HTML that were rendered more than 30 days ago
    (``kept_overview.prune``): enqueued once a night by the scheduler. Returns how many."""
    return kept_overview.prune()
