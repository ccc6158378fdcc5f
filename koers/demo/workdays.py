"""The days a practice is open, for the demo's consults: weekdays that are no public holiday.

The stories count days from the day the demo is loaded, so a consult could fall on a Sunday or on
Christmas Day ("25-12-2026 16:15" in Noor's caseload, New Year's Day for another client). The
holidays are those of the Algemene termijnenwet, art. 3 (New Year's Day, Easter Monday, King's Day,
5 May, Ascension Day, Whit Monday, Christmas Day and Boxing Day; Easter and Whit Sunday are Sundays).
"""

from __future__ import annotations

import datetime as dt
from functools import cache


def easter(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (the anonymous algorithm, as in J. Meeus,
    *Astronomical Algorithms*, ch. 8)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741  # the algorithm's own name
    m = (a + 11 * h + 19 * l) // 433
    month, day = divmod(h + l - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


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
