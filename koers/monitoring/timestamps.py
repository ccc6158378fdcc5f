"""Timestamps as device exports and researchers write them, read strictly.

Used by the CSV import and by ``koers analyse``. Accepted:

- ISO 8601 with or without a UTC offset: ``2026-03-01T08:30``, ``2026-03-01 08:30:15``,
  ``2026-03-01T07:30:00Z``, ``2026-03-01T08:30+01:00``;
- Dutch day-first dates: ``01-03-2026 08:30``, ``1-3-2026 8:30``, ``01/03/2026 08:30:15``;
- a date alone (``2026-03-01`` / ``01-03-2026``), taken as 12:00 local time so that it falls on
  that local day whatever the time zone (daily step counts, sleep duration per night).

A time without an offset is local time in ``tz`` (Europe/Amsterdam by default). A local time
that does not exist (the hour skipped when summer time starts) is refused; an ambiguous one
(the hour that occurs twice in autumn) is refused too unless it carries an offset — a device
export should say which. Nothing is guessed: US month-first dates are not accepted.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

DEFAULT_TZ = "Europe/Amsterdam"

_DAY_FIRST = re.compile(
    r"^(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class TimestampError(ValueError):
    """A timestamp that cannot be read unambiguously; str() is a message for the person."""


def parse_timestamp(text: str, tz: str = DEFAULT_TZ) -> dt.datetime:
    """Read one timestamp; return an aware datetime in UTC or raise TimestampError."""
    raw = (text or "").strip()
    if not raw:
        raise TimestampError(_("Er staat geen tijdstip."))
    zone = ZoneInfo(tz)
    naive: dt.datetime | None = None
    match = _DAY_FIRST.match(raw)
    try:
        if match:
            parts = match.groupdict()
            if parts["H"] is None:
                naive = dt.datetime(int(parts["y"]), int(parts["m"]), int(parts["d"]), 12, 0)
            else:
                naive = dt.datetime(
                    int(parts["y"]), int(parts["m"]), int(parts["d"]),
                    int(parts["H"]), int(parts["M"]), int(parts["S"] or 0),
                )  # fmt: skip
        elif _ISO_DATE.match(raw):
            naive = dt.datetime.fromisoformat(raw).replace(hour=12)
        else:
            value = dt.datetime.fromisoformat(raw.replace("z", "Z"))
            if value.tzinfo is not None:
                return value.astimezone(dt.UTC)
            naive = value
    except ValueError:
        raise TimestampError(_("‘%(text)s’ is geen datum en tijd die Koers kan lezen.") % {"text": raw[:40]}) from None
    if naive is None:  # pragma: no cover - every branch above sets it or returns
        raise TimestampError(_("‘%(text)s’ is geen datum en tijd die Koers kan lezen.") % {"text": raw[:40]})
    return _localise(naive, zone, raw)


def _localise(naive: dt.datetime, zone: ZoneInfo, raw: str) -> dt.datetime:
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        # Either the hour that does not exist (spring) or the one that occurs twice (autumn).
        roundtrip = first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
        if roundtrip != naive:
            raise TimestampError(
                _("‘%(text)s’ bestaat niet: die tijd werd overgeslagen toen de zomertijd begon.") % {"text": raw[:40]}
            )
        raise TimestampError(
            _("‘%(text)s’ komt twee keer voor (einde zomertijd). Geef het tijdverschil mee, bijvoorbeeld +01:00.")
            % {"text": raw[:40]}
        )
    return first.astimezone(dt.UTC)
