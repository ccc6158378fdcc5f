"""What ``koers score`` and ``koers change`` share: finding the instrument, numbers as people type
them, and writing output only when everything is right (atomically to a file)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from koers.questionnaires import instruments
from koers.questionnaires.instruments import _number_or_none

MAX_QUESTIONNAIRE_BYTES = 5 * 1024 * 1024


def add_instrument_arguments(parser) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--instrument", help="Id of a shipped instrument, e.g. phq-9, gad-7, k10, mansa, dialog.")
    group.add_argument(
        "--questionnaire",
        metavar="FILE.json",
        help="Your own licensed FHIR Questionnaire (with SDC scoring) instead of a shipped instrument.",
    )
    parser.add_argument("--lang", choices=["nl", "en"], help="Language of labels and messages (default: Dutch).")


def load_instrument(options) -> instruments.Instrument:
    try:
        if options.get("questionnaire"):
            path = Path(options["questionnaire"])
            try:
                if path.stat().st_size > MAX_QUESTIONNAIRE_BYTES:
                    raise CommandError(_("%(path)s is groter dan 5 MB.") % {"path": path})
                data = path.read_bytes()
            except OSError as exc:
                raise CommandError(
                    _("Kan %(path)s niet lezen: %(error)s") % {"path": path, "error": exc.strerror or exc}
                ) from None
            return instruments.from_json(data)
        return instruments.get(options["instrument"])
    except instruments.InstrumentError as exc:
        raise CommandError(exc.message) from None


def parse_number(raw, name: str) -> float | int:
    number = _number_or_none(raw) if isinstance(raw, str) else None
    if number is None:
        raise CommandError(_("%(name)s: %(value)s is geen getal.") % {"name": name, "value": repr(raw)})
    return number


def write_output(text: str, output: str | None, stdout) -> None:
    """Write everything at once: to stdout, or to a temporary file beside ``output`` that then
    replaces it, so a reader never sees half a file and an error leaves the old one intact."""
    if not output or output == "-":
        stdout.write(text, ending="" if text.endswith("\n") else "\n")
        return
    target = Path(output)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise CommandError(_("De map %(dir)s bestaat niet.") % {"dir": directory})
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        message = _("Kan %(path)s niet lezen: %(error)s") % {"path": path, "error": exc.strerror or exc}
        raise CommandError(message) from None
