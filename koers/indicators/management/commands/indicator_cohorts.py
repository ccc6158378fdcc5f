"""``koers indicator_cohorts check | refresh``: the indicators' kept cohorts (``koers.indicators.cohorts``).

- ``check``: compute every person's spells again from the care-team memberships and compare them
  with the kept ones; prints ``OK, no drift`` or one line per person that drifted (at most
  ``--show``) and exits with 1.
- ``refresh``: compute and store every person's spells (after a restore, ``loaddata`` or a bulk
  write outside the services; ``koers generate`` and the migration that made the table do this
  themselves).
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from koers.indicators import cohorts

EXIT_DRIFT = 1


class Command(BaseCommand):
    help = "The indicators' kept cohorts: check them against the care-team rows, or compute them again."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        check = sub.add_parser("check", help="report persons whose kept spells differ from the care-team rows")
        check.add_argument("--show", type=int, default=20, help="at most this many persons listed (default 20)")
        sub.add_parser("refresh", help="compute and store every person's spells")

    def handle(self, *args, subcommand, **options):
        if subcommand == "refresh":
            count = cohorts.refresh_all()
            self.stdout.write(f"OK, {count} persons refreshed")
            return
        found = cohorts.drift()
        if not found:
            self.stdout.write("OK, no drift")
            return
        for pid, (kept, computed) in list(found.items())[: options["show"]]:
            self.stdout.write(f"person {pid}: kept {kept}, computed {computed}")
        self.stderr.write(f"DRIFT: {len(found)} persons differ (run `koers indicator_cohorts refresh`)")
        sys.exit(EXIT_DRIFT)
