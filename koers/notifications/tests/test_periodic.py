"""Once-a-day tasks: ``periodic.claim_daily`` gives each day's slot (the first scheduler tick from
the task's local time on) to exactly one caller, also across midnight and the change to summer
and winter time."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from koers.notifications import periodic
from koers.notifications.models import PeriodicRun

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
AT = dt.time(3, 0)


def _at(*args):
    return dt.datetime(*args, tzinfo=AMS)


def test_the_slot_is_todays_time_or_yesterdays_before_it():
    assert periodic.slot(AT, _at(2026, 12, 5, 15, 0)) == _at(2026, 12, 5, 3, 0)
    assert periodic.slot(AT, _at(2026, 12, 5, 2, 59)) == _at(2026, 12, 4, 3, 0)
    assert periodic.slot(AT, _at(2026, 12, 5, 3, 0)) == _at(2026, 12, 5, 3, 0)


def test_one_claim_per_night():
    ticks = [_at(2026, 12, 5, 2, 55), _at(2026, 12, 5, 3, 0), _at(2026, 12, 5, 3, 5), _at(2026, 12, 5, 23, 59)]
    claimed = [periodic.claim_daily("x", AT, now=t) for t in ticks]
    # The first tick ever runs it (a new install checks at once); the next from 03:00 on, once.
    assert claimed == [True, True, False, False]
    assert periodic.claim_daily("x", AT, now=_at(2026, 12, 6, 3, 1)) is True
    assert periodic.claim_daily("x", AT, now=_at(2026, 12, 6, 3, 6)) is False
    assert PeriodicRun.objects.get(name="x").last_enqueued_at == _at(2026, 12, 6, 3, 1)


def test_a_scheduler_that_was_down_catches_up_once():
    assert periodic.claim_daily("y", AT, now=_at(2026, 12, 1, 3, 0)) is True
    # Down for three nights: one run at the first tick back, not three.
    assert periodic.claim_daily("y", AT, now=_at(2026, 12, 4, 14, 0)) is True
    assert periodic.claim_daily("y", AT, now=_at(2026, 12, 4, 14, 5)) is False


@pytest.mark.parametrize("night", [(2026, 3, 29), (2026, 10, 25)], ids=["summer time", "winter time"])
def test_the_nights_the_clock_changes(night):
    the_day_before = _at(*night, 12, 0) - dt.timedelta(days=1)  # after that day's 03:00
    assert periodic.claim_daily("z", AT, now=the_day_before) is True
    ticks = [dt.datetime(*night, 0, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=5 * i) for i in range(24 * 12)]
    assert sum(periodic.claim_daily("z", AT, now=t) for t in ticks) == 1
