"""``koers analyse FILE.csv [--format text|json] [--tz Europe/Amsterdam] [--phase DATE:LABEL ...]
[--per-day N] [--only trend,lagged] [--lang nl|en]``.

The N=1 report of one person's self-monitoring data, the same that the professional's analysis
page shows (``koers.monitoring.analysis.report.analyse``), from a file:

- first column: the time of each row (``2026-03-01 08:30``, ``01-03-2026 8:30``, ISO with an
  offset, or a date alone = 12:00 local time; read by ``koers.monitoring.timestamps``);
- further columns: one variable each, named in the header; an empty cell = not measured;
- delimiter ``,`` or ``;`` (or tab) found from the header line; a decimal comma is accepted
  (``6,5``).

Every row is checked first. On any error (unreadable time, a time that occurs twice, a cell
that is not a number, a row with the wrong number of cells, an empty or binary file) the command
prints every problem with its line number on stderr, analyses nothing and exits with code 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import override

from koers.monitoring.analysis.report import SECTION_KEYS, analyse
from koers.monitoring.analysis.series import make_series
from koers.monitoring.timestamps import DEFAULT_TZ, TimestampError, parse_timestamp

MAX_BYTES = 50 * 1024 * 1024
MAX_ERRORS = 50
EXIT_BAD_INPUT = 2
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_DAY_FIRST_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")


def bad_input(messages: list[str]) -> CommandError:
    """The error for bad input: one problem in one line, several each on their own line, exit
    code 2. (A plain CommandError, so the command line reports it as Koers' other commands do.)"""
    shown = messages[:MAX_ERRORS]
    if len(messages) > MAX_ERRORS:
        shown.append(_("… en meer fouten; los deze eerst op."))
    separator = " " if len(shown) == 1 else "\n"  # one problem: one line
    return CommandError(_("Niets geanalyseerd.") + separator + "\n".join(shown), returncode=EXIT_BAD_INPUT)


def parse_number(text: str) -> float | None:
    """A cell as a number: None when empty; ValueError when it is not a (finite) number."""
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    if not raw:
        return None
    if not _NUMBER.match(raw):
        raise ValueError(raw)
    value = float(raw.replace(",", "."))
    if not math.isfinite(value):  # pragma: no cover - the pattern admits no inf/nan
        raise ValueError(raw)
    return value


def parse_phase(text: str) -> tuple[dt.date, str]:
    """``2026-03-01:Start medicatie`` or ``01-03-2026:Start medicatie`` → (date, label)."""
    day, sep, label = text.partition(":")
    label = label.strip()
    if not sep or not label:
        raise ValueError(
            _("‘%(text)s’: schrijf een fase als DATUM:OMSCHRIJVING, bijvoorbeeld 2026-03-01:Start medicatie.")
            % {"text": text}
        )
    day = day.strip()
    try:
        match = _DAY_FIRST_DATE.match(day)
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1])), label
        return dt.date.fromisoformat(day), label
    except ValueError:
        raise ValueError(_("‘%(text)s’ is geen datum (gebruik 2026-03-01 of 01-03-2026).") % {"text": day}) from None


