"""``koers score --instrument ID FILE.csv [--format csv|json] [--output FILE]``.

Scores a file of responses: one row per response, one column per item named by its linkId, a
cell holding the answer's code or its score (empty = not answered), an optional ``id`` column.
Writes per row the total, the subscales, the band and the number of missing items. Every row
is checked first; on any error (unknown item, an answer that is not possible, too many missing
answers, a malformed file) the command names the line and the column, writes nothing and
exits with a non-zero code.
"""

from __future__ import annotations

import csv
import io
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import override

from koers.questionnaires import scoring
from koers.questionnaires.management.commands._common import (
    add_instrument_arguments,
    load_instrument,
    read_input,
    write_output,
)

MAX_ERRORS = 50
MAX_BYTES = 200 * 1024 * 1024
DELIMITERS = {"auto": None, "comma": ",", "semicolon": ";", "tab": "\t"}


def _plain(value, decimals: int) -> str:
    """A number for a machine-readable file: a decimal point, no trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.{max(decimals, 1)}f}".rstrip("0").rstrip(".")


def _sniff(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


class Command(BaseCommand):
    help = "Score a CSV file of questionnaire responses (one row per response, one column per item linkId)."

    def add_arguments(self, parser):
        add_instrument_arguments(parser)
        parser.add_argument("file", metavar="FILE.csv", help="The responses; '-' reads standard input.")
        parser.add_argument("--format", choices=["csv", "json"], default="csv", dest="output_format")
        parser.add_argument("--output", metavar="FILE", help="Write here (atomically) instead of standard output.")
        parser.add_argument(
            "--answers",
            choices=scoring.ANSWERS_AS,
            default="auto",
            help="Cells hold option codes, scores, or either (auto: a code first, then a score).",
        )
        parser.add_argument("--id-column", default="id", help="Name of the optional column that identifies a row.")
        parser.add_argument("--delimiter", choices=list(DELIMITERS), default="auto")

    def handle(self, *args, **options):
        if options.get("lang"):
            with override(options["lang"]):
                return self._handle(options)
        return self._handle(options)

    def _handle(self, options):
        inst = load_instrument(options)
        text = self._decode(read_input(options["file"]))
        rows, delimiter = self._read(text, options)
        results = self._score(inst, rows, options)
        if options["output_format"] == "json":
            payload = {
                "instrument": inst.id,
                "version": inst.version,
                "rows": [self._json_row(line, row_id, result) for line, row_id, result in results],
            }
            output = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
        else:
            output = self._csv(inst, results, has_id=rows.has_id, delimiter=delimiter)
        write_output(output, options.get("output"), self.stdout)

    # --- reading ---------------------------------------------------------------------------

    def _decode(self, data: bytes) -> str:
        if len(data) > MAX_BYTES:
            raise CommandError(_("Het bestand is groter dan 200 MB; splits het op."))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CommandError(
                _("Het bestand is geen UTF-8-tekst (byte %(position)s). Sla het op als CSV UTF-8.")
                % {"position": exc.start + 1}
            ) from None
        if not text.strip():
            raise CommandError(_("Het bestand is leeg."))
        if "\x00" in text:
            raise CommandError(_("Het bestand bevat binaire gegevens; dit is geen CSV-bestand."))
        return text

    def _read(self, text: str, options):
        delimiter = DELIMITERS[options["delimiter"]] or _sniff(text.splitlines()[0])
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        try:
            header = next(reader)
            raw_rows = []
            for cells in reader:
                raw_rows.append((reader.line_num, cells))
        except csv.Error as exc:
            raise CommandError(
                _("Regel %(line)s: het CSV-bestand klopt niet (%(error)s).") % {"line": reader.line_num, "error": exc}
            ) from None
        return _Rows(header=[cell.strip() for cell in header], rows=raw_rows, id_column=options["id_column"]), delimiter

    # --- checking and scoring ---------------------------------------------------------------

    def _score(self, inst, rows: _Rows, options):
        errors: list[str] = []
        columns = self._columns(inst, rows, options, errors)
        if errors:
            self._fail(errors)
        results = []
        width = len(rows.header)
        for line, cells in rows.rows:
            if not cells or all(not cell.strip() for cell in cells):
                continue  # a blank line
            if len(cells) != width:
                errors.append(
                    _("Regel %(line)s: %(count)s kolommen, maar de kopregel heeft er %(width)s.")
                    % {"line": line, "count": len(cells), "width": width}
                )
                continue
            answers = {}
            row_ok = True
            for position, link_id in columns:
                value = cells[position]
                try:
                    scoring.validate_answers(inst, {link_id: value}, answers_as=options["answers"])
                except scoring.ScoringError as exc:
                    errors.append(
                        _("Regel %(line)s, kolom %(column)s: %(error)s")
                        % {"line": line, "column": repr(link_id), "error": exc.message}
                    )
                    row_ok = False
                    continue
                answers[link_id] = value
            if row_ok:
                try:
                    result = scoring.score(inst, answers, answers_as=options["answers"])
                except scoring.ScoringError as exc:
                    errors.append(_("Regel %(line)s: %(error)s") % {"line": line, "error": exc.message})
                    continue
                if not result.scorable:
                    errors.append(self._too_many_missing(inst, line, result))
                    continue
                row_id = cells[rows.id_position].strip() if rows.id_position is not None else None
                results.append((line, row_id, result))
            if len(errors) > MAX_ERRORS:
                break
        if errors:
            self._fail(errors)
        if not results:
            raise CommandError(_("Het bestand heeft een kopregel maar geen antwoorden."))
        return results

    def _columns(self, inst, rows: _Rows, options, errors: list[str]) -> list[tuple[int, str]]:
        columns = []
        seen = set()
        for position, name in enumerate(rows.header):
            column_number = position + 1
            if not name:
                errors.append(_("Kolom %(number)s heeft geen naam in de kopregel.") % {"number": column_number})
                continue
            if name in seen:
                errors.append(_("Kolom %(column)s staat twee keer in de kopregel.") % {"column": repr(name)})
                continue
            seen.add(name)
            if position == rows.id_position:
                continue
            item = inst.item(name)
            if item is None:
                known = ", ".join(item.link_id for item in inst.answer_items)
                errors.append(
                    _("Kolom %(column)s: vragenlijst %(instrument)s heeft geen vraag met deze linkId (wel: %(known)s).")
                    % {"column": repr(name), "instrument": inst.id, "known": known}
                )
                continue
            if not item.answerable:
                errors.append(
                    _("Kolom %(column)s is een berekende score, geen vraag; laat deze kolom weg.")
                    % {"column": repr(name)}
                )
                continue
            columns.append((position, name))
        if not columns and not errors:
            errors.append(_("De kopregel noemt geen enkele vraag van %(instrument)s.") % {"instrument": inst.id})
        ambiguous = [name for _position, name in columns if name in inst.ambiguous_items]
        if ambiguous and options["answers"] == "auto":
            errors.append(
                _(
                    "Bij vraag %(items)s is een code ook de score van een ander antwoord, dus een getal kan twee "
                    "dingen betekenen. Zeg met --answers code of --answers value wat er in het bestand staat."
                )
                % {"items": ", ".join(ambiguous)}
            )
        return columns

    def _too_many_missing(self, inst, line, result) -> str:
        allowed = inst.main.max_missing
        if allowed is not None:
            return _(
                "Regel %(line)s: %(missing)s van de %(count)s vragen die meetellen zijn niet (bruikbaar) beantwoord; "
                "bij %(instrument)s mogen er hoogstens %(allowed)s ontbreken."
            ) % {
                "line": line,
                "missing": result.missing,
                "count": result.scored_items,
                "instrument": inst.id,
                "allowed": allowed,
            }
        return _(
            "Regel %(line)s: %(missing)s van de %(count)s vragen die meetellen zijn niet (bruikbaar) beantwoord; "
            "daarmee geeft %(instrument)s geen score."
        ) % {"line": line, "missing": result.missing, "count": result.scored_items, "instrument": inst.id}

    def _fail(self, errors: list[str]):
        shown = errors[:MAX_ERRORS]
        message = "\n".join(shown)
        if len(errors) > MAX_ERRORS:
            message += "\n" + _("… en meer fouten; los deze eerst op.")
        separator = " " if len(errors) == 1 else "\n"  # one problem: one line
        raise CommandError(_("Niets geschreven.") + separator + message)

    # --- writing ----------------------------------------------------------------------------

    def _json_row(self, line, row_id, result) -> dict:
        row = {"line": line}
        if row_id is not None:
            row["id"] = row_id
        data = result.to_dict()
        del data["instrument"], data["version"]
        return row | data

    def _csv(self, inst, results, *, has_id: bool, delimiter: str) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
        subscales = [definition for definition in inst.scores[1:]]
        header = (["id"] if has_id else []) + ["line", inst.main.name]
        header += [definition.name for definition in subscales]
        header += ["band", "band_label", "missing", "flags"]
        writer.writerow(header)
        for line, row_id, result in results:
            row = ([row_id] if has_id else []) + [line, _plain(result.total, inst.main.decimals)]
            row += [_plain(result.subscales.get(definition.name), definition.decimals) for definition in subscales]
            row += [
                result.band.code if result.band else "",
                result.band.label() if result.band else "",
                result.missing,
                " ".join(result.flags),
            ]
            writer.writerow(row)
        return buffer.getvalue()


class _Rows:
    def __init__(self, *, header: list[str], rows: list, id_column: str):
        self.header = header
        self.rows = rows
        self.id_position = header.index(id_column) if id_column in header else None

    @property
    def has_id(self) -> bool:
        return self.id_position is not None
