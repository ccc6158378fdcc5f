"""Reading device exports (CSV) into entries: pure, no database.

Steps: ``read_table`` (delimiter sniffed: ``;`` ``,`` tab or ``|``; a header row; rows numbered as
a spreadsheet shows them, the header being row 1), ``propose_mapping`` (recognises common column
names such as "Datum", "Tijd", "date", "Systolisch", "steps", "Gewicht (kg)"), the person checks
or changes the proposal (``Mapping``: the time column — or a date column and a time column —
and per value column a type code and unit), then ``parse_rows`` gives entries and per-row errors.
Units, plausible ranges and duplicates are checked by ``koers.monitoring.services.entry.entries_check``,
the same check as for quick entry. A decimal comma is accepted ("5,4"); a number with both a
point and a comma is refused rather than guessed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from koers.monitoring import catalogue
from koers.monitoring.entries import Entry
from koers.monitoring.timestamps import DEFAULT_TZ, TimestampError, parse_timestamp

MAX_ROWS = 200_000
MAX_COLUMNS = 100
DELIMITERS = (";", ",", "\t", "|")

TIMESTAMP_NAMES = (
    "datum/tijd", "datum tijd", "datum en tijd", "tijdstip", "timestamp", "datetime", "date/time", "date time",
    "gemeten op", "measured at", "meettijd", "start", "start time", "starttijd", "begin", "time stamp",
)  # fmt: skip
DATE_NAMES = ("datum", "date", "dag", "day", "meetdatum")
TIME_NAMES = ("tijd", "time", "uur", "meettijd", "tijdstip (uur)")

_UNIT_IN_NAME = re.compile(r"^(?P<name>.*?)\s*[(\[](?P<unit>[^()\[\]]+)[)\]]\s*$")
_TIME_ONLY = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


class CsvError(ValueError):
    """A file that cannot be read as a table; str() is a message for the person."""


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, cells)
    delimiter: str


@dataclass(frozen=True)
class ColumnMap:
    index: int
    type: str  # a type code (catalogue or "custom-<pk>")
    unit: str = ""  # an accepted unit of that type; "" = the canonical unit


@dataclass(frozen=True)
class Mapping:
    timestamp: int  # column with the date and time (or the date only when ``time`` is set)
    time: int | None = None  # column with the time of day, when date and time are in two columns
    columns: tuple[ColumnMap, ...] = field(default_factory=tuple)
    tz: str = DEFAULT_TZ

    def as_dict(self) -> dict:
        return {
            "timestamp": self.timestamp,
            "time": self.time,
            "columns": [{"index": c.index, "type": c.type, "unit": c.unit} for c in self.columns],
            "tz": self.tz,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Mapping:
        """From ``as_dict`` output (or a form's cleaned data); KeyError/TypeError/ValueError if malformed."""
        time = data.get("time")
        columns = tuple(
            ColumnMap(index=int(c["index"]), type=str(c["type"]), unit=str(c.get("unit") or ""))
            for c in data.get("columns") or ()
        )
        return cls(
            timestamp=int(data["timestamp"]),
            time=None if time in (None, "") else int(time),
            columns=columns,
            tz=str(data.get("tz") or DEFAULT_TZ),
        )


def sniff_delimiter(text: str) -> str:
    """The delimiter of the first lines: the candidate that splits the header and the next lines
    into the same number (> 1) of cells most consistently; ``;`` wins ties (Dutch Excel)."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if not lines:
        return ";"
    best, best_score = ";", -1.0
    for delim in DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delim))
        except csv.Error:
            continue
        widths = [len(r) for r in rows]
        if widths[0] < 2:
            continue
        same = sum(1 for w in widths if w == widths[0]) / len(widths)
        score = same * 10 + min(widths[0], 10) / 10
        if score > best_score:
            best, best_score = delim, score
    return best


def read_table(text: str, *, max_rows: int = MAX_ROWS) -> Table:
    """The header and rows of a CSV text; CsvError for an empty file or one without data rows."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise CsvError(_("Het bestand is leeg."))
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            number = reader.line_num
            if header is None:
                if not any(c.strip() for c in cells):
                    continue
                header = [c.strip() for c in cells]
                continue
            if not any(c.strip() for c in cells):
                continue
            rows.append((number, [c.strip() for c in cells]))
            if len(rows) > max_rows:
                raise CsvError(_("Het bestand heeft meer dan %(max)d rijen. Splits het in delen.") % {"max": max_rows})
    except csv.Error as exc:
        raise CsvError(
            _("Regel %(row)d is geen geldige CSV (%(problem)s).") % {"row": reader.line_num, "problem": exc}
        ) from None
    if header is None:
        raise CsvError(_("Het bestand is leeg."))
    if len(header) < 2:
        raise CsvError(
            _("Koers vindt maar één kolom. Een bestand heeft een kolom met het tijdstip en minstens één met waarden.")
        )
    if len(header) > MAX_COLUMNS:
        raise CsvError(_("Het bestand heeft te veel kolommen (hoogstens %(max)d).") % {"max": MAX_COLUMNS})
    if not rows:
        raise CsvError(_("Onder de kopregel staan geen rijen met metingen."))
    return Table(header=header, rows=rows, delimiter=delimiter)


def split_header(name: str) -> tuple[str, str]:
    """("Gewicht (kg)") -> ("gewicht", "kg"): the lower-case name and a unit in brackets, if any."""
    match = _UNIT_IN_NAME.match(name.strip())
    if match:
        return match.group("name").strip().lower(), match.group("unit").strip()
    return name.strip().lower(), ""


def _has_time(samples: Iterable[str]) -> bool:
    return any(re.search(r"\d:\d\d", s) for s in samples if s)


def propose_mapping(header: Sequence[str], types: Iterable, *, sample: Sequence[tuple[int, list[str]]] = ()) -> Mapping:
    """A first guess at the mapping from the column names (the person checks it).

    ``types`` are the MeasurementType rows the person may record (catalogue and own items).
    Columns that match nothing are left out; the first column is the time column when no name
    says otherwise.
    """
    names = [split_header(h) for h in header]
    samples = [[cells[i] if i < len(cells) else "" for _n, cells in sample] for i in range(len(header))]
    timestamp: int | None = None
    time: int | None = None
    for i, (name, _unit) in enumerate(names):
        if name in TIMESTAMP_NAMES and timestamp is None:
            timestamp = i
    if timestamp is None:
        for i, (name, _unit) in enumerate(names):
            if name in DATE_NAMES:
                timestamp = i
                break
    if timestamp is not None and not _has_time(samples[timestamp]):
        for i, (name, _unit) in enumerate(names):
            if i != timestamp and name in TIME_NAMES:
                time = i
                break
    if timestamp is None:
        timestamp = 0
    columns: list[ColumnMap] = []
    used: set[str] = set()
    types = list(types)
    for i, (name, unit) in enumerate(names):
        if i in (timestamp, time) or not name:
            continue
        mtype = _match_type(name, types)
        if mtype is None or mtype.code in used:
            continue
        used.add(mtype.code)
        accepted = catalogue.accepted_units(mtype)
        if unit not in accepted:
            unit = _unit_that_fits(mtype, samples[i])
        columns.append(ColumnMap(index=i, type=mtype.code, unit=unit))
    return Mapping(timestamp=timestamp, time=time, columns=tuple(columns))


def _unit_that_fits(mtype, samples: Sequence[str]) -> str:
    """When the header names no unit: the canonical unit ("") if the sample values are plausible
    in it, else the first accepted unit in which they all are (sleep "420" → minutes, glucose
    "108" → mg/dL). Only a proposal: the person sees and can change it."""
    numbers = []
    for text in samples:
        try:
            numbers.append(catalogue.to_number(text))
        except ValueError:
            continue
    if not numbers:
        return ""
    spec = catalogue.spec(mtype)
    for unit in catalogue.accepted_units(mtype):
        converted = [catalogue.to_canonical(spec, n, unit) for n in numbers]
        if all(spec.low <= v <= spec.high for v in converted):
            return "" if unit == spec.unit else unit
    return ""


def _match_type(name: str, types: list):
    for t in types:  # exact names first: own items by their wording, catalogue by known column names
        if t.person_id is not None and t.name.strip().lower() == name:
            return t
        d = catalogue.definitions().get(t.code) if t.person_id is None else None
        if d is not None and (name in d.columns or name == catalogue.label(t).lower() or name == t.code):
            return t
    for t in types:  # then a known name as a word inside the column name ("bloeddruk systolisch")
        d = catalogue.definitions().get(t.code) if t.person_id is None else None
        if d is None:
            continue
        for alias in d.columns:
            if len(alias) >= 4 and re.search(rf"(?<![a-z]){re.escape(alias)}(?![a-z])", name):
                return t
    return None


def check_mapping(mapping: Mapping, header: Sequence[str], known: dict) -> list[str]:
    """Problems with a mapping for this header and these types (``known``: code -> MeasurementType)."""
    problems: list[str] = []
    width = len(header)
    if not 0 <= mapping.timestamp < width:
        problems.append(_("Kies de kolom met de datum en tijd."))
    if mapping.time is not None and (not 0 <= mapping.time < width or mapping.time == mapping.timestamp):
        problems.append(_("Kies een andere kolom voor de tijd dan voor de datum."))
    if not mapping.columns:
        problems.append(_("Kies minstens één kolom met metingen."))
    seen_columns: set[int] = set()
    seen_types: set[str] = set()
    for c in mapping.columns:
        column_name = header[c.index] if 0 <= c.index < width else str(c.index)
        if not 0 <= c.index < width or c.index in (mapping.timestamp, mapping.time):
            problems.append(_("Kolom ‘%(column)s’ kan geen metingen bevatten.") % {"column": column_name})
            continue
        if c.index in seen_columns:
            problems.append(_("Kolom ‘%(column)s’ is twee keer gekozen.") % {"column": column_name})
            continue
        seen_columns.add(c.index)
        mtype = known.get(c.type)
        if mtype is None:
            problems.append(_("Kolom ‘%(column)s’: kies wat erin staat.") % {"column": column_name})
            continue
        if c.type in seen_types:
            problems.append(
                _("‘%(name)s’ is aan twee kolommen gekoppeld. Kies het bij één kolom.")
                % {"name": catalogue.label(mtype)}
            )
            continue
        seen_types.add(c.type)
        if c.unit and c.unit not in catalogue.accepted_units(mtype):
            problems.append(
                _("Kolom ‘%(column)s’: de eenheid ‘%(unit)s’ past niet bij %(name)s.")
                % {"column": column_name, "unit": c.unit, "name": catalogue.label(mtype)}
            )
    return problems


def _timestamp_text(cells: list[str], mapping: Mapping) -> str:
    date = cells[mapping.timestamp] if mapping.timestamp < len(cells) else ""
    if mapping.time is None:
        return date
    time = cells[mapping.time] if mapping.time < len(cells) else ""
    match = _TIME_ONLY.match(time)
    if match:
        time = f"{int(match.group(1)):02d}:{match.group(2)}" + (f":{match.group(3)}" if match.group(3) else "")
    return f"{date} {time}".strip()


def parse_rows(
    table: Table, mapping: Mapping, *, start: int = 0, stop: int | None = None
) -> tuple[list[Entry], list[dict]]:
    """Entries for the mapped cells of rows[start:stop], and per-row errors.

    An empty cell is a missing value (not an error); a row whose time cannot be read gives one
    error for the row. Errors: ``{"row": n, "column": header name, "message": text}``.
    """
    entries: list[Entry] = []
    errors: list[dict] = []
    ts_name = table.header[mapping.timestamp] if mapping.timestamp < len(table.header) else ""
    for number, cells in table.rows[start:stop]:
        values = [(c, cells[c.index] if c.index < len(cells) else "") for c in mapping.columns]
        if not any(v for _c, v in values):
            continue  # nothing measured in this row
        raw = _timestamp_text(cells, mapping)
        try:
            when = parse_timestamp(raw, mapping.tz)
        except TimestampError as exc:
            errors.append({"row": number, "column": ts_name, "message": str(exc)})
            continue
        for c, value in values:
            if not value:
                continue
            column = table.header[c.index] if c.index < len(table.header) else str(c.index)
            entries.append(
                Entry(
                    type=c.type,
                    value=value,
                    unit=c.unit or None,
                    effective_at=when,
                    key=f"{number}:{c.index}",
                    row=number,
                    column=column,
                )
            )
    return entries, errors
