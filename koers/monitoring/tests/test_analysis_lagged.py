"""Lag-1 associations: the VAR and the per-outcome OLS agree, detrending and BH do what they say,
missing days are counted honestly, too little data is a reason and not an exception."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from koers.monitoring.analysis.explain_dynamics import explain_failed, explain_lagged
from koers.monitoring.analysis.lagged import _ols_fit, detrend_standardise, lagged_associations
from koers.monitoring.analysis.series import Daily

START = np.datetime64("2026-01-01")


def dates(n: int) -> np.ndarray:
    return START + np.arange(n).astype("timedelta64[D]")


def simulate(n: int, effect: float, rng: np.random.Generator, k: int = 3) -> np.ndarray:
    """Column 0 drives column 1 the next day with ``effect``; the rest is AR(1) noise."""
    x = np.zeros((n, k))
    x[0] = rng.normal(size=k)
    for t in range(1, n):
        x[t] = 0.3 * x[t - 1] + rng.normal(size=k)
        x[t, 1] += effect * x[t - 1, 0]
    return x


def test_known_effect_is_found_in_its_direction_only():
    x = simulate(200, 0.5, np.random.default_rng(1))
    result = lagged_associations((dates(200), x), ["sleep", "mood", "steps"])
    assert result.ok and result.method == "VAR"
    forward = result.edge("sleep", "mood")
    assert forward.significant and forward.coefficient > 0.3
    assert forward.ci_low < forward.coefficient < forward.ci_high
    assert not result.edge("mood", "sleep").significant
    assert [e.source + ">" + e.target for e in result.significant] == ["sleep>mood"]
    # the autoregressive terms are reported apart, outside the BH family
    assert len(result.autoregressive) == 3 and all(e.p_adjusted is None for e in result.autoregressive)
    assert len(result.cross) == 6
    assert result.n_used == {"sleep": 199, "mood": 199, "steps": 199}


def test_var_and_ols_agree_on_complete_data():
    x = simulate(150, 0.4, np.random.default_rng(2))
    var = lagged_associations((dates(150), x), ["a", "b", "c"])
    ols = _ols_fit(detrend_standardise(x), ("a", "b", "c"))
    for edge in (*var.cross, *var.autoregressive):
        i, j = "abc".index(edge.source), "abc".index(edge.target)
        assert edge.coefficient == pytest.approx(ols.coef[i, j], abs=1e-10)
        assert edge.ci_low == pytest.approx(ols.low[i, j], abs=1e-10)
        assert edge.p == pytest.approx(ols.p[i, j], rel=1e-8)


def test_coefficients_match_a_direct_least_squares_fit():
    x = simulate(120, 0.3, np.random.default_rng(3), k=2)
    result = lagged_associations((dates(120), x), ["a", "b"])
    z = detrend_standardise(x)
    design = np.column_stack([np.ones(119), z[:-1]])
    beta = np.linalg.lstsq(design, z[1:, 1], rcond=None)[0]
    assert result.edge("a", "b").coefficient == pytest.approx(beta[1])
    assert result.edge("b", "b").coefficient == pytest.approx(beta[2])


def test_benjamini_hochberg_over_all_cross_pairs():
    x = simulate(100, 0.3, np.random.default_rng(4), k=4)
    result = lagged_associations((dates(100), x), list("abcd"))
    raw = [edge.p for edge in result.cross]
    expected = multipletests(raw, method="fdr_bh")[1]
    assert [edge.p_adjusted for edge in result.cross] == pytest.approx(list(expected))
    assert all(edge.significant == (edge.p_adjusted < 0.05) for edge in result.cross)


def test_a_shared_trend_is_not_an_association():
    rng = np.random.default_rng(5)
    n = 120
    trend = np.linspace(0, 6, n)
    x = np.column_stack([trend + rng.normal(size=n), trend + rng.normal(size=n)])
    detrended = lagged_associations((dates(n), x), ["a", "b"])
    assert not detrended.significant
    # Without detrending the same data would show a strong "association": the trend does it.
    raw = np.column_stack([np.ones(n - 1), x[:-1]])
    beta = np.linalg.lstsq(raw, x[1:, 1], rcond=None)[0]
    assert beta[1] > 0.2


def test_missing_days_use_ols_and_count_the_pairs():
    x = simulate(100, 0.5, np.random.default_rng(6), k=2)
    x[10, 0] = np.nan  # day 10: pairs (10→11) lose the predictor; (9→10) loses outcome "a"
    x[50, 1] = np.nan  # day 50: pair (49→50) loses outcome "b", (50→51) loses the predictor
    result = lagged_associations((dates(100), x), ["a", "b"])
    assert result.method == "OLS"
    # 99 pairs; both outcomes lose the two pairs whose predictor day is 10 or 50, and one more
    # where their own value today is missing.
    assert result.n_used == {"a": 96, "b": 96}
    assert result.edge("a", "b").n_used == 96
    assert result.edge("a", "b").significant


def test_dailies_are_aligned_on_one_calendar():
    rng = np.random.default_rng(7)
    a = Daily("a", dates(80), rng.normal(size=80), np.ones(80, int))
    later = dates(90)[10:]
    b = Daily("b", later, rng.normal(size=80), np.ones(80, int))
    result = lagged_associations([a, b])
    assert result.names == ("a", "b")
    assert result.n_days == 90 and result.first_date == "2026-01-01" and result.last_date == "2026-03-31"
    # predictors both present on days 10..79; "a" today exists up to day 79, "b" up to day 89
    assert result.n_used == {"a": 69, "b": 70}


@pytest.mark.parametrize(
    ("columns", "days", "reason"),
    [(1, 100, "too_few_variables"), (2, 20, "too_few_pairs"), (12, 35, "too_few_pairs")],
)
def test_too_little_data_is_a_reason(columns, days, reason):
    x = np.random.default_rng(8).normal(size=(days, columns))
    result = lagged_associations((dates(days), x), [f"v{j}" for j in range(columns)])
    assert not result.ok and result.reason == reason and result.cross == ()
    json.dumps(result.as_dict())
    text = explain_lagged(result)
    assert text != explain_failed() and ("minstens" in text)


def test_dates_and_names_must_fit_the_matrix():
    x = np.zeros((10, 2))
    with pytest.raises(ValueError, match="rows and dates"):
        lagged_associations((dates(11), x), ["a", "b"])
    with pytest.raises(ValueError, match="columns and names"):
        lagged_associations((dates(10), x), ["a"])
    with pytest.raises(ValueError, match="names are required"):
        lagged_associations((dates(10), x))


def test_a_flat_variable_is_named():
    x = np.column_stack([np.random.default_rng(9).normal(size=60), np.full(60, 5.0)])
    result = lagged_associations((dates(60), x), ["mood", "voices"])
    assert (result.ok, result.reason, result.flat) == (False, "no_variation", ("voices",))
    assert "Stemmen" in explain_lagged(result, {"voices": "Stemmen"})


def test_a_variable_that_copies_another_is_named_not_fitted():
    rng = np.random.default_rng(11)
    a = rng.normal(size=100)
    x = np.column_stack([a, 2 * a + 1, rng.normal(size=100)])  # the same item twice, other scale
    result = lagged_associations((dates(100), x), ["sleep", "sleep_hours", "mood"])
    assert (result.ok, result.reason, result.collinear) == (False, "collinear", ("sleep", "sleep_hours"))
    assert result.cross == ()
    assert "Slaap, sleep_hours gaan precies met elkaar mee" in explain_lagged(result, {"sleep": "Slaap"})
    x[3, 2] = np.nan  # the per-outcome path checks too
    assert lagged_associations((dates(100), x), ["sleep", "sleep_hours", "mood"]).reason == "collinear"


def test_as_dict_is_json_safe():
    x = simulate(80, 0.4, np.random.default_rng(10), k=2)
    x[5, 0] = np.nan
    data = lagged_associations((dates(80), x), ["a", "b"]).as_dict()
    text = json.dumps(data, allow_nan=False)
    assert data["method"] == "OLS" and len(data["cross"]) == 2 and "NaN" not in text
    assert set(data["cross"][0]) >= {"source", "target", "coefficient", "ci_low", "ci_high", "p_adjusted"}


@given(
    scale=st.floats(0.01, 1000),
    shift=st.floats(-1000, 1000),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=25, deadline=None)
def test_units_do_not_matter_and_a_mirrored_source_flips_the_sign(scale, shift, seed):
    x = simulate(60, 0.4, np.random.default_rng(seed), k=2)
    base = lagged_associations((dates(60), x), ["a", "b"])
    rescaled = lagged_associations((dates(60), x * [scale, 1.0] + [shift, 0.0]), ["a", "b"])
    mirrored = lagged_associations((dates(60), x * [-1.0, 1.0]), ["a", "b"])
    for edge in base.cross:
        other = rescaled.edge(edge.source, edge.target)
        assert other.coefficient == pytest.approx(edge.coefficient, abs=1e-6)
        assert other.p == pytest.approx(edge.p, rel=1e-5, abs=1e-12)
    assert mirrored.edge("a", "b").coefficient == pytest.approx(-base.edge("a", "b").coefficient, abs=1e-9)
    assert mirrored.edge("a", "b").p == pytest.approx(base.edge("a", "b").p, rel=1e-6)
