"""``$export`` readers that write lines straight from plain rows (issue #15, the export's speed).

Self-measurements are most of an export's lines (about a hundred per person). They are read as
plain rows (``values_list``: no model instance, no join of the person), their types once per
chunk, and written through ``line_shapes.Shapes``: the mapper (``self_measurement_row_data`` →
``measurement_to_fhir``, stamped as the read stamps it) makes the first line of every shape,
and the other lines of that shape are its text with their own id, person, times and value.
A row with a note goes through the mapper every time (the note is free text).

Readers here yield ``(person id, line)`` with the line already as bytes: ``bulk._write`` writes
bytes as they are and encodes a dict.
"""

from __future__ import annotations

import datetime as dt
import json
import math

from django.core.exceptions import EmptyResultSet

try:  # a faster encoder of the same lines; without it, the standard one (docs/decisions.md)
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; kept optional for old environments
    orjson = None

from django.db import connections
from django.db.models import F

from koers.fhir.line_shapes import Shapes
from koers.fhir.lookups import AnyOf
from koers.fhir.mappers import observation as observation_mapper
from koers.fhir.mappers.common import fhir_datetime
from koers.fhir.resources.observations import stamped
from koers.fhir.views import json_number
from koers.monitoring.models import MeasurementType
from koers.monitoring.models import Observation as SelfMeasurement


def standard_line(resource: dict) -> bytes:
    """One NDJSON line (without its newline) as ``$export`` writes it: the definition."""
    return json.dumps(resource, ensure_ascii=False, separators=(",", ":"), default=json_number).encode("utf-8")


# Where orjson's bytes can differ from the standard encoder's: a float below 1e-4 (``0.00001``
# and ``1.5e-7`` against ``1e-05`` and ``1.5e-07``) and a float that is not finite (``null``
# against ``NaN``). A line with ``null``, ``0.0000`` or a digit before ``e-`` (also in text: then
# merely slower) is made by the standard encoder (``line``).
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS if orjson else 0


