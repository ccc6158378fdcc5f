"""Change points in the mean of daily values: ruptures PELT with a calibrated penalty.

Pure: numpy + ruptures. Works on daily values (means per local day by default). Days without
data are left out and the remaining days are treated as consecutive (a change is dated on the
first day with data of the new segment).

Method
------
- Cost: least squares (a change in mean), solved exactly by PELT (``ruptures.KernelCPD`` with
  the linear kernel, whose cost equals the L2 cost and runs in C), minimum segment length
  ``min_size`` days (default 7).
- Noise level: estimated robustly from day-to-day differences, so the mean shifts we are
  looking for do not inflate it. The lag-1 autocorrelation ρ of the noise comes from the
  autocorrelation r_d of the differences, winsorised at ±2.5 robust SDs: for AR(1) noise
  r_d = (ρ − 1)/2, so ρ = 1 + 2·r_d, clipped to [0, 0.9]. σ² = MADsd(differences)² / (2(1 − ρ)).
- For the penalty ρ is raised by about one standard error of that estimate (1.5/√n; without
  it AR(1) noise with φ ≥ 0.5 gave a false change point in 10–16 % of series) and the long-run
  variance σ²_LR = MADsd(differences)²·(1 + ρ)/(2(1 − ρ)²) is used: what a segment mean of
  autocorrelated days varies with.
- Penalty: β = c(n)·σ²_LR with c(n) = C0 + C1·ln(n). The constants were calibrated by
  simulation (``benchmarks/n1_validation.py --calibrate``) so that white noise and AR(1) noise
  (φ up to 0.7) of length n give at least one change point in at most about 5 % of series for
  n between 20 and 730 days.
  A plain BIC-type penalty (2·ln n·σ², σ from the differences) is close to that on white
  noise (3–7 % measured) but reports a change point in 89–100 % of AR(1) series with φ = 0.5.

Changes in day-to-day variability (a calmer or more changeable period) are searched for
separately, on the log squared differences (``variability_changes``), with their own calibrated
penalty.

Limits (docs/n1-validation.md): a slow drift shows up as one or more steps; dates are estimates
(variability changes are dated less precisely than steps in the mean); the penalty is
calibrated for white and AR(1) noise, so other dependence (weekly rhythms) is not covered —
the measured rates are in the docs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import ruptures as rpt

from koers.monitoring.analysis.describe import as_daily, json_safe, present, robust_sd, to_date
from koers.monitoring.analysis.series import DEFAULT_TZ, Daily, Series

MIN_SIZE = 7
MIN_DAYS = 14
RHO_MAX = 0.9
WINSOR = 2.5
RHO_MARGIN = 1.5  # ≈ one standard error of ρ from differences (1.4–1.7/√n measured at n = 90)
# c(n) = C0 + C1·ln(n), calibrated by simulation (benchmarks/n1_validation.py --calibrate, 1000 series
# per n and noise type for n = 20…365, 500 for 540 and 730; min_size 7): per n the 95th percentile of the
# critical constant was taken for white noise and AR(1) φ = 0.3, 0.5 and 0.7, and the largest of the four
# fitted by least squares, 0.47 + 1.42·ln n, then shifted up by 0.59 so that the line lies on or above
# every calibrated point but one (n = 45: 6.48 against 6.83 for φ = 0.7). Calibrated on white noise
# alone (-3.77 + 2.01·ln n) AR(1) φ = 0.3 gave 8–11 % false change points at 30–120 days.
C0 = 1.06
C1 = 1.42
# The same for changes in day-to-day variability, calibrated the same way on the log squared differences
# (1000 series per n and noise type, 500 at 540/730): least squares -4.19 + 2.30·ln n through the largest
# 95th percentile per n, shifted up by 0.32 (on or above every point but n = 90: 5.98 against 6.96).
VC0 = -3.87
VC1 = 2.30


@dataclass(frozen=True)
class Change:
    date: dt.date  # first day (with data) of the new segment
    index: int  # position among the days with data
    mean_before: float
    mean_after: float
    sd_before: float | None
    sd_after: float | None
    n_before: int  # days with data in the segment before / after
    n_after: int
    size: float  # mean_after − mean_before, in the variable's unit
    size_sd: float  # size / noise SD (σ, not the long-run SD)


@dataclass(frozen=True)
class VariabilityChange:
    date: dt.date  # first day (with data) of the calmer or more changeable period
    index: int  # position among the days with data
    spread_before: float  # day-to-day variation: robust SD of the differences / √2, in the unit
    spread_after: float
    ratio: float  # spread_after / spread_before


@dataclass(frozen=True)
class Segment:
    start: dt.date
    end: dt.date
    n: int
    mean: float
    sd: float | None


@dataclass(frozen=True)
class ChangePointResult:
    name: str
    ok: bool
    reason: str | None = None
    n: int = 0  # days with data used
    n_required: int = MIN_DAYS
    min_size: int = MIN_SIZE
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    changes: tuple[Change, ...] = ()
    segments: tuple[Segment, ...] = ()
    noise_sd: float | None = None
    autocorrelation: float | None = None
    penalty: float | None = None
    variability_changes: tuple[VariabilityChange, ...] = ()
    method: str = "PELT (ruptures), least squares, calibrated penalty"

    def as_dict(self) -> dict:
        return json_safe(dataclasses.asdict(self))


def noise_estimate(y: np.ndarray) -> tuple[float, float]:
    """(σ, ρ) of the noise from day-to-day differences (robust to a few mean shifts)."""
    diffs = np.diff(y)
    if diffs.size < 3 or np.ptp(diffs) == 0:
        return 0.0, 0.0
    sd_diff = robust_sd(diffs)
    if sd_diff == 0:
        return 0.0, 0.0
    # Winsorised at ±2.5 robust SDs: a short excursion (two large differences of opposite sign)
    # would otherwise dominate the sums and look like strong autocorrelation.
    centre = float(np.median(diffs))
    clipped = np.clip(diffs, centre - WINSOR * sd_diff, centre + WINSOR * sd_diff)
    dc = clipped - clipped.mean()
    r_d = float(np.dot(dc[:-1], dc[1:]) / np.dot(dc, dc))
    rho = min(max(1 + 2 * r_d, 0.0), RHO_MAX)
    sigma = sd_diff / math.sqrt(2 * (1 - rho))
    return sigma, rho


def long_run_variance(y: np.ndarray) -> tuple[float, float, float]:
    """(σ, ρ used, σ²_LR) for the penalty: ρ is the estimate plus RHO_MARGIN/√n (about one
    standard error of the difference-based estimate), clipped to [0, RHO_MAX]."""
    sigma, rho_hat = noise_estimate(y)
    if sigma == 0:
        return 0.0, rho_hat, 0.0
    rho = min(rho_hat + RHO_MARGIN / math.sqrt(y.size), RHO_MAX)
    sd_diff_sq = 2 * (1 - rho_hat) * sigma**2
    return sigma, rho, sd_diff_sq * (1 + rho) / (2 * (1 - rho) ** 2)


def penalty_constant(n: int) -> float:
    return C0 + C1 * math.log(n)


def variability_changes(dates: np.ndarray, y: np.ndarray, min_size: int = MIN_SIZE) -> tuple[VariabilityChange, ...]:
    """Changes in how much the value moves from day to day, found as changes in the mean of
    z = log(Δ² + 1 % of the median Δ²) (Δ = day-to-day differences: a change in the level is one
    large Δ, not a segment; a change in SD by a factor r moves the mean of z by 2·ln r). Same
    PELT and noise estimate as for the mean, with its own penalty constants VC0 + VC1·ln n,
    calibrated on white and AR(1) noise like the mean's (docs/n1-validation.md)."""
    diffs = np.diff(y)
    if diffs.size < 2 * min_size:
        return ()
    sq = diffs * diffs
    floor = 0.01 * float(np.median(sq))
    if floor <= 0:
        return ()
    z = np.log(sq + floor)
    _, _, long_run = long_run_variance(z)
    if long_run <= 0:
        return ()
    pen = (VC0 + VC1 * math.log(z.size)) * long_run
    ends = rpt.KernelCPD(kernel="linear", min_size=min_size, jump=1).fit(z).predict(pen=pen)
    bounds = [0, *[int(e) for e in ends]]
    spreads = [robust_sd(diffs[a:b]) / math.sqrt(2) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    out = []
    for k in range(1, len(spreads)):
        before, after = spreads[k - 1], spreads[k]
        if before <= 0 or after <= 0:
            continue
        out.append(
            VariabilityChange(
                date=to_date(dates[bounds[k] + 1]),
                index=bounds[k] + 1,
                spread_before=before,
                spread_after=after,
                ratio=after / before,
            )
        )
    return tuple(out)


def change_points(
    data: Series | Daily,
    *,
    min_size: int = MIN_SIZE,
    how: str = "mean",
    tz: str = DEFAULT_TZ,
    min_days: int = MIN_DAYS,
) -> ChangePointResult:
    """Changes in the mean level (see the module doc for the method and its limits)."""
    d = as_daily(data, how, tz)
    dates, y, _ = present(d)
    n = int(y.size)
    required = max(min_days, 2 * min_size)
    if n == 0:
        return ChangePointResult(d.name, ok=False, reason="no_data", n_required=required, min_size=min_size)
    base = dict(
        name=d.name,
        n=n,
        n_required=required,
        min_size=min_size,
        first_date=to_date(dates[0]),
        last_date=to_date(dates[-1]),
    )
    if n < required:
        return ChangePointResult(ok=False, reason="too_few_days", **base)
    sigma, rho, long_run_var = long_run_variance(y)
    if sigma == 0:  # constant (or almost: differences all equal) — nothing to split
        seg = Segment(to_date(dates[0]), to_date(dates[-1]), n, float(y.mean()), float(y.std(ddof=1)))
        return ChangePointResult(ok=True, segments=(seg,), noise_sd=0.0, autocorrelation=rho, penalty=None, **base)
    pen = penalty_constant(n) * long_run_var
    ends = rpt.KernelCPD(kernel="linear", min_size=min_size, jump=1).fit(y).predict(pen=pen)
    bounds = [0, *[int(e) for e in ends]]
    segments = _segments(dates, y, bounds)
    changes = _changes(segments, bounds, sigma)
    return ChangePointResult(
        ok=True,
        changes=tuple(changes),
        segments=tuple(segments),
        noise_sd=sigma,
        autocorrelation=rho,
        penalty=pen,
        variability_changes=variability_changes(dates, y, min_size),
        **base,
    )


def _segments(dates: np.ndarray, y: np.ndarray, bounds: list[int]) -> list[Segment]:
    """The days between consecutive bounds as segments (no SD for a segment of one day)."""
    segments = []
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        part = y[a:b]
        segments.append(
            Segment(
                to_date(dates[a]),
                to_date(dates[b - 1]),
                int(part.size),
                float(part.mean()),
                float(part.std(ddof=1)) if part.size > 1 else None,
            )
        )
    return segments


def _changes(segments: list[Segment], bounds: list[int], sigma: float) -> list[Change]:
    """A change at the start of every segment after the first, its size also in noise SDs."""
    changes = []
    for k in range(1, len(segments)):
        before, after = segments[k - 1], segments[k]
        size = after.mean - before.mean
        changes.append(
            Change(
                date=after.start,
                index=bounds[k],
                mean_before=before.mean,
                mean_after=after.mean,
                sd_before=before.sd,
                sd_after=after.sd,
                n_before=before.n,
                n_after=after.n,
                size=size,
                size_sd=size / sigma,
            )
        )
    return changes
