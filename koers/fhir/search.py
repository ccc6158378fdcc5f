"""Search parameters of the FHIR API: parsing (pure) and the helpers that turn them into queries.

Each resource type lists the parameters it allows (``SearchParam``); anything else in the query
string is refused with 400, as is a value that does not parse. Supported:

- token ``[system]|[code]``, ``|code`` (no system) or ``code`` (any system);
- reference ``Type/id`` or ``id``;
- date with the prefixes ``eq ne lt gt le ge`` at the precision given (``2026``, ``2026-03``,
  ``2026-03-04``, ``2026-03-04T10:00``, with seconds, fraction and zone); a value without a zone is
  Koers's time zone. The value is treated as a point in time; the range it names is ``[start, end)``;
- string: starts with, ignoring case and accents; modifiers ``:exact`` and ``:contains``.

A comma separates values that may each match (OR); a repeated parameter must match every time
(AND). Paging: ``_count`` (default 20, at most 100; a larger value is lowered to 100, ``0`` gives
an empty page with ``total``) and ``_offset`` (the position of the page's first entry, in the
stable order of the type: its id). ``_include`` takes the values a type declares. ``_format`` is
for the content type and checked by the views. ``_total`` (none, estimate, accurate) is accepted;
the total is always given, exact.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q

from koers.fhir.errors import bad_request

DEFAULT_COUNT = 20
MAX_COUNT = 100


class ParamType(StrEnum):
    TOKEN = "token"  # nosec B105  # the FHIR search parameter type, not a secret
    REFERENCE = "reference"
    DATE = "date"
    STRING = "string"


@dataclass(frozen=True)
class Token:
    system: str | None  # None: any system; "": explicitly none
    code: str


@dataclass(frozen=True)
class Reference:
    resource_type: str | None
    id: str


@dataclass(frozen=True)
class DateValue:
    prefix: str
    start: dt.datetime  # aware
    end: dt.datetime  # aware, exclusive


@dataclass(frozen=True)
class StringValue:
    value: str
    modifier: str = ""  # "", "exact" or "contains"


@dataclass(frozen=True)
class SearchParam:
    """One allowed parameter. ``apply(queryset, values, grant)`` narrows the query to the rows
    matching any of the (already parsed) values; ``grant`` for parameters whose meaning depends on
    what the reader may see (a relative cannot find a person by BSN)."""

    name: str
    type: ParamType
    apply: Callable
    documentation: str = ""
    targets: tuple[str, ...] = ()  # reference: the types it may point at


@dataclass(frozen=True)
class Criterion:
    param: SearchParam
    values: tuple


@dataclass(frozen=True)
class Search:
    criteria: tuple[Criterion, ...] = ()
    count: int = DEFAULT_COUNT
    offset: int = 0
    include: tuple[str, ...] = ()
    # The query as understood, for the Bundle's links (parameters in a stable order).
    canonical: tuple[tuple[str, str], ...] = field(default=())

    def apply(self, queryset, grant):
        for criterion in self.criteria:
            queryset = criterion.param.apply(queryset, criterion.values, grant)
        return queryset

    def page(self, queryset, grant) -> tuple[int, list]:
        """The total and the rows of this page, in the stable order (the id)."""
        queryset = self.apply(queryset, grant).order_by("pk")
        total = queryset.count()
        rows = list(queryset[self.offset : self.offset + self.count]) if self.count else []
        return total, rows


# --- parsing -------------------------------------------------------------------------------------

_DATE = re.compile(
    r"^(?P<prefix>[a-z]{2})?(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?P<fraction>\.\d{1,6})?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)
DATE_PREFIXES = frozenset({"eq", "ne", "lt", "gt", "le", "ge"})
_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
_TYPE = re.compile(r"^[A-Z][A-Za-z]+$")
STRING_MODIFIERS = frozenset({"exact", "contains"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _zone(text: str | None) -> dt.tzinfo:
    if text is None:
        return ZoneInfo(settings.TIME_ZONE)
    if text == "Z":
        return dt.UTC
    sign = 1 if text[0] == "+" else -1
    hours, minutes = int(text[1:3]), int(text[4:6])
    if hours > 14 or minutes > 59:
        raise ValueError(text)
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    month0 = moment.month - 1 + months
    return moment.replace(year=moment.year + month0 // 12, month=month0 % 12 + 1)


def parse_date(text: str) -> DateValue:
    match = _DATE.match(text)
    if match is None:
        raise bad_request(f"'{text}' is not a date (use for example 2026, 2026-03, 2026-03-04 or 2026-03-04T10:00Z).")
    g = match.groupdict()
    prefix = g["prefix"] or "eq"
    if prefix not in DATE_PREFIXES:
        raise bad_request(f"The date prefix '{prefix}' is not supported (use eq, ne, lt, gt, le or ge).")
    try:
        zone = _zone(g["zone"])
        fraction = int(round(float(g["fraction"]) * 1_000_000)) if g["fraction"] else 0
        start = dt.datetime(
            int(g["year"]),
            int(g["month"] or 1),
            int(g["day"] or 1),
            int(g["hour"] or 0),
            int(g["minute"] or 0),
            int(g["second"] or 0),
            fraction,
            tzinfo=zone,
        )
    except ValueError:
        raise bad_request(f"'{text}' is not a valid date.") from None
    try:
        end = _end(start, g)
    except (ValueError, OverflowError):  # the range ends after 9999
        raise bad_request(f"'{text}' is out of range.") from None
    return DateValue(prefix, start, end)


def _end(start: dt.datetime, g: dict) -> dt.datetime:
    """The exclusive end of the range the value's precision names."""
    if g["month"] is None:
        return start.replace(year=start.year + 1)
    if g["day"] is None:
        return _add_months(start, 1)
    if g["hour"] is None:
        return start + dt.timedelta(days=1)
    if g["second"] is None:
        return start + dt.timedelta(minutes=1)
    if g["fraction"] is None:
        return start + dt.timedelta(seconds=1)
    return start + dt.timedelta(microseconds=1)


