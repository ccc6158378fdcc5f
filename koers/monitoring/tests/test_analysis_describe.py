"""Descriptives, sampling report and usual range (pure; no database)."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pytest
from django.utils.translation import override

from koers.monitoring.analysis import explain_course
from koers.monitoring.analysis.describe import (
    as_daily,
    describe,
    json_safe,
    robust_sd,
    sampling,
    usual_range,
)
from koers.monitoring.analysis.series import Daily, make_series

UTC = dt.UTC


def at(day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """Local Amsterdam winter time (UTC+1) given as UTC."""
    return dt.datetime(2026, 1, 5, tzinfo=UTC) + dt.timedelta(days=day, hours=hour - 1, minutes=minute)


def series(points: list[tuple[dt.datetime, float]], name: str = "x"):
    return make_series(name, [t for t, _ in points], [v for _, v in points])


# ---- describe ---------------------------------------------------------------------------------


def test_describe_numbers_match_numpy_on_known_values():
    values = [4.0, 7.0, 5.0, 6.0, 9.0, 3.0]
    s = series([(at(d), v) for d, v in enumerate(values)])
    r = describe(s)
    assert r.ok and r.n == 6
    assert r.mean == pytest.approx(np.mean(values))
    assert r.sd == pytest.approx(np.std(values, ddof=1))
    assert r.median == 5.5
    assert (r.q1, r.q3) == (pytest.approx(4.25), pytest.approx(6.75))
    assert r.iqr == pytest.approx(2.5)
    assert (r.min, r.max) == (3.0, 9.0)
    assert (r.first_value, r.last_value) == (4.0, 3.0)
    assert r.first_date == dt.date(2026, 1, 5) and r.last_date == dt.date(2026, 1, 10)
    assert r.days_covered == 6 and r.days_with_data == 6 and r.per_day == 1.0


def test_describe_counts_local_days_and_observations_per_day():
    # Two on the first day, none on the second, three on the third; 23:30 local is still that day.
    s = series([(at(0, 9), 1), (at(0, 23, 30), 2), (at(2, 8), 3), (at(2, 12), 4), (at(2, 20), 5)])
    r = describe(s)
    assert r.days_covered == 3 and r.days_with_data == 2
    assert r.per_day == 2.5


def test_describe_empty_and_single_value():
    empty = make_series("x", [], [])
    r = describe(empty)
    assert not r.ok and r.reason == "no_data"
    one = describe(series([(at(0), 5.0)]))
    assert one.ok and one.n == 1 and one.sd is None and one.mean == 5.0


def test_as_dict_is_json_safe_and_rounded():
    r = describe(series([(at(d), v) for d, v in enumerate([1 / 3, 2 / 3, 1.0])]))
    out = r.as_dict()
    json.dumps(out)  # no datetime, numpy or NaN left
    assert out["mean"] == pytest.approx(0.66667)
    assert out["first_at"] == "2026-01-05T11:00:00+00:00"
    assert out["first_date"] == "2026-01-05"
    assert json_safe({"a": math.nan, "b": np.float64(math.inf), "c": (np.int64(3),)}) == {
        "a": None,
        "b": None,
        "c": [3],
    }


# ---- sampling ---------------------------------------------------------------------------------


def test_sampling_regular_diary_with_a_missing_day_and_skipped_prompts():
    points = []
    for d in range(10):
        if d == 4:
            continue  # a whole day without data
        for h in (9, 13, 17, 21):
            if (d, h) in {(2, 13), (7, 17)}:
                continue  # two skipped prompts
            points.append((at(d, h), 5.0))
    r = sampling(series(points), expected_per_day=4)
    assert r.ok and r.regular
    assert r.median_interval_hours == 4.0
    assert r.days_covered == 10 and r.days_with_data == 9 and r.days_without_data == 1
    assert r.missing_dates == (dt.date(2026, 1, 9),)
    # Night pause 12 h is the rhythm (threshold 1.5 × 12 h); only the missing day is a gap.
    assert r.gap_threshold_hours == 18.0
    assert len(r.gaps) == 1
    assert r.gaps[0].start == at(3, 21) and r.gaps[0].end == at(5, 9) and r.gaps[0].hours == 36.0
    assert r.expected_prompts == 40 and r.answered_prompts == 34
    assert r.answered_share == pytest.approx(0.85)


def test_sampling_extra_entries_do_not_make_up_for_missed_prompts():
    points = [(at(0, 8 + k), 1.0) for k in range(6)] + [(at(1, 9), 1.0), (at(2, 9), 1.0)]
    r = sampling(series(points), expected_per_day=2)
    assert r.answered_prompts == 2 + 1 + 1
    assert r.extra_observations == 4
    assert r.answered_share == pytest.approx(4 / 6)


def test_sampling_random_times_are_irregular():
    rng = np.random.default_rng(1)
    hours = np.cumsum(rng.exponential(20, size=60))
    s = make_series("x", [at(0) + dt.timedelta(hours=float(h)) for h in hours], np.ones(60))
    r = sampling(s)
    assert r.ok and not r.regular
    assert r.interval_spread > 0.4


def test_sampling_daily_values_gap_is_three_times_the_interval():
    days = [0, 1, 2, 3, 4, 5, 9, 10, 11]
    r = sampling(series([(at(d), 1.0) for d in days]))
    assert r.regular and r.median_interval_hours == 24.0 and r.gap_threshold_hours == 72.0
    assert [g.hours for g in r.gaps] == [96.0]
    assert r.days_without_data == 3


def test_sampling_too_few_and_bad_expected():
    r = sampling(series([(at(0), 1.0), (at(1), 2.0)]), expected_per_day=1)
    assert not r.ok and r.reason == "too_few_observations"
    assert r.days_covered == 2 and r.answered_share == 1.0  # what can be said is said
    with pytest.raises(ValueError):
        sampling(series([(at(0), 1.0)]), expected_per_day=0)
    assert sampling(make_series("x", [], [])).reason == "no_data"


# ---- usual range ------------------------------------------------------------------------------


def test_usual_range_is_robust_to_one_wild_value():
    rng = np.random.default_rng(3)
    values = list(rng.normal(120, 5, size=27)) + [400.0]
    s = series([(at(d), v) for d, v in enumerate(values)])
    low, high = usual_range(s)
    assert 100 < low < 115 and 125 < high < 140  # ±2.5 robust SDs around 120
    assert high < 400
    window = np.array(values)
    med, sd = np.median(window), 1.4826 * np.median(np.abs(window - np.median(window)))
    assert (low, high) == (pytest.approx(med - 2.5 * sd), pytest.approx(med + 2.5 * sd))


def test_usual_range_uses_only_the_window_before_until():
    early = [(at(d), 10.0 + (d % 3)) for d in range(30)]  # 10..12, median 11, MAD 1
    late = [(at(30 + d), 50.0 + (d % 3)) for d in range(30)]  # 50..52
    s = series(early + late)
    k = 2.5 * 1.4826
    assert usual_range(s) == (pytest.approx(51 - k), pytest.approx(51 + k))
    assert usual_range(s, until=dt.date(2026, 2, 3)) == (pytest.approx(11 - k), pytest.approx(11 + k))  # day 29
    assert usual_range(s, until=at(29, 23)) == usual_range(s, until=dt.date(2026, 2, 3))
    assert usual_range(s, until=at(40), window_days=9) == (None, None)  # 9 values in the window
    assert usual_range(s, until=at(40), window_days=10) == (pytest.approx(51 - k), pytest.approx(51 + k))


def test_usual_range_on_a_rating_scale_with_many_equal_values():
    values = [5] * 20 + [4, 6, 6, 4, 3, 7]
    s = series([(at(d), float(v)) for d, v in enumerate(values)])
    low, high = usual_range(s)
    assert low < 5 < high  # MAD is 0; the fallback still gives a range, not a point
    sd = np.std(values, ddof=1)  # MAD and IQR are 0: the ordinary SD
    assert (low, high) == (pytest.approx(5 - 2.5 * sd), pytest.approx(5 + 2.5 * sd))
    assert 3 < low < 4 and 6 < high < 7  # 4 and 6 are usual, 3 and 7 (once each) are not


def test_usual_range_needs_enough_values_and_days():
    assert usual_range(make_series("x", [], [])) == (None, None)
    nine = series([(at(d), 1.0 + d) for d in range(9)])
    assert usual_range(nine) == (None, None)
    same_day = series([(at(0, 8, m), float(m)) for m in range(20)])  # 20 values on one day
    assert usual_range(same_day) == (None, None)


def test_robust_sd_fallbacks():
    rng = np.random.default_rng(0)
    assert robust_sd(rng.normal(0, 2, 5000)) == pytest.approx(2, rel=0.05)
    assert robust_sd(np.array([1.0, 1.0, 1.0])) == 0.0
    assert robust_sd(np.array([5.0] * 7 + [0.0, 10.0])) == pytest.approx(np.std([5.0] * 7 + [0.0, 10.0], ddof=1))


def test_as_daily_accepts_series_or_daily_only():
    s = series([(at(0, 9), 2.0), (at(0, 15), 4.0), (at(2, 9), 6.0)])
    d = as_daily(s)
    assert isinstance(d, Daily) and list(d.counts) == [2, 0, 1]
    assert d.values[0] == 3.0 and math.isnan(d.values[1])
    assert as_daily(d) is d
    with pytest.raises(TypeError):
        as_daily([1, 2, 3])


# ---- explanations -----------------------------------------------------------------------------


def test_explanations_in_dutch_and_english():
    points = [(at(d, h), 5.0 + (d % 4)) for d in range(20) if d != 6 for h in (9, 15)]
    s = series(points)
    text = explain_course.explain_descriptives(describe(s), "Stemming")
    assert "Van Stemming zijn 38 waarden bekend, van 5 januari 2026 tot 24 januari 2026." in text
    assert "tussen 5,25 en 7,75; de middelste waarde is 6." in text  # a decimal comma in Dutch
    sampling_text = explain_course.explain_sampling(sampling(s, expected_per_day=2), "Stemming")
    assert "Op 1 dag is niets ingevuld." in sampling_text
    assert "(95%)" in sampling_text
    low, high = usual_range(s)
    assert (
        f"tussen {explain_course.number(low)} en {explain_course.number(high)}."
        in explain_course.explain_usual_range(low, high, "Stemming", "{score}")
    )
    assert "te weinig" in explain_course.explain_usual_range(None, None, "Stemming")
    with override("en"):
        english = explain_course.explain_descriptives(describe(s), "Mood")
    assert "januari" not in english and "January" in english


def test_number_formatting():
    with override("nl"):
        assert explain_course.number(2.50) == "2,5"
        assert explain_course.number(1234.4) == "1234"
        assert explain_course.number(-0.001) == "0"
        assert explain_course.number(None) == "–"
        assert explain_course.with_unit(82.25, "kg") == "82,2 kg" or explain_course.with_unit(82.25, "kg") == "82,3 kg"
        assert explain_course.with_unit(7, "{score}") == "7"
    with override("en"):
        assert explain_course.number(2.5) == "2.5"
