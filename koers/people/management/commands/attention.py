"""``koers attention check | refresh``: the caseload's kept "needs attention" summary.

- ``koers attention check``: compute every person's summary again from the rows and compare it
  with the kept one; prints ``OK, N persons`` or one line per person that drifted (column, kept,
  computed; at most ``--show`` lines) and exits with 1.
- ``koers attention refresh``: compute and store every person's summary (after a restore,
  ``loaddata`` or a bulk write outside the services; ``koers generate`` and the migration that
  made the table do this themselves).
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from koers.people import attention

EXIT_DRIFT = 1


class Command(BaseCommand):
    help = 'The caseload\'s kept "needs attention" summary: check it against the rows, or compute it again.'

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        check = sub.add_parser("check", help="report persons whose kept summary differs from the rows")
        check.add_argument("--show", type=int, default=20, help="at most this many persons listed (default 20)")
        sub.add_parser("refresh", help="compute and store every person's summary")

    def handle(self, *args, subcommand, **options):
        if subcommand == "refresh":
            count = attention.refresh_all()
            self.stdout.write(f"OK, {count} persons refreshed")
            return
        found = attention.drift()
        if not found:
            self.stdout.write("OK, no drift")
            return
        for pid, columns in list(found.items())[: options["show"]]:
            parts = ", ".join(f"{name}: kept {kept!r}, computed {want!r}" for name, (kept, want) in columns.items())
            self.stdout.write(f"person {pid}: {parts}")
        self.stderr.write(f"DRIFT: {len(found)} persons differ (run `koers attention refresh`)")
        sys.exit(EXIT_DRIFT)
