"""``koers personfacts check | repair | refresh``: the population page's kept per-person rows
(``koers.population.kept``) compared with people's rows (exit 1 on drift), or computed again for
everyone — after a restore, ``loaddata`` or a bulk write outside the services (``koers generate``
and the table's migration do it themselves). The command itself: ``KeptDataCommand``."""

from __future__ import annotations

from koers import access
from koers.lib.commands import KeptDataCommand
from koers.population import kept


class Command(KeptDataCommand):
    help = "The population page's kept per-person rows: check them against people's rows, or compute them again."
    what = "kept population row"

    def refresh_all(self) -> int:
        return kept.refresh_all()

    def refresh(self, person_ids: list[int]) -> None:
        kept.refresh(person_ids)

    def drift(self) -> dict:
        return kept.drift()

    def log_shown(self, person_ids: list[int]) -> None:
        access.maintenance_read("koers personfacts check", person_ids, object_type="PersonFacts")

    def log_repaired(self, person_ids: list[int]) -> None:
        access.maintenance_repair("koers personfacts repair", person_ids, object_type="PersonFacts")
