"""``koers attention check | repair | refresh``: the caseload's kept "needs attention" summary.

- ``koers attention check``: compute every person's summary again from the rows and compare it
  with the kept one; prints ``OK, no drift`` or one line per person that drifted (column, kept,
  computed; at most ``--show`` lines) and exits with 1.
- ``koers attention repair``: the same comparison, then the drifted persons' summaries stored
  again (nightly through ``koers scheduler``; exit 1 from the command line when it repaired any).
- ``koers attention refresh``: compute and store every person's summary (after a restore,
  ``loaddata`` or a bulk write outside the services; ``koers generate`` and the migration that
  made the table do this themselves).
"""

from __future__ import annotations

from koers import access
from koers.lib.commands import KeptDataCommand
from koers.people import attention


class Command(KeptDataCommand):
    help = 'The caseload\'s kept "needs attention" summary: check it against the rows, or compute it again.'
    what = "kept summary"

    def refresh_all(self) -> int:
        return attention.refresh_all()

    def refresh(self, person_ids: list[int]) -> None:
        attention.refresh(person_ids)

    def drift(self) -> dict:
        return attention.drift()

    def log_shown(self, person_ids: list[int]) -> None:
        access.maintenance_read("koers attention check", person_ids, object_type="AttentionSummary")

    def log_repaired(self, person_ids: list[int]) -> None:
        access.maintenance_repair("koers attention repair", person_ids, object_type="AttentionSummary")
