"""Building one export: every registered section as JSON, a manifest, the schema and a PDF, zipped.

Knows no app: it iterates ``koers.people.exports.sections()``. Only the sections the requester
may read (``access.can``) are included, so a later relative or professional who asks with the
person never gets more than the policy table allows.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

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
    "required": ["schema_version", "exported_at", "person", "requested_by", "sections", "files"],
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
    },
}


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def build_zip(actor, person, *, progress: Callable[[int, int], None]) -> tuple[bytes, dict]:
    """The zip's bytes and its manifest; ``progress(done, total)`` after each section."""
    with translation.override("nl"):
        sections = included_sections(actor, person)
        files: dict[str, bytes] = {}
        collected: list[tuple[exports.ExportSection, list[dict]]] = []
        for done, section in enumerate(sections, start=1):
            records = section.collect(person)
            collected.append((section, records))
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
        }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", _json(manifest))
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue(), manifest


def _shown(value) -> str:
    if isinstance(value, dict) and "label" in value:
        return str(value["label"])
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, list | dict):
        return _("(zie het JSON-bestand)")
    text = str(value)
    return text if len(text) <= LONG_TEXT else text[:LONG_TEXT] + "…"


def record_line(section: exports.ExportSection, record: dict) -> str:
    """One readable line: every filled field as "name: value", codes by their Dutch label."""
    names = {f.name: str(f.verbose_name) for f in section.fields()}
    parts = [
        f"{names.get(name, name)}: {_shown(value)}"
        for name, value in record.items()
        if name not in NOT_IN_PDF and value not in (None, "", [], {})
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