def parse_token(text: str) -> Token:
    if "|" in text:
        system, code = text.split("|", 1)
        if not code or "|" in code:
            raise bad_request(f"'{text}' is not a token (use system|code, |code or code).")
        return Token(system, code)
    if not text:
        raise bad_request("An empty token matches nothing: leave the parameter out.")
    return Token(None, text)


def parse_reference(text: str, targets: tuple[str, ...]) -> Reference:
    resource_type, _, ident = text.rpartition("/")
    if resource_type and (not _TYPE.match(resource_type) or (targets and resource_type not in targets)):
        raise bad_request(f"'{text}' is not a reference this parameter takes ({', '.join(targets)}).")
    if not _ID.match(ident):
        raise bad_request(f"'{text}' is not a reference (use Type/id or id).")
    return Reference(resource_type or None, ident)


def _parse_value(param: SearchParam, modifier: str, text: str):
    if modifier and not (param.type == ParamType.STRING and modifier in STRING_MODIFIERS):
        raise bad_request(f"The modifier ':{modifier}' is not supported for '{param.name}'.")
    if param.type == ParamType.TOKEN:
        return parse_token(text)
    if param.type == ParamType.REFERENCE:
        return parse_reference(text, param.targets)
    if param.type == ParamType.DATE:
        return parse_date(text)
    if not text.strip():
        raise bad_request(f"An empty value for '{param.name}' matches nothing: leave the parameter out.")
    return StringValue(text, modifier)


def _split(text: str) -> list[str]:
    """Values separated by commas; ``\\,`` is a literal comma."""
    parts = re.split(r"(?<!\\),", text)
    return [p.replace("\\,", ",") for p in parts]


def _whole(name: str, text: str, low: int, high: int | None = None) -> int:
    if not re.fullmatch(r"\d{1,9}", text):
        raise bad_request(f"'{name}' must be a whole number of {low} or more, not '{text}'.")
    value = int(text)
    if value < low:
        raise bad_request(f"'{name}' must be {low} or more.")
    return min(value, high) if high is not None else value


