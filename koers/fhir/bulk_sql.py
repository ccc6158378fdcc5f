"""``$export`` self-measurement lines made by PostgreSQL (issue #15, the export's speed).

Nine in ten lines of an export are self-measurement Observations. On PostgreSQL their lines are
made in the database and come back in blocks of ``BLOCK`` lines (``string_agg``), each with its
file index (person and category a line) and its persons: Python writes the blocks' bytes to the
files, with no work per line. (Not a ``COPY … TO STDOUT`` of a row per line: psycopg reads a
COPY row by row, and that per-row cost was about what the mapper path costs a line.)

The mapper stays the one definition of a line. ``line_shapes.Shapes`` makes, from the mapper's
own output, the text of every *shape* (measurement type and source) with a slot for each of the
five values that differ between lines of one shape: the id, the person, the value and two times.
The database only fills those slots (``format()``), writing each value as Python's formatter
does (``fhir_datetime``, ``float.__repr__``). Where its text could differ, the database does not
write the line (``#<id>`` in its place) and the row goes through the mapper
(``bulk_rows._measurement_line``), in its own place in the file:

- a note (free text), a shape without a template (a type or source not known here);
- a value that is not 0 and outside 0.0001 ≤ |value| < 10^15 (where ``repr`` and PostgreSQL
  switch to exponent notation at different points; never for real measurements);
- a time before 1970 (Amsterdam's offsets before then are not whole minutes).

``koers/fhir/tests/test_bulk_sql.py`` compares these lines with the mapper's, byte for byte.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from concurrent.futures import ThreadPoolExecutor

from django.db import connections
from django.db.models import F
from django.db.models.expressions import RawSQL

from koers.fhir import bulk_rows
from koers.fhir.lookups import AnyOf
from koers.fhir.mappers import observation as observation_mapper
from koers.monitoring.models import MeasurementType
from koers.monitoring.models import Observation as SelfMeasurement

SUB_CHUNK = 250  # persons per query: its blocks are held in memory (~20 MB) until written

_EXAMPLE_AT = dt.datetime(2026, 1, 15, 7, 30, tzinfo=dt.UTC)  # a row to check each template on


ZONE = "Europe/Amsterdam"  # the zone ``fhir_datetime`` writes times in

# The session settings the lines are made under (``session``): times in Amsterdam time by the
# session's own zone (no ``AT TIME ZONE`` per value: that was half the database's time a line),
# the person filter by the ``person_id`` index (a parallel scan of the whole table per 250
# persons cost more than the lines), the blocks' sort in memory.
SETTINGS = {"TimeZone": ZONE, "enable_seqscan": "off", "work_mem": "64MB"}


@contextlib.contextmanager
def session(cursor):
    """``SETTINGS`` on a psycopg cursor's connection while the block runs, the former values
    after (a transaction that failed meanwhile puts them back by its rollback)."""
    from psycopg import pq  # only with PostgreSQL (psycopg 3)

    cursor.execute("SELECT " + ", ".join(f"current_setting('{name}')" for name in SETTINGS))
    former = dict(zip(SETTINGS, cursor.fetchone(), strict=True))
    cursor.execute("SELECT " + ", ".join("set_config(%s, %s, false)" for _ in SETTINGS), _flat(SETTINGS))
    try:
        yield
    finally:
        if cursor.connection.info.transaction_status != pq.TransactionStatus.INERROR:
            cursor.execute("SELECT " + ", ".join("set_config(%s, %s, false)" for _ in former), _flat(former))


def _flat(settings: dict) -> list[str]:
    return [text for pair in settings.items() for text in pair]


def _time(column: str) -> str:
    """``fhir_datetime`` in SQL under ``session`` (the session's zone Amsterdam): ISO 8601,
    microseconds only when not 0, the offset as ``+HH:MM``."""
    return (
        f"to_char({column}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        f" || CASE WHEN extract(microseconds FROM {column}) %% 1000000 = 0 THEN '' ELSE to_char({column}, '.US') END"
        f" || to_char({column}, 'TZH:TZM')"
    )


def _number(column: str) -> str:
    """``float.__repr__`` in SQL (PostgreSQL's shortest exact text; ``.0`` on a whole number)."""
    return f"CASE WHEN {column} = trunc({column}) THEN {column}::text || '.0' ELSE {column}::text END"


def _written(table: str) -> str:
    """Whether the database writes the row's line (else: the mapper)."""
    value, effective, recorded = (f'{table}."{c}"' for c in ("value", "effective_at", "recorded_at"))
    return (
        f"({table}.\"note\" = '' AND ({value} = 0 OR (abs({value}) >= 1e-4 AND abs({value}) < 1e15))"
        f" AND {effective} >= '1970-01-01T00:00:00Z' AND {recorded} >= '1970-01-01T00:00:00Z'"
        " AND current_setting('extra_float_digits')::int > 0)"  # > 0: the shortest exact text
    )


def _line_sql(table: str) -> str:
    """The line, or NULL when the mapper writes it; the one parameter: the templates (jsonb)."""
    key = f'{table}."type_id"::text || \' \' || {table}."source"'
    slots = (
        f'{table}."id"::text',
        f'{table}."person_id"::text',
        _number(f'{table}."value"'),
        _time(f'{table}."effective_at"'),
        _time(f'{table}."recorded_at"'),
    )
    here = f"current_setting('TimeZone') = '{ZONE}'"  # the times' text needs the session's zone
    return f"CASE WHEN {_written(table)} AND {here} THEN format((%s::jsonb) ->> ({key}), {', '.join(slots)}) END"


def _format_string(text: str, slots: tuple[int, ...]) -> str:
    """A %-template (``%s`` slots, ``%%``) as a PostgreSQL ``format()`` string (``%N$s``)."""
    numbered = iter(slots)
    return re.sub(r"%%|%s", lambda m: "%%" if m.group() == "%%" else f"%{next(numbered) + 1}$s", text)


def templates(ids: list[int], shapes=None) -> dict[str, str]:
    """The ``format()`` string of every shape the persons' rows can have: the catalogue's types
    and the persons' own, each with every source ("<type id> <source>"); shapes the mapper's
    line cannot be templated for are left out (their rows get NULL: the mapper)."""
    types = MeasurementType.objects.filter(person__isnull=True) | MeasurementType.objects.filter(
        AnyOf(F("person_id"), ids)
    )
    shapes = shapes or bulk_rows.measurement_shapes()  # one for all chunks: a shape is made once
    found = {}
    for type_id, *type_row in types.values_list("pk", *observation_mapper.MEASUREMENT_TYPE_FIELDS):
        for source in SelfMeasurement.Source.values:
            row = (1, 1, 1.5, _EXAMPLE_AT, source, "", _EXAMPLE_AT + dt.timedelta(days=200, microseconds=5))
            template = shapes.template((type_id, source), (row, tuple(type_row)))
            if template is not None:
                found[f"{type_id} {source}"] = _format_string(*template)
    return found


BLOCK = 2000  # lines per block: one text value of the query (~1.6 MB)


def _query(ids: list[int], table: str, made: str, category: str, updated_since):
    """SQL and parameters: per block of ``BLOCK`` lines in id order, the lines (a mapper's row
    as ``#<id>``), its file index ("person<TAB>category" a line), its person ids, its count and
    how many of its lines are left to the mapper (so that a block without any is not searched)."""
    found = SelfMeasurement.objects.filter(AnyOf(F("person_id"), ids)).order_by()
    if updated_since is not None:
        found = found.filter(recorded_at__gte=updated_since)
    columns = (  # RawSQL for all four: the inner SELECT's columns in this order
        RawSQL(f'{table}."person_id"', ()),  # noqa: S611  # nosec B611  # a column name
        RawSQL(f"COALESCE({_line_sql(table)}, '#' || {table}.\"id\"::text)", (made,)),  # noqa: S611  # nosec B611  # our SQL text, templates a parameter
        RawSQL(f'{table}."id"', ()),  # noqa: S611  # nosec B611  # a column name
        RawSQL(f'(row_number() OVER (ORDER BY {table}."id") - 1) / {int(BLOCK)}', ()),  # noqa: S611  # nosec B611  # our own SQL text
    )
    inner = found.values_list(*columns)
    sql, params = inner.query.get_compiler(inner.db).as_sql()
    aggregates = (
        "string_agg(s.line, E'\\n' ORDER BY s.id), string_agg(s.person::text || %s, E'\\n' ORDER BY s.id),"
        " string_agg(s.person::text, ',' ORDER BY s.id), count(*), count(*) FILTER (WHERE s.line LIKE '#%%')"
    )
    outer = f"SELECT {aggregates} FROM ({sql}) AS s (person, line, id, block) GROUP BY s.block ORDER BY s.block"  # noqa: S608  # nosec B608  # the ORM's SQL and our own
    return outer, (f"\t{category}", *params)


TWO_CONNECTIONS = True  # outside a transaction: every other sub-chunk's query on a second connection


def blocks(ids: list[int], *, category: str, updated_since=None):
    """(lines, their file index, their person ids in order of first line, how many) of the
    self-measurements of a chunk of persons, in id order (``bulk_rows.self_measurements``'s
    lines), per block of up to ``BLOCK`` lines, made by PostgreSQL. Outside a transaction the
    sub-chunks are made two at a time, the second on a connection of its own (``_pairs``), so
    that PostgreSQL makes them on two cores; the blocks come out in the same order."""
    connection = connections[SelfMeasurement.objects.db]
    table = connection.ops.quote_name(SelfMeasurement._meta.db_table)
    shapes = bulk_rows.measurement_shapes()
    parts = [ids[start : start + SUB_CHUNK] for start in range(0, len(ids), SUB_CHUNK)]
    queries = (
        _query(part, table, json.dumps(templates(part, shapes), ensure_ascii=False), category, updated_since)
        for part in parts
    )
    for rows in _pairs(queries, alias=SelfMeasurement.objects.db):
        for lines, index, persons, count, left in rows:
            people = [int(person) for person in dict.fromkeys(persons.split(","))]
            yield ((_with_mapped(lines) if left else lines) + "\n").encode(), (index + "\n").encode(), people, count


def _rows(alias: str, query: tuple) -> list:
    """One query's rows, under ``session``, on this thread's connection."""
    with connections[alias].cursor() as cursor, session(cursor.cursor):
        cursor.execute(*query)
        return cursor.fetchall()


def _pairs(queries, *, alias: str):
    """Each query's rows, in order; outside a transaction every second one runs meanwhile on a
    thread with its own connection (which sees only committed rows, hence not inside one)."""
    if not TWO_CONNECTIONS or connections[alias].in_atomic_block:
        for query in queries:
            yield _rows(alias, query)
        return
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-sql")
    try:
        queries = iter(queries)
        for query in queries:
            second = next(queries, None)
            other = pool.submit(_rows, alias, second) if second is not None else None
            yield _rows(alias, query)
            if other is not None:
                yield other.result()
    finally:
        pool.submit(connections.close_all).result()  # the pool's thread's own connection
        pool.shutdown()


def self_measurements(ids: list[int], *, updated_since=None):
    """(person id, line) of the self-measurements of a chunk of persons, in id order (as
    ``bulk_rows.self_measurements``), from ``blocks``."""
    for lines, index, _people, _count in blocks(ids, category="-", updated_since=updated_since):
        for line, where in zip(lines.split(b"\n")[:-1], index.split(b"\n")[:-1], strict=True):
            yield int(where.partition(b"\t")[0]), line


def _with_mapped(lines: str) -> str:
    """A block's lines, those the database left to the mapper (``#<id>``) made by it."""
    if not lines.startswith("#") and "\n#" not in lines:
        return lines
    split = lines.split("\n")
    missing = [int(line[1:]) for line in split if line.startswith("#")]
    found = SelfMeasurement.objects.filter(AnyOf(F("pk"), missing))
    mapped = {pk: line.decode() for pk, line in bulk_rows.self_measurement_lines_by_pk(found)}
    return "\n".join(mapped[int(line[1:])] if line.startswith("#") else line for line in split)
