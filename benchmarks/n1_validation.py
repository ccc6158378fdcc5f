#!/usr/bin/env python3
"""Validation by simulation with known truth: detection and false-alarm rates of the N=1
analysis (trend, change points, phase comparison, usual range). Not a test: it measures; the
tests in koers/monitoring/tests/test_simulation_a.py assert bounds on fewer runs.

    .venv/bin/python benchmarks/n1_validation.py                 # 1000 runs per cell (~5 min)
    .venv/bin/python benchmarks/n1_validation.py --runs 200      # a quick look
    .venv/bin/python benchmarks/n1_validation.py --calibrate     # the change-point penalty c(n)
    .venv/bin/python benchmarks/n1_validation.py --calibrate --variability   # ... for variability

Every cell simulates daily values (one value per day, noise SD 1) with a seeded generator:
white noise (φ = 0) or stationary AR(1) noise with φ = 0.3 / 0.5 / 0.7, plus the known truth
(a linear trend, a step at a known day, a phase difference). A rate is the share of runs in
which the analysis said "yes" (significant trend in the right direction, a change point within
±3 days of the true one, a significant phase difference), with a Wilson 95 % interval. Results
are printed as Markdown tables (pasted into docs/n1-validation.md) and written to
benchmarks/results/n1_validation.json.

``--calibrate`` finds, for white noise of length n, the smallest penalty constant c at which
PELT reports no change point (per series, by bisection), and prints the 95th percentile per n
and the least-squares line c(n) = C0 + C1·ln n (koers/monitoring/analysis/changepoints.py).
"""

from __future__ import annotations

import argparse
import json
import math
import pathlib
import platform
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import ruptures as rpt  # noqa: E402

from koers.monitoring.analysis.changepoints import change_points, long_run_variance  # noqa: E402
from koers.monitoring.analysis.describe import robust_sd, usual_range  # noqa: E402
from koers.monitoring.analysis.phases import compare_phases  # noqa: E402
from koers.monitoring.analysis.series import make_series  # noqa: E402
from koers.monitoring.analysis.simulate import START, ar1, as_daily, diary, with_missing  # noqa: E402
from koers.monitoring.analysis.trend import trend  # noqa: E402

PHIS = (0.0, 0.3, 0.5, 0.7)
TOLERANCE = 3  # days: a change point "found" when one is reported within ±3 days of the truth


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def rate(k: int, n: int) -> dict:
    low, high = wilson(k, n)
    return {"rate": k / n, "low": low, "high": high, "runs": n}


def fmt(cell: dict) -> str:
    return f"{100 * cell['rate']:.1f}% ({100 * cell['low']:.1f}–{100 * cell['high']:.1f})"


# ---- trend ------------------------------------------------------------------------------------


def trend_rate(rng, runs: int, n: int, phi: float, total_change: float, missing: float = 0.0) -> dict:
    """Share of runs with a significant trend in the true direction (any direction when 0)."""
    hits = 0
    line = np.linspace(0.0, total_change, n)
    for _ in range(runs):
        y = ar1(rng, n, phi) + line
        if missing:
            y = with_missing(rng, y, missing)
        r = trend(as_daily(y))
        if total_change == 0:
            hits += r.significant
        else:
            hits += r.significant and (r.direction == ("up" if total_change > 0 else "down"))
    return rate(hits, runs)


# ---- change points ----------------------------------------------------------------------------


def cp_null_rate(rng, runs: int, n: int, phi: float) -> dict:
    hits = sum(bool(change_points(as_daily(ar1(rng, n, phi))).changes) for _ in range(runs))
    return rate(hits, runs)


def cp_null_bic_rate(rng, runs: int, n: int, phi: float) -> dict:
    """Reference: a plain BIC-type penalty 2·ln(n)·σ² (σ from the MAD of the differences, no
    autocorrelation allowance) on the same kind of series."""
    hits = 0
    for _ in range(runs):
        y = ar1(rng, n, phi)
        s2 = robust_sd(np.diff(y)) ** 2 / 2
        ends = rpt.KernelCPD(kernel="linear", min_size=7, jump=1).fit(y).predict(pen=2 * math.log(n) * s2)
        hits += len(ends) > 1
    return rate(hits, runs)


