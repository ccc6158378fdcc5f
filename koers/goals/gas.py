"""Goal Attainment Scaling: the summary T-score. Pure: no Django, no database.

Kiresuk, T. J. & Sherman, R. E. (1968). Goal attainment scaling: A general method for
evaluating comprehensive community mental health programs. *Community Mental Health
Journal*, 4(6), 443–453. https://doi.org/10.1007/BF01530764

Each goal i is scored on five levels x_i ∈ {−2, −1, 0, +1, +2} (0 = the expected outcome)
with a weight w_i > 0. The summary score is

    T = 50 + 10·Σ(w_i·x_i) / sqrt((1 − ρ)·Σw_i² + ρ·(Σw_i)²)

where ρ is the assumed correlation between the goal scales; Kiresuk & Sherman propose
ρ = 0.3. T = 50 means the goals were on average reached as expected; the standard deviation
is 10 when the levels are distributed as the method assumes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

DEFAULT_RHO = 0.3
MIN_LEVEL, MAX_LEVEL = -2, 2
LEVELS = tuple(range(MIN_LEVEL, MAX_LEVEL + 1))


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def validate(levels: Sequence[int], weights: Sequence[float] | None = None, rho: float = DEFAULT_RHO) -> list[float]:
    """Check the input; return the weights (all 1 when none are given). Raises ValueError."""
    levels = list(levels)
    if not levels:
        raise ValueError("At least one goal level is needed to compute a GAS T-score.")
    for position, level in enumerate(levels, start=1):
        if not _is_int(level):
            raise ValueError(f"Level {position} is {level!r}: GAS levels are whole numbers from -2 to +2.")
        if not MIN_LEVEL <= level <= MAX_LEVEL:
            raise ValueError(f"Level {position} is {level}: GAS levels are whole numbers from -2 to +2.")
    if weights is None:
        weights = [1] * len(levels)
    weights = list(weights)
    if len(weights) != len(levels):
        raise ValueError(f"There are {len(levels)} levels but {len(weights)} weights: give one weight per goal.")
    for position, weight in enumerate(weights, start=1):
        if not _is_number(weight) or weight <= 0:
            raise ValueError(f"Weight {position} is {weight!r}: weights must be numbers greater than 0.")
    if not _is_number(rho) or not 0 <= rho < 1:
        raise ValueError(f"rho is {rho!r}: it must be a number from 0 up to (not including) 1.")
    return weights


def t_score(levels: Sequence[int], weights: Sequence[float] | None = None, rho: float = DEFAULT_RHO) -> float:
    """The GAS summary T-score of goals reached at ``levels`` (−2..+2) with optional ``weights``.

    >>> t_score([0, 0, 0])
    50.0
    >>> t_score([2])
    70.0
    """
    weights = validate(levels, weights, rho)
    weighted_sum = sum(w * x for w, x in zip(weights, levels, strict=True))
    return t_score_of_sums(weighted_sum, sum(weights), sum(w * w for w in weights), rho)


def t_score_of_sums(weighted_sum: float, sum_w: float, sum_w2: float, rho: float = DEFAULT_RHO) -> float:
    """The T-score from its three sums: Σ(w·x), Σw and Σw². What ``t_score`` computes once it has
    checked its input; for callers that add the sums up elsewhere (the indicators add them per
    person in the database) and checked the levels and weights where they were stored.

    >>> t_score_of_sums(2, 1, 1)
    70.0
    """
    denominator = math.sqrt((1 - rho) * sum_w2 + rho * sum_w * sum_w)
    return 50 + 10 * weighted_sum / denominator
