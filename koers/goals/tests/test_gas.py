"""The pure GAS T-score (Kiresuk & Sherman 1968), with hand-computed values. No database."""

from __future__ import annotations

import math
import random

import pytest

from koers.goals.gas import t_score, t_score_of_sums, validate


def test_all_goals_as_expected_is_fifty():
    assert t_score([0]) == 50
    assert t_score([0, 0, 0, 0]) == 50


def test_single_goal_at_plus_two_is_seventy():
    # 50 + 10·2 / sqrt(0.7·1 + 0.3·1) = 50 + 20 / 1
    assert t_score([2]) == pytest.approx(70.0)
    assert t_score([-2]) == pytest.approx(30.0)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 10])
def test_n_equal_goals_all_plus_one(n):
    expected = 50 + 10 * n / math.sqrt(0.7 * n + 0.3 * n * n)
    assert t_score([1] * n) == pytest.approx(expected)


def test_three_goals_plus_one_by_hand():
    # Σx = 3, Σw² = 3, (Σw)² = 9: 50 + 30 / sqrt(2.1 + 2.7) = 50 + 30 / 2.19089 = 63.693
    assert t_score([1, 1, 1]) == pytest.approx(63.693, abs=1e-3)


def test_weighted_example_by_hand():
    # levels -1, 0, 2 with weights 1, 1, 2: Σwx = -1 + 0 + 4 = 3; Σw² = 6; (Σw)² = 16
    # denominator sqrt(0.7·6 + 0.3·16) = sqrt(4.2 + 4.8) = 3  →  T = 50 + 30/3 = 60
    assert t_score([-1, 0, 2], [1, 1, 2]) == pytest.approx(60.0)


def test_other_rho():
    # rho 0: denominator sqrt(Σw²); two goals at +1 → 50 + 20/sqrt(2)
    assert t_score([1, 1], rho=0) == pytest.approx(50 + 20 / math.sqrt(2))


@pytest.mark.parametrize(
    ("levels", "weights", "rho", "message"),
    [
        ([], None, 0.3, "At least one goal level"),
        ([3], None, 0.3, r"from -2 to \+2"),
        ([-3], None, 0.3, r"from -2 to \+2"),
        ([1.5], None, 0.3, "whole numbers"),
        (["1"], None, 0.3, "whole numbers"),
        ([True], None, 0.3, "whole numbers"),
        ([1, 0], [1], 0.3, "2 levels but 1 weights"),
        ([1], [0], 0.3, "greater than 0"),
        ([1], [-1], 0.3, "greater than 0"),
        ([1], [float("nan")], 0.3, "greater than 0"),
        ([1], None, 1.0, "rho"),
        ([1], None, -0.1, "rho"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(levels, weights, rho, message):
    with pytest.raises(ValueError, match=message):
        t_score(levels, weights, rho)


def test_validate_defaults_weights_to_one():
    assert validate([0, 1]) == [1, 1]


# The same properties as test_gas_properties.py (hypothesis), on seeded random input, so they
# are checked even where hypothesis is not installed.
def _random_cases(count=300):
    rng = random.Random(20261122)
    for _ in range(count):
        n = rng.randint(1, 8)
        levels = [rng.randint(-2, 2) for _ in range(n)]
        weights = [rng.randint(1, 10) for _ in range(n)]
        yield levels, weights, rng.choice([0.0, 0.3, 0.5, 0.9])


def test_properties_on_seeded_random_input():
    for levels, weights, rho in _random_cases():
        t = t_score(levels, weights, rho)
        mirrored = t_score([-x for x in levels], weights, rho)
        assert t - 50 == pytest.approx(50 - mirrored)
        weighted_sum = sum(w * x for w, x in zip(weights, levels, strict=True))
        assert (t == pytest.approx(50)) == (weighted_sum == 0)
        for i, level in enumerate(levels):
            if level < 2:
                higher = [*levels[:i], level + 1, *levels[i + 1 :]]
                assert t_score(higher, weights, rho) > t


def test_the_sums_give_the_same_score_bit_for_bit():
    """The indicators add Σ(w·x), Σw and Σw² up per person in the database and score the sums:
    whole-number weights and levels give exactly ``t_score``'s float, in any order."""
    draw = random.Random(16)
    for _ in range(500):
        levels = [draw.randint(-2, 2) for _ in range(draw.randint(1, 6))]
        weights = [draw.randint(1, 10) for _ in levels]
        sums = (sum(w * x for w, x in zip(weights, levels, strict=True)), sum(weights), sum(w * w for w in weights))
        assert t_score_of_sums(*sums) == t_score(levels, weights)
        assert t_score_of_sums(*sums) == t_score(levels[::-1], weights[::-1])
