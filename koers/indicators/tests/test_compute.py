"""The indicators on small hand-built populations with known answers. Pure: no database."""

import datetime as dt

import pytest

from koers.indicators import compute, periods, report
from koers.indicators.compute import (
    FollowUp,
    GasReview,
    GoalDecision,
    Membership,
    Period,
    PremScore,
    ScorePoint,
    Share,
)

D = dt.date
Q1 = Period(D(2026, 1, 1), D(2026, 3, 31), "2026-Q1")
ORG = ("organisation", 1)
TEAM = ("team", 7)


def test_cohort_and_at_end():
    ms = [
        Membership(1, ORG, D(2025, 1, 1), None),
        Membership(2, ORG, D(2026, 2, 1), D(2026, 3, 1)),  # in, then gone before the end
        Membership(3, ORG, D(2026, 4, 1), None),  # after the period
        Membership(4, TEAM, D(2025, 1, 1), None),  # another unit
        Membership(5, ORG, D(2024, 1, 1), D(2025, 12, 31)),  # gone before the period
    ]
    assert compute.cohort(ms, ORG, Q1) == {1, 2}
    assert compute.at_end(ms, ORG, Q1) == {1}
    assert compute.first_start(ms, ORG)[5] == D(2024, 1, 1)


def test_goal_attainment_counts_the_last_decision_in_the_period():
    decisions = [
        GoalDecision(1, 10, D(2026, 1, 5), False),
        GoalDecision(1, 10, D(2026, 2, 5), True),  # same goal, later: achieved
        GoalDecision(2, 20, D(2026, 3, 1), False),
        GoalDecision(3, 30, D(2026, 3, 2), True),
        GoalDecision(3, 31, D(2025, 12, 31), True),  # before the period
        GoalDecision(9, 90, D(2026, 1, 10), True),  # not in the cohort
    ]
    result = compute.goal_attainment(frozenset({1, 2, 3}), decisions, Q1)
    assert (result.numerator, result.denominator, result.value) == (2, 3, 66.7)


def test_gas_distribution_uses_the_t_score_per_person():
    reviews = [
        GasReview(1, 10, 1, 0, D(2026, 1, 10)),  # person 1: one goal at 0 → T 50
        GasReview(2, 20, 1, -2, D(2026, 1, 10)),
        GasReview(2, 20, 1, 2, D(2026, 2, 10)),  # latest review counts: +2 → T 70
        GasReview(3, 30, 1, -1, D(2026, 2, 1)),
        GasReview(3, 31, 1, -1, D(2026, 2, 1)),  # two goals at −1 → T ≈ 37.6
        GasReview(4, 40, 1, -1, D(2026, 2, 1)),  # one goal at −1 → T ≈ 40.9 (40-49)
        GasReview(5, 50, 1, 2, D(2025, 2, 1)),  # outside the period
    ]
    result = compute.gas_distribution(frozenset({1, 2, 3, 4, 5}), reviews, Q1)
    assert result.counts == {"<40": 1, "40-49": 1, "50-59": 1, ">=60": 1}


def test_care_plan_up_to_date_means_agreed_in_the_twelve_months_before_the_end():
    agreed = {1: [D(2025, 4, 1)], 2: [D(2025, 3, 31)], 3: [D(2026, 4, 1)], 4: [D(2024, 1, 1), D(2026, 3, 31)]}
    result = compute.care_plan_up_to_date(frozenset({1, 2, 3, 4, 5}), agreed, Q1)
    assert (result.numerator, result.denominator) == (2, 5)  # 1 and 4; 2 is a day too old, 3 later


def test_yearly_evaluation_only_for_people_in_care_for_a_year():
    started = {1: D(2024, 1, 1), 2: D(2024, 1, 1), 3: D(2025, 12, 1)}
    evaluations = {1: [D(2025, 9, 1)], 2: [D(2024, 12, 1)], 3: [D(2026, 1, 2)]}
    result = compute.yearly_evaluation_on_time(frozenset({1, 2, 3}), started, evaluations, Q1)
    assert (result.numerator, result.denominator) == (1, 2)  # 3 is new: not yet due


def test_follow_up_on_rhythm_allows_two_weeks_and_needs_every_agreement_on_time():
    follow_ups = [
        FollowUp(1, D(2025, 1, 1), None, D(2026, 3, 20)),  # 11 days late on 31 March: within grace
        FollowUp(2, D(2025, 1, 1), None, D(2026, 4, 30)),
        FollowUp(2, D(2025, 1, 1), None, D(2026, 3, 1)),  # one of two agreements a month late
        FollowUp(3, D(2025, 1, 1), D(2026, 2, 1), D(2025, 6, 1)),  # ended: not counted
        FollowUp(4, D(2025, 1, 1), None, None),  # no date agreed: not counted
    ]
    result = compute.follow_up_on_rhythm(frozenset({1, 2, 3, 4}), follow_ups, Q1, today=D(2026, 6, 1))
    assert (result.numerator, result.denominator) == (1, 2)


