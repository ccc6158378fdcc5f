"""Early-warning indicators for one daily variable: rising variance and lag-1 autocorrelation.

Before some transitions ("critical slowing down") a variable recovers more slowly from small
disturbances: its day-to-day values become more alike (lag-1 autocorrelation rises) and swing
more widely (variance rises). Method, after Dakos et al. (2012, PLoS ONE 7:e41010):

1. Days without data inside the series are filled by linear interpolation (at most
   ``MAX_MISSING`` of the days; how many were filled is reported).
2. Slow movements are removed with a Gaussian kernel smoother (Nadaraya–Watson, kernel SD
   ``bandwidth`` days, default 10% of the length and at least 5 days); the indicators are
   computed on the residuals.
3. In a rolling window (default half the series, at least ``MIN_WINDOW`` days) the variance and
   the lag-1 autocorrelation (Pearson correlation of consecutive residuals) are computed and
   dated at the window's last day.
4. Kendall's τ of each indicator against time measures whether it rises (τ > 0) or falls.
5. Uncertainty: rolling-window indicators are strongly autocorrelated, so τ's textbook p-value
   is far too optimistic. Instead ``n_surrogates`` AR(1) series with the same mean, variance and
   lag-1 autocorrelation as the residuals (stationary: no approaching transition) are generated
   with a seeded generator, detrended and windowed the same way; the p-value is the share of
   surrogates with a τ at least as high (one-sided: rising), ``(1 + count) / (1 + n)``, and the
   5–95% range of the surrogates' τ and of their indicator values per window is reported as the
   band of "what a stable series also does".
6. Several tests at once: every indicator shown is one test. The p-values are corrected with
   Benjamini–Hochberg over all indicators shown (``p_adjusted``; on its own a result is corrected
   for its two indicators, and ``adjust_for_multiple_tests`` corrects over the indicators of all
   variables on a page). An indicator is ``rising`` only when τ > 0 and the corrected p < α: ten
   stable variables (twenty tests) would otherwise show a "rising" indicator in about two runs
   in three. ``surrogates_for(tests)`` gives enough surrogates that the smallest possible p,
   1/(1 + n), can still pass α/tests.

Pure: numpy and scipy; no Django. Texts are in ``explain_dynamics``.

These indicators miss many transitions and often rise without one; they describe the past and
are never a prediction. The explanation texts say so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from koers.monitoring.analysis.series import Daily

MIN_DAYS = 60
MIN_WINDOW = 20
MAX_MISSING = 0.25
DEFAULT_SURROGATES = 200
MAX_SURROGATES = 2000
DEFAULT_ALPHA = 0.05
INDICATORS = ("variance", "autocorrelation")


@dataclass(frozen=True)
class Indicator:
    name: str  # "variance" or "autocorrelation"
    tau: float  # Kendall's τ of the indicator against time
    p: float  # one-sided (rising), from the surrogates
    null_low: float  # 5% quantile of the surrogates' τ
    null_high: float  # 95% quantile of the surrogates' τ
    rising: bool  # tau > 0 and p_adjusted < alpha
    dates: tuple[str, ...]  # last day of each window
    values: tuple[float, ...]
    band_low: tuple[float, ...]  # 5% of the surrogates' indicator in the same window
    band_high: tuple[float, ...]
    p_adjusted: float | None = None  # Benjamini–Hochberg over every indicator shown

    def as_dict(self) -> dict:
        digits = 4 if self.name == "variance" else 3
        return {
            "name": self.name,
            "tau": _r(self.tau, 3),
            "p": _r(self.p, 4),
            "p_adjusted": _r(self.p_adjusted, 4),
            "null_low": _r(self.null_low, 3),
            "null_high": _r(self.null_high, 3),
            "rising": self.rising,
            "dates": list(self.dates),
            "values": rounded_list(self.values, digits),
            "band_low": rounded_list(self.band_low, digits),
            "band_high": rounded_list(self.band_high, digits),
        }


@dataclass(frozen=True)
class EarlyWarningResult:
    ok: bool
    reason: str | None
    name: str
    n_days: int = 0  # from the first to the last day with data
    n_present: int = 0  # days with data
    n_required: int = MIN_DAYS
    n_missing: int = 0
    n_interpolated: int = 0
    window: int | None = None
    bandwidth: float | None = None
    n_surrogates: int = 0
    seed: int | None = None
    alpha: float = DEFAULT_ALPHA
    variance: Indicator | None = None
    autocorrelation: Indicator | None = None
    n_tests: int = 0  # how many indicators the p-values are corrected for

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for i in (self.variance, self.autocorrelation) if i is not None)

    @property
    def any_rising(self) -> bool:
        return any(i.rising for i in self.indicators)

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "reason": self.reason,
            "name": self.name,
            "n_days": self.n_days,
            "n_present": self.n_present,
            "n_required": self.n_required,
            "n_missing": self.n_missing,
            "n_interpolated": self.n_interpolated,
            "window": self.window,
            "bandwidth": _r(self.bandwidth, 1),
            "n_surrogates": self.n_surrogates,
            "seed": self.seed,
            "alpha": self.alpha,
            "n_tests": self.n_tests,
            "variance": self.variance.as_dict() if self.variance else None,
            "autocorrelation": self.autocorrelation.as_dict() if self.autocorrelation else None,
        }


def rounded_list(values, digits: int) -> list:
    """Numbers rounded to ``digits`` decimals as a JSON-safe list (NaN/inf → None), vectorised."""
    array = np.round(np.asarray(values, dtype=np.float64), digits)
    out = array.tolist()
    if not np.isfinite(array).all():
        out = [v if np.isfinite(v) else None for v in out]
    return out


def _r(value, digits: int):
    if value is None:
        return None
    value = float(value)
    return round(value, digits) if np.isfinite(value) else None


def early_warning(
    daily: Daily,
    window: int | None = None,
    *,
    bandwidth: float | None = None,
    n_surrogates: int = DEFAULT_SURROGATES,
    seed: int = 0,
    alpha: float = DEFAULT_ALPHA,
    min_days: int = MIN_DAYS,
) -> EarlyWarningResult:
    """Rolling variance and lag-1 autocorrelation with Kendall τ and surrogate p-values.

    ``ok=False`` with a ``reason`` code when it cannot be done: ``"too_few_days"`` (fewer than
    ``n_required`` days with data), ``"too_many_missing"`` (more than ``MAX_MISSING`` of the days
    between the first and last are empty), ``"no_variation"``, ``"window_does_not_fit"``.
    """
    dates, values, present = _first_to_last(daily)
    n = int(values.size)
    n_present = int(present.sum())
    base = {"name": daily.name, "n_days": n, "n_present": n_present, "n_required": min_days, "alpha": alpha}
    if n_present < min_days:
        return EarlyWarningResult(ok=False, reason="too_few_days", **base)
    missing = n - n_present
    if missing > MAX_MISSING * n:
        return EarlyWarningResult(ok=False, reason="too_many_missing", n_missing=missing, **base)
    index = np.arange(n, dtype=np.float64)
    filled = np.interp(index, index[present], values[present]) if missing else values
    if np.nanstd(filled) <= 1e-12 * max(1.0, float(np.max(np.abs(filled)))):
        return EarlyWarningResult(ok=False, reason="no_variation", **base)
    window = int(window) if window else max(MIN_WINDOW, n // 2)
    if window < MIN_WINDOW or window > n - 10:
        return EarlyWarningResult(ok=False, reason="window_does_not_fit", window=window, **base)
    bandwidth = float(bandwidth) if bandwidth else max(5.0, 0.1 * n)
    residual = filled - _smooth(filled, bandwidth)

    out = _tested_indicators(residual, dates, window, bandwidth, n_surrogates, seed)
    result = EarlyWarningResult(
        ok=True,
        reason=None,
        n_missing=missing,
        n_interpolated=missing,
        window=window,
        bandwidth=bandwidth,
        n_surrogates=n_surrogates,
        seed=seed,
        variance=out["variance"],
        autocorrelation=out["autocorrelation"],
        **base,
    )
    return adjust_for_multiple_tests([result])[0]


def _first_to_last(daily: Daily) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dates, values, present) from the first to the last day with data (empty without data)."""
    values = np.asarray(daily.values, dtype=np.float64)
    present = np.isfinite(values)
    if present.any():
        first, last = np.flatnonzero(present)[[0, -1]]
        values, present = values[first : last + 1], present[first : last + 1]
        dates = daily.dates[first : last + 1]
    else:
        dates = daily.dates[:0]
    return dates, values, present


