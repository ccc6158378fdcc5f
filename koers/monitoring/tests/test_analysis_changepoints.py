"""Change points in the mean (PELT with the calibrated penalty; pure)."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.monitoring.analysis import explain_course
from koers.monitoring.analysis.changepoints import (
    MIN_SIZE,
    change_points,
    noise_estimate,
    penalty_constant,
)
from koers.monitoring.analysis.series import make_series
from koers.monitoring.analysis.simulate import START, ar1, as_daily, diary


def day_of(date: dt.date) -> int:
    return (date - START.astype(dt.date)).days


def test_clear_step_is_found_on_its_day_with_sizes():
    rng = np.random.default_rng(11)
    y = rng.normal(10, 1, 80)
    y[50:] += 3
    r = change_points(as_daily(y))
    assert r.ok and len(r.changes) == 1
    c = r.changes[0]
    assert day_of(c.date) == 50 and c.index == 50
    assert c.mean_before == pytest.approx(y[:50].mean()) and c.mean_after == pytest.approx(y[50:].mean())
    assert c.sd_before == pytest.approx(y[:50].std(ddof=1))
    assert c.size == pytest.approx(c.mean_after - c.mean_before)
    assert 2.3 < c.size_sd < 3.8  # ~3 noise SDs
    assert (c.n_before, c.n_after) == (50, 30)
    assert [s.n for s in r.segments] == [50, 30]
    assert r.segments[1].start == c.date and r.segments[0].end == c.date - dt.timedelta(days=1)


def test_two_steps_up_and_down():
    rng = np.random.default_rng(12)
    y = rng.normal(0, 1, 120)
    y[40:80] += 2.5
    r = change_points(as_daily(y))
    assert [abs(day_of(c.date) - t) <= 2 for c, t in zip(r.changes, (40, 80), strict=True)] == [True, True]
    assert r.changes[0].size > 0 > r.changes[1].size


def test_minimum_segment_length_is_respected():
    rng = np.random.default_rng(13)
    y = rng.normal(0, 1, 60)
    y[28:31] += 8  # a three-day excursion cannot be its own segment with min_size 7
    r = change_points(as_daily(y))
    assert all(s.n >= MIN_SIZE for s in r.segments)
    r3 = change_points(as_daily(y), min_size=3)
    assert [day_of(c.date) for c in r3.changes] == [28, 31]


def test_days_without_data_are_skipped_and_dated_correctly():
    rng = np.random.default_rng(14)
    y = rng.normal(0, 0.5, 70)
    y[40:] += 3
    y[36:44] = np.nan  # the step falls inside eight missing days
    r = change_points(as_daily(y))
    assert len(r.changes) == 1
    assert day_of(r.changes[0].date) == 44  # first day *with data* of the new segment
    assert r.n == 62


def test_noise_estimate_ignores_the_step_and_sees_autocorrelation():
    rng = np.random.default_rng(15)
    y = rng.normal(0, 2, 300)
    y[150:] += 6
    sigma, rho = noise_estimate(y)
    assert sigma == pytest.approx(2, rel=0.15) and rho < 0.2
    sigma_ar, rho_ar = noise_estimate(ar1(rng, 400, 0.6, sd=2))
    assert 0.4 < rho_ar < 0.8 and sigma_ar == pytest.approx(2, rel=0.3)


def test_autocorrelated_noise_raises_the_penalty():
    rng = np.random.default_rng(16)
    white = change_points(as_daily(ar1(rng, 200, 0.0)))
    red = change_points(as_daily(ar1(rng, 200, 0.7)))
    assert red.autocorrelation > white.autocorrelation
    assert red.penalty / red.noise_sd**2 > white.penalty / white.noise_sd**2


def test_penalty_constant_grows_with_length():
    assert penalty_constant(30) < penalty_constant(365) < penalty_constant(730)
    assert penalty_constant(365) > 2 * math.log(365) * 0.5  # never below half a BIC


def test_constant_and_too_short_series():
    r = change_points(as_daily(np.full(30, 5.0)))
    assert r.ok and r.changes == () and len(r.segments) == 1 and r.noise_sd == 0
    short = change_points(as_daily(np.arange(13.0)))
    assert not short.ok and short.reason == "too_few_days" and short.n_required == 14
    assert change_points(as_daily(np.arange(20.0)), min_size=12).reason == "too_few_days"
    assert change_points(make_series("x", [], [])).reason == "no_data"


def test_diary_series_are_analysed_per_day():
    rng = np.random.default_rng(17)
    level = np.r_[np.full(40, 4.0), np.full(40, 6.0)] + ar1(rng, 80, 0.3, sd=0.5)
    s = diary(rng, level, within_sd=1.5)
    r = change_points(s)
    assert r.n == 80 and len(r.changes) >= 1
    assert abs(day_of(r.changes[0].date) - 40) <= 3


def test_as_dict_and_explanation():
    rng = np.random.default_rng(18)
    y = rng.normal(7, 0.5, 60)
    y[30:] -= 2
    r = change_points(as_daily(y))
    out = r.as_dict()
    json.dumps(out)
    assert out["changes"][0]["date"] == "2026-02-04"
    text = explain_course.explain_change_points(r, "Stemming", "{score}")
    assert text.startswith("Rond 4 februari 2026 ging Stemming omlaag: gemiddeld van 7")
    assert "schatting" in text and "niet waardoor" in text
    none = change_points(as_daily(np.tile([4.0, 5.0], 20)))
    assert none.ok and not none.changes
    assert "geen duidelijke sprong" in explain_course.explain_change_points(none, "Stemming")
    assert "minstens 14 dagen" in explain_course.explain_change_points(change_points(as_daily(np.ones(5))), "Stemming")


# ---- properties ---------------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.5, 50), st.floats(-100, 100), st.integers(20, 120))
def test_same_change_points_in_any_unit(seed, scale, shift, n):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=n)
    y[n // 2 :] += rng.choice([0.0, 1.5])
    a, b = change_points(as_daily(y)), change_points(as_daily(scale * y + shift))
    assert [c.date for c in a.changes] == [c.date for c in b.changes]
    for ca, cb in zip(a.changes, b.changes, strict=True):
        assert cb.size == pytest.approx(scale * ca.size) and cb.size_sd == pytest.approx(ca.size_sd)
    assert sum(s.n for s in a.segments) == a.n
    assert all(s.n >= MIN_SIZE for s in a.segments)


def test_a_change_in_variability_is_reported_with_its_spreads():
    rng = np.random.default_rng(19)
    y = np.r_[rng.normal(5, 0.4, 60), rng.normal(5, 1.6, 60)]
    r = change_points(as_daily(y))
    assert not r.changes  # the mean did not move
    assert len(r.variability_changes) == 1
    v = r.variability_changes[0]
    assert abs(day_of(v.date) - 60) <= 10
    assert v.spread_before == pytest.approx(0.4, rel=0.35) and v.spread_after == pytest.approx(1.6, rel=0.35)
    assert v.ratio == pytest.approx(v.spread_after / v.spread_before) and v.ratio > 2.5
    json.dumps(r.as_dict())
    text = explain_course.explain_change_points(r, "Stemming", "{score}")
    assert "geen duidelijke sprong in het gemiddelde" in text
    assert "werd Stemming wisselvalliger: de gewone schommeling van dag tot dag ging van ongeveer 0," in text
    calmer = change_points(as_daily(y[::-1]))
    assert calmer.variability_changes and calmer.variability_changes[0].ratio < 1
    assert "rustiger" in explain_course.explain_change_points(calmer, "Stemming")


def test_a_level_step_is_not_a_change_in_variability():
    rng = np.random.default_rng(20)
    y = rng.normal(0, 1, 120)
    y[60:] += 4  # one large difference, not a more changeable period
    r = change_points(as_daily(y))
    assert len(r.changes) == 1 and r.variability_changes == ()
