"""The grouped indicator functions give exactly what the reference functions give. Pure: no database."""

import datetime as dt
import random

import pytest

from koers.indicators import compute, periods, report
from koers.indicators.compute import FollowUp, Membership, ScorePoint

D = dt.date
INSTRUMENTS = ("phq-9", "gad-7", "eigen-lijst")


def _day(rng) -> dt.date:
    return D(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 900))


def _classify(instrument, before, after):
    if instrument == "eigen-lijst":
        return None
    return compute.TRAJECTORIES[int(after - before) % 4] if after != before else "unchanged"


def _facts(seed: int) -> report.Facts:
    rng = random.Random(seed)
    people = range(1, 80)
    follow_ups = [
        FollowUp(rng.choice(people), _day(rng), rng.choice([None, _day(rng)]), rng.choice([None, _day(rng), _day(rng)]))
        for _ in range(300)
    ]
    # few days, so ties on a day are common; totals differ so a wrong tie order changes the answer
    days = [_day(rng) for _ in range(40)]
    scores = [
        ScorePoint(rng.choice(people), rng.choice(INSTRUMENTS), rng.choice(days), float(rng.randrange(0, 27)))
        for _ in range(600)
    ]
    memberships = [Membership(p, ("organisation", 1), _day(rng), rng.choice([None, _day(rng)])) for p in people]
    return report.Facts(memberships=memberships, follow_ups=follow_ups, scores=scores)


@pytest.mark.parametrize("seed", range(6))
def test_grouped_functions_equal_the_reference(seed):
    facts = _facts(seed)
    grouped = report.Grouped.of(facts)
    rng = random.Random(seed)
    for period in periods.quarters(D(2024, 1, 1), D(2026, 9, 30)):
        for people in (frozenset(range(1, 80)), frozenset(rng.sample(range(1, 80), 30)), frozenset()):
            today = rng.choice([period.end, _day(rng)])
            assert compute.follow_up_on_rhythm_grouped(
                people, grouped.agreed, period, today
            ) == compute.follow_up_on_rhythm(people, facts.follow_ups, period, today)
            assert compute.trajectories_grouped(people, grouped.series, period, _classify) == compute.trajectories(
                people, facts.scores, period, _classify
            )


def test_the_table_equals_one_built_with_the_reference_functions(monkeypatch):
    facts = _facts(7)
    unit = [report.Unit("organisation", 1, "Regio")]
    quarters = periods.quarters(D(2024, 1, 1), D(2026, 5, 3))
    fast = report.table(facts, unit, quarters, today=D(2026, 5, 3), classify=_classify, k=3)
    monkeypatch.setattr(
        compute,
        "follow_up_on_rhythm_grouped",
        lambda p, _g, pe, t: compute.follow_up_on_rhythm(p, facts.follow_ups, pe, t),
    )
    monkeypatch.setattr(
        compute, "trajectories_grouped", lambda p, _g, pe, c: compute.trajectories(p, facts.scores, pe, c)
    )
    slow = report.table(facts, unit, quarters, today=D(2026, 5, 3), classify=_classify, k=3)
    assert fast == slow
    assert any(r.indicator == "questionnaire_trajectory" and r.numerator for r in fast)
    assert any(r.indicator == "follow_up_on_rhythm" and r.denominator for r in fast)