def _tested_indicators(
    residual: np.ndarray, dates: np.ndarray, window: int, bandwidth: float, n_surrogates: int, seed: int
) -> dict[str, Indicator]:
    """Each indicator of the residuals with its τ, surrogate p-value and band (``rising`` is
    decided later, after the correction for several tests)."""
    observed = _indicators(residual[None, :], window)
    surrogates = _ar1_surrogates(residual, n_surrogates, np.random.default_rng(seed))
    surrogates = surrogates - _smooth(surrogates, bandwidth)  # same detrending as the data
    null = _indicators(surrogates, window)
    window_dates = tuple(str(d) for d in dates[window - 1 :])
    out = {}
    batch = np.concatenate([np.vstack([observed[name], null[name]]) for name in INDICATORS])
    taus = _kendall_tau(batch).reshape(len(INDICATORS), 1 + n_surrogates)
    for position, name in enumerate(INDICATORS):
        series = observed[name][0]
        tau, null_tau = float(taus[position, 0]), taus[position, 1:]
        p = (1 + int(np.sum(null_tau >= tau - 1e-12))) / (1 + n_surrogates)
        band = np.quantile(null[name], [0.05, 0.95], axis=0)
        null_low, null_high = (float(q) for q in np.quantile(null_tau, [0.05, 0.95]))
        out[name] = Indicator(
            name=name,
            tau=tau,
            p=p,
            null_low=null_low,
            null_high=null_high,
            rising=False,  # decided after the correction in adjust_for_multiple_tests
            dates=window_dates,
            values=tuple(float(v) for v in series),
            band_low=tuple(float(v) for v in band[0]),
            band_high=tuple(float(v) for v in band[1]),
        )
    return out


