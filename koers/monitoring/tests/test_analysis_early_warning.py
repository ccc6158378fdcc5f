"""Early-warning indicators: the fast rolling sums, smoother and Kendall τ equal the textbook
computations; seeded surrogates make results reproducible; reasons instead of exceptions."""

from __future__ import annotations

import json

import numpy as np
import pytest
from django.utils import translation
from scipy import stats

from koers.monitoring.analysis.early_warning import (
    _ar1_surrogates,
    _indicators,
    _kendall_tau,
    _smooth,
    early_warning,
)
from koers.monitoring.analysis.explain_dynamics import explain_early_warning, explain_failed
from koers.monitoring.analysis.series import Daily

START = np.datetime64("2026-01-01")


def make_daily(values, name="mood") -> Daily:
    values = np.asarray(values, dtype=float)
    return Daily(name, START + np.arange(values.size).astype("timedelta64[D]"), values, np.ones(values.size, int))


def rising_ar1(n: int, rng: np.random.Generator) -> np.ndarray:
    phi = np.linspace(0.0, 0.95, n)
    x = np.zeros(n)
    for t in range(1, n):
        x[t] = phi[t] * x[t - 1] + rng.normal()
    return x


def test_rolling_indicators_equal_the_direct_computation():
    x = np.random.default_rng(1).normal(size=(2, 90))
    window = 30
    fast = _indicators(x, window)
    for row in range(2):
        for start in (0, 17, 60):
            chunk = x[row, start : start + window]
            assert fast["variance"][row, start] == pytest.approx(np.var(chunk, ddof=1))
            assert fast["autocorrelation"][row, start] == pytest.approx(np.corrcoef(chunk[:-1], chunk[1:])[0, 1])


def test_kendall_tau_equals_scipy_also_with_ties():
    rng = np.random.default_rng(2)
    rows = np.vstack([rng.normal(size=50), np.round(rng.normal(size=50)), np.arange(50.0)])
    ours = _kendall_tau(rows)
    for row, tau in zip(rows, ours, strict=True):
        if np.unique(row).size == row.size:  # tau-a = tau-b without ties
            assert tau == pytest.approx(stats.kendalltau(np.arange(50), row).statistic)
    assert ours[2] == 1.0
    # ties count zero: a constant row has tau 0
    assert _kendall_tau(np.ones((1, 10)))[0] == 0.0


def test_smoother_is_nadaraya_watson_with_renormalised_edges():
    x = np.random.default_rng(3).normal(size=(2, 80))
    bandwidth = 6.0
    i = np.arange(80.0)
    distance = np.abs(i[:, None] - i[None, :])
    weights = np.exp(-0.5 * (distance / bandwidth) ** 2) * (distance <= np.ceil(4 * bandwidth))
    weights /= weights.sum(axis=1, keepdims=True)
    assert _smooth(x, bandwidth) == pytest.approx(x @ weights.T)
    assert _smooth(np.full(80, 3.0), bandwidth) == pytest.approx(np.full(80, 3.0))


def test_surrogates_have_the_residuals_autocorrelation():
    rng = np.random.default_rng(4)
    x = np.zeros(2000)
    for t in range(1, 2000):
        x[t] = 0.6 * x[t - 1] + rng.normal()
    surrogates = _ar1_surrogates(x, 50, np.random.default_rng(0))
    lag1 = np.mean([np.corrcoef(s[:-1], s[1:])[0, 1] for s in surrogates])
    assert lag1 == pytest.approx(0.6, abs=0.05)
    assert surrogates.std() == pytest.approx(x.std(), rel=0.1)


def test_rising_autocorrelation_is_flagged_with_its_uncertainty():
    result = early_warning(make_daily(rising_ar1(300, np.random.default_rng(5))))
    assert result.ok and result.window == 150 and result.n_surrogates == 200
    ac = result.autocorrelation
    assert ac.tau > ac.null_high and ac.p < 0.05 and ac.rising
    assert len(ac.dates) == len(ac.values) == len(ac.band_low) == 151
    assert ac.dates[0] == "2026-05-30" and ac.dates[-1] == "2026-10-27"  # window ends
    assert all(lo <= hi for lo, hi in zip(ac.band_low, ac.band_high, strict=True))
    assert result.any_rising
    with translation.override("nl"):
        text = explain_early_warning(result, "stemming")
    assert "opeenvolgende dagen" in text and "geen voorspelling" in text and "200 nagebootste" in text