def cp_shift(rng, runs: int, n: int, phi: float, size: float, at: int, missing: float = 0.0) -> dict:
    """A step of ``size`` SDs on day ``at``: share of runs with any change point, with one within
    ±3 and within ±7 days, the median absolute dating error of the nearest one (when within ±7),
    and the share of runs with a change point more than 7 days from the truth (spurious)."""
    anything = near3 = near7 = spurious = 0
    errors = []
    for _ in range(runs):
        y = ar1(rng, n, phi)
        y[at:] += size
        if missing:
            y = with_missing(rng, y, missing)
        r = change_points(as_daily(y))
        offsets = [abs(int((np.datetime64(c.date) - START).astype(int)) - at) for c in r.changes]
        anything += bool(offsets)
        if offsets and min(offsets) <= 7:
            near7 += 1
            errors.append(min(offsets))
        near3 += bool(offsets) and min(offsets) <= TOLERANCE
        spurious += any(o > 7 for o in offsets)
    out = rate(near3, runs)
    out["any"] = rate(anything, runs)
    out["within7"] = rate(near7, runs)
    out["median_error_days"] = float(np.median(errors)) if errors else None
    out["spurious"] = rate(spurious, runs)
    return out


# ---- phases ------------------------------------------------------------------------------------


def phase_rate(rng, runs: int, days_each: int, phi: float, difference: float) -> dict:
    hits = 0
    n = 2 * days_each
    mark = (START + np.timedelta64(days_each, "D")).astype(object)
    for _ in range(runs):
        y = ar1(rng, n, phi)
        y[days_each:] += difference
        comp = compare_phases(as_daily(y), [(mark, "B")]).comparisons[0]
        if difference == 0:
            hits += comp.significant
        else:
            hits += comp.significant and (comp.difference > 0) == (difference > 0)
    return rate(hits, runs)


def phase_coverage(rng, runs: int, days_each: int, phi: float, difference: float = 0.5) -> dict:
    covered = 0
    n = 2 * days_each
    mark = (START + np.timedelta64(days_each, "D")).astype(object)
    for _ in range(runs):
        y = ar1(rng, n, phi)
        y[days_each:] += difference
        comp = compare_phases(as_daily(y), [(mark, "B")]).comparisons[0]
        covered += comp.ci_low <= difference <= comp.ci_high
    return rate(covered, runs)


# ---- usual range -----------------------------------------------------------------------------


def usual_outside(rng, runs: int, per_day: int, phi: float, scale: str = "continuous") -> dict:
    """Share of the next week's observations outside the usual range of the 28 days before."""
    outside = total = 0
    days = 35
    for _ in range(runs):
        level = ar1(rng, days, phi)
        times, values = [], []
        for d in range(days):
            for k in range(per_day):
                times.append(np.datetime64("2026-01-05T07:00") + np.timedelta64(d * 24 * 60 + k * 180, "m"))
                values.append(level[d] * math.sqrt(0.5) + rng.normal() * math.sqrt(0.5))
        v = np.array(values)
        if scale == "rating":  # a 0–10 diary item: mean 5, SD ≈ 1.5, whole numbers
            v = np.clip(np.round(5 + 1.5 * v), 0, 10)
        s = make_series("u", np.array(times, dtype="datetime64[s]"), v)
        cut = np.datetime64("2026-02-02T00:00", "s")
        low, high = usual_range(s, until=cut - np.timedelta64(1, "s"))
        future = v[s.times >= cut]
        outside += int(((future < low) | (future > high)).sum())
        total += future.size
    return rate(outside, total)


# ---- diary data (prompts, not days) ----------------------------------------------------------------