def surrogates_for(tests: int, alpha: float = DEFAULT_ALPHA) -> int:
    """Enough surrogates that the smallest possible p, 1/(1 + n), is below α/tests (with room)."""
    return int(min(max(DEFAULT_SURROGATES, math.ceil(2 * tests / alpha)), MAX_SURROGATES))


def adjust_for_multiple_tests(results: Sequence[EarlyWarningResult]) -> list[EarlyWarningResult]:
    """Benjamini–Hochberg over every indicator of every result that is ``ok``; each indicator's
    ``p_adjusted`` and ``rising`` (τ > 0 and corrected p < α) are set, and ``n_tests`` says how
    many indicators were counted. Results that are not ok are returned as they are."""
    tests = [(k, name) for k, r in enumerate(results) if r.ok for name in INDICATORS if getattr(r, name)]
    if not tests:
        return list(results)
    p = np.array([getattr(results[k], name).p for k, name in tests])
    adjusted = dict(zip(tests, _benjamini_hochberg(p), strict=True))
    out = []
    for k, r in enumerate(results):
        if not r.ok:
            out.append(r)
            continue
        changes = {"n_tests": len(tests)}
        for name in INDICATORS:
            indicator = getattr(r, name)
            if indicator is not None:
                q = float(adjusted[(k, name)])
                changes[name] = replace(indicator, p_adjusted=q, rising=bool(indicator.tau > 0 and q < r.alpha))
        out.append(replace(r, **changes))
    return out


def _benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """BH-adjusted p-values (the step-up q-values), in the order given."""
    m = p.size
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(q, 1.0)
    return out


