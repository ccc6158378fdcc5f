"""Validation by simulation with known truth (seeded; fewer runs than benchmarks/n1_validation.py,
whose full tables are in docs/n1-validation.md). Each bound sits below (detection) or above
(false alarms) the rate measured with 1000 runs, with room for the sampling error of these
runs; each would fail for the method without its correction (named per test).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from koers.monitoring.analysis.changepoints import change_points
from koers.monitoring.analysis.describe import usual_range
from koers.monitoring.analysis.phases import compare_phases
from koers.monitoring.analysis.series import make_series
from koers.monitoring.analysis.simulate import START, ar1, as_daily, diary
from koers.monitoring.analysis.trend import trend


def share(flags) -> float:
    flags = list(flags)
    return sum(bool(f) for f in flags) / len(flags)


def found_near(result, day: int, tolerance: int) -> bool:
    return any(abs(int((np.datetime64(c.date) - START).astype(int)) - day) <= tolerance for c in result.changes)


# ---- trend -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("phi", "bound"), [(0.0, 0.08), (0.5, 0.09)])
def test_trend_false_alarms_near_alpha(phi, bound):
    # Without the autocorrelation correction φ = 0.5 gives ~24 % (p_value_uncorrected).
    rng = np.random.default_rng(100 + int(phi * 10))
    results = [trend(as_daily(ar1(rng, 60, phi))) for _ in range(300)]
    assert share(r.significant for r in results) <= bound
    if phi:
        assert share(r.p_value_uncorrected < 0.05 for r in results) > 0.15  # the problem is real


def test_trend_of_one_sd_over_four_months_is_found():
    rng = np.random.default_rng(101)
    hits = [trend(as_daily(ar1(rng, 120, 0.0) + np.linspace(0, 1, 120))) for _ in range(200)]
    assert share(r.significant and r.direction == "up" for r in hits) >= 0.70


# ---- change points -------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "phi", "bound"), [(60, 0.0, 0.08), (120, 0.0, 0.08), (120, 0.5, 0.08), (365, 0.3, 0.08)])
def test_no_change_gives_few_change_points(n, phi, bound):
    # A BIC-type penalty (2·ln n·σ²) without the autocorrelation allowance: 89–100 % at φ = 0.5.
    rng = np.random.default_rng(200 + n + int(phi * 10))
    assert share(change_points(as_daily(ar1(rng, n, phi))).changes for _ in range(300)) <= bound


def test_one_sd_step_is_found_within_a_week_in_most_runs():
    rng = np.random.default_rng(201)
    runs = []
    for _ in range(200):
        y = ar1(rng, 120, 0.0)
        y[60:] += 1.0
        runs.append(change_points(as_daily(y)))
    assert share(r.changes for r in runs) >= 0.85  # something is found
    assert share(found_near(r, 60, 7) for r in runs) >= 0.72
    assert share(found_near(r, 60, 3) for r in runs) >= 0.55  # ±3 days: ~0.70 even for an oracle


def test_step_of_one_and_a_half_sd_is_dated_within_three_days():
    rng = np.random.default_rng(202)
    runs = []
    for _ in range(200):
        y = ar1(rng, 90, 0.0)
        y[45:] += 1.5
        runs.append(change_points(as_daily(y)))
    assert share(found_near(r, 45, 3) for r in runs) >= 0.80


def test_step_in_diary_data_with_missed_prompts():
    # 5 prompts a day, 80 % answered, within-day SD 1, day-to-day AR(1) SD 0.5: a step of 1
    # within-person SD (≈ 0.9 of the total prompt SD) on day 45 of 90.
    rng = np.random.default_rng(203)
    found = []
    for _ in range(60):
        level = ar1(rng, 90, 0.3, sd=0.5)
        level[45:] += 1.0
        found.append(found_near(change_points(diary(rng, level)), 45, 5))
    assert share(found) >= 0.75


# ---- phases ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "phi", "bound"), [(14, 0.0, 0.09), (28, 0.5, 0.09), (14, 0.7, 0.10)])
def test_phase_false_alarms_near_alpha(days, phi, bound):
    # Newey–West (HAC) errors gave 11–34 % here; the AR(1)-corrected t stays near 5 %.
    rng = np.random.default_rng(300 + days + int(phi * 10))
    mark = (START + np.timedelta64(days, "D")).astype(dt.date)
    flags = [
        compare_phases(as_daily(ar1(rng, 2 * days, phi)), [(mark, "B")]).comparisons[0].significant for _ in range(300)
    ]
    assert share(flags) <= bound


def test_phase_difference_of_one_sd_over_four_weeks_is_found():
    rng = np.random.default_rng(301)
    mark = (START + np.timedelta64(28, "D")).astype(dt.date)
    results = []
    for _ in range(200):
        y = ar1(rng, 56, 0.0)
        y[28:] += 1.0
        results.append(compare_phases(as_daily(y), [(mark, "B")]).comparisons[0])
    assert share(c.significant and c.difference > 0 for c in results) >= 0.80
    assert share(c.ci_low <= 1.0 <= c.ci_high for c in results) >= 0.90


# ---- usual range -------------------------------------------------------------------------------


def test_few_new_values_of_a_stable_person_fall_outside_the_usual_range():
    rng = np.random.default_rng(400)
    outside = total = 0
    for _ in range(60):
        y = rng.normal(5, 1, 35)
        times = START.astype("datetime64[s]") + (np.arange(35) * 86400 + 36000).astype("timedelta64[s]")
        s = make_series("x", times, y)
        low, high = usual_range(s, until=times[27])
        future = y[28:]
        outside += int(((future < low) | (future > high)).sum())
        total += future.size
    assert outside / total <= 0.06


# ---- changes in variability ----------------------------------------------------------------------


@pytest.mark.parametrize(("n", "phi"), [(120, 0.0), (120, 0.5)])
def test_no_change_in_variability_is_rarely_reported(n, phi):
    rng = np.random.default_rng(500 + int(phi * 10))
    assert share(change_points(as_daily(ar1(rng, n, phi))).variability_changes for _ in range(300)) <= 0.08


def test_doubled_day_to_day_variation_is_found_near_its_day():
    rng = np.random.default_rng(501)
    found = []
    for _ in range(150):
        y = ar1(rng, 365, 0.0)
        y[200:] *= 2.0
        r = change_points(as_daily(y))
        found.append(
            any(abs(int((np.datetime64(c.date) - START).astype(int)) - 200) <= 7 for c in r.variability_changes)
        )
    assert share(found) >= 0.55  # measured 65 % (500 runs)
