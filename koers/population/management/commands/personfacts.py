"""``koers personfacts check | refresh``: the population page's kept per-person rows.

- ``koers personfacts check``: compute every person's row again from people's rows and compare it
  with the kept one; prints ``OK, no drift`` or one line per person that drifted (column, kept,
  computed; at most ``--show`` lines) and exits with 1.
- ``koers personfacts refresh``: compute and store every person's row (after a restore,
  ``loaddata`` or a bulk write outside the services; ``koers generate`` and the migration that
  made the table do this themselves).
"""

from __future__ import annotations

from koers.lib.commands import KeptDataCommand
from koers.population import kept


class Command(KeptDataCommand):
    help = "The population page's kept per-person rows: check them against people's rows, or compute them again."
    what = "kept population row"

    def refresh_all(self) -> int:
        return kept.refresh_all()

    def drift(self) -> dict:
        return kept.drift()