def test_white_noise_is_usually_quiet_and_the_p_value_is_bounded():
    result = early_warning(make_daily(np.random.default_rng(6).normal(size=200)), n_surrogates=99)
    for indicator in result.indicators:
        assert 1 / 100 <= indicator.p <= 1
        assert indicator.null_low < indicator.null_high


def test_seeded_and_reproducible():
    daily = make_daily(np.random.default_rng(7).normal(size=120))
    one, two = early_warning(daily, seed=3), early_warning(daily, seed=3)
    assert one.as_dict() == two.as_dict()
    other = early_warning(daily, seed=4)
    assert other.variance.tau == one.variance.tau  # the data's own τ does not depend on the seed
    assert other.variance.band_low != one.variance.band_low


def test_missing_days_are_interpolated_and_counted():
    values = np.random.default_rng(8).normal(size=100)
    values[[10, 11, 40]] = np.nan
    result = early_warning(make_daily(np.concatenate([[np.nan], values, [np.nan]])))
    assert result.ok and result.n_days == 100 and result.n_interpolated == 3 and result.n_present == 97


@pytest.mark.parametrize(
    ("values", "kwargs", "reason"),
    [
        (np.random.default_rng(9).normal(size=40), {}, "too_few_days"),
        (
            np.where(np.arange(200) % 3 == 0, np.nan, 1.0) * np.random.default_rng(9).normal(size=200),
            {},
            "too_many_missing",
        ),
        (np.full(90, 4.0), {}, "no_variation"),
        (np.random.default_rng(9).normal(size=90), {"window": 85}, "window_does_not_fit"),
        (np.full(90, np.nan), {}, "too_few_days"),
    ],
)
def test_reasons_instead_of_exceptions(values, kwargs, reason):
    result = early_warning(make_daily(values), **kwargs)
    assert (result.ok, result.reason) == (False, reason)
    assert result.indicators == ()
    with translation.override("nl"):
        text = explain_early_warning(result, "stemming")
        assert text != explain_failed() and ("stemming" in text or "venster" in text)
    json.dumps(result.as_dict(), allow_nan=False)


def test_as_dict_is_json_safe_and_complete():
    data = early_warning(make_daily(rising_ar1(120, np.random.default_rng(10))), n_surrogates=50).as_dict()
    json.dumps(data, allow_nan=False)
    assert data["ok"] and data["window"] == 60 and data["bandwidth"] == 12.0
    assert set(data["variance"]) == {
        "name", "tau", "p", "p_adjusted", "null_low", "null_high", "rising", "dates", "values", "band_low",
        "band_high",
    }  # fmt: skip
    assert data["n_tests"] == 2


def test_rounded_list_is_json_safe():
    from koers.monitoring.analysis.early_warning import rounded_list

    assert rounded_list([1.23456, np.nan, np.inf, -2.0], 3) == [1.235, None, None, -2.0]
    assert rounded_list(np.array([0.5]), 0) == [0.0]  # numpy rounds half to even


def test_a_change_of_unit_changes_nothing_but_the_variance_scale():
    values = rising_ar1(150, np.random.default_rng(11))
    base = early_warning(make_daily(values), n_surrogates=50)
    converted = early_warning(make_daily(values * 60 + 5), n_surrogates=50)  # hours → minutes, offset
    for name in ("variance", "autocorrelation"):
        one, two = getattr(base, name), getattr(converted, name)
        assert (two.tau, two.p, two.rising) == pytest.approx((one.tau, one.p, one.rising))
    assert converted.variance.values == pytest.approx(np.array(base.variance.values) * 3600)
    assert converted.autocorrelation.values == pytest.approx(base.autocorrelation.values)