def diary_cells(rng, runs: int) -> dict:
    """5 prompts a day (80 % answered, within-day SD 1) around a day level that is AR(1) with
    φ = 0.3 and SD 0.5; 90 days. The analyses take the series of prompts (daily means inside).
    Steps of 0.5 and 1.0 from day 45 on (one and two day-level SDs; the SD of a daily mean of
    four prompts is about 0.7)."""
    mark = (START + np.timedelta64(45, "D")).astype(object)
    counts = {"cp_null": 0, "trend_null": 0, "phase_null": 0}
    for step in (0.5, 1.0):
        counts |= {f"cp_step_{step}": 0, f"cp_step7_{step}": 0, f"phase_step_{step}": 0}
    for _ in range(runs):
        level = ar1(rng, 90, 0.3, sd=0.5)
        s = diary(rng, level)
        counts["cp_null"] += bool(change_points(s).changes)
        counts["trend_null"] += trend(s).significant
        counts["phase_null"] += compare_phases(s, [(mark, "B")]).comparisons[0].significant
        for step in (0.5, 1.0):
            stepped = level.copy()
            stepped[45:] += step
            s2 = diary(rng, stepped)
            r = change_points(s2)
            offsets = [abs(int((np.datetime64(c.date) - START).astype(int)) - 45) for c in r.changes]
            counts[f"cp_step_{step}"] += bool(offsets) and min(offsets) <= TOLERANCE
            counts[f"cp_step7_{step}"] += bool(offsets) and min(offsets) <= 7
            comp = compare_phases(s2, [(mark, "B")]).comparisons[0]
            counts[f"phase_step_{step}"] += comp.significant and comp.difference > 0
    return {key: rate(k, runs) for key, k in counts.items()}


# ---- changes in variability -------------------------------------------------------------------


def variability_cells(rng, runs: int) -> dict:
    out = {}
    for n in (60, 120, 365):
        for phi in PHIS:
            hits = sum(bool(change_points(as_daily(ar1(rng, n, phi))).variability_changes) for _ in range(runs))
            out[f"null/{n}/{phi}"] = rate(hits, runs)
    for n, at in ((120, 60), (365, 200)):
        for factor in (1.5, 2.0, 3.0):
            for phi in (0.0, 0.5):
                near = 0
                for _ in range(runs):
                    y = ar1(rng, n, phi)
                    y[at:] *= factor
                    r = change_points(as_daily(y))
                    offsets = [
                        abs(int((np.datetime64(c.date) - START).astype(int)) - at) for c in r.variability_changes
                    ]
                    near += bool(offsets) and min(offsets) <= 7
                out[f"step/{n}/{at}/{factor}/{phi}"] = rate(near, runs)
    spurious = 0
    for _ in range(runs):
        y = ar1(rng, 120, 0.0)
        y[60:] += 2.0
        spurious += bool(change_points(as_daily(y)).variability_changes)
    out["mean_step_2sd"] = rate(spurious, runs)
    return out


# ---- calibration -----------------------------------------------------------------------------


def critical_c(y: np.ndarray, min_size: int = 7) -> float:
    _, _, long_run = long_run_variance(y)
    algo = rpt.KernelCPD(kernel="linear", min_size=min_size, jump=1).fit(y)
    lo, hi = 0.0, 200.0
    if len(algo.predict(pen=hi * long_run)) > 1:
        return hi
    for _ in range(16):
        mid = (lo + hi) / 2
        if len(algo.predict(pen=mid * long_run)) > 1:
            lo = mid
        else:
            hi = mid
    return hi


def log_squared_differences(y: np.ndarray) -> np.ndarray:
    """What ``variability_changes`` segments (see koers/monitoring/analysis/changepoints.py)."""
    sq = np.diff(y) ** 2
    return np.log(sq + 0.01 * float(np.median(sq)))


def calibrate(runs: int, seed: int, variability: bool = False) -> dict:
    """Per n and per noise (white, AR(1) φ = 0.3 / 0.5 / 0.7): the 95th percentile of the critical
    constant; c(n) is fitted to the largest of the four per n (so no noise in the family gives
    more than ~5 % false change points), then shifted up to cover every n."""
    rng = np.random.default_rng(seed)
    sizes = (20, 30, 45, 60, 90, 120, 180, 270, 365, 540, 730)
    table = {}
    for n in sizes:
        r = runs if n <= 365 else runs // 2
        table[n] = {}
        for phi in PHIS:
            if variability:
                cs = np.array([critical_c(log_squared_differences(ar1(rng, n, phi))) for _ in range(r)])
            else:
                cs = np.array([critical_c(ar1(rng, n, phi)) for _ in range(r)])
            table[n][phi] = float(np.quantile(cs, 0.95))
        print(f"n={n:4d}  runs={r}  " + "  ".join(f"φ={phi}: {table[n][phi]:.2f}" for phi in PHIS), flush=True)
    ns = np.array(sizes, dtype=float)
    q = np.array([max(table[n].values()) for n in sizes])
    design = np.c_[np.ones(ns.size), np.log(ns)]
    c0, c1 = np.linalg.lstsq(design, q, rcond=None)[0]
    shift = float(np.max(q - design @ [c0, c1]))
    print(f"least squares on the largest per n: c(n) = {c0:.2f} + {c1:.2f}·ln n; shifted up by {shift:.2f}")
    return {"q95": table, "C0": float(c0), "C1": float(c1), "shift": shift}


