"""The days a practice is open, for the demo's consults: weekdays that are no public holiday.

The stories count days from the day the demo is loaded, so a consult could fall on a Sunday or on
Christmas Day ("25-12-2026 16:15" in Noor's caseload, New Year's Day for another client). The
holidays are those of the Algemene termijnenwet, art. 3 (New Year's Day, Easter Monday, King's Day,
5 May, Ascension Day, Whit Monday, Christmas Day and Boxing Day; Easter and Whit Sunday are Sundays),
Easter from ``dateutil`` (python-dateutil, already there for ``icalendar``).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from dateutil.easter import easter


@cache
def public_holidays(year: int) -> frozenset[dt.date]:
    sunday = easter(year)
    kings_day = dt.date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday it is kept the day before
        kings_day -= dt.timedelta(days=1)
    moving = (sunday + dt.timedelta(days=n) for n in (1, 39, 50))  # Easter Monday, Ascension, Whit Monday
    fixed = (dt.date(year, 1, 1), kings_day, dt.date(year, 5, 5), dt.date(year, 12, 25), dt.date(year, 12, 26))
    return frozenset((*moving, *fixed))


def is_open(day: dt.date) -> bool:
    """A weekday that is no public holiday."""
    return day.weekday() < 5 and day not in public_holidays(day.year)


def nearest_open(day: dt.date, *, later: bool) -> dt.date:
    """``day`` itself when open, else the first open day after it (``later``) or before it."""
    step = dt.timedelta(days=1 if later else -1)
    while not is_open(day):
        day += step
    return day
