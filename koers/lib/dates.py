"""Dates as people read them: in words, in the active language ("7 december 2026", "7 December
2026"), and a moment in local time ("7 december 2026, 21:15"). Person-facing pages write every
date this way (tests/test_portal_labels.py: no date in figures); a date field keeps its own input
format (``01-03-2026``), and files for other systems keep ISO 8601."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format


def day_text(day: dt.date | dt.datetime) -> str:
    """The day in words; a moment is read in local time first."""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return date_format(day, "j F Y")


def moment_text(moment: dt.datetime) -> str:
    """The day in words and the local time of a moment."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return date_format(local, "j F Y, H:i")
