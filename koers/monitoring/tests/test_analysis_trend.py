"""Trend: Theil–Sen slope and the autocorrelation-corrected Mann–Kendall test (pure)."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from koers.monitoring.analysis import explain_course
from koers.monitoring.analysis.series import make_series
from koers.monitoring.analysis.simulate import ar1, as_daily, diary
from koers.monitoring.analysis.trend import _hamed_rao_factor, _variance_s, trend


def test_exact_line_gives_its_slope_and_a_tiny_p_value():
    y = 3.0 + 0.5 * np.arange(20)
    r = trend(as_daily(y))
    assert r.ok and r.n == 20
    assert r.slope_per_day == pytest.approx(0.5) and r.slope_per_week == pytest.approx(3.5)
    assert r.ci_low == pytest.approx(0.5) and r.ci_high == pytest.approx(0.5)
    assert r.intercept == pytest.approx(3.0)
    assert r.s == 20 * 19 // 2 and r.tau == pytest.approx(1.0)
    assert r.p_value < 1e-4 and r.significant and r.direction == "up"


def test_slope_matches_scipy_theilslopes_and_s_matches_kendall():
    rng = np.random.default_rng(4)
    y = rng.normal(size=40) - 0.05 * np.arange(40)
    r = trend(as_daily(y))
    ref = stats.theilslopes(y, np.arange(40))
    assert r.slope_per_day == pytest.approx(ref.slope)
    tau = stats.kendalltau(np.arange(40), y).statistic
    assert r.tau == pytest.approx(tau)
    assert r.s == pytest.approx(tau * 40 * 39 / 2)  # no ties: S = tau · n(n−1)/2
    assert r.ci_low <= r.slope_per_day <= r.ci_high


def test_missing_days_keep_the_real_time_axis():
    y = 2.0 * np.arange(30.0)
    y[5:15] = np.nan  # ten days without data: a slope per *day*, not per observation
    r = trend(as_daily(y))
    assert r.n == 20 and r.slope_per_day == pytest.approx(2.0)
    assert r.first_date == dt.date(2026, 1, 5) and r.last_date == dt.date(2026, 2, 3)


def test_daily_means_not_prompts_are_the_points():
    rng = np.random.default_rng(5)
    s = diary(rng, np.linspace(5, 6, 21), answer_rate=0.9)
    r = trend(s)
    assert r.n == 21  # 21 days, ~95 prompts
    assert len(s) > 80


def test_tie_correction_of_the_variance():
    assert _variance_s(np.arange(10.0)) == pytest.approx(10 * 9 * 25 / 18)
    tied = np.array([1, 1, 1, 2, 2, 3, 4, 5, 6, 7], dtype=float)
    # minus t(t−1)(2t+5)/18 for a group of 3 and a group of 2
    assert _variance_s(tied) == pytest.approx((10 * 9 * 25 - 3 * 2 * 11 - 2 * 1 * 9) / 18)


def test_autocorrelation_widens_the_test_and_interval():
    rng = np.random.default_rng(6)
    y = ar1(rng, 120, 0.7) + np.linspace(0, 0.6, 120)
    r = trend(as_daily(y))
    assert r.variance_factor > 2
    assert r.effective_n < r.n / 2
    assert r.p_value > r.p_value_uncorrected
    white = ar1(np.random.default_rng(7), 120, 0.0)
    assert _hamed_rao_factor(white - np.median(white)) < r.variance_factor


def test_hamed_rao_factor_never_below_one_and_one_for_constant():
    alternating = np.tile([1.0, -1.0], 30)
    assert _hamed_rao_factor(alternating) == 1.0
    assert _hamed_rao_factor(np.zeros(20)) == 1.0


def test_constant_series_is_no_trend():
    r = trend(as_daily(np.full(15, 4.0)))
    assert r.ok and r.slope_per_day == 0 and r.p_value == 1.0 and not r.significant and r.direction == "none"


def test_too_few_days_is_a_result_not_an_exception():
    r = trend(as_daily(np.arange(9.0)))
    assert not r.ok and r.reason == "too_few_days" and r.n == 9 and r.n_required == 10
    r = trend(make_series("x", [], []))
    assert not r.ok and r.reason == "no_data"
    json.dumps(r.as_dict())


def test_as_dict_has_slope_per_week_and_is_json_safe():
    out = trend(as_daily(np.arange(12.0) * 0.1)).as_dict()
    json.dumps(out)
    assert out["slope_per_week"] == pytest.approx(0.7)
    assert out["first_date"] == "2026-01-05"


def test_explanation_names_direction_rate_and_no_cause():
    r = trend(as_daily(0.2 * np.arange(28.0) + np.tile([0.0, 0.3], 14)))
    text = explain_course.explain_trend(r, "Gewicht", "kg")
    assert "Gewicht ging geleidelijk omhoog, met ongeveer 1,4 kg per week." in text
    # a straight line: both ends of the interval are 1,4 — said once, never "tussen 1,4 en 1,4"
    assert "Per week was de verandering waarschijnlijk ongeveer 1,4 kg omhoog." in text
    assert "niet waardoor" in text
    flat = trend(as_daily(ar1(np.random.default_rng(1), 30, 0.0)))
    assert not flat.significant
    flat_text = explain_course.explain_trend(flat, "Stemming")
    assert "niet duidelijk omhoog of omlaag" in flat_text
    assert flat.ci_low < 0 < flat.ci_high
    assert " omlaag en " in flat_text and " omhoog." in flat_text and "-" not in flat_text  # no minus signs
    short = explain_course.explain_trend(trend(as_daily(np.arange(4.0))), "Stemming")
    assert "minstens 10 dagen" in short and "4 dagen" in short


def test_dates_in_explanation_are_local_days():
    base = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)  # 00:30 on 2 March in Amsterdam
    s = make_series("x", [base + dt.timedelta(days=d) for d in range(12)], np.arange(12.0))
    r = trend(s)
    assert r.first_date == dt.date(2026, 3, 2)
    assert "2 maart 2026" in explain_course.explain_trend(r, "x")


# ---- properties ---------------------------------------------------------------------------------

values = st.lists(st.integers(-50, 50), min_size=10, max_size=40)


@settings(max_examples=40, deadline=None)
@given(values, st.floats(0.1, 100), st.floats(-1000, 1000))
def test_affine_change_of_unit_scales_the_slope_and_keeps_the_test(ys, scale, shift):
    y = np.array(ys, dtype=float)
    a, b = trend(as_daily(y)), trend(as_daily(scale * y + shift))
    assert b.slope_per_day == pytest.approx(scale * a.slope_per_day, abs=1e-6 * scale)
    assert b.ci_low == pytest.approx(scale * a.ci_low, abs=1e-6 * scale)
    assert b.s == a.s and b.p_value == pytest.approx(a.p_value) and b.significant == a.significant


@settings(max_examples=40, deadline=None)
@given(values)
def test_reversed_time_flips_the_sign(ys):
    y = np.array(ys, dtype=float)
    a, b = trend(as_daily(y)), trend(as_daily(y[::-1]))
    assert b.slope_per_day == pytest.approx(-a.slope_per_day)
    assert b.s == -a.s and b.p_value == pytest.approx(a.p_value)
    assert a.ci_low <= a.slope_per_day <= a.ci_high
