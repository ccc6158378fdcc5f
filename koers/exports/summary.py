"""The export's readable summary (``samenvatting.pdf``): every section as lines of "name: value".

Person-facing, so in plain words in the person's language (Dutch unless they chose English): a
field's own name (``verbose_name``), else its words in ``pdf_words``; codes by their labels (a
coded field's label, a consent topic, data category or measurement by its name, a unit as people
write it); numbers with the language's decimal sign. What says nothing to a reader (internal
ids and references, hashes, the scoring's and the worker's bookkeeping, codes beside their words)
is left to the JSON files next to it (``pdf_words.NOT_IN_PDF``). ``koers/exports/tests/
test_export.py`` checks that every field of every registered section has Dutch words or is left
out. The JSON is built in Dutch (a stable format, ``build.build_zip``); the summary in the
language the person chose (``people.hooks.document_language``), coded values by their label in it.
"""

from __future__ import annotations

import datetime as dt
import decimal

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from koers.exports.pdf_words import CODE_LISTS, COMMON_LABELS, NOT_IN_PDF, SECTION_LABELS
from koers.lib.numbers import decimal_text
from koers.lib.pdf import report_pdf
from koers.people import exports
from koers.screening.letter import NAMES as MEASURE_NAMES
from koers.screening.letter import display_unit
from koers.workspace.emergency_notices import TOPIC_WORDS
from koers.workspace.who_looked import object_type_label

PDF_LINES_PER_SECTION = 200
LONG_TEXT = 300
NO_UNIT = "{score}"  # a scale's UCUM "unit": nothing to show


def label(section: exports.ExportSection, field) -> str:
    """The field's words (Dutch, or the reader's language): for this section, its own
    ``verbose_name``, or the common ones."""
    specific = SECTION_LABELS.get(section.key, {})
    if field.name in specific:
        return str(specific[field.name])
    name = str(field.verbose_name)
    if name == field.name.replace("_", " ") and field.name in COMMON_LABELS:
        return str(COMMON_LABELS[field.name])
    return name


def readable(section: exports.ExportSection, field) -> bool:
    """Internal ids (a link to another record) and bookkeeping say nothing to a reader; names of
    people do."""
    if field.name in NOT_IN_PDF or f"{section.key}.{field.name}" in NOT_IN_PDF:
        return False
    return not field.is_relation or (not field.many_to_many and field.related_model._meta.label == "accounts.User")


def _codes(kind: str, value: str) -> str:
    """A comma list of consent topics or data categories, in the words the person's pages use
    for them (the emergency notice's topics, "Wie keek er"'s categories); a measurement by the
    name its letter gives it."""
    if kind == "measures":
        return str(MEASURE_NAMES.get(value, value))
    if kind == "topics":
        return ", ".join(str(TOPIC_WORDS.get(code, code)) for code in value.split(",") if code)
    return ", ".join(object_type_label(code) for code in value.split(",") if code)


def shown(field, value) -> str:
    if isinstance(value, dict) and field.name in CODE_LISTS:
        return _codes(CODE_LISTS[field.name], str(value.get("code", "")))
    if isinstance(value, dict) and "label" in value:  # the JSON's label is Dutch; the reader's own
        return str(dict(field.flatchoices).get(value.get("code"), value["label"]) if field.choices else value["label"])
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, list | dict):
        return _("(zie het JSON-bestand)")
    if isinstance(field, models.DateTimeField):
        return formats.date_format(timezone.localtime(dt.datetime.fromisoformat(value)), "j F Y H:i")
    if isinstance(field, models.DateField):
        return formats.date_format(dt.date.fromisoformat(value), "j F Y")
    if isinstance(field, models.DecimalField | models.FloatField) or isinstance(value, float | decimal.Decimal):
        return decimal_text(str(value))
    if field.name in CODE_LISTS:
        return _codes(CODE_LISTS[field.name], str(value))
    if field.name == "unit":
        return display_unit(str(value))
    text = str(value)
    return text if len(text) <= LONG_TEXT else text[:LONG_TEXT] + "…"


def _empty(value) -> bool:
    return value in (None, "", [], {}, NO_UNIT) or (isinstance(value, dict) and value.get("code") in (None, ""))


def record_line(section: exports.ExportSection, record: dict) -> str:
    """One readable line: every filled field as "name: value", codes by their label, dates as the
    reader's dates; links to other records are left to the JSON."""
    fields = {f.name: f for f in section.fields() if readable(section, f)}
    parts = [
        f"{label(section, fields[name])}: {shown(fields[name], value)}"
        for name, value in record.items()
        if name in fields and not _empty(value)
    ]
    return "; ".join(parts) or _("(geen gegevens ingevuld)")


def summary_pdf(person, collected: list[tuple[exports.ExportSection, list[dict]]]) -> bytes:
    blocks = []
    for section, records in collected:
        lines = [record_line(section, r) for r in records[:PDF_LINES_PER_SECTION]]
        if len(records) > PDF_LINES_PER_SECTION:
            rest = len(records) - PDF_LINES_PER_SECTION
            lines.append(
                _("En nog %(count)s. Alles staat in het bestand sections/%(key)s.json.")
                % {"count": rest, "key": section.key}
            )
        if not records:
            lines = [_("Hierover zijn geen gegevens.")]
        blocks.append((f"{section.title} ({len(records)})", lines))
    made = formats.date_format(timezone.localtime(), "j F Y H:i")
    return report_pdf(
        title=_("Uw gegevens in Koers: %(name)s") % {"name": person},
        intro=_(
            "Dit zijn alle gegevens die Koers over u bewaart, op %(made)s. Per onderdeel ziet u "
            "hoeveel er is en wat er staat. Dezelfde gegevens staan ook in de JSON-bestanden in de "
            "zip, zodat u ze kunt meenemen naar een andere zorgverlener of app."
        )
        % {"made": made},
        sections=blocks,
        footer=_("Gemaakt door Koers op uw verzoek. Heeft u vragen? Stel ze aan uw zorgverlener."),
    )
