#!/usr/bin/env python3
"""Validation by simulation with known truth: lagged associations and early-warning indicators.
Not a test: it measures; koers/monitoring/tests/test_simulation_b.py asserts bounds on fewer runs.
(Trend, change points, phases and the usual range: benchmarks/n1_validation.py.)

    .venv/bin/python benchmarks/n1_validation_b.py               # 1000 / 400 runs per cell (~2 min)
    .venv/bin/python benchmarks/n1_validation_b.py --runs 200    # a quick look (EWS: runs / 2.5)

Every cell simulates daily values with a seeded generator and counts how often the analysis
said "yes", with a Wilson 95 % interval:

- Lagged (``lagged_associations``; BH over all cross-lag pairs, α = 0.05): three variables, X
  drives Y the next day with coefficient b (unit innovations, every variable AR(1) with φ = 0.3),
  Z unrelated. "Found" = X→Y significant; "reverse" = Y→X significant; "other false" = any
  significant pair other than X→Y. Null cells: five independent AR(1) variables (global null:
  BH then controls the chance of any false finding at α), the same with a shared linear trend,
  and an unobserved common cause (AR(1), φ = 0.7, driving X and Y on the same day) — the case
  where a lag-1 model shows "associations" that are not effects.
- Early warning (``early_warning``, 200 surrogates, window half the series): white noise and
  stationary AR(1) (false alarms), a slow mean shift (detrending), 10 % missing days, and
  "critical slowing down" — AR(1) whose φ rises linearly from 0 to 0.9 (detections).

Markdown tables go to stdout (pasted into docs/n1-validation.md) and the numbers to
benchmarks/results/n1_validation_b.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pathlib
import platform
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.test_settings")

from koers.monitoring.analysis.early_warning import early_warning  # noqa: E402
from koers.monitoring.analysis.lagged import lagged_associations  # noqa: E402
from koers.monitoring.analysis.simulate import (  # noqa: E402  (the tests use the same generators)
    as_daily,
    common_cause,
    dates,
    lagged_system,
    rising_ar1,
    stationary_ar1,
    with_missing,
)

# ---- rates -----------------------------------------------------------------------------------


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def rate(k: int, n: int) -> dict:
    low, high = wilson(k, n)
    return {"rate": k / n, "low": low, "high": high, "runs": n}


def fmt(cell: dict) -> str:
    return f"{100 * cell['rate']:.1f}% ({100 * cell['low']:.1f}–{100 * cell['high']:.1f})"


def lag_rates(rng, runs: int, make, names=("x", "y", "z"), missing: float = 0.0) -> dict:
    found = reverse = other = 0
    for _ in range(runs):
        x = make(rng)
        if missing:
            x = with_missing(rng, x, missing)
        result = lagged_associations((dates(x.shape[0]), x), list(names))
        significant = {(e.source, e.target) for e in result.significant}
        found += ("x", "y") in significant
        reverse += ("y", "x") in significant
        other += bool(significant - {("x", "y")})
    return {"found": rate(found, runs), "reverse": rate(reverse, runs), "other_false": rate(other, runs)}


def null_rates(rng, runs: int, make, k: int) -> dict:
    """Global null: share of runs with any significant pair, and of pairs."""
    any_hit = pairs = 0
    names = [f"v{j}" for j in range(k)]
    for _ in range(runs):
        x = make(rng)
        result = lagged_associations((dates(x.shape[0]), x), names)
        hits = len(result.significant)
        any_hit += hits > 0
        pairs += hits
    return {"any": rate(any_hit, runs), "per_pair": rate(pairs, runs * k * (k - 1))}


def ews_rates(rng, runs: int, make, surrogates: int = 200) -> dict:
    variance = autocorrelation = either = 0
    for i in range(runs):
        result = early_warning(as_daily(make(rng)), n_surrogates=surrogates, seed=i)
        variance += result.variance.rising
        autocorrelation += result.autocorrelation.rising
        either += result.variance.rising or result.autocorrelation.rising
    return {
        "variance": rate(variance, runs),
        "autocorrelation": rate(autocorrelation, runs),
        "either": rate(either, runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000, help="Runs per lagged cell (early warning: runs / 2.5).")
    parser.add_argument("--seed", type=int, default=20261129)
    args = parser.parse_args()
    import django

    django.setup()
    rng = np.random.default_rng(args.seed)
    runs, ews_runs = args.runs, max(20, int(args.runs / 2.5))
    started = time.perf_counter()
    out: dict = {"runs": runs, "ews_runs": ews_runs, "seed": args.seed, "python": platform.python_version()}

    lag_cells = []
    for n in (60, 120, 240):
        for b in (0.2, 0.3, 0.5):
            lag_cells.append((f"n = {n}, b = {b}", lag_rates(rng, runs, lambda r, n=n, b=b: lagged_system(r, n, b))))
    lag_cells.append(
        ("n = 120, b = 0.3, 20% days missing", lag_rates(rng, runs, lambda r: lagged_system(r, 120, 0.3), missing=0.2))
    )
    lag_cells.append(("n = 120, common cause (no effect)", lag_rates(rng, runs, lambda r: common_cause(r, 120))))
    out["lagged"] = {label: cell for label, cell in lag_cells}
    print("### Lagged associations: X yesterday → Y today (3 variables, BH over 6 pairs, α = 0.05)\n")
    print("| cell | X→Y found | Y→X (reverse) | any other pair |")
    print("|---|---|---|---|")
    for label, cell in lag_cells:
        print(f"| {label} | {fmt(cell['found'])} | {fmt(cell['reverse'])} | {fmt(cell['other_false'])} |")

    null_cells = []
    for n in (60, 120, 240):
        for phi in (0.0, 0.5):
            null_cells.append(
                (
                    f"n = {n}, AR(1) φ = {phi}",
                    null_rates(rng, runs, lambda r, n=n, phi=phi: lagged_system(r, n, 0.0, phi, k=5), 5),
                )
            )

    def trended(r, n=120):
        x = lagged_system(r, n, 0.0, 0.3, k=5)
        return x + np.linspace(0, 3, n)[:, None]

    null_cells.append(("n = 120, shared linear trend (3 SD)", null_rates(rng, runs, trended, 5)))
    out["lagged_null"] = {label: cell for label, cell in null_cells}
    print("\n### Lagged associations under the global null (5 independent variables, 20 pairs)\n")
    print("| cell | runs with any significant pair | pairs significant |")
    print("|---|---|---|")
    for label, cell in null_cells:
        print(f"| {label} | {fmt(cell['any'])} | {fmt(cell['per_pair'])} |")

    n = 200
    ews_cells = [
        ("white noise", ews_rates(rng, ews_runs, lambda r: r.normal(size=n))),
        ("AR(1) φ = 0.5, stationary", ews_rates(rng, ews_runs, lambda r: stationary_ar1(r, n, 0.5))),
        ("white noise + slow mean shift (2 SD, sigmoid)", ews_rates(
            rng, ews_runs, lambda r: r.normal(size=n) + 2 / (1 + np.exp(-(np.arange(n) - n / 2) / 15))
        )),
        ("white noise, 10% days missing", ews_rates(rng, ews_runs, lambda r: with_missing(r, r.normal(size=n), 0.1))),
        ("rising AR(1) φ 0 → 0.9 (slowing down)", ews_rates(rng, ews_runs, lambda r: rising_ar1(r, n))),
        ("rising AR(1) φ 0 → 0.6", ews_rates(rng, ews_runs, lambda r: rising_ar1(r, n, 0.6))),
    ]  # fmt: skip
    out["early_warning"] = {label: cell for label, cell in ews_cells}
    print(f"\n### Early warning: share flagged as rising (n = {n} days, window 100, 200 surrogates, α = 0.05)\n")
    print("| cell | variance | lag-1 autocorrelation | either |")
    print("|---|---|---|---|")
    for label, cell in ews_cells:
        print(f"| {label} | {fmt(cell['variance'])} | {fmt(cell['autocorrelation'])} | {fmt(cell['either'])} |")
    out["seconds"] = round(time.perf_counter() - started, 1)
    print(f"\n{runs} runs per lagged cell, {ews_runs} per early-warning cell, seed {args.seed}, {out['seconds']} s.")
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "n1_validation_b.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
