"""Properties of the GAS T-score with hypothesis (test_gas.py checks the same on seeded random input)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.goals.gas import t_score

levels_and_weights = st.integers(min_value=1, max_value=10).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(min_value=-2, max_value=2), min_size=n, max_size=n),
        st.lists(st.integers(min_value=1, max_value=10), min_size=n, max_size=n),
    )
)
rhos = st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.9])


@given(levels_and_weights, rhos, st.data())
def test_monotone_in_each_level(case, rho, data):
    levels, weights = case
    i = data.draw(st.integers(min_value=0, max_value=len(levels) - 1))
    if levels[i] == 2:
        return
    higher = [*levels[:i], levels[i] + 1, *levels[i + 1 :]]
    assert t_score(higher, weights, rho) > t_score(levels, weights, rho)


@given(levels_and_weights, rhos)
def test_negating_levels_mirrors_around_fifty(case, rho):
    levels, weights = case
    t = t_score(levels, weights, rho)
    assert t - 50 == pytest.approx(50 - t_score([-x for x in levels], weights, rho))


@given(levels_and_weights, rhos)
def test_fifty_exactly_when_the_weighted_sum_is_zero(case, rho):
    levels, weights = case
    weighted_sum = sum(w * x for w, x in zip(weights, levels, strict=True))
    assert (t_score(levels, weights, rho) == pytest.approx(50)) == (weighted_sum == 0)


@given(st.lists(st.integers(min_value=-2, max_value=2), min_size=1, max_size=10))
def test_default_weights_are_one(levels):
    assert t_score(levels) == pytest.approx(t_score(levels, [1] * len(levels)))
