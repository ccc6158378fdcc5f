"""The person's texts (explain_person) on simulated data of many shapes: never a statistics word
or an interval, at most one decimal, and a change that is not proven is "nog niet zeker"."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pytest
from django.utils import translation

from koers.monitoring.analysis import explain_person
from koers.monitoring.analysis.phases import compare_phases
from koers.monitoring.analysis.report import analyse
from koers.monitoring.analysis.series import make_series
from koers.monitoring.analysis.simulate import START, as_daily

FORBIDDEN = re.compile(r"\b(p|SD|τ|tau|NAP|interval|tussen|toeval|klein|keer zo groot|schommeling)\b|%|\d,\d\d")


def person_report(values, *, phase_day: int | None = None):
    start = dt.datetime(2026, 1, 5, 11, tzinfo=dt.UTC)
    times = [start + dt.timedelta(days=d) for d in range(len(values))]
    phases = [(START.astype(dt.date) + dt.timedelta(days=phase_day), "Nieuw")] if phase_day else []
    return analyse(
        [make_series("mood", times, values)],
        phases=phases,
        labels={"mood": "Stemming"},
        only=["describe", "trend", "change_points", "phases"],
        for_person=True,
        higher_is_better={"mood": True},
    )


@pytest.mark.parametrize("seed", range(12))
def test_no_statistics_in_any_shape(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 120))
    shape = seed % 4
    base = 5 + rng.normal(0, 1 + seed % 3, n)
    if shape == 1:
        base += np.linspace(0, 3, n)
    elif shape == 2:
        base[n // 2 :] += 3
    values = np.clip(np.round(base, 1 if shape == 3 else 0), 0, 10)
    with translation.override("nl"):
        report = person_report(values, phase_day=n // 2 if n > 12 else None)
    for section in report.variables[0].sections:
        assert FORBIDDEN.search(section.explanation) is None, (section.key, section.explanation)


def test_an_unproven_difference_is_not_yet_certain():
    rng = np.random.default_rng(40)
    noisy = np.concatenate([5 + rng.normal(0, 3, 6), 6.5 + rng.normal(0, 3, 6)])
    result = compare_phases(as_daily(noisy), [(START.astype(dt.date) + dt.timedelta(days=6), "Nieuw")])
    assert result.comparisons[0].ok and not result.comparisons[0].significant
    with translation.override("nl"):
        text = explain_person.person_phases(result, "Stemming", higher_is_better=True)
    assert "nog niet zeker" in text and "beter" not in text
    with translation.override("en"):
        assert "not yet certain" in explain_person.person_phases(result, "Mood")
