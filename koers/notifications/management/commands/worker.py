"""``koers worker``: run the task framework's own worker for the configured backend.

- Database backend (django_tasks_db, the default): runs ``db_worker`` (the package's worker).
- Redis (django_tasks_rq): runs an RQ worker with the job class django-tasks-rq needs.

Koers adds no queue of its own; this command only picks the right worker. See docs/running.md.
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django_tasks import task_backends


class Command(BaseCommand):
    help = "Run a background worker for Koers' tasks (reminders) with the configured task backend."

    def add_arguments(self, parser):
        parser.add_argument(
            "--burst", action="store_true", help="Stop when the queue is empty (for cron, tests and one-off runs)."
        )
        parser.add_argument(
            "--queue",
            action="append",
            dest="queues",
            help="Queue to take tasks from (repeatable; default: every queue, i.e. default and maintenance).",
        )
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls (database backend).")
        parser.add_argument("--max-tasks", type=int, default=0, help="Stop after this many tasks (database backend).")
        parser.add_argument(
            "--no-fork", action="store_true", help="Redis: run tasks in this process (RQ's SimpleWorker), not a fork."
        )

    def handle(self, *args, burst, queues, interval, max_tasks, no_fork, **options):
        backend = task_backends["default"]
        kind = f"{type(backend).__module__}.{type(backend).__name__}"
        if kind.startswith("django_tasks_db."):
            kwargs = {"interval": interval, "batch": burst, "startup_delay": False}
            if max_tasks:
                kwargs["max_tasks"] = max_tasks
            kwargs["queue_name"] = ",".join(queues or sorted(backend.queues))  # all of Koers' queues unless named
            call_command("db_worker", **kwargs)
        elif kind.startswith("django_tasks_rq."):
            # What django-rq's rqworker does, without needing django_rq in INSTALLED_APPS.
            from django_rq.utils import reset_db_connections
            from django_rq.workers import get_worker
            from django_tasks_rq import Job

            names = queues or sorted(backend.queues)
            reset_db_connections()
            worker_class = _rq_worker_class(no_fork=no_fork, burst=burst)
            get_worker(*names, job_class=Job, worker_class=worker_class).work(burst=burst)
        else:
            raise CommandError(
                f"The task backend {kind} runs tasks itself; there is no worker to start. "
                "Set KOERS_TASK_BACKEND to django_tasks_db.backend.DatabaseBackend or django_tasks_rq.RQBackend."
            )


def _rq_worker_class(*, no_fork: bool, burst: bool):
    """RQ's worker class (``SimpleWorker``: tasks in this process). A burst worker gets no command
    channel: RQ listens for commands (shutdown, kill a job) on a pub/sub thread that waits up to
    60 s for a message, and at the end of a run RQ's unsubscribe often arrives before the thread
    is told to stop, so the thread waits out its 60 s and the run ends a minute late (seen in the
    tests about every other run). A burst worker stops by itself when its queues are empty, so it
    needs no commands. A long-running worker keeps the channel (it may take up to a minute to
    stop: docs/running.md)."""
    from rq.worker import SimpleWorker, Worker

    base = SimpleWorker if no_fork else Worker
    if not burst:
        return base

    class BurstWorker(base):
        def subscribe(self):  # no command channel: see above
            return None

    return BurstWorker
