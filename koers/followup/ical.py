"""The person's calendar feed (iCalendar, RFC 5545), built with the ``icalendar`` package.

Pure: takes plain rows, returns bytes. What goes in is deliberately little: a calendar is often
shared, synced to a work phone or shown on a lock screen, so titles never name a condition, a
medicine, a goal or a mental-health professional — "Afspraak met uw praktijkondersteuner" at most.

- Planned consults are VEVENTs with a start in UTC (``...Z``), so no VTIMEZONE is needed and
  daylight-saving changes cannot shift them; calendar apps show them in local time.
- Reminders (an action to review, a questionnaire to fill in) are all-day VEVENTs (VALUE=DATE),
  not VTODOs: Google Calendar and Outlook ignore VTODO in subscribed feeds.
- Every event has a VALARM (a day before a consult; on the morning of a reminder).
- UIDs are stable (``consult-12@koers``), so a moved consult moves in the calendar, not doubles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import icalendar

PRODID = "-//Koers//Zorgplan agenda//NL"


@dataclass(frozen=True)
class TimedEvent:
    uid: str
    start: dt.datetime  # aware
    minutes: int
    title: str
    description: str = ""


@dataclass(frozen=True)
class DayReminder:
    uid: str
    day: dt.date
    title: str
    description: str = ""


def _alarm(trigger: dt.timedelta, text: str) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", trigger)
    return alarm


def build_feed(
    *, name: str, events: list[TimedEvent], reminders: list[DayReminder], now: dt.datetime, url: str = ""
) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    stamp = now.astimezone(dt.UTC)
    for item in events:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.start.astimezone(dt.UTC))
        event.add("dtend", item.start.astimezone(dt.UTC) + dt.timedelta(minutes=item.minutes))
        event.add("summary", item.title)
        if item.description:
            event.add("description", item.description)
        if url:
            event.add("url", url)
        event.add("transp", "OPAQUE")
        event.add_component(_alarm(-dt.timedelta(days=1), item.title))
        calendar.add_component(event)
    for item in reminders:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + dt.timedelta(days=1))
        event.add("summary", item.title)
        if item.description:
            event.add("description", item.description)
        if url:
            event.add("url", url)
        event.add("transp", "TRANSPARENT")
        event.add_component(_alarm(dt.timedelta(hours=9), item.title))
        calendar.add_component(event)
    return calendar.to_ical()
