"""Time series of one person's values: the shape every analysis function takes.

Pure: numpy only, no Django, no database. Times are UTC ``datetime64[s]``; a ``Series`` is sorted
with unique times and finite values (a missing prompt is simply absent). Daily aggregation uses
the person's local calendar day (Europe/Amsterdam by default), because "yesterday's sleep" is a
local-day notion.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

DEFAULT_TZ = "Europe/Amsterdam"
SECONDS_PER_DAY = 86_400.0


class SeriesError(ValueError):
    """Input that cannot be a series (unsorted times are sorted; these cannot be mended)."""


@dataclass(frozen=True, eq=False)
class Series:
    name: str
    times: np.ndarray  # datetime64[s], UTC, strictly increasing
    values: np.ndarray  # float64, finite

    def __len__(self) -> int:
        return int(self.values.size)

    @property
    def days(self) -> np.ndarray:
        """Time in days since the first observation (float64), for slopes per day."""
        if not len(self):
            return np.empty(0)
        return (self.times - self.times[0]).astype("timedelta64[s]").astype(np.float64) / SECONDS_PER_DAY


def make_series(name: str, times: Sequence, values: Sequence[float]) -> Series:
    """Build a Series from aware datetimes (or datetime64, taken as UTC) and numbers.

    Sorts by time. Refuses duplicate times, non-finite values and naive datetimes with a
    ``SeriesError`` that names the problem.
    """
    if len(times) != len(values):
        raise SeriesError(f"{name}: {len(times)} times but {len(values)} values")
    t = _to_datetime64(times)
    v = np.asarray(values, dtype=np.float64)
    if not np.all(np.isfinite(v)):
        raise SeriesError(f"{name}: values must be finite numbers")
    order = np.argsort(t, kind="stable")
    t, v = t[order], v[order]
    t.flags.writeable = False  # local dates are remembered per times array (local_dates)
    if t.size > 1 and np.any(t[1:] == t[:-1]):
        dup = t[1:][t[1:] == t[:-1]][0]
        raise SeriesError(f"{name}: two values at the same time ({dup} UTC)")
    return Series(name=name, times=t, values=v)


def _to_datetime64(times: Sequence) -> np.ndarray:
    if isinstance(times, np.ndarray) and np.issubdtype(times.dtype, np.datetime64):
        return times.astype("datetime64[s]")
    out = np.empty(len(times), dtype="datetime64[s]")
    for i, t in enumerate(times):
        if isinstance(t, dt.datetime):
            if t.tzinfo is None:
                raise SeriesError("times must carry a time zone")
            out[i] = np.datetime64(t.astimezone(dt.UTC).replace(tzinfo=None), "s")
        else:
            out[i] = np.datetime64(t, "s")
    return out


_LOCAL_DATES: dict[int, tuple[weakref.ref, str, np.ndarray]] = {}


def local_dates(times: np.ndarray, tz: str = DEFAULT_TZ) -> np.ndarray:
    """The local calendar date (datetime64[D]) of each UTC time, DST-aware (read-only array).

    Remembered per times array (by identity, while it lives): one report asks it for the same
    series' times several times (sampling, daily values, usual range, per section)."""
    hit = _LOCAL_DATES.get(id(times))
    if hit is not None and hit[0]() is times and hit[1] == tz:
        return hit[2]
    result = _local_dates(times, tz)
    result.flags.writeable = False
    if len(_LOCAL_DATES) >= 256:
        _LOCAL_DATES.clear()
    _LOCAL_DATES[id(times)] = (weakref.ref(times), tz, result)
    return result


def _local_dates(times: np.ndarray, tz: str) -> np.ndarray:
    if times.size == 0:
        return np.empty(0, dtype="datetime64[D]")
    zone = ZoneInfo(tz)
    # The offset is looked up once per distinct UTC day (<= 366 a year), not per time: a day
    # whose offset is the same at its start and end (all but the two switch days a year) gives
    # that offset to all its times; only times on a switch day are looked up one by one.
    utc_days, inverse = np.unique(times.astype("datetime64[D]"), return_inverse=True)
    day_offsets = np.empty(utc_days.size, dtype="timedelta64[s]")
    mixed = np.zeros(utc_days.size, dtype=bool)
    for k, day in enumerate(utc_days):
        base = dt.datetime.fromisoformat(str(day)).replace(tzinfo=dt.UTC)
        early = base.astimezone(zone).utcoffset()
        late = (base + dt.timedelta(hours=23, minutes=59, seconds=59)).astimezone(zone).utcoffset()
        day_offsets[k] = np.timedelta64(int(early.total_seconds()), "s")
        mixed[k] = early != late
    offsets = day_offsets[inverse]
    for i in np.flatnonzero(mixed[inverse]):
        moment = times[i].astype(dt.datetime).replace(tzinfo=dt.UTC)
        offsets[i] = np.timedelta64(int(moment.astimezone(zone).utcoffset().total_seconds()), "s")
    return (times + offsets).astype("datetime64[D]")


@dataclass(frozen=True, eq=False)
class Daily:
    """One value per local calendar day from the first to the last day; NaN where no data."""

    name: str
    dates: np.ndarray  # datetime64[D], consecutive
    values: np.ndarray  # float64, NaN = no observation that day
    counts: np.ndarray  # int, observations per day


def daily(series: Series, how: str = "mean", tz: str = DEFAULT_TZ) -> Daily:
    """Aggregate to local calendar days ("mean", "median", "sum", "min", "max", "last")."""
    if not len(series):
        return Daily(series.name, np.empty(0, "datetime64[D]"), np.empty(0), np.empty(0, dtype=np.int64))
    d = local_dates(series.times, tz)
    first, last = d[0], d[-1]
    n_days = int((last - first).astype(int)) + 1
    idx = (d - first).astype(int)
    counts = np.bincount(idx, minlength=n_days)
    values = np.full(n_days, np.nan)
    if how == "mean":
        sums = np.bincount(idx, weights=series.values, minlength=n_days)
        with np.errstate(invalid="ignore", divide="ignore"):
            values = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    elif how == "sum":
        sums = np.bincount(idx, weights=series.values, minlength=n_days)
        values = np.where(counts > 0, sums, np.nan)
    elif how in ("median", "min", "max", "last"):
        fn = {"median": np.median, "min": np.min, "max": np.max, "last": lambda a: a[-1]}[how]
        bounds = np.flatnonzero(np.diff(idx)) + 1
        for chunk_idx, chunk in zip(np.split(idx, bounds), np.split(series.values, bounds), strict=True):
            values[chunk_idx[0]] = fn(chunk)
    else:
        raise SeriesError(f"unknown aggregation {how!r}")
    dates = first + np.arange(n_days).astype("timedelta64[D]")
    return Daily(series.name, dates, values, counts)


def align_daily(dailies: Sequence[Daily]) -> tuple[np.ndarray, np.ndarray]:
    """Put several Daily series on one calendar: (dates, matrix days × variables, NaN = missing)."""
    if not dailies or all(d.dates.size == 0 for d in dailies):
        return np.empty(0, "datetime64[D]"), np.empty((0, len(dailies)))
    first = min(d.dates[0] for d in dailies if d.dates.size)
    last = max(d.dates[-1] for d in dailies if d.dates.size)
    n = int((last - first).astype(int)) + 1
    matrix = np.full((n, len(dailies)), np.nan)
    for j, d in enumerate(dailies):
        if d.dates.size:
            start = int((d.dates[0] - first).astype(int))
            matrix[start : start + d.values.size, j] = d.values
    return first + np.arange(n).astype("timedelta64[D]"), matrix
