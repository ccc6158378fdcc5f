"""``koers indicator_cohorts check | repair | refresh``: the indicators' kept rows, the cohorts
(``koers.indicators.cohorts``), the trajectories' points (``koers.indicators.trajectories``) and
the follow-up rhythm's spans (``koers.indicators.rhythm``), the goals' decisions and GAS
reviews (``koers.indicators.goalpoints``) and the spans of agreed care plans, yearly evaluations
and screenings (``koers.indicators.covers``).

- ``check``: compute every person's spells again from the care-team memberships, points from the
  scores, spans from the follow-up agreements, goal decisions from the goals' status changes and
  GAS reviews from the reviews and goals, the spans of agreed plans, evaluations and screenings
  from those rows, and compare them with the kept ones; prints ``OK, no
  drift`` or one line per person that drifted (at most ``--show``) and exits with 1.
- ``refresh``: compute and store every person's kept rows (after a restore, ``loaddata``
  or a bulk write outside the services; ``koers generate`` and the migrations that made the
  tables do this themselves).

The command itself (arguments, output, exit code): ``koers.lib.commands.KeptDataCommand``.
"""

from __future__ import annotations

from koers import access
from koers.indicators import cohorts, covers, goalpoints, rhythm, trajectories
from koers.lib.commands import KeptDataCommand

# Each kept table, as ``check`` names it, and its module (``refresh_all``, ``drift``).
KEPT = (
    ("spells", cohorts),
    ("points", trajectories),
    ("spans of the follow-up", rhythm),
    ("goal decisions", goalpoints.DECISIONS),
    ("GAS reviews", goalpoints.REVIEWS),
    ("agreed plans, evaluations and screenings", covers.COVERS),
)


class Command(KeptDataCommand):
    help = (
        "The indicators' kept rows: check them against the care-team rows, scores, follow-up agreements, "
        "goal status changes, GAS reviews, agreed care plans, yearly evaluations and screenings, or compute them again."
    )
    what = "indicators' kept rows"

    def refresh_all(self) -> int:
        counts = [module.refresh_all() for _, module in KEPT]
        return counts[0]  # the cohorts' refresh counts every person

    def refresh(self, person_ids: list[int]) -> None:
        for _, module in KEPT:
            module.refresh(person_ids)

    def drift(self) -> dict:
        """{person_id: {table: (kept rows, computed rows)}} over the six kept tables."""
        found: dict[int, dict] = {}
        for name, module in KEPT:
            for pid, (kept, computed) in module.drift().items():
                found.setdefault(pid, {})[name] = (kept, computed)
        return found

    def log_shown(self, person_ids: list[int]) -> None:
        access.maintenance_read("koers indicator_cohorts check", person_ids, object_type="IndicatorKeptRows")

    def log_repaired(self, person_ids: list[int]) -> None:
        access.maintenance_repair("koers indicator_cohorts repair", person_ids, object_type="IndicatorKeptRows")
