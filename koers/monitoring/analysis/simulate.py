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
    out[rng.random(out.shape) < share] = np.nan  # per cell: a matrix loses single values, not rows
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


def dates(n: int) -> np.ndarray:
    """``n`` consecutive days from ``START``."""
    return START + np.arange(n).astype("timedelta64[D]")


def stationary_ar1(rng: np.random.Generator, n: int, phi: float, burn: int = 50) -> np.ndarray:
    """AR(1) with unit innovations (marginal SD 1/√(1 − φ²), unlike ``ar1``)."""
    x = np.zeros(n + burn)
    for t in range(1, n + burn):
        x[t] = phi * x[t - 1] + rng.normal()
    return x[burn:]


def lagged_system(rng: np.random.Generator, n: int, b: float, phi: float = 0.3, k: int = 3, burn: int = 50):
    """k AR(1) variables; column 0 yesterday adds ``b`` × itself to column 1 today."""
    x = np.zeros((n + burn, k))
    e = rng.normal(size=(n + burn, k))
    for t in range(1, n + burn):
        x[t] = phi * x[t - 1] + e[t]
        x[t, 1] += b * x[t - 1, 0]
    return x[burn:]


def common_cause(rng: np.random.Generator, n: int, phi: float = 0.7, burn: int = 50) -> np.ndarray:
    """X and Y both measure an unobserved AR(1) driver on the same day (no effect of X on Y)."""
    z = np.zeros(n + burn)
    for t in range(1, n + burn):
        z[t] = phi * z[t - 1] + rng.normal()
    z = z[burn:]
    return np.column_stack([z + rng.normal(size=n), z + rng.normal(size=n), rng.normal(size=n)])


def rising_ar1(rng: np.random.Generator, n: int, top: float = 0.9) -> np.ndarray:
    """Critical slowing down: the AR(1) coefficient climbs linearly from 0 to ``top``."""
    phi = np.linspace(0.0, top, n)
    x = np.zeros(n)
    for t in range(1, n):
        x[t] = phi[t] * x[t - 1] + rng.normal()
    return x