def line(resource: dict) -> bytes:
    """``standard_line(resource)``, made by orjson (the same bytes, ~5x faster) where it can be:
    the same separators, key order, UTF-8 text and escapes; ``json_number`` for Decimals; a
    value orjson does not take (an int beyond 64 bits, a key that is not text, a time) or a line
    where the two could differ (see above) goes to the standard encoder. Without orjson
    installed, always the standard encoder (docs/decisions.md)."""
    if orjson is None:
        return standard_line(resource)
    try:
        made = orjson.dumps(resource, default=json_number, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        return standard_line(resource)
    if b"null" in made or b"0.0000" in made or _exponent_below(made):
        return standard_line(resource)
    return made


def _exponent_below(made: bytes) -> bool:
    """Whether ``made`` has a digit followed by ``e-`` (a float written with a negative exponent;
    searched by ``bytes.find``, many times faster here than a regular expression)."""
    at = made.find(b"e-")
    while at > 0:
        if 48 <= made[at - 1] <= 57:  # a digit before it
            return True
        at = made.find(b"e-", at + 2)
    return False


def _number(value) -> str:
    """A number as ``json.dumps`` writes it."""
    if type(value) is float and math.isfinite(value):
        return float.__repr__(value)
    return json.dumps(value, default=json_number)


# --- self-measurements -----------------------------------------------------------------------------

_MON = observation_mapper.SELF_MEASUREMENT_FIELDS  # id, person_id, value, effective_at, source, note, recorded_at
_MARK_ID, _MARK_PERSON, _MARK_VALUE = 918273645546372819, 918273645546372817, 918273.6455463729
_MARK_EFFECTIVE = dt.datetime(1911, 11, 11, 11, 11, 11, 111111, tzinfo=dt.UTC)
_MARK_RECORDED = dt.datetime(1912, 12, 12, 12, 12, 12, 121212, tzinfo=dt.UTC)


def _measurement_line(item: tuple) -> bytes:
    row, type_row = item
    data = observation_mapper.self_measurement_row_data(row, type_row)
    return line(stamped(observation_mapper.measurement_to_fhir(data), data.recorded_at))


def _measurement_markers(item: tuple) -> tuple:
    (_pk, _person, _value, _effective, source, note, _recorded), type_row = item
    return (_MARK_ID, _MARK_PERSON, _MARK_VALUE, _MARK_EFFECTIVE, source, note, _MARK_RECORDED), type_row


def _measurement_texts(item: tuple) -> tuple[str, ...]:
    row = item[0]
    return str(row[0]), str(row[1]), _number(row[2]), fhir_datetime(row[3]), fhir_datetime(row[6])


def measurement_shapes() -> Shapes:
    return Shapes(_measurement_line, _measurement_markers, _measurement_texts)


def plain_rows(queryset) -> list[tuple]:
    """The rows of a ``values_list`` query, as ``list(queryset)`` gives them. On PostgreSQL, when
    no field of the query needs a converter of Django's (ids, numbers, text, dates, times), the
    rows are fetched straight from psycopg with its own loader for times (its C version): Django's
    loader for ``timestamptz`` is a Python subclass of it and costs ~10x as much per value, which
    for self-measurements (two times a row) was the largest single cost of an export. A query
    with a converter (JSON, say) is read through Django."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return list(queryset)
    from psycopg.types.datetime import TimestamptzLoader  # only with PostgreSQL (psycopg 3)

    compiler = queryset.query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # a condition that can match nothing (an empty id list): as Django does
        return []
    if compiler.get_converters([column for column, _sql, _alias in compiler.select[: compiler.col_count]]):
        return list(queryset)
    with connection.cursor() as cursor:
        cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        cursor.execute(sql, params)
        return cursor.fetchall()


def plain_dicts(queryset, fields: tuple[str, ...]) -> list[dict]:
    """``list(queryset.values(*fields))``, read as ``plain_rows`` reads."""
    return [dict(zip(fields, row, strict=True)) for row in plain_rows(queryset.values_list(*fields))]


def self_measurements(ids: list[int], *, updated_since=None):
    """(person id, line) of the self-measurements of a chunk of persons, in id order."""
    found = SelfMeasurement.objects.filter(AnyOf(F("person_id"), ids))
    if updated_since is not None:
        found = found.filter(recorded_at__gte=updated_since)
    rows = plain_rows(found.order_by("pk").values_list(*_MON, "type_id"))
    type_ids = {row[-1] for row in rows}
    types = MeasurementType.objects.filter(AnyOf(F("pk"), type_ids)) if type_ids else MeasurementType.objects.none()
    type_rows = {t[0]: t[1:] for t in types.values_list("pk", *observation_mapper.MEASUREMENT_TYPE_FIELDS)}
    shapes = measurement_shapes()
    for row in rows:
        own, type_row = row[:-1], type_rows[row[-1]]
        if own[5] or own[3] is None or own[6] is None:  # a note (free text) or a time missing: the mapper
            yield own[1], _measurement_line((own, type_row))
        else:  # the shape: the type, the source
            yield own[1], shapes.render((row[-1], own[4]), (own, type_row))


def self_measurement_lines_by_pk(found):
    """(primary key, line) of self-measurements (a queryset), each through the mapper."""
    rows = plain_rows(found.order_by("pk").values_list(*_MON, "type_id"))
    type_ids = {row[-1] for row in rows}
    types = MeasurementType.objects.filter(AnyOf(F("pk"), type_ids)) if type_ids else MeasurementType.objects.none()
    type_rows = {t[0]: t[1:] for t in types.values_list("pk", *observation_mapper.MEASUREMENT_TYPE_FIELDS)}
    for row in rows:
        yield row[0], _measurement_line((row[:-1], type_rows[row[-1]]))
