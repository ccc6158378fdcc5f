"""``koers careplan_current check | repair | refresh``: the care plan as it is now, kept per person.

- ``koers careplan_current check``: build every kept plan again from the rows and compare; prints
  ``OK, no drift`` or one line per person whose kept plan differs (at most ``--show``) and exits
  with 1. A person without a kept plan is no drift: the page builds theirs live.
- ``koers careplan_current repair``: store again the kept plans that differ (as every kept table),
  and first store the plans that are not kept yet (cleared by a write, or from before the
  column): the scheduler runs it nightly, so after an upgrade the pages are fast by morning. It
  also removes the care plan pages kept as HTML that were rendered more than 30 days ago
  (``koers.careplans.kept_page.prune``).
- ``koers careplan_current refresh``: build and store the plan of every person with a plan version
  (after a restore, ``loaddata``, the migration that added the column, or a bulk write outside the
  services). See ``koers.careplans.kept``.
"""

from __future__ import annotations

from django.db import transaction

from koers import access
from koers.careplans import kept, kept_page
from koers.lib.commands import KeptDataCommand


class Command(KeptDataCommand):
    help = "The kept current care plan: check it against the rows, or build it again."
    what = "kept current care plan"

    def refresh_all(self) -> int:
        return kept.refresh_all()

    def refresh(self, person_ids: list[int]) -> None:  # ``repair`` (koers.lib.commands on main since cebee2b)
        kept.refresh(person_ids)

    def drift(self) -> dict:
        return kept.drift()

    def repair(self) -> None:
        """The plans not kept yet are stored first (no drift: the page built them live), with
        their log rows; then the drifted ones, as every kept table."""
        unkept = kept.unkept_person_ids()
        if unkept:
            with transaction.atomic():
                kept.refresh(unkept)
                self.log_repaired(unkept)
            self.stdout.write(f"stored: {len(unkept)} persons' care plans that were not kept")
        pruned = kept_page.prune()
        if pruned:
            self.stdout.write(
                f"removed: {pruned} kept care plan pages rendered more than {kept_page.KEEP_DAYS} days ago"
            )
        super().repair()

    def log_shown(self, person_ids: list[int]) -> None:
        access.maintenance_read("koers careplan_current check", person_ids, object_type="careplans.CarePlan")

    def log_repaired(self, person_ids: list[int]) -> None:  # ``repair``, as above
        access.maintenance_repair("koers careplan_current repair", person_ids, object_type="careplans.CarePlan")