def test_trajectories_compare_the_first_score_with_the_last_in_the_period():
    def classify(instrument, before, after):
        if instrument == "none":
            return None
        diff = after - before
        if diff <= -10:
            return "recovered" if after < 5 else "improved"
        return "deteriorated" if diff >= 10 else "unchanged"

    scores = [
        ScorePoint(1, "phq", D(2025, 1, 1), 20),
        ScorePoint(1, "phq", D(2026, 2, 1), 4),  # recovered
        ScorePoint(2, "phq", D(2025, 1, 1), 20),
        ScorePoint(2, "phq", D(2026, 2, 1), 8),  # improved
        ScorePoint(3, "phq", D(2025, 1, 1), 5),
        ScorePoint(3, "phq", D(2026, 2, 1), 20),  # deteriorated
        ScorePoint(4, "phq", D(2026, 1, 1), 5),
        ScorePoint(4, "phq", D(2026, 3, 1), 6),  # unchanged
        ScorePoint(5, "phq", D(2026, 1, 1), 5),  # one score: no trajectory
        ScorePoint(6, "none", D(2025, 1, 1), 5),
        ScorePoint(6, "none", D(2026, 1, 1), 50),  # no norms: left out
        ScorePoint(7, "phq", D(2025, 1, 1), 20),
        ScorePoint(7, "phq", D(2025, 6, 1), 2),  # last score before the period
    ]
    result = compute.trajectories(frozenset(range(1, 8)), scores, Q1, classify)
    assert result.counts == {"recovered": 1, "improved": 1, "unchanged": 1, "deteriorated": 1}


def test_prem_per_unit():
    scores = [PremScore(TEAM, D(2026, 1, 5), t) for t in (100, 67, 66, 0)] + [PremScore(ORG, D(2026, 1, 5), 100)]
    share = compute.prem_positive(TEAM, scores, Q1)
    assert (share.numerator, share.denominator) == (2, 4)
    assert compute.prem_mean(TEAM, scores, Q1).value == 58.2


def test_smi_screening_counts_only_people_with_smi():
    screened = {1: [D(2025, 6, 1)], 2: [D(2024, 6, 1)], 3: [D(2026, 1, 1)]}
    result = compute.smi_screening(frozenset({1, 2, 3, 4}), frozenset({1, 2, 4}), screened, Q1)
    assert (result.numerator, result.denominator) == (1, 3)


def test_publish_suppresses_a_share_with_its_difference():
    unit = report.Unit("team", 7, "Team")
    shown = report.publish(unit, Q1, "care_plan_up_to_date", Share(12, 30), k=10)[0]
    assert (shown.numerator, shown.denominator, shown.value) == (12, 30, 40.0)
    small = report.publish(unit, Q1, "care_plan_up_to_date", Share(3, 40), k=10)[0]
    # 3 met is small; 37 not met would give it back by difference: hidden too, the total stays
    assert (small.numerator, small.denominator, small.value) == (None, 40, None)
    assert small.numerator_mark == "<10"
    near_full = report.publish(unit, Q1, "care_plan_up_to_date", Share(37, 40), k=10)[0]
    assert near_full.numerator is None and near_full.numerator_mark == "<10"  # one mark for every hidden count
    tiny = report.publish(unit, Q1, "care_plan_up_to_date", Share(2, 5), k=10)[0]
    assert (tiny.numerator, tiny.denominator, tiny.denominator_mark) == (None, None, "<10")
    empty = report.publish(unit, Q1, "care_plan_up_to_date", Share(0, 0), k=10)[0]
    assert (empty.numerator, empty.denominator, empty.value, empty.suppressed) == (0, 0, None, False)


def test_publish_suppresses_a_distribution_by_difference():
    unit = report.Unit("team", 7, "Team")
    result = compute.Distribution({"recovered": 3, "improved": 20, "unchanged": 30, "deteriorated": 12})
    rows = {r.category: r for r in report.publish(unit, Q1, "questionnaire_trajectory", result, k=10)}
    assert rows["recovered"].numerator is None
    # one hidden cell beside a shown total would follow by difference: the next smallest goes too
    assert rows["deteriorated"].numerator is None and rows["deteriorated"].numerator_mark == "<10"
    assert rows["improved"].numerator == 20 and rows["improved"].denominator == 65


def test_a_small_mean_is_not_shown():
    unit = report.Unit("team", 7, "Team")
    row = report.publish(unit, Q1, "prem_mean", compute.Mean(4, 80.0), k=10)[0]
    assert (row.denominator, row.value, row.denominator_mark) == (None, None, "<10")


def test_table_gives_every_indicator_per_unit_and_period():
    facts = report.Facts(memberships=[Membership(p, ORG, D(2025, 1, 1), None) for p in range(1, 13)])
    facts.plan_agreed = {p: [D(2026, 1, 1)] for p in range(1, 13)}
    units = [report.Unit("organisation", 1, "Org")]
    rows = report.table(facts, units, [Q1], today=D(2026, 6, 1), classify=lambda *a: None, k=10)
    plan = next(r for r in rows if r.indicator == "care_plan_up_to_date")
    assert (plan.numerator, plan.denominator, plan.value) == (12, 12, 100.0)
    assert {r.indicator for r in rows} == set(report.NAMES)


def test_quarters():
    found = periods.quarters(D(2025, 11, 15), D(2026, 2, 10))
    assert [p.label for p in found] == ["2025-Q4", "2026-Q1"]
    assert found[0].start == D(2025, 10, 1) and found[0].end == D(2025, 12, 31)
    assert found[-1].end == D(2026, 2, 10)
    assert periods.default_range(D(2026, 5, 2)) == (D(2025, 7, 1), D(2026, 5, 2))
    with pytest.raises(ValueError):
        periods.quarters(D(2026, 1, 2), D(2026, 1, 1))
