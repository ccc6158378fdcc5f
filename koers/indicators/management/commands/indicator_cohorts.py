"""``koers indicator_cohorts check | refresh``: the indicators' kept rows, the cohorts
(``koers.indicators.cohorts``), the trajectories' points (``koers.indicators.trajectories``) and
the follow-up rhythm's spans (``koers.indicators.rhythm``).

- ``check``: compute every person's spells again from the care-team memberships, points from the
  scores and spans from the follow-up agreements, and compare them with the kept ones; prints
  ``OK, no drift`` or one line per person that drifted (at most ``--show``) and exits with 1.
- ``refresh``: compute and store every person's kept rows (after a restore, ``loaddata``
  or a bulk write outside the services; ``koers generate`` and the migrations that made the
  tables do this themselves).
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from koers.indicators import cohorts, rhythm, trajectories

EXIT_DRIFT = 1


class Command(BaseCommand):
    help = (
        "The indicators' kept rows: check them against the care-team rows, scores and follow-up agreements, "
        "or compute them again."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        check = sub.add_parser("check", help="report persons whose kept rows differ from what their rows say now")
        check.add_argument("--show", type=int, default=20, help="at most this many persons listed (default 20)")
        sub.add_parser("refresh", help="compute and store every person's kept rows")

    def handle(self, *args, subcommand, **options):
        if subcommand == "refresh":
            count = cohorts.refresh_all()
            trajectories.refresh_all()
            rhythm.refresh_all()
            self.stdout.write(f"OK, {count} persons refreshed")
            return
        found = [("spells", pid, rows) for pid, rows in cohorts.drift().items()]
        found += [("points", pid, rows) for pid, rows in trajectories.drift().items()]
        found += [("spans of the follow-up", pid, rows) for pid, rows in rhythm.drift().items()]
        if not found:
            self.stdout.write("OK, no drift")
            return
        for what, pid, (kept, computed) in found[: options["show"]]:
            self.stdout.write(f"person {pid}, {what}: kept {kept}, computed {computed}")
        self.stderr.write(f"DRIFT: {len(found)} persons' rows differ (run `koers indicator_cohorts refresh`)")
        sys.exit(EXIT_DRIFT)
