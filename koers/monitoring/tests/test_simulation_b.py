"""Simulation with known truth (fewer runs than benchmarks/n1_validation_b.py, whose rates are in
docs/n1-validation.md): a lag-1 effect is found and its reverse is not; independent variables
give no more findings than α after Benjamini–Hochberg; early-warning indicators stay quiet on
stable series and rise before a simulated transition (critical slowing down)."""

from __future__ import annotations

import numpy as np

from koers.monitoring.analysis.early_warning import early_warning
from koers.monitoring.analysis.lagged import lagged_associations
from koers.monitoring.analysis.simulate import as_daily, dates, lagged_system, rising_ar1


def significant_pairs(x: np.ndarray, names) -> set[tuple[str, str]]:
    result = lagged_associations((dates(x.shape[0]), x), list(names))
    assert result.ok
    return {(e.source, e.target) for e in result.significant}


def test_a_lag_one_effect_is_found_and_its_reverse_is_not():
    rng = np.random.default_rng(501)
    runs = 100
    found = reverse = 0
    for _ in range(runs):
        pairs = significant_pairs(lagged_system(rng, 120, 0.5), "xyz")
        found += ("x", "y") in pairs
        reverse += ("y", "x") in pairs
    # measured with 1000 runs: found 99.6%, reverse 2.3% (docs/n1-validation.md)
    assert found / runs >= 0.9
    assert reverse / runs <= 0.06


def test_a_moderate_effect_with_missing_days():
    rng = np.random.default_rng(502)
    runs = 150
    found = reverse = 0
    for _ in range(runs):
        x = lagged_system(rng, 240, 0.3)
        x[rng.random(x.shape) < 0.1] = np.nan
        pairs = significant_pairs(x, "xyz")
        found += ("x", "y") in pairs
        reverse += ("y", "x") in pairs
    assert found / runs >= 0.7  # complete days: 97.6%; 10% missing days cost pairs (listwise)
    assert reverse / runs <= 0.06


def test_independent_variables_give_findings_no_more_often_than_alpha():
    rng = np.random.default_rng(503)
    runs = 200
    for phi in (0.0, 0.5):
        any_hit = 0
        for _ in range(runs):
            any_hit += bool(significant_pairs(lagged_system(rng, 120, 0.0, phi, k=5), "abcde"))
        # global null: BH keeps the chance of any finding among the 20 pairs near α = 5%
        # (measured with 1000 runs: 4.5% for φ = 0, 7.0% for φ = 0.5 — a small-sample excess)
        assert any_hit / runs <= 0.12, phi


def test_a_shared_trend_does_not_create_findings():
    rng = np.random.default_rng(504)
    runs = 200
    any_hit = 0
    for _ in range(runs):
        x = lagged_system(rng, 120, 0.0, 0.3, k=4) + np.linspace(0, 3, 120)[:, None]
        any_hit += bool(significant_pairs(x, "abcd"))
    assert any_hit / runs <= 0.1  # measured: 5.0% (1000 runs)


def test_early_warning_quiet_on_stable_series_and_rising_before_a_transition():
    rng = np.random.default_rng(505)
    runs = 80
    quiet = {"variance": 0, "autocorrelation": 0}
    rising = {"variance": 0, "autocorrelation": 0}
    for i in range(runs):
        stable = early_warning(as_daily(rng.normal(size=200)), n_surrogates=99, seed=i)
        slowing = early_warning(as_daily(rising_ar1(rng, 200)), n_surrogates=99, seed=i)
        for name in quiet:
            quiet[name] += getattr(stable, name).rising
            rising[name] += getattr(slowing, name).rising
    # white noise: flagged about as often as α (measured with 400 runs: variance 5.5%,
    # autocorrelation 7.2%; docs/n1-validation.md)
    assert quiet["variance"] / runs <= 0.13 and quiet["autocorrelation"] / runs <= 0.13
    # slowing down: the autocorrelation rises in most runs (measured 84%); variance less often (35%)
    assert rising["autocorrelation"] / runs >= 0.75
    assert rising["variance"] / runs > quiet["variance"] / runs
