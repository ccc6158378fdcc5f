"""``koers scheduler``: enqueue the reminder sweep every few minutes, and with it the periodic
tasks the apps registered (``sources.register_periodic``): some with every sweep, some once a day
(``notifications.periodic``: the nightly repair of the kept data).

It only *enqueues* (the framework's queue and workers do the work), and the sweep is idempotent,
so two schedulers at once, a restart, or a run from cron cause no double reminders. See
docs/running.md.
"""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from koers.notifications import periodic, sources
from koers.notifications.tasks import sweep_reminders


class Command(BaseCommand):
    help = "Enqueue the idempotent reminder sweep every N minutes (or once, with --once)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=5.0, help="Minutes between sweeps (default 5).")
        parser.add_argument("--once", action="store_true", help="Enqueue one sweep and stop (for cron).")

    def handle(self, *args, every, once, **options):
        if every <= 0:
            raise CommandError("--every must be more than 0 minutes.")
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        while True:
            result = sweep_reminders.enqueue()
            self.stdout.write(f"sweep enqueued: {result.id}")
            for entry in sources.periodic():  # registered by the apps (monitoring: stale imports)
                if entry.daily_at is None or periodic.claim_daily(entry.name, entry.daily_at):
                    entry.task.enqueue(*entry.args)
            if once or stop.wait(every * 60):
                return
