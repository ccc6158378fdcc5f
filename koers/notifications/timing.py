"""When a reminder is due and when it may be sent: pure functions, no database.

Instants are stored in UTC. Local times (a due date's morning, quiet hours, the daily digest)
are Europe/Amsterdam wall-clock times computed with zoneinfo, so daylight saving time is
handled by the time-zone database, not by adding hours.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC

# A date-only reminder (an action's review date, a questionnaire's due date) is due at this
# local time on that date: in the morning, never at midnight.
MORNING = dt.time(9, 0)
# The daily digest goes out at this local time.
DIGEST_TIME = dt.time(8, 0)


def local_instant(day: dt.date, at: dt.time, tz: ZoneInfo = LOCAL) -> dt.datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in ``tz``.

    A wall-clock time that does not exist (the hour skipped in spring) is read with the offset
    from before the change (fold=0), which lands one hour later on the clock: 02:30 → 03:30.
    A time that happens twice (autumn) is the first one.
    """
    return dt.datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def due_instant(day: dt.date) -> dt.datetime:
    """The instant a date-only reminder is due: 09:00 in Amsterdam on that day, in UTC."""
    return local_instant(day, MORNING)


def in_quiet_hours(now: dt.datetime, start: dt.time | None, end: dt.time | None, tz: ZoneInfo = LOCAL) -> bool:
    """Is local wall-clock time ``now`` inside [start, end)? The window may wrap past midnight."""
    if start is None or end is None or start == end:
        return False
    t = now.astimezone(tz).time().replace(tzinfo=None)
    if start < end:
        return start <= t < end
    return t >= start or t < end


def quiet_hours_end(now: dt.datetime, start: dt.time | None, end: dt.time | None, tz: ZoneInfo = LOCAL) -> dt.datetime:
    """The first instant at or after ``now`` outside the quiet hours (``now`` itself if outside).

    Quiet hours delay a message, they never drop it: the answer is always an instant.
    """
    if not in_quiet_hours(now, start, end, tz):
        return now
    local_now = now.astimezone(tz)
    day = local_now.date()
    # Inside a wrapping window before midnight the end is tomorrow; otherwise today.
    if start > end and local_now.time().replace(tzinfo=None) >= start:
        day = day + dt.timedelta(days=1)
    candidate = local_instant(day, end, tz)
    return max(candidate, now)


def next_digest(now: dt.datetime, tz: ZoneInfo = LOCAL) -> dt.datetime:
    """The next daily-digest instant strictly after ``now`` (08:00 Amsterdam)."""
    day = now.astimezone(tz).date()
    candidate = local_instant(day, DIGEST_TIME, tz)
    if candidate <= now:
        candidate = local_instant(day + dt.timedelta(days=1), DIGEST_TIME, tz)
    return candidate
