"""Pure timing rules: local due instants, quiet hours and the digest across daylight saving time."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from koers.notifications import timing

UTC = dt.UTC


def test_morning_due_instant_follows_daylight_saving():
    # Winter (CET, UTC+1): 09:00 local is 08:00 UTC; summer (CEST, UTC+2): 07:00 UTC.
    assert timing.due_instant(dt.date(2026, 3, 28)) == dt.datetime(2026, 3, 28, 8, 0, tzinfo=UTC)
    assert timing.due_instant(dt.date(2026, 3, 29)) == dt.datetime(2026, 3, 29, 7, 0, tzinfo=UTC)
    assert timing.due_instant(dt.date(2026, 10, 24)) == dt.datetime(2026, 10, 24, 7, 0, tzinfo=UTC)
    assert timing.due_instant(dt.date(2026, 10, 25)) == dt.datetime(2026, 10, 25, 8, 0, tzinfo=UTC)


def test_a_skipped_wall_clock_time_lands_after_the_change():
    # 29 March 2026: clocks jump from 02:00 to 03:00. A quiet-hours end of 02:30 is 03:30 CEST.
    at = timing.local_instant(dt.date(2026, 3, 29), dt.time(2, 30))
    assert at == dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert at.astimezone(timing.LOCAL).time() == dt.time(3, 30)


def test_quiet_hours_wrapping_midnight():
    start, end = dt.time(22, 0), dt.time(7, 0)
    # 23:00 local in winter = 22:00 UTC → quiet, ends 07:00 local the next day (06:00 UTC).
    now = dt.datetime(2026, 1, 10, 22, 0, tzinfo=UTC)
    assert timing.in_quiet_hours(now, start, end)
    assert timing.quiet_hours_end(now, start, end) == dt.datetime(2026, 1, 11, 6, 0, tzinfo=UTC)
    # 03:00 local → ends 07:00 the same day.
    now = dt.datetime(2026, 1, 11, 2, 0, tzinfo=UTC)
    assert timing.quiet_hours_end(now, start, end) == dt.datetime(2026, 1, 11, 6, 0, tzinfo=UTC)
    # 12:00 local → not quiet, sent now.
    now = dt.datetime(2026, 1, 11, 11, 0, tzinfo=UTC)
    assert not timing.in_quiet_hours(now, start, end)
    assert timing.quiet_hours_end(now, start, end) == now


def test_quiet_hours_across_the_autumn_change_end_at_local_seven():
    # Night of 24→25 October 2026: 23:00 CEST (21:00 UTC) is quiet; 07:00 CET on the 25th is 06:00 UTC
    # (the night is one hour longer, and the message still waits for 07:00 on the clock).
    now = dt.datetime(2026, 10, 24, 21, 0, tzinfo=UTC)
    end = timing.quiet_hours_end(now, dt.time(22, 0), dt.time(7, 0))
    assert end == dt.datetime(2026, 10, 25, 6, 0, tzinfo=UTC)


def test_no_quiet_hours_when_not_set_or_empty():
    now = dt.datetime(2026, 1, 1, 3, 0, tzinfo=UTC)
    assert not timing.in_quiet_hours(now, None, None)
    assert not timing.in_quiet_hours(now, dt.time(1, 0), dt.time(1, 0))


def test_next_digest_is_eight_local_strictly_after_now():
    assert timing.next_digest(dt.datetime(2026, 3, 28, 12, 0, tzinfo=UTC)) == dt.datetime(
        2026, 3, 29, 6, 0, tzinfo=UTC
    )  # the morning after the spring change: 08:00 CEST
    assert timing.next_digest(dt.datetime(2026, 1, 5, 6, 59, tzinfo=UTC)) == dt.datetime(2026, 1, 5, 7, 0, tzinfo=UTC)
    assert timing.next_digest(dt.datetime(2026, 1, 5, 7, 0, tzinfo=UTC)) == dt.datetime(2026, 1, 6, 7, 0, tzinfo=UTC)


instants = st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 12, 31), timezones=st.just(UTC))
times = st.times()


@given(now=instants, start=times, end=times)
def test_quiet_hours_delay_never_drop(now, start, end):
    """Property: the send instant is never before now, is outside the quiet hours, and is at most
    a day (plus a DST hour) later."""
    at = timing.quiet_hours_end(now, start, end)
    assert at >= now
    assert at - now <= dt.timedelta(hours=25)
    # (An end inside the skipped spring hour, 02:00–03:00, is read as after the change.)
    if end.hour != 2:
        assert not timing.in_quiet_hours(at, start, end)


@given(now=instants)
def test_next_digest_is_within_a_day(now):
    at = timing.next_digest(now)
    assert now < at <= now + dt.timedelta(hours=25)
    assert at.astimezone(timing.LOCAL).time() == timing.DIGEST_TIME
