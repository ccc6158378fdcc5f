"""Series with a known truth, for validating the analysis by simulation (tests and
benchmarks/n1_validation.py). Pure numpy; every function takes a seeded ``numpy`` Generator.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from koers.monitoring.analysis.series import Daily, Series, make_series

START = np.datetime64("2026-01-05", "D")


def ar1(rng: np.random.Generator, n: int, phi: float = 0.0, sd: float = 1.0, burn: int = 50) -> np.ndarray:
    """Stationary AR(1) noise with marginal SD ``sd`` (phi = 0: white noise)."""
    e = rng.normal(size=n + burn)
    x = np.empty(n + burn)
    x[0] = e[0] / math.sqrt(1 - phi**2) if abs(phi) < 1 else e[0]
    for t in range(1, n + burn):
        x[t] = phi * x[t - 1] + e[t]
    return x[burn:] * sd * math.sqrt(1 - phi**2)


def as_daily(values: np.ndarray, name: str = "sim", start: np.datetime64 = START) -> Daily:
    """Consecutive days from ``start``; NaN values are days without data."""
    values = np.asarray(values, dtype=np.float64)
    dates = start + np.arange(values.size).astype("timedelta64[D]")
    return Daily(name, dates, values, np.isfinite(values).astype(np.int64))


def with_missing(rng: np.random.Generator, values: np.ndarray, share: float) -> np.ndarray:
    """A copy with about ``share`` of the days set to NaN (missing completely at random)."""
    out = np.array(values, dtype=np.float64)
    out[rng.random(out.size) < share] = np.nan
    return out


def diary(
    rng: np.random.Generator,
    daily_level: np.ndarray,
    *,
    prompts: tuple[int, ...] = (8, 11, 14, 17, 20),
    answer_rate: float = 0.8,
    within_sd: float = 1.0,
    name: str = "sim",
    start: dt.date = dt.date(2026, 1, 5),
) -> Series:
    """Diary prompts (local Amsterdam hours, as UTC one hour earlier in winter — close enough for
    simulation) around a known daily level, each answered with probability ``answer_rate``."""
    times, values = [], []
    base = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC)
    for d, level in enumerate(daily_level):
        for hour in prompts:
            if rng.random() < answer_rate:
                times.append(base + dt.timedelta(days=d, hours=hour - 1, minutes=int(rng.integers(0, 30))))
                values.append(level + rng.normal(scale=within_sd))
    return make_series(name, times, values)
