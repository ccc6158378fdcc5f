"""Single-case phase comparison (pure)."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.monitoring.analysis import explain_course
from koers.monitoring.analysis.phases import compare_phases
from koers.monitoring.analysis.series import make_series
from koers.monitoring.analysis.simulate import START, ar1, as_daily

D0 = START.astype(dt.date)  # 5 January 2026


def mark(day: int) -> dt.date:
    return D0 + dt.timedelta(days=day)


def test_two_phases_numbers_and_labels():
    rng = np.random.default_rng(21)
    y = rng.normal(4, 1, 60)
    y[30:] += 2
    r = compare_phases(as_daily(y), [(mark(30), "Start medicatie")])
    assert r.ok and len(r.phases) == 2 and len(r.comparisons) == 1
    base, after = r.phases
    assert base.label is None and base.starts_on is None and base.n == 30
    assert after.label == "Start medicatie" and after.starts_on == mark(30) and after.first_date == mark(30)
    assert base.last_date == mark(29)
    c = r.comparisons[0]
    assert c.before is None and c.after == "Start medicatie"
    assert c.mean_before == pytest.approx(y[:30].mean()) and c.mean_after == pytest.approx(y[30:].mean())
    assert c.median_after == pytest.approx(np.median(y[30:]))
    assert c.difference == pytest.approx(y[30:].mean() - y[:30].mean())
    assert c.ci_low < c.difference < c.ci_high
    assert c.ci_low > 1 and c.significant and c.p_value < 1e-6


def test_nap_counts_pairs_and_ties():
    y = np.r_[[1.0, 2.0, 3.0, 4.0, 5.0], [3.0, 4.0, 5.0, 6.0, 7.0]]
    c = compare_phases(as_daily(y), [(mark(5), "B")]).comparisons[0]
    # after > before in 2 + 3 + 4 + 5 + 5 = 19 of 25 pairs, equal in 3 (3, 4, 5): NAP = (19 + 1.5) / 25
    assert c.nap == pytest.approx(20.5 / 25)
    assert c.tau == pytest.approx(2 * 20.5 / 25 - 1)
    complete = compare_phases(as_daily(np.r_[np.zeros(6), np.ones(6)]), [(mark(6), "B")]).comparisons[0]
    assert complete.nap == 1.0 and complete.tau == 1.0


def test_three_phases_give_two_consecutive_comparisons_in_date_order():
    rng = np.random.default_rng(22)
    y = np.r_[rng.normal(5, 1, 20), rng.normal(3, 1, 20), rng.normal(3, 1, 20)]
    r = compare_phases(as_daily(y), [(mark(40), "Dosis omhoog"), ("2026-01-25", "Start")])  # any order
    assert [c.after for c in r.comparisons] == ["Start", "Dosis omhoog"]
    assert [c.before for c in r.comparisons] == [None, "Start"]
    assert r.comparisons[0].difference < 0 and r.comparisons[0].significant
    assert abs(r.comparisons[1].difference) < 1


def test_autocorrelation_makes_the_interval_wider():
    rng = np.random.default_rng(23)
    noise = ar1(rng, 60, 0.7)
    white = rng.normal(0, 1, 60)
    r_ar = compare_phases(as_daily(noise), [(mark(30), "B")]).comparisons[0]
    r_w = compare_phases(as_daily(white), [(mark(30), "B")]).comparisons[0]
    assert r_ar.autocorrelation > r_w.autocorrelation
    assert r_ar.df < r_w.df
    assert (r_ar.ci_high - r_ar.ci_low) / np.std(noise) > (r_w.ci_high - r_w.ci_low) / np.std(white)


def test_baseline_trend_is_reported():
    y = np.r_[np.linspace(0, 5, 20), np.full(20, 6.0)] + np.tile([0, 0.1], 20)
    c = compare_phases(as_daily(y), [(mark(20), "B")]).comparisons[0]
    assert c.baseline_trend_tau > 0.8 and c.baseline_trend_p < 0.001
    text = explain_course.explain_phases(compare_phases(as_daily(y), [(mark(20), "B")]), "Stemming")
    assert "veranderde al vóór 25 januari 2026" in text


def test_too_few_days_in_a_phase():
    y = np.arange(30.0)
    r = compare_phases(as_daily(y), [(mark(27), "Laat")])
    assert not r.ok and r.reason == "too_few_days"
    c = r.comparisons[0]
    assert not c.ok and c.n_before == 27 and c.n_after == 3 and c.difference is None
    text = explain_course.explain_phases(r, "Stemming")
    assert "minstens 5 dagen" in text
    r2 = compare_phases(as_daily(y), [(mark(10), "A"), (mark(27), "Laat")])
    assert r2.ok and [c.ok for c in r2.comparisons] == [True, False]


def test_marks_outside_the_data_and_bad_marks():
    y = np.arange(20.0)
    before_data = compare_phases(as_daily(y), [(D0 - dt.timedelta(days=3), "Eerder")])
    assert before_data.phases[0].n == 0 and not before_data.comparisons[0].ok
    assert compare_phases(as_daily(y), []).reason == "no_phases"
    assert compare_phases(make_series("x", [], []), [(mark(1), "A")]).reason == "no_data"
    with pytest.raises(ValueError):
        compare_phases(as_daily(y), [(mark(5), "A"), (mark(5), "B")])
    with pytest.raises(TypeError):
        compare_phases(as_daily(y), [(dt.datetime(2026, 1, 10, tzinfo=dt.UTC), "A")])


def test_missing_days_are_left_out_not_filled():
    rng = np.random.default_rng(24)
    y = rng.normal(0, 1, 40)
    y[30:] += 1.5
    y[[3, 7, 11, 33, 35]] = np.nan
    c = compare_phases(as_daily(y), [(mark(30), "B")]).comparisons[0]
    assert (c.n_before, c.n_after) == (27, 8)
    assert c.mean_after == pytest.approx(np.nanmean(y[30:]))


def test_as_dict_and_explanation():
    rng = np.random.default_rng(25)
    y = rng.normal(6, 1, 56)
    y[28:] -= 1.5
    r = compare_phases(as_daily(y), [(mark(28), "Start therapie")])
    json.dumps(r.as_dict())
    assert r.as_dict()["phases"][1]["starts_on"] == "2026-02-02"
    text = explain_course.explain_phases(r, "Angst", "{score}", higher_is_better=False)
    assert text.startswith("Sinds 2 februari 2026 (‘Start therapie’) was Angst gemiddeld")
    assert "waarschijnlijk geen toeval" in text and "Dat is een verbetering." in text
    assert "Daarna was het gemiddelde waarschijnlijk tussen " in text and " lager dan daarvoor." in text
    assert "niet of het door de behandeling kwam" in text
    worse = explain_course.explain_phases(r, "Stemming", "{score}", higher_is_better=True)
    assert "Dat is een verslechtering." in worse
    assert "nog geen verandering" in explain_course.explain_phases(compare_phases(as_daily(y), []), "Angst")


# ---- properties ---------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=10, max_size=40), st.integers(5, 20))
def test_mirrored_values_mirror_the_comparison(ys, cut):
    y = np.array(ys, dtype=float)
    if cut > y.size - 5:
        cut = y.size - 5
    a = compare_phases(as_daily(y), [(mark(cut), "B")]).comparisons[0]
    b = compare_phases(as_daily(10 - y), [(mark(cut), "B")]).comparisons[0]
    assert a.ok and b.ok
    assert b.difference == pytest.approx(-a.difference, abs=1e-9)
    assert b.nap == pytest.approx(1 - a.nap)
    assert b.p_value == pytest.approx(a.p_value)
    assert a.ci_low <= a.difference <= a.ci_high
    assert 0 <= a.nap <= 1 and -1 <= a.tau <= 1
