"""Every indicator per unit and period, small cells suppressed: one table for the page, the command
and the regional export alike. Pure: the facts come from ``koers.indicators.selectors``.

A share is published as two cells that add up to its denominator (met / not met) and suppressed
with ``koers.lib.suppression.suppress_counts``, so neither a small numerator nor a small
"denominator minus numerator" is shown. A distribution is one such group over its categories.
A suppressed count is ``None``; the value derived from it is ``None`` too; text output shows
"<k" instead (``cell_text``), never a number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from koers.indicators import compute
from koers.indicators.compute import Distribution, Mean, Period, Share
from koers.lib.suppression import DEFAULT_MINIMUM, mark, suppress_counts, suppressed

# (code, Dutch name); the order of the page, the command and the export
INDICATORS = (
    ("goal_attainment", gettext_noop("Doelen bereikt")),
    ("gas_t_score", gettext_noop("GAS T-score (verdeling over mensen)")),
    ("care_plan_up_to_date", gettext_noop("Zorgplan actueel (afgesproken in de laatste 12 maanden)")),
    ("yearly_evaluation_on_time", gettext_noop("Jaarlijkse evaluatie op tijd")),
    ("follow_up_on_rhythm", gettext_noop("Opvolging volgens het afgesproken ritme")),
    ("questionnaire_trajectory", gettext_noop("Verloop van vragenlijsten (betrouwbare verandering)")),
    ("prem_positive", gettext_noop("Ervaren persoonsgerichte zorg (PREM 67 of meer)")),
    ("prem_mean", gettext_noop("Ervaren persoonsgerichte zorg (PREM, gemiddelde 0-100)")),
    ("smi_screening", gettext_noop("Somatische screening bij EPA (laatste 12 maanden)")),
)
NAMES = dict(INDICATORS)
SHARE_INDICATORS = frozenset(
    {
        "goal_attainment",
        "care_plan_up_to_date",
        "yearly_evaluation_on_time",
        "follow_up_on_rhythm",
        "prem_positive",
        "smi_screening",
    }
)


@dataclass(frozen=True)
class Unit:
    kind: str  # "organisation" | "team"
    id: int
    name: str

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.id)


@dataclass
class Facts:
    """Everything the indicators read, as plain rows (see ``koers.indicators.compute``)."""

    memberships: list[compute.Membership] = field(default_factory=list)
    goal_decisions: list[compute.GoalDecision] = field(default_factory=list)
    gas_reviews: list[compute.GasReview] = field(default_factory=list)
    plan_agreed: dict[int, list[dt.date]] = field(default_factory=dict)
    evaluations: dict[int, list[dt.date]] = field(default_factory=dict)
    follow_ups: list[compute.FollowUp] = field(default_factory=list)
    scores: list[compute.ScorePoint] = field(default_factory=list)
    prem: list[compute.PremScore] = field(default_factory=list)
    smi: frozenset[int] = frozenset()
    screened: dict[int, list[dt.date]] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    """One published cell: ``None`` is a suppressed number."""

    unit: Unit
    period: Period
    indicator: str
    category: str  # "" for a share or a mean; the category of a distribution
    numerator: int | None
    denominator: int | None
    value: float | None
    # "" shown (or not applicable); else the one mark of a hidden count, "<k"
    # (``koers.lib.suppression.mark``: small, or hidden so that a small cell cannot be found by difference).
    numerator_mark: str = ""
    denominator_mark: str = ""

    @property
    def suppressed(self) -> bool:
        return bool(self.numerator_mark or self.denominator_mark)


@dataclass(frozen=True)
class Grouped:
    """Facts grouped once per table (``compute.score_series``, ``compute.agreed_follow_ups``)."""

    series: dict
    agreed: dict

    @classmethod
    def of(cls, facts: Facts) -> Grouped:
        return cls(compute.score_series(facts.scores), compute.agreed_follow_ups(facts.follow_ups))


def raw(
    facts: Facts, unit: Unit, period: Period, today: dt.date, classify: compute.Classify, grouped: Grouped | None = None
) -> dict:
    """The indicators of one unit and period, before suppression."""
    key = unit.key
    grouped = grouped or Grouped.of(facts)
    everyone, at_end = compute.cohort(facts.memberships, key, period), compute.at_end(facts.memberships, key, period)
    started = compute.first_start(facts.memberships, key)
    return {
        "goal_attainment": compute.goal_attainment(everyone, facts.goal_decisions, period),
        "gas_t_score": compute.gas_distribution(everyone, facts.gas_reviews, period),
        "care_plan_up_to_date": compute.care_plan_up_to_date(at_end, facts.plan_agreed, period),
        "yearly_evaluation_on_time": compute.yearly_evaluation_on_time(at_end, started, facts.evaluations, period),
        "follow_up_on_rhythm": compute.follow_up_on_rhythm_grouped(at_end, grouped.agreed, period, today),
        "questionnaire_trajectory": compute.trajectories_grouped(everyone, grouped.series, period, classify),
        "prem_positive": compute.prem_positive(key, facts.prem, period),
        "prem_mean": compute.prem_mean(key, facts.prem, period),
        "smi_screening": compute.smi_screening(at_end, facts.smi, facts.screened, period),
    }


def publish(unit: Unit, period: Period, code: str, result, k: int = DEFAULT_MINIMUM) -> list[Row]:
    """The rows of one result after suppression (nobody in the denominator: zeros, which point at
    nobody, and no value)."""
    if isinstance(result, Share) and result.denominator == 0:
        return [Row(unit, period, code, "", 0, 0, None)]
    if isinstance(result, Distribution) and result.denominator == 0:
        return [Row(unit, period, code, category, 0, 0, None) for category in result.counts]
    if isinstance(result, Share):
        cells = suppress_counts({"met": result.numerator, "not_met": result.denominator - result.numerator}, k=k)
        numerator, denominator = cells.cells["met"], cells.total
        value = suppressed(result.value, numerator, denominator)
        marks = _mark(numerator, result.numerator, k), _mark(denominator, result.denominator, k)
        return [Row(unit, period, code, "", numerator, denominator, value, *marks)]
    if isinstance(result, Distribution):
        cells = suppress_counts(result.counts, k=k)
        total, total_mark = cells.total, _mark(cells.total, result.denominator, k)
        return [
            Row(
                unit,
                period,
                code,
                category,
                count,
                total,
                suppressed(_percent(count, total), count, total),
                _mark(count, result.counts[category], k),
                total_mark,
            )  # fmt: skip
            for category, count in cells.cells.items()
        ]
    if isinstance(result, Mean):
        if result.n >= k or result.n == 0:
            return [Row(unit, period, code, "", None, result.n, result.value)]
        return [Row(unit, period, code, "", None, None, None, "", mark(k))]
    raise TypeError(f"unknown result {result!r}")


def _mark(shown: int | None, count: int, k: int) -> str:
    """The same mark whether ``count`` is small or hidden to protect another: a separate mark
    for the latter would say it is at least k (``koers.lib.suppression``'s docstring)."""
    return "" if shown is not None else mark(k)


def _percent(count: int | None, total: int | None) -> float | None:
    if count is None or not total:
        return None
    return round(100 * count / total, 1)


def table(
    facts: Facts,
    units: list[Unit],
    periods: list[Period],
    *,
    today: dt.date,
    classify: compute.Classify,
    k: int = DEFAULT_MINIMUM,
) -> list[Row]:
    rows: list[Row] = []
    grouped = Grouped.of(facts)
    for unit in units:
        for period in periods:
            results = raw(facts, unit, period, today, classify, grouped)
            for code, _name in INDICATORS:
                rows.extend(publish(unit, period, code, results[code], k))
    return rows


def table_of(counted: dict, units: list[Unit], periods: list[Period], *, k: int = DEFAULT_MINIMUM) -> list[Row]:
    """``table`` from results counted elsewhere (``koers.indicators.counting``: per unit key and
    period index, what ``raw`` gives); a unit and period with nothing counted gives zeros."""
    rows: list[Row] = []
    for unit in units:
        for n, period in enumerate(periods):
            results = counted.get((unit.key, n)) or nothing()
            for code, _name in INDICATORS:
                rows.extend(publish(unit, period, code, results[code], k))
    return rows


def nothing() -> dict:
    """The results of a unit and period without anyone in them."""
    return {
        "goal_attainment": Share(0, 0),
        "gas_t_score": Distribution(dict.fromkeys(compute.GAS_BANDS, 0)),
        "care_plan_up_to_date": Share(0, 0),
        "yearly_evaluation_on_time": Share(0, 0),
        "follow_up_on_rhythm": Share(0, 0),
        "questionnaire_trajectory": Distribution(dict.fromkeys(compute.TRAJECTORIES, 0)),
        "prem_positive": Share(0, 0),
        "prem_mean": Mean(0, None),
        "smi_screening": Share(0, 0),
    }


def cell_text(number: int | float | None, mark: str = "") -> str:
    """How a number is written in text output: a suppressed one by its mark, never as a number;
    a value that does not apply (no one in the denominator) as an empty cell."""
    if mark:
        return mark
    return "" if number is None else str(number)
