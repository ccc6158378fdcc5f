#!/usr/bin/env python3
"""N=1 analysis benchmark: the whole ``analyse()`` on one person-year next to the raw library calls
on the same data in the same run. Not a test: it measures.

    .venv/bin/python benchmarks/n1_analysis.py                 # 30 repeats
    .venv/bin/python benchmarks/n1_analysis.py --repeats 5     # a quick look

Data (seeded): one year of diary prompts, 5 a day (08, 11, 14, 17, 20 local time), each answered
with probability 0.8, for 10 variables on a 0–10 scale: slow drifts, a step in some, weekly
rhythm, AR(1) day-to-day noise, and sleep that goes with next-day mood — about 14,600
observations in all.

Timed, alternating in each repeat so both see the same machine load (p50/p95 over repeats):

1. ``analyse(series, phases=[one mark], expected_per_day=5)``: per variable descriptives,
   sampling, usual range, trend, change points, phase comparison, early warning (200 surrogates);
   lagged VAR(1) across the 10 variables; the explanation texts; then ``as_dict()`` (what the page
   and ``--format json`` serialise) is timed separately.
2. The raw library calls a hand-written script would make on the same data: pandas daily means
   per local day, ``scipy.stats.theilslopes`` per variable, ruptures ``KernelCPD`` (linear kernel,
   the same penalty and minimum segment) per variable, statsmodels ``VAR(1)`` on the standardised
   daily matrix, and pandas rolling variance and lag-1 autocorrelation (window half a year) per
   variable.

The overhead ratio is analyse / raw; what analyse does beyond the raw calls (the surrogate
uncertainty of the early-warning indicators, the Hamed–Rao and Sen interval of the trend, the
phase test, the sampling report with DST-aware local days, the texts) is the difference.
Wall time and CPU time (``process_time``, all threads) are both reported: on a shared machine
the wall time carries other people's load. Per-section CPU times come from
``analyse(..., only=[section])`` minus ``analyse(..., only=[])``. Results go to stdout and
benchmarks/results/n1_analysis.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pathlib
import platform
import statistics
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.test_settings")

NAMES = ("mood", "anxiety", "stress", "energy", "sleep_quality", "craving", "voices", "pain", "rest", "social")
PROMPTS = (8, 11, 14, 17, 20)
TZ = "Europe/Amsterdam"


def person_year(seed: int = 20261129, days: int = 365):
    """10 Series (0–10 scale) of one year of diary prompts, and the treatment-change date."""
    from zoneinfo import ZoneInfo

    from koers.monitoring.analysis.series import make_series

    rng = np.random.default_rng(seed)
    zone = ZoneInfo(TZ)
    start = dt.date(2026, 1, 1)
    t = np.arange(days)
    levels = np.empty((days, len(NAMES)))
    noise = np.zeros(len(NAMES))
    for day in range(days):
        noise = 0.4 * noise + rng.normal(0, 0.8, size=len(NAMES))
        levels[day] = noise
    for j in range(len(NAMES)):
        levels[:, j] += 5 + 0.6 * np.sin(2 * np.pi * t / 7 + j) + rng.normal(0, 0.5) * t / days
    levels[180:, 0] += 1.0  # mood improves after the treatment change
    levels[180:, 1] -= 0.8
    levels[1:, 0] += 0.5 * (levels[:-1, 4] - levels[:, 4].mean())  # sleep quality → next-day mood
    series = []
    for j, name in enumerate(NAMES):
        times, values = [], []
        for day in range(days):
            date = start + dt.timedelta(days=day)
            for hour in PROMPTS:
                if rng.random() < 0.8:
                    minute = int(rng.integers(0, 40))
                    times.append(dt.datetime.combine(date, dt.time(hour, minute), zone))
                    values.append(float(np.clip(levels[day, j] + rng.normal(0, 1.0), 0, 10)))
        series.append(make_series(name, times, values))
    return series, start + dt.timedelta(days=180)


def raw_calls(series, penalties: dict[str, float], min_size: int) -> None:
    """What a hand-written script would call on the same data (see the module docstring)."""
    import pandas as pd
    import ruptures as rpt
    from scipy import stats
    from statsmodels.tsa.api import VAR

    columns = {}
    for s in series:
        index = pd.DatetimeIndex(s.times, tz="UTC").tz_convert(TZ)
        columns[s.name] = pd.Series(s.values, index=index).groupby(index.date).mean()
    frame = pd.DataFrame(columns)
    frame = frame.reindex(pd.date_range(frame.index.min(), frame.index.max(), freq="D").date)
    window = len(frame) // 2
    for name in frame:
        y = frame[name].dropna()
        stats.theilslopes(y.to_numpy(), np.arange(len(frame))[frame[name].notna().to_numpy()])
        rpt.KernelCPD(kernel="linear", min_size=min_size, jump=1).fit(y.to_numpy()).predict(pen=penalties[name])
        filled = frame[name].interpolate()
        filled.rolling(window).var()
        filled.rolling(window).corr(filled.shift(1))
    complete = frame.dropna()
    z = (complete - complete.mean()) / complete.std()
    VAR(z.to_numpy()).fit(1, trend="c")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20261129)
    args = parser.parse_args()
    import django

    django.setup()
    from django.utils import translation

    from koers.monitoring.analysis.changepoints import MIN_SIZE
    from koers.monitoring.analysis.report import SECTION_KEYS, analyse

    translation.activate("nl")
    series, mark = person_year(args.seed)
    observations = sum(len(s) for s in series)
    phases = [(mark, "Start medicatie")]

    def full():
        return analyse(series, phases=phases, expected_per_day=len(PROMPTS), tz=TZ)

    report = full()  # warm-up: imports, caches
    penalties = {v.name: v.section("change_points").result.penalty for v in report.variables}
    raw_calls(series, penalties, MIN_SIZE)
    analyse_times, raw_times, dict_times, analyse_cpu, raw_cpu = [], [], [], [], []
    for _ in range(args.repeats):
        started, cpu = time.perf_counter(), time.process_time()
        report = full()
        analyse_times.append(time.perf_counter() - started)
        analyse_cpu.append(time.process_time() - cpu)
        started = time.perf_counter()
        report.as_dict()
        dict_times.append(time.perf_counter() - started)
        started, cpu = time.perf_counter(), time.process_time()
        raw_calls(series, penalties, MIN_SIZE)
        raw_times.append(time.perf_counter() - started)
        raw_cpu.append(time.process_time() - cpu)
    sections = {}
    for key in SECTION_KEYS:
        times = []
        for _ in range(max(3, args.repeats // 5)):
            started = time.process_time()
            analyse(series, phases=phases, expected_per_day=len(PROMPTS), tz=TZ, only=[key])
            times.append(time.process_time() - started)
        sections[key] = statistics.median(times)
    baseline = []  # analyse(only=[]) = daily aggregation + usual range, the part every section shares
    for _ in range(max(3, args.repeats // 5)):
        started = time.process_time()
        analyse(series, phases=phases, expected_per_day=len(PROMPTS), tz=TZ, only=[])
        baseline.append(time.process_time() - started)
    shared = statistics.median(baseline)

    p50, p95 = statistics.median(analyse_times), percentile(analyse_times, 0.95)
    raw50, raw95 = statistics.median(raw_times), percentile(raw_times, 0.95)
    out = {
        "date": dt.date.today().isoformat(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "repeats": args.repeats,
        "variables": len(series),
        "observations": observations,
        "days": int(report.variables[0].daily.dates.size),
        "analyse_p50_ms": round(1000 * p50, 1),
        "analyse_p95_ms": round(1000 * p95, 1),
        "as_dict_p50_ms": round(1000 * statistics.median(dict_times), 1),
        "raw_p50_ms": round(1000 * raw50, 1),
        "raw_p95_ms": round(1000 * raw95, 1),
        "overhead_ratio_p50": round(p50 / raw50, 2),
        "analyse_cpu_p50_ms": round(1000 * statistics.median(analyse_cpu), 1),
        "raw_cpu_p50_ms": round(1000 * statistics.median(raw_cpu), 1),
        "shared_ms": round(1000 * shared, 1),
        "sections_ms": {k: round(1000 * (v - shared), 1) for k, v in sections.items()},
        "lagged_method": report.lagged.result.method,
        "lagged_pairs_used": min(report.lagged.result.n_used.values()),
    }
    print(f"N=1 analysis: {len(series)} variables, {observations} observations, {out['days']} days, "
          f"{args.repeats} repeats (load {out['load_average'][0]:.2f}, {out['cpus']} CPUs)")  # fmt: skip
    print(
        f"analyse():  p50 {out['analyse_p50_ms']} ms, p95 {out['analyse_p95_ms']} ms "
        f"(+ as_dict {out['as_dict_p50_ms']} ms)"
    )
    print(f"raw calls:  p50 {out['raw_p50_ms']} ms, p95 {out['raw_p95_ms']} ms")
    print(f"overhead ratio (p50): {out['overhead_ratio_p50']}×")
    print(
        f"CPU time p50 (all threads of this process): analyse {out['analyse_cpu_p50_ms']} ms, "
        f"raw {out['raw_cpu_p50_ms']} ms"
    )
    print(f"CPU time, shared (daily aggregation, usual range): {out['shared_ms']} ms; per section (p50, beyond):")
    for key, ms in out["sections_ms"].items():
        print(f"  {key:14s} {ms:7.1f} ms")
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "n1_analysis.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