def _sniff(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def read_table(text: str, tz: str):
    """Parse the file into ``(names, series)``; raise ``bad_input(...)`` (a CommandError, exit code
    2) naming every problem found."""
    header, rows = _parse_csv(text)
    names = _column_names(header)
    times, values, errors, any_rows = _read_rows(rows, names, len(header), tz)
    if errors:
        raise bad_input(errors)
    if not any_rows:
        raise bad_input([_("Het bestand heeft een kopregel maar geen rijen met gegevens.")])
    return names, [make_series(name, times[name], values[name]) for name in names]


def _parse_csv(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header's cells and every further row with its line number (delimiter from the header)."""
    lines = text.splitlines()
    delimiter = _sniff(lines[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [cell.strip() for cell in next(reader)]
        rows = [(reader.line_num, cells) for cells in reader]
    except csv.Error as exc:
        raise bad_input(
            [_("Regel %(line)s: het CSV-bestand klopt niet (%(error)s).") % {"line": reader.line_num, "error": exc}]
        ) from None
    return header, rows


def _column_names(header: list[str]) -> list[str]:
    """The variables' names from the header (after the time column): each named, none twice."""
    names = header[1:]
    if not names:
        raise bad_input([_("De kopregel heeft na de kolom met het tijdstip geen kolommen met waarden.")])
    errors: list[str] = []
    seen: set[str] = set()
    for position, name in enumerate(names, start=2):
        if not name:
            errors.append(_("Kolom %(number)s heeft geen naam in de kopregel.") % {"number": position})
        elif name in seen:
            errors.append(_("Kolom %(column)s staat twee keer in de kopregel.") % {"column": repr(name)})
        seen.add(name)
    if errors:
        raise bad_input(errors)
    return names


def _read_rows(rows: list[tuple[int, list[str]]], names: list[str], width: int, tz: str):
    """(times, values per name, errors, whether any row had data); blank rows are skipped and
    reading stops once more than MAX_ERRORS problems were found."""
    times: dict[str, list] = {name: [] for name in names}
    values: dict[str, list] = {name: [] for name in names}
    first_line_of: dict[dt.datetime, int] = {}
    errors: list[str] = []
    for line, cells in rows:
        if not cells or all(not cell.strip() for cell in cells):
            continue
        if len(errors) > MAX_ERRORS:
            break
        moment, problem = _row_moment(line, cells, width, tz, first_line_of)
        if problem is not None:
            errors.append(problem)
            continue
        first_line_of[moment] = line
        for name, cell in zip(names, cells[1:], strict=True):
            try:
                value = parse_number(cell)
            except ValueError:
                errors.append(
                    _("Regel %(line)s, kolom %(column)s: ‘%(value)s’ is geen getal.")
                    % {"line": line, "column": repr(name), "value": cell.strip()[:40]}
                )
                continue
            if value is not None:
                times[name].append(moment)
                values[name].append(value)
    return times, values, errors, bool(first_line_of)


def _row_moment(line: int, cells: list[str], width: int, tz: str, first_line_of: dict) -> tuple:
    """(the row's time, None), or (None, the problem): wrong number of cells, an unreadable time
    or a time already on an earlier line."""
    if len(cells) != width:
        return None, (
            _("Regel %(line)s: %(count)s kolommen, maar de kopregel heeft er %(width)s.")
            % {"line": line, "count": len(cells), "width": width}
        )
    try:
        moment = parse_timestamp(cells[0], tz)
    except TimestampError as exc:
        return None, _("Regel %(line)s: %(error)s") % {"line": line, "error": exc}
    if moment in first_line_of:
        return None, (
            _("Regel %(line)s: dit tijdstip staat ook al op regel %(earlier)s.")
            % {"line": line, "earlier": first_line_of[moment]}
        )
    return moment, None


class Command(BaseCommand):
    help = (
        "Analyse one person's self-monitoring data (first column a time, further columns one variable "
        "each) and print the N=1 report: descriptives, trend, change points, phases, early warning, lags."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.csv", help="The data; '-' reads standard input.")
        parser.add_argument("--format", choices=["text", "json"], default="text", dest="output_format")
        parser.add_argument(
            "--tz", default=DEFAULT_TZ, help="Time zone of times without an offset (default: %(default)s)."
        )
        parser.add_argument(
            "--phase",
            action="append",
            default=[],
            metavar="DATE:LABEL",
            help='A treatment change, e.g. --phase 2026-03-01:"Start medicatie" (repeatable).',
        )
        parser.add_argument(
            "--per-day", type=int, metavar="N", help="Prompts planned per day (diary), for the response rate."
        )
        parser.add_argument("--only", metavar="SECTIONS", help=f"Comma-separated subset of: {', '.join(SECTION_KEYS)}.")
        parser.add_argument("--lang", choices=["nl", "en"], help="Language of the explanations (default: Dutch).")

    def handle(self, *args, **options):
        if options.get("lang"):
            with override(options["lang"]):
                return self._handle(options)
        return self._handle(options)

    def _handle(self, options):
        tz = options["tz"]
        problems: list[str] = []
        try:
            from zoneinfo import ZoneInfo

            ZoneInfo(tz)
        except (ValueError, KeyError, OSError):
            problems.append(_("‘%(tz)s’ is geen bekende tijdzone (bijvoorbeeld Europe/Amsterdam).") % {"tz": tz})
        phases = []
        for text in options["phase"]:
            try:
                phases.append(parse_phase(text))
            except ValueError as exc:
                problems.append(str(exc))
        per_day = options.get("per_day")
        if per_day is not None and not 1 <= per_day <= 50:
            problems.append(_("--per-day moet tussen 1 en 50 liggen."))
        only = None
        if options.get("only"):
            only = [key.strip() for key in options["only"].split(",") if key.strip()]
            unknown = [key for key in only if key not in SECTION_KEYS]
            if unknown:
                problems.append(
                    _("Onbekend onderdeel: %(unknown)s (kies uit %(known)s).")
                    % {"unknown": ", ".join(unknown), "known": ", ".join(SECTION_KEYS)}
                )
        if problems:
            raise bad_input(problems)
        text = self._decode(self._read(options["file"]))
        _names, series = read_table(text, tz)
        report = analyse(series, phases=phases, tz=tz, expected_per_day=per_day, only=only)
        if options["output_format"] == "json":
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(report.as_text(), ending="")

    def _read(self, path: str) -> bytes:
        if path == "-":
            return sys.stdin.buffer.read(MAX_BYTES + 1)
        try:
            file = Path(path)
            if file.stat().st_size > MAX_BYTES:
                raise bad_input([_("Het bestand is groter dan 50 MB.")])
            return file.read_bytes()
        except OSError as exc:
            raise bad_input(
                [_("Kan %(path)s niet lezen: %(error)s") % {"path": path, "error": exc.strerror or exc}]
            ) from None

    def _decode(self, data: bytes) -> str:
        if len(data) > MAX_BYTES:
            raise bad_input([_("Het bestand is groter dan 50 MB.")])
        if b"\x00" in data:
            raise bad_input([_("Het bestand bevat binaire gegevens; dit is geen CSV-bestand.")])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")  # Excel on Windows; numbers and times are ASCII
        if not text.strip():
            raise bad_input([_("Het bestand is leeg.")])
        return text