# ---- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--variability", action="store_true", help="with --calibrate: the variability penalty")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "n1_validation.json"))
    args = parser.parse_args()
    started = time.perf_counter()
    if args.calibrate:
        result = {"calibration": calibrate(args.runs, args.seed, args.variability)}
        print(f"\n{time.perf_counter() - started:.0f} s")
        return
    rng = np.random.default_rng(args.seed)
    runs = args.runs
    result: dict = {"runs": runs, "seed": args.seed, "python": platform.python_version()}

    print(f"# N=1 validation, {runs} runs per cell, seed {args.seed}\n")
    print("## Trend: significant trend (α = 5 %)\n")
    print("| days | noise | no trend (false alarm) | +0.5 SD over the period | +1 SD over the period |")
    print("|---:|---|---:|---:|---:|")
    result["trend"] = {}
    for n in (30, 60, 120, 365):
        for phi in PHIS:
            r = max(runs // 4, 50) if n == 365 else runs
            cells = {str(t): trend_rate(rng, r, n, phi, t) for t in (0.0, 0.5, 1.0)}
            result["trend"][f"{n}/{phi}"] = cells
            noise = "white" if phi == 0 else f"AR(1) φ={phi}"
            print(f"| {n} | {noise} | {fmt(cells['0.0'])} | {fmt(cells['0.5'])} | {fmt(cells['1.0'])} |", flush=True)
    cell = trend_rate(rng, runs, 120, 0.3, 0.0, missing=0.3)
    result["trend"]["120/0.3/missing0.3"] = cell
    print(f"\n120 days, AR(1) φ=0.3, 30 % of days missing, no trend: {fmt(cell)}\n")

    print("## Change points: white noise and AR(1) without a change (any change point reported)\n")
    print("| days | white | AR(1) φ=0.3 | AR(1) φ=0.5 | AR(1) φ=0.7 |")
    print("|---:|---:|---:|---:|---:|")
    result["cp_null"] = {}
    for n in (30, 60, 120, 365, 730):
        cells = {str(phi): cp_null_rate(rng, runs, n, phi) for phi in PHIS}
        result["cp_null"][str(n)] = cells
        print(f"| {n} | " + " | ".join(fmt(cells[str(phi)]) for phi in PHIS) + " |", flush=True)

    print("\nReference, plain BIC-type penalty 2·ln(n)·σ² without autocorrelation allowance:\n")
    print("| days | white | AR(1) φ=0.3 | AR(1) φ=0.5 | AR(1) φ=0.7 |")
    print("|---:|---:|---:|---:|---:|")
    result["cp_null_bic"] = {}
    for n in (60, 120, 365):
        cells = {str(phi): cp_null_bic_rate(rng, max(runs // 4, 50), n, phi) for phi in PHIS}
        result["cp_null_bic"][str(n)] = cells
        print(f"| {n} | " + " | ".join(fmt(cells[str(phi)]) for phi in PHIS) + " |", flush=True)

    print("\n## Change points: a step on a known day\n")
    print(
        "| days | step on day | size | noise | any change point | within ±3 days | within ±7 days "
        "| median error (days) | also one > 7 days away |"
    )
    print("|---:|---:|---:|---|---:|---:|---:|---:|---:|")
    result["cp_shift"] = {}
    for n, at in ((60, 30), (90, 45), (120, 60), (120, 20), (365, 200)):
        for size in (0.5, 1.0, 2.0):
            for phi in (0.0, 0.3, 0.5):
                if phi and size == 0.5:
                    continue
                cell = cp_shift(rng, runs, n, phi, size, at)
                result["cp_shift"][f"{n}/{at}/{size}/{phi}"] = cell
                noise = "white" if phi == 0 else f"AR(1) φ={phi}"
                print(
                    f"| {n} | {at} | {size} SD | {noise} | {fmt(cell['any'])} | {fmt(cell)} | {fmt(cell['within7'])} | "
                    f"{cell['median_error_days']} | {fmt(cell['spurious'])} |",
                    flush=True,
                )
    cell = cp_shift(rng, runs, 90, 0.0, 1.0, 45, missing=0.3)
    result["cp_shift"]["90/45/1.0/0.0/missing0.3"] = cell
    print(
        f"\n90 days, 1 SD step on day 45, white noise, 30 % of days missing: within ±3 days {fmt(cell)}, "
        f"within ±7 days {fmt(cell['within7'])}\n"
    )

    print("## Phases: significant difference between two phases (α = 5 %)\n")
    print("| days per phase | noise | no difference (false alarm) | +0.5 SD | +1 SD | 95% CI covers the truth |")
    print("|---:|---|---:|---:|---:|---:|")
    result["phases"] = {}
    for days_each in (10, 14, 28, 60):
        for phi in PHIS:
            cells = {str(d): phase_rate(rng, runs, days_each, phi, d) for d in (0.0, 0.5, 1.0)}
            cells["coverage"] = phase_coverage(rng, runs, days_each, phi)
            result["phases"][f"{days_each}/{phi}"] = cells
            noise = "white" if phi == 0 else f"AR(1) φ={phi}"
            print(
                f"| {days_each} | {noise} | {fmt(cells['0.0'])} | {fmt(cells['0.5'])} | {fmt(cells['1.0'])} | "
                f"{fmt(cells['coverage'])} |",
                flush=True,
            )

    print("\n## Usual range: share of next week's values outside the range of the 28 days before\n")
    print("| values per day | day-to-day noise | scale | outside |")
    print("|---:|---|---|---:|")
    result["usual"] = {}
    for per_day in (1, 5):
        for phi in (0.0, 0.5):
            for scale in ("continuous", "rating"):
                cell = usual_outside(rng, max(runs // 5, 50), per_day, phi, scale)
                result["usual"][f"{per_day}/{phi}/{scale}"] = cell
                noise = "white" if phi == 0 else f"AR(1) φ={phi}"
                print(f"| {per_day} | {noise} | {scale} | {fmt(cell)} |", flush=True)

    print("\n## Diary data: 5 prompts a day, 80 % answered, 90 days\n")
    print("Within-day SD 1; day level AR(1) φ = 0.3 with SD 0.5; a step from day 45 on.\n")
    cells = diary_cells(rng, max(runs // 5, 50))
    result["diary"] = cells
    print("| analysis | no change (false alarm) | step of 0.5 | step of 1.0 |")
    print("|---|---:|---:|---:|")
    print(
        f"| change points within ±3 days | {fmt(cells['cp_null'])} | {fmt(cells['cp_step_0.5'])} | "
        f"{fmt(cells['cp_step_1.0'])} |"
    )
    print(f"| change points within ±7 days | | {fmt(cells['cp_step7_0.5'])} | {fmt(cells['cp_step7_1.0'])} |")
    print(
        f"| phases (mark on day 45) | {fmt(cells['phase_null'])} | {fmt(cells['phase_step_0.5'])} | "
        f"{fmt(cells['phase_step_1.0'])} |"
    )
    print(f"| trend | {fmt(cells['trend_null'])} | | |")

    print("\n## Change points in day-to-day variability\n")
    cells = variability_cells(rng, max(runs // 2, 50))
    result["variability"] = cells
    print("No change (any variability change reported):\n")
    print("| days | white | AR(1) φ=0.3 | AR(1) φ=0.5 | AR(1) φ=0.7 |")
    print("|---:|---:|---:|---:|---:|")
    for n in (60, 120, 365):
        print(f"| {n} | " + " | ".join(fmt(cells[f"null/{n}/{phi}"]) for phi in PHIS) + " |")
    print("\nSD multiplied on a known day (one reported within ±7 days):\n")
    print("| days | on day | SD × | white | AR(1) φ=0.5 |")
    print("|---:|---:|---:|---:|---:|")
    for n, at in ((120, 60), (365, 200)):
        for factor in (1.5, 2.0, 3.0):
            print(
                f"| {n} | {at} | {factor} | {fmt(cells[f'step/{n}/{at}/{factor}/0.0'])} | "
                f"{fmt(cells[f'step/{n}/{at}/{factor}/0.5'])} |"
            )
    print(
        "\nA 2 SD step in the mean (120 days, white): a variability change reported too in "
        + fmt(cells["mean_step_2sd"])
    )

    elapsed = time.perf_counter() - started
    result["seconds"] = elapsed
    print(f"\n{elapsed:.0f} s")
    out = pathlib.Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
