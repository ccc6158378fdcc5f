"""Descriptives, sampling report and the person's own usual range for one series.

Pure: numpy only (no Django). Every result is a frozen dataclass with ``as_dict()`` (JSON-safe:
dates as ISO strings, floats rounded to 5 significant digits, NaN/inf as None). When there is
too little data the result has ``ok=False`` and a ``reason`` code (never an exception):

- ``"no_data"``: the series is empty.
- ``"too_few_observations"`` / ``"too_few_days"``: fewer than the minimum named in ``minimum``.

The small helpers at the bottom (``as_daily``, ``json_safe``, ``robust_sd``) are shared by the
other analysis modules of this package.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

from koers.monitoring.analysis.series import DEFAULT_TZ, SECONDS_PER_DAY, Daily, Series, daily, local_dates

# Usual range: median ± USUAL_K robust SDs. benchmarks/n1_validation.py measures the share of
# *new* values (the week after the window) that fall outside: with k = 2 that was 6–12 % (the
# median and MAD of 28 values are themselves uncertain), with k = 2.5 it is 1.6–3.6 %
# (docs/n1-validation.md).
USUAL_K = 2.5
USUAL_MIN_OBSERVATIONS = 10
USUAL_MIN_DAYS = 5

GAP_FACTOR = 3.0  # a gap is an interval longer than 3× the usual interval
OVERNIGHT_FACTOR = 1.5  # ...and, with several values a day, longer than 1.5× the usual overnight pause
REGULAR_SPREAD = 0.25  # regular when the median |interval − median interval| ≤ a quarter of the median


@dataclass(frozen=True)
class Descriptives:
    name: str
    ok: bool
    reason: str | None = None
    n: int = 0
    mean: float | None = None
    sd: float | None = None
    median: float | None = None
    q1: float | None = None
    q3: float | None = None
    iqr: float | None = None
    min: float | None = None
    max: float | None = None
    first_at: dt.datetime | None = None  # UTC
    last_at: dt.datetime | None = None
    first_value: float | None = None
    last_value: float | None = None
    first_date: dt.date | None = None  # local calendar dates
    last_date: dt.date | None = None
    days_covered: int = 0  # calendar days from the first to the last local day, both included
    days_with_data: int = 0
    per_day: float | None = None  # mean number of observations on a day with data

    def as_dict(self) -> dict:
        return json_safe(dataclasses.asdict(self))


@dataclass(frozen=True)
class Gap:
    start: dt.datetime  # last observation before the gap (UTC)
    end: dt.datetime  # first observation after it
    hours: float


@dataclass(frozen=True)
class SamplingReport:
    name: str
    ok: bool
    reason: str | None = None
    n: int = 0
    median_interval_hours: float | None = None
    interval_q1_hours: float | None = None
    interval_q3_hours: float | None = None
    interval_spread: float | None = None  # MAD / median of the intervals used; 0 = perfectly regular
    regular: bool | None = None
    gap_threshold_hours: float | None = None
    gaps: tuple[Gap, ...] = ()
    days_covered: int = 0
    days_with_data: int = 0
    days_without_data: int = 0
    missing_dates: tuple[dt.date, ...] = ()
    per_day_median: float | None = None
    expected_per_day: int | None = None
    expected_prompts: int | None = None
    answered_prompts: int | None = None  # per day at most expected_per_day count
    answered_share: float | None = None
    extra_observations: int | None = None  # beyond expected_per_day on a day

    def as_dict(self) -> dict:
        return json_safe(dataclasses.asdict(self))


def describe(series: Series, tz: str = DEFAULT_TZ) -> Descriptives:
    """Numbers that describe the observations as they are (not aggregated per day)."""
    n = len(series)
    if n == 0:
        return Descriptives(series.name, ok=False, reason="no_data")
    v = series.values
    d = local_dates(series.times, tz)
    days_covered = int((d[-1] - d[0]).astype(int)) + 1
    days_with = int(np.unique(d).size)
    q1, med, q3 = (float(x) for x in np.percentile(v, [25, 50, 75]))
    return Descriptives(
        series.name,
        ok=True,
        n=n,
        mean=float(v.mean()),
        sd=float(v.std(ddof=1)) if n > 1 else None,
        median=med,
        q1=q1,
        q3=q3,
        iqr=q3 - q1,
        min=float(v.min()),
        max=float(v.max()),
        first_at=to_datetime(series.times[0]),
        last_at=to_datetime(series.times[-1]),
        first_value=float(v[0]),
        last_value=float(v[-1]),
        first_date=to_date(d[0]),
        last_date=to_date(d[-1]),
        days_covered=days_covered,
        days_with_data=days_with,
        per_day=n / days_with,
    )


def sampling(series: Series, expected_per_day: int | None = None, tz: str = DEFAULT_TZ) -> SamplingReport:
    """How regularly values came in, where the gaps are, and (with ``expected_per_day``) which
    share of the expected prompts was answered.

    - Intervals are between consecutive observations; the median and quartiles describe them.
      ``regular`` when the median absolute deviation of the intervals is at most a quarter of
      their median. With several values a day only the intervals within a day are judged (the
      night pause and a skipped prompt are part of a fixed schedule); random times give a
      spread of about 0.7 (exponential intervals), a fixed schedule with ±30 minutes about 0.1.
    - A gap is an interval longer than 3× the median interval. With several values a day the
      night pause is part of the rhythm, so then a gap must also be longer than 1.5× the usual
      overnight interval (the median of intervals that cross a local midnight).
    - Days without data: calendar days between the first and last day with no value at all.
    - Answered share: per day at most ``expected_per_day`` values count (extra entries on one day
      do not make up for a missed day), over all days covered.
    """
    n = len(series)
    if expected_per_day is not None and expected_per_day < 1:
        raise ValueError("expected_per_day must be at least 1")
    if n == 0:
        return SamplingReport(series.name, ok=False, reason="no_data", expected_per_day=expected_per_day)
    dly = daily(series, "mean", tz)
    base = _coverage(series, dly, expected_per_day)
    if n < 3:
        return SamplingReport(ok=False, reason="too_few_observations", **base)
    return SamplingReport(ok=True, **_intervals(series, dly.counts, tz), **base)


def _coverage(series: Series, dly: Daily, expected_per_day: int | None) -> dict:
    """Days covered, with and without data, and (with ``expected_per_day``) the prompts answered."""
    counts = dly.counts
    missing = tuple(to_date(x) for x in dly.dates[counts == 0])
    base = dict(
        name=series.name,
        n=len(series),
        days_covered=int(counts.size),
        days_with_data=int((counts > 0).sum()),
        days_without_data=len(missing),
        missing_dates=missing,
        per_day_median=float(np.median(counts[counts > 0])),
    )
    if expected_per_day is not None:
        answered = int(np.minimum(counts, expected_per_day).sum())
        expected = int(expected_per_day * counts.size)
        base.update(
            expected_per_day=expected_per_day,
            expected_prompts=expected,
            answered_prompts=answered,
            answered_share=answered / expected,
            extra_observations=int(np.maximum(counts - expected_per_day, 0).sum()),
        )
    return base


def _intervals(series: Series, counts: np.ndarray, tz: str) -> dict:
    """The intervals between observations: quartiles, spread (regularity), gap threshold and gaps."""
    hours = np.diff(series.times).astype("timedelta64[s]").astype(np.float64) / 3600.0
    q1, med, q3 = (float(x) for x in np.percentile(hours, [25, 50, 75]))
    threshold = GAP_FACTOR * med
    d = local_dates(series.times, tz)
    crosses = d[1:] != d[:-1]
    several_a_day = float(np.median(counts[counts > 0])) > 1
    judged = hours[~crosses] if several_a_day and (~crosses).sum() >= 2 else hours
    judged_median = float(np.median(judged))
    spread = float(np.median(np.abs(judged - judged_median))) / judged_median if judged_median > 0 else math.inf
    if several_a_day and crosses.any():
        threshold = max(threshold, OVERNIGHT_FACTOR * float(np.median(hours[crosses])))
    gap_idx = np.flatnonzero(hours > threshold)
    gaps = tuple(Gap(to_datetime(series.times[i]), to_datetime(series.times[i + 1]), float(hours[i])) for i in gap_idx)
    return dict(
        median_interval_hours=med,
        interval_q1_hours=q1,
        interval_q3_hours=q3,
        interval_spread=spread,
        regular=bool(spread <= REGULAR_SPREAD),
        gap_threshold_hours=threshold,
        gaps=gaps,
    )


def usual_range(
    series: Series, until=None, window_days: int = 28, tz: str = DEFAULT_TZ
) -> tuple[float | None, float | None]:
    """The person's own usual range: (low, high), or (None, None) with too little data.

    Uses the observations in the ``window_days`` days up to and including ``until`` (an aware
    datetime, a ``datetime64`` or a date, the whole local day; default: the last observation).
    Robust so that one odd value does not move it: median ± 2.5 robust SDs, where the robust SD
    is 1.4826 × MAD (equal to the SD for normal data); when more than half the values are equal
    (MAD = 0, common on a 0–10 scale) the IQR/1.349 is used, then the ordinary SD. Not clipped:
    the caller may clip to the scale (0–10) for display.
    About 2–4 % of new values fall outside for a stable person (measured; docs/n1-validation.md).
    Needs ≥ 10 observations on ≥ 5 days.
    """
    if not len(series):
        return (None, None)
    end = _end_time(series, until, tz)
    start = end - np.timedelta64(int(window_days * SECONDS_PER_DAY), "s")
    mask = (series.times > start) & (series.times <= end)
    v = series.values[mask]
    # Local dates of the whole series (remembered per series by local_dates), then the window.
    if v.size < USUAL_MIN_OBSERVATIONS or np.unique(local_dates(series.times, tz)[mask]).size < USUAL_MIN_DAYS:
        return (None, None)
    med = float(np.median(v))
    s = robust_sd(v)
    return (med - USUAL_K * s, med + USUAL_K * s)


def robust_sd(v: np.ndarray) -> float:
    """1.4826·MAD; if that is 0, IQR/1.349; if that is 0 too (more than three quarters of the
    values equal), the ordinary SD (so the few other values still count); 0 when all equal."""
    v = np.asarray(v, dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return math.nan
    med = np.median(v)
    mad = 1.4826 * float(np.median(np.abs(v - med)))
    if mad > 0:
        return mad
    q1, q3 = np.percentile(v, [25, 75])
    if q3 > q1:
        return float(q3 - q1) / 1.349
    return float(v.std(ddof=1)) if v.size > 1 else 0.0


# ---- helpers shared by the analysis modules ------------------------------------------------


def as_daily(data: Series | Daily, how: str = "mean", tz: str = DEFAULT_TZ) -> Daily:
    """A Daily as given, or a Series aggregated per local day (means by default, so five prompts
    on one day count as one day, not five independent points)."""
    if isinstance(data, Daily):
        return data
    if isinstance(data, Series):
        return daily(data, how, tz)
    raise TypeError(f"expected a Series or Daily, not {type(data).__name__}")


def present(d: Daily) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dates, values, day numbers since the first date) of the days that have a value."""
    mask = np.isfinite(d.values)
    dates = d.dates[mask]
    days = (dates - d.dates[0]).astype(np.float64) if d.dates.size else np.empty(0)
    return dates, d.values[mask], days


def to_date(x) -> dt.date:
    return np.datetime64(x, "D").astype(dt.date)


def to_datetime(x) -> dt.datetime:
    return np.datetime64(x, "s").astype(dt.datetime).replace(tzinfo=dt.UTC)


def _end_time(series: Series, until, tz: str) -> np.datetime64:
    if until is None:
        return series.times[-1]
    if isinstance(until, dt.datetime):
        if until.tzinfo is None:
            raise ValueError("until must carry a time zone")
        return np.datetime64(until.astimezone(dt.UTC).replace(tzinfo=None), "s")
    if isinstance(until, dt.date):  # the whole local day is included
        midnight = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=ZoneInfo(tz))
        return np.datetime64(midnight.astimezone(dt.UTC).replace(tzinfo=None), "s") - np.timedelta64(1, "s")
    return np.datetime64(until, "s")


def round_sig(x: float, digits: int = 5) -> float:
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - int(math.floor(math.log10(abs(x)))))


def json_safe(value):
    """Dates → ISO strings, floats → 5 significant digits, NaN/inf → None, tuples → lists."""
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return round_sig(f) if math.isfinite(f) else None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.datetime64):
        return str(value)
    return value
