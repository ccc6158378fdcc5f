"""Early warnings on a page of ten variables (docs/n1-validation.md): how often some indicator is
"rising" on stable data, and how often a real slowing down is still found, with raw p-values and
with the Benjamini-Hochberg correction over every indicator shown.

Run: ``DJANGO_SETTINGS_MODULE=koers.test_settings .venv/bin/python benchmarks/n1_validation_ews_multiple.py``
(about 3 minutes on a loaded 2-core machine; ``--runs 30`` for a quick look).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from zoneinfo import ZoneInfo

import django
import numpy as np


def main(runs: int, seed: int = 2026) -> dict:
    from koers.monitoring.analysis.report import analyse
    from koers.monitoring.analysis.series import make_series
    from koers.monitoring.analysis.simulate import rising_ar1

    rng = np.random.default_rng(seed)
    start = dt.datetime.combine(dt.date(2026, 1, 5), dt.time(12), ZoneInfo("Europe/Amsterdam"))
    times = [start + dt.timedelta(days=d) for d in range(200)]
    counts = {"null_any_raw": 0, "null_any_corrected": 0, "slowing_raw": 0, "slowing_corrected": 0}
    for _ in range(runs):
        stable = [make_series(f"v{k}", times, rng.normal(size=200)) for k in range(10)]
        report = analyse(stable, only=["early_warning"])
        indicators = [i for v in report.variables for i in v.section("early_warning").result.indicators]
        counts["null_any_raw"] += any(i.tau > 0 and i.p < 0.05 for i in indicators)
        counts["null_any_corrected"] += any(i.rising for i in indicators)
        report = analyse([make_series("s", times, rising_ar1(rng, 200)), *stable[:9]], only=["early_warning"])
        found = report.variable("s").section("early_warning").result.autocorrelation
        counts["slowing_raw"] += found.tau > 0 and found.p < 0.05
        counts["slowing_corrected"] += found.rising
    return {"runs": runs, **{key: value / runs for key, value in counts.items()}}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    django.setup()
    print(json.dumps(main(args.runs), indent=2))
