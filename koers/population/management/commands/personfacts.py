"""``koers personfacts check | refresh``: the population page's kept per-person rows.

- ``koers personfacts check``: compute every person's row again from people's rows and compare it
  with the kept one; prints ``OK, no drift`` or one line per person that drifted (column, kept,
  computed; at most ``--show`` lines) and exits with 1.
- ``koers personfacts refresh``: compute and store every person's row (after a restore,
  ``loaddata`` or a bulk write outside the services; ``koers generate`` and the migration that
  made the table do this themselves).
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from koers.population import kept

EXIT_DRIFT = 1


class Command(BaseCommand):
    help = "The population page's kept per-person rows: check them against people's rows, or compute them again."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        check = sub.add_parser("check", help="report persons whose kept row differs from people's rows")
        check.add_argument("--show", type=int, default=20, help="at most this many persons listed (default 20)")
        sub.add_parser("refresh", help="compute and store every person's row")

    def handle(self, *args, subcommand, **options):
        if subcommand == "refresh":
            count = kept.refresh_all()
            self.stdout.write(f"OK, {count} persons refreshed")
            return
        found = kept.drift()
        if not found:
            self.stdout.write("OK, no drift")
            return
        for pid, columns in list(found.items())[: options["show"]]:
            parts = ", ".join(f"{name}: kept {have!r}, computed {want!r}" for name, (have, want) in columns.items())
            self.stdout.write(f"person {pid}: {parts}")
        self.stderr.write(f"DRIFT: {len(found)} persons differ (run `koers personfacts refresh`)")
        sys.exit(EXIT_DRIFT)