def _smooth(rows: np.ndarray, bandwidth: float) -> np.ndarray:
    """Nadaraya–Watson Gaussian kernel smoother along the last axis (kernel cut at 4 SD).

    Zero padding divided by the smoothed ones = the kernel renormalised at the edges, like R's
    ``ksmooth`` that the early-warning literature uses. FFT convolution: O(n log n) per row, no
    n × n matrix.
    """
    from scipy.signal import fftconvolve

    n = rows.shape[-1]
    half = min(int(np.ceil(4 * bandwidth)), n - 1)
    offsets = np.arange(-half, half + 1, dtype=np.float64)
    kernel = np.exp(-0.5 * (offsets / bandwidth) ** 2)
    weight = np.convolve(np.ones(n), kernel, mode="same")
    shape = (1,) * (rows.ndim - 1) + (kernel.size,)
    return fftconvolve(rows, kernel.reshape(shape), mode="same", axes=-1) / weight


def _indicators(rows: np.ndarray, window: int) -> dict[str, np.ndarray]:
    """Rolling variance and lag-1 autocorrelation for each row (rows × windows), from cumulative
    sums (O(n) per row instead of O(n × window))."""

    def rolling_sum(values: np.ndarray, width: int) -> np.ndarray:
        cumulative = np.concatenate([np.zeros((values.shape[0], 1)), np.cumsum(values, axis=1)], axis=1)
        return cumulative[:, width:] - cumulative[:, :-width]

    s1 = rolling_sum(rows, window)
    s2 = rolling_sum(rows * rows, window)
    variance = np.maximum(s2 - s1 * s1 / window, 0.0) / (window - 1)
    pairs = window - 1
    a, b = rows[:, :-1], rows[:, 1:]
    sa, sb = rolling_sum(a, pairs), rolling_sum(b, pairs)
    saa, sbb = rolling_sum(a * a, pairs), rolling_sum(b * b, pairs)
    sab = rolling_sum(a * b, pairs)
    covariance = sab - sa * sb / pairs
    var_a = np.maximum(saa - sa * sa / pairs, 0.0)
    var_b = np.maximum(sbb - sb * sb / pairs, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        autocorrelation = covariance / np.sqrt(var_a * var_b)
    return {"variance": variance, "autocorrelation": np.nan_to_num(autocorrelation)}


def _min_ranks(rows: np.ndarray) -> np.ndarray:
    """Per row, the 0-based "min" rank of each value (ties share the lowest rank), as int16
    (int32 beyond 32,767 windows — ninety years of days)."""
    order = np.argsort(rows, axis=1, kind="stable")
    ordered = np.take_along_axis(rows, order, axis=1)
    new = np.ones(rows.shape, dtype=bool)
    new[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    positions = np.broadcast_to(np.arange(rows.shape[1]), rows.shape)
    first = np.maximum.accumulate(np.where(new, positions, 0), axis=1)
    dtype = np.int16 if rows.shape[1] <= np.iinfo(np.int16).max else np.int32
    ranks = np.empty(rows.shape, dtype=dtype)
    np.put_along_axis(ranks, order, first.astype(dtype), axis=1)
    return ranks


def _kendall_tau(rows: np.ndarray) -> np.ndarray:
    """Kendall's τ-a of each row against its position (time); equals τ-b without ties.

    On int16 ranks (ties share a rank and count 0), transposed so that every lag's comparison
    runs over contiguous memory for all rows at once.
    """
    length = rows.shape[1]
    columns = np.ascontiguousarray(_min_ranks(rows).T)
    total = np.zeros(rows.shape[0], dtype=np.int64)
    for lag in range(1, length):
        total += np.sign(columns[lag:] - columns[:-lag]).sum(axis=0, dtype=np.int64)
    return total / (length * (length - 1) / 2)


def _ar1_surrogates(residual: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` stationary AR(1) series with the residuals' mean, SD and lag-1 autocorrelation."""
    from scipy.signal import lfilter

    centred = residual - residual.mean()
    denominator = float(centred @ centred)
    phi = float(centred[1:] @ centred[:-1]) / denominator if denominator > 0 else 0.0
    phi = min(max(phi, -0.99), 0.99)
    sd = float(residual.std(ddof=1))
    innovations = rng.standard_normal((count, residual.size)) * sd * np.sqrt(1 - phi * phi)
    innovations[:, 0] = rng.standard_normal(count) * sd  # start in the stationary distribution
    return residual.mean() + lfilter([1.0], [1.0, -phi], innovations, axis=1)
