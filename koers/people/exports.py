"""What a person's data export contains: a registry that every app holding person data fills in.

The export (``koers.exports``, at the top of the layers) must not know every app, and the apps
must not know the export. So each app describes its own person data here, low in the stack, as
``ExportSection``s registered in its ``AppConfig.ready()`` (``<app>/export_sections.py``); the
export only iterates ``sections()``. A model that holds person data but is deliberately left out
is registered with ``exclude(label, reason)``; ``tests/test_export_coverage.py`` fails when a
person-data model is in neither list.

One section is one kind of record: one model, its rows of this person (``person_path`` is the
lookup from the model to the person), every concrete field except those in ``omit`` (each with
the reason in ``docs/export.md``). Values are JSON-ready: dates and times as ISO 8601, a coded
field as ``{"code", "label"}`` with the Dutch label, an account as the person's name (never an
internal id), another record as its id. The same field rules give the JSON Schema
(``schema_for``), so the schema in ``docs/export-schema.json`` is generated, never hand-written.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import translation

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ExportFile:
    """A file the export carries beside a section's records (a document's PDF or photo):
    ``name`` is its path inside the section's folder, ``record`` the id of the record it belongs
    to (in ``sections/<key>.json``), ``content_type`` what the bytes are (sniffed at upload)."""

    name: str
    data: bytes
    content_type: str
    record: int


@dataclass(frozen=True)
class ExportSection:
    """One file of the export: ``sections/<key>.json``.

    - ``key``: the file name and the key in the manifest; ``title``: Dutch words for the PDF.
    - ``model``: whose rows; ``person_path``: the lookup from it to the person (``"person"``,
      ``"goal__person"``); ``omit``: fields left out (reason in docs/export.md).
    - ``category``: the access category (``koers.access.Category`` value) the requester must be
      allowed to read for the section to be included.
    - ``order``: position in the manifest and the PDF.
    - ``care_dates`` / ``ongoing``: what counts as treatment for the retention period.
    - ``files``: ``files(actor, person)`` gives the files themselves (``ExportFile``), only those
      the requester may see; the export puts them in ``<key>/`` in the zip (docs/export.md).
    """

    key: str
    title: Any
    model: type[models.Model]
    category: str
    order: int
    person_path: str = "person"
    omit: frozenset[str] = frozenset()
    # Retention (WGBO art. 7:454): fields whose dates are moments of care, and a filter that
    # means care still goes on (``{"ended_at__isnull": True}``). ``koers retention`` reads them.
    care_dates: tuple[str, ...] = ()
    ongoing: Mapping[str, Any] | None = None
    files: Callable[[Any, Any], list[ExportFile]] | None = None

    def fields(self) -> list[models.Field]:
        """The exported fields: every column and many-to-many link except those omitted."""
        meta = self.model._meta
        return [f for f in [*meta.concrete_fields, *meta.many_to_many] if f.name not in self.omit]

    def collect(self, person) -> list[dict]:
        """This person's rows as JSON-ready dicts, in a fixed number of queries."""
        fields = self.fields()
        users = [f.name for f in fields if f.is_relation and not f.many_to_many and _is_account(f)]
        links = [f.name for f in fields if f.many_to_many]
        by_person = {self.person_path: person.pk if self.person_path == "pk" else person}
        rows = self.model._base_manager.filter(**by_person).select_related(*users)
        rows = rows.prefetch_related(*links).order_by("pk")
        with translation.override("nl"):
            return [{f.name: _value(f, row) for f in fields} for row in rows]


_registry: dict[str, ExportSection] = {}
_excluded: dict[str, str] = {}


def register(section: ExportSection) -> ExportSection:
    """Add a section (from an ``AppConfig.ready()``); the same key again replaces it."""
    for other in _registry.values():
        if other.key != section.key and other.order == section.order:
            raise ImproperlyConfigured(f"Export sections {other.key!r} and {section.key!r} share order {section.order}")
    _registry[section.key] = section
    return section


def exclude(label: str, reason: str) -> None:
    """A person-data model that is deliberately not exported, and why (shown in docs/export.md)."""
    _excluded[label] = reason


def sections() -> list[ExportSection]:
    return sorted(_registry.values(), key=lambda s: s.order)


def excluded() -> Mapping[str, str]:
    return dict(_excluded)


def _is_account(field: models.Field) -> bool:
    return field.related_model._meta.label == "accounts.User"


def _value(field: models.Field, row: models.Model) -> Any:
    if field.many_to_many:
        return sorted(other.pk for other in getattr(row, field.name).all())
    if field.is_relation:
        if _is_account(field):
            user = getattr(row, field.name)
            return user.display_name() if user is not None else None
        return getattr(row, field.attname)
    value = getattr(row, field.attname)
    if value is None:
        return None
    if field.choices:
        return {"code": value, "label": str(dict(field.flatchoices).get(value, value))}
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


_TYPES: list[tuple[type, dict]] = [
    (models.BooleanField, {"type": "boolean"}),
    (models.DateTimeField, {"type": "string", "format": "date-time"}),
    (models.DateField, {"type": "string", "format": "date"}),
    (models.TimeField, {"type": "string", "format": "time"}),
    (models.DecimalField, {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}),
    (models.FloatField, {"type": "number"}),
    (models.IntegerField, {"type": "integer"}),
    (models.AutoField, {"type": "integer"}),
    (models.DurationField, {"type": "number"}),
    (models.JSONField, {}),
    (models.UUIDField, {"type": "string"}),
    (models.CharField, {"type": "string"}),
    (models.TextField, {"type": "string"}),
]

CODED = {
    "type": "object",
    "required": ["code", "label"],
    "properties": {"code": {}, "label": {"type": "string"}},
    "additionalProperties": False,
}


def field_schema(field: models.Field) -> dict:
    """The JSON Schema of one exported field, with its Dutch name as description."""
    if field.many_to_many:
        schema: dict = {"type": "array", "items": {"type": ["integer", "string"]}}
    elif field.is_relation:
        schema = {"type": "string"} if _is_account(field) else {"type": ["integer", "string"]}
    elif field.choices:
        schema = dict(CODED)
    else:
        schema = next((dict(s) for kind, s in _TYPES if isinstance(field, kind)), {"type": "string"})
    if field.null and "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        schema["type"] = [*kinds, "null"]
    elif field.null and field.choices:
        schema = {"anyOf": [schema, {"type": "null"}]}
    with translation.override("nl"):
        schema["description"] = str(field.verbose_name)
    return schema


def schema_for(section: ExportSection) -> dict:
    """The JSON Schema of ``sections/<key>.json``."""
    fields = section.fields()
    return {
        "type": "object",
        "required": ["schema_version", "section", "title", "records"],
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "section": {"const": section.key},
            "title": {"type": "string"},
            "records": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [f.name for f in fields],
                    "properties": {f.name: field_schema(f) for f in fields},
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": False,
    }
