"""The periods indicators are counted over: calendar quarters. Pure."""

from __future__ import annotations

import datetime as dt

from koers.indicators.compute import Period

DEFAULT_QUARTERS = 4
MAX_QUARTERS = 40


def quarter_of(day: dt.date) -> Period:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    next_start = dt.date(day.year + 1, 1, 1) if first_month == 10 else dt.date(day.year, first_month + 3, 1)
    return Period(start, next_start - dt.timedelta(days=1), f"{day.year}-Q{(first_month - 1) // 3 + 1}")


def quarters(start: dt.date, end: dt.date) -> list[Period]:
    """The calendar quarters from the one holding ``start`` to the one holding ``end``; the last
    one is cut off at ``end`` (a running quarter counts up to today)."""
    if end < start:
        raise ValueError("the end date lies before the start date")
    found: list[Period] = []
    period = quarter_of(start)
    while period.start <= end:
        if len(found) == MAX_QUARTERS:
            raise ValueError(f"at most {MAX_QUARTERS} quarters at a time")
        if period.end >= end:
            found.append(Period(period.start, end, period.label))
            break
        found.append(period)
        period = quarter_of(period.end + dt.timedelta(days=1))
    return found


def default_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last four quarters up to today (the running one included)."""
    start = quarter_of(today).start
    for _ in range(DEFAULT_QUARTERS - 1):
        start = quarter_of(start - dt.timedelta(days=1)).start
    return start, today
