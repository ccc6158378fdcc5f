"""Outcome indicators (issue #16) as pure functions: plain rows in, counts out. No database.

The selectors (``koers.indicators.selectors``) fetch the rows with a few grouped queries; every
function here takes a *cohort* (the ids of the people who belong to one team or organisation in
one period) and the facts it needs, and answers with counts. Suppression of small cells is not
done here but in ``koers.indicators.report``, once, for the page, the command and the export
alike. The definitions are in ``docs/indicators.md``; keep the two together.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from koers.goals.gas import t_score

YEAR = dt.timedelta(days=365)
FOLLOW_UP_GRACE = dt.timedelta(days=14)
PREM_POSITIVE = 67  # a PREM score of 67 or more: on average "mostly yes" (3 of 4) or better
GAS_BANDS = ("<40", "40-49", "50-59", ">=60")
TRAJECTORIES = ("recovered", "improved", "unchanged", "deteriorated")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    label: str

    def holds(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Share:
    """``numerator`` of ``denominator`` people (or goals, or responses) meet the definition."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return round(100 * self.numerator / self.denominator, 1) if self.denominator else None


@dataclass(frozen=True)
class Distribution:
    """Counts per category; the denominator is their sum."""

    counts: dict[str, int]

    @property
    def denominator(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Mean:
    """The mean of ``n`` values (``None`` when there are none)."""

    n: int
    value: float | None


# --- the rows the selectors hand over --------------------------------------------------------
# Named tuples, not dataclasses: the selectors build several hundred thousand of them per page,
# and a tuple is built several times faster than a frozen dataclass (same fields, same order).


class Membership(NamedTuple):
    """A person in a unit's care from ``start`` to ``end`` (None: still)."""

    person_id: int
    unit: tuple[str, int]  # ("organisation", id) or ("team", id)
    start: dt.date
    end: dt.date | None


class GoalDecision(NamedTuple):
    """A goal's achievement status set to achieved or not achieved on ``on``."""

    person_id: int
    goal_id: int
    on: dt.date
    achieved: bool


class GasReview(NamedTuple):
    person_id: int
    goal_id: int
    weight: int
    level: int
    on: dt.date


class FollowUp(NamedTuple):
    person_id: int
    created: dt.date
    ended: dt.date | None
    next_date: dt.date | None


class ScorePoint(NamedTuple):
    person_id: int
    instrument_id: str
    on: dt.date
    total: float


class PremScore(NamedTuple):
    unit: tuple[str, int]
    on: dt.date
    total: float


# --- cohorts -----------------------------------------------------------------------------------


def cohort(memberships: Iterable[Membership], unit: tuple[str, int], period: Period) -> frozenset[int]:
    """The people in ``unit``'s care at any moment of ``period``."""
    return frozenset(
        m.person_id
        for m in memberships
        if m.unit == unit and m.start <= period.end and (m.end is None or m.end >= period.start)
    )


def at_end(memberships: Iterable[Membership], unit: tuple[str, int], period: Period) -> frozenset[int]:
    """The people still in ``unit``'s care on the last day of ``period``."""
    return frozenset(
        m.person_id
        for m in memberships
        if m.unit == unit and m.start <= period.end and (m.end is None or m.end > period.end)
    )


def first_start(memberships: Iterable[Membership], unit: tuple[str, int]) -> dict[int, dt.date]:
    """Per person: the first day in ``unit``'s care."""
    first: dict[int, dt.date] = {}
    for m in memberships:
        if m.unit == unit and (m.person_id not in first or m.start < first[m.person_id]):
            first[m.person_id] = m.start
    return first


# --- the indicators ------------------------------------------------------------------------------


def goal_attainment(people: frozenset[int], decisions: Iterable[GoalDecision], period: Period) -> Share:
    """Goals concluded in the period (last decision in the period counts) that were achieved."""
    last: dict[int, GoalDecision] = {}
    for d in decisions:
        if d.person_id in people and period.holds(d.on):
            if d.goal_id not in last or d.on >= last[d.goal_id].on:
                last[d.goal_id] = d
    return Share(sum(d.achieved for d in last.values()), len(last))


def gas_band(score: float) -> str:
    if score < 40:
        return GAS_BANDS[0]
    if score < 50:
        return GAS_BANDS[1]
    if score < 60:
        return GAS_BANDS[2]
    return GAS_BANDS[3]


def gas_distribution(people: frozenset[int], reviews: Iterable[GasReview], period: Period) -> Distribution:
    """Per person the GAS T-score over their goals reviewed in the period (latest review per goal)."""
    latest: dict[int, GasReview] = {}
    for r in reviews:
        if r.person_id in people and period.holds(r.on):
            if r.goal_id not in latest or r.on >= latest[r.goal_id].on:
                latest[r.goal_id] = r
    per_person: dict[int, list[GasReview]] = defaultdict(list)
    for r in latest.values():
        per_person[r.person_id].append(r)
    counts = dict.fromkeys(GAS_BANDS, 0)
    for goals in per_person.values():
        counts[gas_band(t_score([g.level for g in goals], [g.weight for g in goals]))] += 1
    return Distribution(counts)


def _within_year_before(days: Iterable[dt.date], end: dt.date) -> bool:
    return any(end - YEAR < day <= end for day in days)


def care_plan_up_to_date(people: frozenset[int], agreed: Mapping[int, list[dt.date]], period: Period) -> Share:
    """People in care at the end of the period with a plan version agreed in the 12 months before."""
    return Share(sum(_within_year_before(agreed.get(p, ()), period.end) for p in people), len(people))


def yearly_evaluation_on_time(
    people: frozenset[int], started: Mapping[int, dt.date], evaluations: Mapping[int, list[dt.date]], period: Period
) -> Share:
    """People in care for a year or more at the end of the period with an evaluation in that year."""
    due = [p for p in people if p in started and started[p] <= period.end - YEAR]
    return Share(sum(_within_year_before(evaluations.get(p, ()), period.end) for p in due), len(due))


def follow_up_on_rhythm(
    people: frozenset[int], follow_ups: Iterable[FollowUp], period: Period, today: dt.date
) -> Share:
    """People with an agreed follow-up date none of whose agreements is more than two weeks late."""
    on = min(period.end, today)
    running: dict[int, list[FollowUp]] = defaultdict(list)
    for f in follow_ups:
        if f.person_id in people and f.next_date and f.created <= on and (f.ended is None or f.ended > on):
            running[f.person_id].append(f)
    kept = sum(all(f.next_date >= on - FOLLOW_UP_GRACE for f in agreements) for agreements in running.values())
    return Share(kept, len(running))


Classify = Callable[[str, float, float], str | None]


def trajectories(
    people: frozenset[int], scores: Iterable[ScorePoint], period: Period, classify: Classify
) -> Distribution:
    """Per person and instrument with a score in the period: the first score ever against the last
    one in the period, classified by ``classify`` (reliable change; None: no norms, left out)."""
    series: dict[tuple[int, str], list[ScorePoint]] = defaultdict(list)
    for s in scores:
        if s.person_id in people and s.on <= period.end:
            series[(s.person_id, s.instrument_id)].append(s)
    counts = dict.fromkeys(TRAJECTORIES, 0)
    for (_, instrument), points in series.items():
        points.sort(key=lambda s: s.on)
        last = points[-1]
        if len(points) < 2 or not period.holds(last.on):
            continue
        kind = classify(instrument, points[0].total, last.total)
        if kind in counts:
            counts[kind] += 1
    return Distribution(counts)


def prem_positive(unit: tuple[str, int], scores: Iterable[PremScore], period: Period) -> Share:
    """PREM responses given to ``unit`` in the period with a score of 67 or more."""
    found = [s.total for s in scores if s.unit == unit and period.holds(s.on)]
    return Share(sum(total >= PREM_POSITIVE for total in found), len(found))


def prem_mean(unit: tuple[str, int], scores: Iterable[PremScore], period: Period) -> Mean:
    found = [s.total for s in scores if s.unit == unit and period.holds(s.on)]
    return Mean(len(found), round(sum(found) / len(found), 1) if found else None)


def smi_screening(
    people: frozenset[int], smi: frozenset[int], screened: Mapping[int, list[dt.date]], period: Period
) -> Share:
    """People with a severe mental illness in care at the end of the period, screened in the year before."""
    due = [p for p in people if p in smi]
    return Share(sum(_within_year_before(screened.get(p, ()), period.end) for p in due), len(due))


# --- the same, over facts grouped once per table ------------------------------------------------
# The page counts four quarters (or more) per unit from the same facts; grouping them once and
# reusing the groups gives the same counts as the functions above (the reference, tested side by
# side in tests/test_fast_path.py) for a fraction of the work.


def score_series(scores: Iterable[ScorePoint]) -> dict[tuple[int, str], tuple[list[dt.date], list[ScorePoint]]]:
    """Per person and instrument: the scores by day (a stable sort: ties keep their order) and their days."""
    series: dict[tuple[int, str], list[ScorePoint]] = defaultdict(list)
    for s in scores:
        series[(s.person_id, s.instrument_id)].append(s)
    found = {}
    for key, points in series.items():
        points.sort(key=lambda s: s.on)
        found[key] = ([s.on for s in points], points)
    return found


def trajectories_grouped(
    people: frozenset[int], series: Mapping[tuple[int, str], tuple[list[dt.date], list[ScorePoint]]],
    period: Period, classify: Classify,
) -> Distribution:  # fmt: skip
    """``trajectories`` over ``score_series``: the scores up to the period's end are a prefix."""
    counts = dict.fromkeys(TRAJECTORIES, 0)
    for (person_id, instrument), (days, points) in series.items():
        if person_id not in people:
            continue
        n = bisect_right(days, period.end)
        if n < 2 or not period.holds(points[n - 1].on):
            continue
        kind = classify(instrument, points[0].total, points[n - 1].total)
        if kind in counts:
            counts[kind] += 1
    return Distribution(counts)


def agreed_follow_ups(follow_ups: Iterable[FollowUp]) -> dict[int, list[FollowUp]]:
    """Per person: the follow-up agreements with an agreed date."""
    found: dict[int, list[FollowUp]] = defaultdict(list)
    for f in follow_ups:
        if f.next_date:
            found[f.person_id].append(f)
    return dict(found)


def follow_up_on_rhythm_grouped(
    people: frozenset[int], agreed: Mapping[int, list[FollowUp]], period: Period, today: dt.date
) -> Share:
    """``follow_up_on_rhythm`` over ``agreed_follow_ups``."""
    on = min(period.end, today)
    limit = on - FOLLOW_UP_GRACE
    kept = running = 0
    for person_id, agreements in agreed.items():
        if person_id not in people:
            continue
        now = [f for f in agreements if f.created <= on and (f.ended is None or f.ended > on)]
        if now:
            running += 1
            kept += all(f.next_date >= limit for f in now)
    return Share(kept, running)
