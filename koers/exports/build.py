"""Building one export: every registered section as JSON, a manifest, the schema and a PDF, zipped.

Knows no app: it iterates ``koers.people.exports.sections()``. Only the sections the requester
may read (``access.can``) are included, so a later relative or professional who asks with the
person never gets more than the policy table allows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Callable

from django.db import models
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers import access
from koers.lib.pdf import report_pdf
from koers.people import exports

PDF_NAME = "samenvatting.pdf"
PDF_LINES_PER_SECTION = 200
LONG_TEXT = 300
# Fields that say nothing to a reader of the PDF (internal ids); the JSON keeps them.
NOT_IN_PDF = frozenset({"id", "person"})


def included_sections(actor, person) -> list[exports.ExportSection]:
    return [s for s in exports.sections() if access.can(actor, person, s.category, access.Action.READ)]


def full_schema() -> dict:
    """The JSON Schema of every file in the export (docs/export-schema.json is this, generated)."""
    sections = exports.sections()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://koers.example/export/schema-v1.json",
        "title": "Koers: export van de eigen gegevens van een persoon",
        "schema_version": exports.SCHEMA_VERSION,
        "$defs": {"manifest": MANIFEST_SCHEMA} | {f"section_{s.key}": exports.schema_for(s) for s in sections},
    }


MANIFEST_SCHEMA = {
    "type": "object",
    "required": ["schema_version", "exported_at", "person", "requested_by", "sections", "files", "attachments"],
    "properties": {
        "schema_version": {"const": exports.SCHEMA_VERSION},
        "exported_at": {"type": "string", "format": "date-time"},
        "person": {
            "type": "object",
            "required": ["id", "name"],
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
        },
        "requested_by": {"type": "string"},
        "sections": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["key", "title", "file", "count"],
                "properties": {
                    "key": {"type": "string"},
                    "title": {"type": "string"},
                    "file": {"type": "string"},
                    "count": {"type": "integer", "minimum": 0},
                },
            },
        },
        "files": {
            "description": "SHA-256 (hex) of every other file in the zip, by its name",
            "type": "object",
            "additionalProperties": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        },
        "attachments": {
            "description": "The files themselves (a document's PDF, photo …) in the folder of their section",
            "type": "array",
            "items": {
                "type": "object",
                "required": ["file", "section", "record", "content_type", "size"],
                "properties": {
                    "file": {"type": "string", "description": "its name in the zip: <section>/<name>"},
                    "section": {"type": "string", "description": "the section whose record it belongs to"},
                    "record": {"type": "integer", "description": "the id of that record in the section's file"},
                    "content_type": {"type": "string", "description": "what the bytes are, read from the bytes"},
                    "size": {"type": "integer", "minimum": 0},
                },
            },
        },
    },
}


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _attach(files: dict[str, bytes], section: exports.ExportSection, found: list[exports.ExportFile]) -> list[dict]:
    """Put a section's files in its folder of the zip; their lines of the manifest."""
    lines = []
    for item in found:
        name = f"{section.key}/{item.name}"
        files[name] = item.data
        lines.append(
            {
                "file": name,
                "section": section.key,
                "record": item.record,
                "content_type": item.content_type,
                "size": len(item.data),
            }
        )
    return lines


def build_zip(actor, person, *, progress: Callable[[int, int], None]) -> tuple[bytes, dict]:
    """The zip's bytes and its manifest; ``progress(done, total)`` after each section."""
    with translation.override("nl"):
        sections = included_sections(actor, person)
        files: dict[str, bytes] = {}
        attachments: list[dict] = []
        collected: list[tuple[exports.ExportSection, list[dict]]] = []
        for done, section in enumerate(sections, start=1):
            records = section.collect(person)
            collected.append((section, records))
            attachments += _attach(files, section, section.files(actor, person) if section.files else [])
            document = {
                "schema_version": exports.SCHEMA_VERSION,
                "section": section.key,
                "title": str(section.title),
                "records": records,
            }
            files[f"sections/{section.key}.json"] = _json(document)
            progress(done, len(sections))
        files["schema.json"] = _json(full_schema())
        files[PDF_NAME] = summary_pdf(person, collected)
        manifest = {
            "schema_version": exports.SCHEMA_VERSION,
            "exported_at": timezone.now().isoformat(),
            "person": {"id": person.pk, "name": str(person)},
            "requested_by": actor.display_name() if actor is not None else "",
            "sections": [
                {"key": s.key, "title": str(s.title), "file": f"sections/{s.key}.json", "count": len(r)}
                for s, r in collected
            ],
            "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
            "attachments": attachments,
        }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", _json(manifest))
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue(), manifest


# Dutch words for fields that have no Dutch name of their own (their name is the English field name).
COMMON_LABELS = {
    "created_at": gettext_lazy("aangemaakt op"),
    "created_by": gettext_lazy("aangemaakt door"),
    "updated_at": gettext_lazy("bijgewerkt op"),
    "updated_by": gettext_lazy("bijgewerkt door"),
    "recorded_at": gettext_lazy("vastgelegd op"),
    "recorded_by": gettext_lazy("vastgelegd door"),
    "decided_at": gettext_lazy("besloten op"),
    "decided_by": gettext_lazy("besloten door"),
    "assigned_at": gettext_lazy("klaargezet op"),
    "assigned_by": gettext_lazy("klaargezet door"),
    "reviewed_at": gettext_lazy("besproken op"),
    "reviewed_by": gettext_lazy("besproken door"),
    "started_at": gettext_lazy("begonnen op"),
    "ended_at": gettext_lazy("gestopt op"),
    "ended_by": gettext_lazy("gestopt door"),
    "authored_at": gettext_lazy("ingevuld op"),
    "title": gettext_lazy("titel"),
    "description": gettext_lazy("omschrijving"),
    "level": gettext_lazy("niveau"),
    "active": gettext_lazy("actief"),
    "summary": gettext_lazy("samenvatting"),
    "number": gettext_lazy("nummer"),
}


def _label(field) -> str:
    name = str(field.verbose_name)
    if name == field.name.replace("_", " ") and field.name in COMMON_LABELS:
        return str(COMMON_LABELS[field.name])
    return name


def _shown(field, value) -> str:
    if isinstance(value, dict) and "label" in value:
        return str(value["label"])
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, list | dict):
        return _("(zie het JSON-bestand)")
    if isinstance(field, models.DateTimeField):
        return formats.date_format(timezone.localtime(dt.datetime.fromisoformat(value)), "j F Y H:i")
    if isinstance(field, models.DateField):
        return formats.date_format(dt.date.fromisoformat(value), "j F Y")
    text = str(value)
    return text if len(text) <= LONG_TEXT else text[:LONG_TEXT] + "…"


def _readable(field) -> bool:
    """Internal ids (a link to another record) say nothing to a reader; names of people do."""
    if field.name in NOT_IN_PDF:
        return False
    return not field.is_relation or (not field.many_to_many and field.related_model._meta.label == "accounts.User")


def record_line(section: exports.ExportSection, record: dict) -> str:
    """One readable line: every filled field as "name: value", codes by their Dutch label,
    dates as Dutch dates; links to other records are left to the JSON."""
    fields = {f.name: f for f in section.fields() if _readable(f)}
    parts = [
        f"{_label(fields[name])}: {_shown(fields[name], value)}"
        for name, value in record.items()
        if name in fields and value not in (None, "", [], {})
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


def pdf_from_zip(data: bytes) -> bytes:
    """The readable summary inside an export's zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(PDF_NAME)
