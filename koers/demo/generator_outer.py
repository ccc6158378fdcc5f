"""The outer cycle's records for ``koers generate`` (issue #16): what the outcome indicators count
beyond goals and questionnaires, so that every indicator has people in every quarter at scale.

- **Goal verdicts and GAS reviews spread over time.** A concluded goal was achieved in three cases
  of four and not achieved in the fourth; its verdict and its GAS reviews fall on days between its
  start and today, not on the same days for everyone (``goal_attainment`` and ``gas_t_score``
  count them per quarter).
- **Agreed care plans.** The newest plan version is agreed with the person in about 70 % of
  cases, a few days after it was made; the first version in about half (``care_plan_up_to_date``).
- **Yearly evaluations.** For people in care for more than a year: about 70 % had one in the last
  twelve months (half of them also the year before), about 15 % one that is now overdue
  (``yearly_evaluation_on_time``).
- **Somatic screenings** for people with a severe mental illness: about 65 % were screened in the
  last twelve months, with the next one planned a year later as the service plans it; the others
  have a planned screening that is overdue (``smi_screening``, and the caseload's "needs attention").
- **PREM** (``koers-prem``): about a third of people answered it once or twice in the last
  fourteen months, for the team and organisation of the professional who asked
  (``prem_positive``, ``prem_mean``), scored by the instrument's own expressions.

Each person's outer records come from a random stream of their own, seeded by (seed, person
index): the rest of the population is drawn exactly as before, and a seed gives the same records
whatever the batch size.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone

from koers.followup.models import YearlyEvaluation
from koers.goals.models import Goal
from koers.indicators.counting import PREM
from koers.questionnaires import instruments
from koers.questionnaires.models import Response
from koers.screening.models import SomaticScreening

NOT_ACHIEVED_SHARE = 0.25
WENT_WELL = (
    "Afspraken over bewegen zijn goed gelukt.",
    "De cliënt heeft meer rust en overzicht.",
    "Contact met de praktijkondersteuner liep goed.",
    "De medicijnen worden goed ingenomen.",
)
SHOULD_CHANGE = ("", "Vaker kort contact tussendoor.", "Meer aandacht voor slapen.", "Hulp bij geldzaken erbij.")
PARTICIPANTS = ("cliënt en praktijkondersteuner", "cliënt, partner en praktijkondersteuner", "cliënt en huisarts")


@dataclass
class OuterRecords:
    goal_days: list[int] = field(default_factory=list)  # per goal: days ago of its status change
    agreed_after: dict[int, int] = field(default_factory=dict)  # plan stage index -> days after it was made
    evaluations: list[YearlyEvaluation] = field(default_factory=list)
    screenings: list[SomaticScreening] = field(default_factory=list)
    prem: list[tuple[Response, object, dict]] = field(default_factory=list)  # as PersonRecords.responses


class OuterDraw:
    """Draws one person's outer records; ``records`` is the generator's ``RecordsDraw`` (it scores
    the PREM by the instrument's expressions, cached per set of answers)."""

    def __init__(self, *, seed: int, today: dt.date, records):
        self.seed = seed
        self.today = today
        self.records = records
        self.tz = timezone.get_current_timezone()
        self.prem = instruments.get(PREM)

    def draw(self, index: int, spec: dict) -> OuterRecords:
        """``spec`` is ``PersonDraw``'s drawing of the person; concluded goals may get the verdict
        "not achieved" here (before the goals and the plan's snapshots are written)."""
        rng = random.Random(f"{self.seed}:{index}:outer")  # nosec B311  # reproducible made-up data
        out = OuterRecords()
        out.goal_days = [self._verdict(rng, goal, reviews) for goal, _levels, reviews, _actions in spec["goals"]]
        if rng.random() < 0.5:
            out.agreed_after[0] = rng.randrange(0, 8)
        if rng.random() < 0.7:
            out.agreed_after[-1] = rng.randrange(0, 8)
        in_care_since = min(member.started_at for member in spec["team"]).date()
        responsible = spec["responsible"]
        out.evaluations = self._evaluations(rng, in_care_since, responsible)
        if getattr(spec["profile"], "severe_mental_illness", False):
            out.screenings = self._screenings(rng, responsible)
        if rng.random() < 0.33:
            out.prem = self._prem(index, rng, spec["person"], responsible)
        return out

    def _verdict(self, rng: random.Random, goal: Goal, reviews: list) -> int:
        """Days ago of the goal's status change; its GAS reviews spread between its start and today."""
        if goal.lifecycle_status == Goal.LifecycleStatus.COMPLETED and rng.random() < NOT_ACHIEVED_SHARE:
            goal.achievement_status = Goal.AchievementStatus.NOT_ACHIEVED
        if goal.start_date is None:
            return 120
        running = max(2, (self.today - goal.start_date).days)
        for review, days in zip(
            reviews, sorted(rng.sample(range(1, running), min(len(reviews), running - 1)), reverse=True), strict=False
        ):
            review.reviewed_at = dt.datetime.combine(self.today - dt.timedelta(days=days), dt.time(14), tzinfo=dt.UTC)
        return rng.randrange(1, running)

    def _evaluations(self, rng: random.Random, since: dt.date, responsible) -> list[YearlyEvaluation]:
        if (self.today - since).days < 365:
            return []
        draw = rng.random()
        if draw < 0.7:
            days = [rng.randrange(3, 360)]
            if rng.random() < 0.5:
                days.append(days[0] + rng.randrange(330, 400))
        elif draw < 0.85:
            days = [rng.randrange(380, 600)]
        else:
            return []
        return [
            YearlyEvaluation(
                date=self.today - dt.timedelta(days=d),
                went_well=rng.choice(WENT_WELL),
                should_change=rng.choice(SHOULD_CHANGE),
                participants=rng.choice(PARTICIPANTS),
                recorded_by=responsible,
            )
            for d in days
            if self.today - dt.timedelta(days=d) >= since
        ]

    def _screenings(self, rng: random.Random, responsible) -> list[SomaticScreening]:
        smoking = rng.choice(("never", "former", "current", "current"))
        if rng.random() < 0.65:
            done = self.today - dt.timedelta(days=rng.randrange(5, 360))
            due = done - dt.timedelta(days=rng.randrange(0, 30))
            return [
                SomaticScreening(due_date=due, done_on=done, smoking=smoking, created_by=responsible),
                SomaticScreening(due_date=done + dt.timedelta(days=365), created_by=responsible),
            ]
        due = self.today - dt.timedelta(days=rng.randrange(10, 200))
        return [SomaticScreening(due_date=due, created_by=responsible)]

    def _prem(self, index: int, rng: random.Random, person, responsible) -> list:
        answers_rng = np.random.default_rng([self.seed, index, 19])
        out = []
        for _ in range(1 if rng.random() < 0.7 else 2):
            day = self.today - dt.timedelta(days=rng.randrange(1, 420))
            authored = dt.datetime.combine(day, dt.time(rng.randrange(8, 22), rng.randrange(0, 60)), tzinfo=self.tz)
            authored = authored.astimezone(dt.UTC)  # as the database gives it back
            answers = self._prem_answers(answers_rng, level=1.0 - float(answers_rng.beta(2, 5)))
            portal = person.user is not None
            response = Response(
                instrument_id=self.prem.id,
                instrument_version=self.prem.version,
                title=self.prem.title("nl")[:300],
                status=Response.Status.COMPLETED,
                mode=Response.Mode.PORTAL if portal else Response.Mode.CONSULT,
                answers=answers,
                filled_by=person.user if portal else responsible,
                organisation=responsible.organisation,
                team=responsible.team,
                started_at=authored - dt.timedelta(minutes=4),
                authored_at=authored,
            )
            out.append((response, *self.records.scored(self.prem, answers)))
        return sorted(out, key=lambda r: r[0].authored_at)

    def _prem_answers(self, rng, *, level: float) -> dict:
        """An answer on each scored question around ``level`` (1 = always as it should be), "do not
        know / not applicable" now and then; the open question left empty."""
        answers = {}
        for item in self.prem.answer_items:
            scored = [o.code for o in item.options if o.value is not None]
            other = [o.code for o in item.options if o.value is None]
            if not scored:
                continue
            if other and rng.random() < 0.05:
                answers[item.link_id] = other[0]
                continue
            position = round(level * (len(scored) - 1) + rng.normal(0, 0.6))
            answers[item.link_id] = scored[int(np.clip(position, 0, len(scored) - 1))]
        return answers


def agreed_at(created_at: dt.datetime, days_after: int, now: dt.datetime) -> dt.datetime:
    """The moment a plan version was agreed, ``days_after`` days after it was made (never later than now)."""
    return min(created_at + dt.timedelta(days=days_after, hours=1), now)


def write(specs: list[dict], insert) -> None:
    """The batch's evaluations and screenings (``insert`` is the generator's: it counts rows);
    before the kept "needs attention" summary, which reads the screenings."""
    evaluations, screenings = [], []
    for s in specs:
        for row in s["outer"].evaluations:
            row.person = s["person"]
            evaluations.append(row)
        for row in s["outer"].screenings:
            row.person = s["person"]
            screenings.append(row)
    insert(YearlyEvaluation, evaluations)
    insert(SomaticScreening, screenings)