def parse_search(
    pairs: Iterable[tuple[str, str]], params: Mapping[str, SearchParam], includes: Iterable[str] = ()
) -> Search:
    """The query string of a search, checked against the type's allowed parameters."""
    includes = frozenset(includes)
    criteria, canonical, chosen = [], [], []
    count, offset = DEFAULT_COUNT, 0
    for key, text in pairs:
        if _CONTROL.search(key) or _CONTROL.search(text):
            raise bad_request("A search parameter contains a control character.")
        name, _, modifier = key.partition(":")
        if key == "_count":
            count = _whole("_count", text, 0, MAX_COUNT)
        elif key == "_offset":
            offset = _whole("_offset", text, 0)
        elif key == "_include":
            if text not in includes:
                raise bad_request(f"'_include={text}' is not supported here.")
            chosen.append(text)
            canonical.append((key, text))
        elif key == "_format":
            continue
        elif key == "_total":
            if text not in ("none", "estimate", "accurate"):
                raise bad_request("'_total' must be none, estimate or accurate (Koers always gives the total).")
        elif name in params:
            param = params[name]
            values = tuple(_parse_value(param, modifier, v) for v in _split(text))
            criteria.append(Criterion(param, values))
            canonical.append((key, text))
        else:
            raise bad_request(f"The search parameter '{key}' is not supported for this resource type.")
    return Search(tuple(criteria), count, offset, tuple(dict.fromkeys(chosen)), tuple(canonical))


# --- queries -------------------------------------------------------------------------------------


def date_q(field_name: str, value: DateValue, *, date_only: bool = False) -> Q:
    """The rows whose ``field_name`` (a point in time, or a day with ``date_only``) matches."""
    start, end = value.start, value.end
    if date_only:
        start, end = _day(start, up=False), _day(end, up=True)
    inside = Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})
    return {
        "eq": inside,
        "ne": ~inside,
        "lt": Q(**{f"{field_name}__lt": start}),
        "gt": Q(**{f"{field_name}__gte": end}),
        "le": Q(**{f"{field_name}__lt": end}),
        "ge": Q(**{f"{field_name}__gte": start}),
    }[value.prefix]


def _day(moment: dt.datetime, *, up: bool) -> dt.date:
    local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
    day = local.date()
    if up and local.time() != dt.time(0):
        day += dt.timedelta(days=1)
    return day


def any_of(queries: Iterable[Q]) -> Q:
    result = Q(pk__in=[])
    for q in queries:
        result |= q
    return result


_DB_ID = re.compile(r"^[1-9][0-9]{0,17}$")


def as_id(text) -> int | None:
    """A Koers id from a URL or parameter: ASCII digits that fit the database, else None (an id
    that cannot exist, answered like a missing one, never a database overflow)."""
    text = str(text)
    return int(text) if _DB_ID.match(text) else None


def id_param(documentation: str = "The resource's id.") -> SearchParam:
    def apply(queryset, values, grant):
        ids = [as_id(v.code) for v in values if v.system is None and as_id(v.code) is not None]
        return queryset.filter(pk__in=ids)

    return SearchParam("_id", ParamType.TOKEN, apply, documentation)


def last_updated_param(field_name: str) -> SearchParam:
    def apply(queryset, values, grant):
        return queryset.filter(any_of(date_q(field_name, v) for v in values))

    return SearchParam("_lastUpdated", ParamType.DATE, apply, "When the resource last changed.")


def reference_ids(values, resource_type: str) -> list[int]:
    """The numeric ids of references to ``resource_type`` (others match nothing)."""
    return [as_id(v.id) for v in values if v.resource_type in (None, resource_type) and as_id(v.id) is not None]


def string_q(fields: Iterable[str], value: StringValue) -> Q:
    """FHIR string matching on plain text fields: starts with (default), ``exact`` or ``contains``,
    ignoring case (accents only where the field is folded, like a person's name keys)."""
    lookup = {"": "istartswith", "exact": "exact", "contains": "icontains"}[value.modifier]
    return any_of(Q(**{f"{f}__{lookup}": value.value}) for f in fields)


def string_param(name: str, fields: tuple[str, ...], documentation: str) -> SearchParam:
    def apply(queryset, values, grant):
        return queryset.filter(any_of(string_q(fields, v) for v in values))

    return SearchParam(name, ParamType.STRING, apply, documentation)


def reference_param(name: str, field_name: str, target: str, documentation: str) -> SearchParam:
    def apply(queryset, values, grant):
        return queryset.filter(**{f"{field_name}__in": reference_ids(values, target)})

    return SearchParam(name, ParamType.REFERENCE, apply, documentation, targets=(target,))
