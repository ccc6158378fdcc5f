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

from django.utils import timezone, translation

from koers import access
from koers.exports.summary import summary_pdf
from koers.people import exports
from koers.people.hooks import document_language

PDF_NAME = "samenvatting.pdf"


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
        with translation.override(document_language(person)):  # the summary is for the person to read
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


def pdf_from_zip(data: bytes) -> bytes:
    """The readable summary inside an export's zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(PDF_NAME)
