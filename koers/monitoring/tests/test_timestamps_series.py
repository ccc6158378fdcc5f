"""The two helpers every part of self-monitoring builds on: reading timestamps and daily series."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from koers.monitoring.analysis.series import SeriesError, align_daily, daily, local_dates, make_series
from koers.monitoring.timestamps import TimestampError, parse_timestamp

UTC = dt.UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01T08:30", dt.datetime(2026, 3, 1, 7, 30, tzinfo=UTC)),  # winter: UTC+1
        ("2026-07-01 08:30:15", dt.datetime(2026, 7, 1, 6, 30, 15, tzinfo=UTC)),  # summer: UTC+2
        ("2026-03-01T07:30:00Z", dt.datetime(2026, 3, 1, 7, 30, tzinfo=UTC)),
        ("2026-03-01T08:30+01:00", dt.datetime(2026, 3, 1, 7, 30, tzinfo=UTC)),
        ("01-03-2026 08:30", dt.datetime(2026, 3, 1, 7, 30, tzinfo=UTC)),
        ("1-3-2026 8:30", dt.datetime(2026, 3, 1, 7, 30, tzinfo=UTC)),
        ("01/03/2026 08:30:15", dt.datetime(2026, 3, 1, 7, 30, 15, tzinfo=UTC)),
        ("2026-03-01", dt.datetime(2026, 3, 1, 11, 0, tzinfo=UTC)),  # date alone: noon local
        ("01-03-2026", dt.datetime(2026, 3, 1, 11, 0, tzinfo=UTC)),
    ],
)
def test_accepted_forms(text, expected):
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "geen tijdstip"),
        ("gisteren", "geen datum en tijd"),
        ("31-02-2026 08:00", "geen datum en tijd"),  # 31 February
        ("03/31/2026 08:00", "geen datum en tijd"),  # US month-first is not guessed
        ("2026-03-29 02:30", "overgeslagen"),  # the hour skipped when summer time starts
        ("2026-10-25 02:30", "twee keer"),  # the hour that occurs twice in autumn
    ],
)
def test_refused_with_a_message(text, fragment):
    with pytest.raises(TimestampError) as caught:
        parse_timestamp(text)
    assert fragment in str(caught.value)


def test_ambiguous_time_with_offset_is_accepted():
    assert parse_timestamp("2026-10-25T02:30+02:00") == dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert parse_timestamp("2026-10-25T02:30+01:00") == dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_other_time_zone():
    assert parse_timestamp("2026-03-01 08:30", tz="UTC") == dt.datetime(2026, 3, 1, 8, 30, tzinfo=UTC)


def _t(*args):
    return dt.datetime(*args, tzinfo=UTC)


def test_make_series_sorts_and_refuses_duplicates_and_naive_times():
    s = make_series("mood", [_t(2026, 1, 2, 9), _t(2026, 1, 1, 9)], [5, 3])
    assert list(s.values) == [3.0, 5.0]
    assert s.days.tolist() == [0.0, 1.0]
    with pytest.raises(SeriesError, match="same time"):
        make_series("mood", [_t(2026, 1, 1, 9), _t(2026, 1, 1, 9)], [1, 2])
    with pytest.raises(SeriesError, match="time zone"):
        make_series("mood", [dt.datetime(2026, 1, 1, 9)], [1])
    with pytest.raises(SeriesError, match="finite"):
        make_series("mood", [_t(2026, 1, 1, 9)], [float("nan")])
    with pytest.raises(SeriesError, match="2 times but 1 values"):
        make_series("mood", [_t(2026, 1, 1, 9), _t(2026, 1, 2, 9)], [1])


def test_local_dates_follow_dst():
    # 23:30 UTC is the next local day in Amsterdam, in winter (UTC+1) and in summer (UTC+2);
    # 22:30 UTC is the next local day only in summer.
    times = np.array(["2026-01-10T23:30", "2026-07-10T23:30", "2026-01-10T22:30", "2026-07-10T22:30"], "datetime64[s]")
    assert [str(d) for d in local_dates(times)] == ["2026-01-11", "2026-07-11", "2026-01-10", "2026-07-11"]
    # The day summer time starts (29 March 2026, 01:00 UTC): before and after the switch.
    switch = np.array(["2026-03-28T23:30", "2026-03-29T21:59", "2026-03-29T22:00"], "datetime64[s]")
    assert [str(d) for d in local_dates(switch)] == ["2026-03-29", "2026-03-29", "2026-03-30"]


def test_daily_aggregation_and_missing_days():
    s = make_series(
        "mood",
        [_t(2026, 1, 1, 8), _t(2026, 1, 1, 12), _t(2026, 1, 1, 20), _t(2026, 1, 3, 9)],
        [2, 4, 9, 7],
    )
    d = daily(s)
    assert [str(x) for x in d.dates] == ["2026-01-01", "2026-01-02", "2026-01-03"]
    assert d.values[0] == pytest.approx(5.0)
    assert np.isnan(d.values[1])
    assert d.counts.tolist() == [3, 0, 1]
    assert daily(s, "median").values[0] == 4
    assert daily(s, "sum").values[0] == 15
    assert daily(s, "last").values[0] == 9
    assert daily(s, "max").values[2] == 7
    with pytest.raises(SeriesError):
        daily(s, "mode")
    assert daily(make_series("x", [], [])).values.size == 0


def test_align_daily_puts_series_on_one_calendar():
    a = daily(make_series("sleep", [_t(2026, 1, 1, 6), _t(2026, 1, 2, 6)], [7, 8]))
    b = daily(make_series("mood", [_t(2026, 1, 2, 9), _t(2026, 1, 4, 9)], [5, 6]))
    dates, matrix = align_daily([a, b])
    assert [str(x) for x in dates] == ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"]
    assert matrix.shape == (4, 2)
    assert matrix[0, 0] == 7 and np.isnan(matrix[0, 1])
    assert matrix[1].tolist() == [8, 5]
    assert np.isnan(matrix[2]).all()
    assert matrix[3, 1] == 6
