"""``$export``'s self-measurement lines made by PostgreSQL (``koers.fhir.bulk_sql``, issue #15):
byte for byte the mapper's lines (one resource at a time, encoded by ``bulk._line``), in the same
order with the same persons, on a population with the edge cases — a note with Unicode, ``%``
and an emoji; a unit with a quote, a backslash and ``%``; summer and winter time, microseconds,
a time before 1970; values 0, -0, whole, long fractions, tiny and huge (the last two through the
mapper); sources; a person's own item; a category closed by consent. And the database's number
and time texts against Python's for many values. PostgreSQL only: SQLite keeps the Python path."""

from __future__ import annotations

import datetime as dt
import json
import random
import threading
from unittest import mock

import pytest
from django.db import connection

from koers.access import Action
from koers.audit.models import AccessLogEntry
from koers.fhir import bulk, bulk_sql, bulk_types, tasks
from koers.fhir.mappers.common import fhir_datetime
from koers.fhir.models import BulkExport
from koers.fhir.tests.test_bulk_fast_lines import _measure, _reader
from koers.fhir.tests.test_bulk_fast_lines import population as population  # noqa: PLC0414 — the fixture
from koers.fhir.tests.test_bulk_group_export import export, lines_by_type, system_token
from koers.monitoring.models import MeasurementType, Observation
from koers.smart.models import SystemClient

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="lines made by PostgreSQL"),
]

ODD = dt.datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=dt.UTC)  # a second before summer time


@pytest.fixture
def edges(cast, population):
    odd = MeasurementType.objects.create(
        code="custom-odd",
        kind=MeasurementType.Kind.CUSTOM,
        unit='{"zó"\\ 5%}',
        plausible_low=0,
        plausible_high=10,
        person=cast.bas,
        name="Een eigen vraag",
        created_by=cast.noor,
    )
    values = [0.0, -0.0, 1.0, -7.25, 0.0001, 1e-5, 999999999999999.9, 1e15, 2.5e20, 123456789.125, 1 / 3]
    for i, value in enumerate(values):
        when = ODD + dt.timedelta(seconds=i)
        _measure(cast.bas, cast.noor, "weight", value, when, source=("csv", "demo")[i % 2])
    _measure(cast.bas, cast.noor, None, 3.0, ODD, type_=odd)
    _measure(cast.bas, cast.noor, None, 4.0, ODD + dt.timedelta(hours=1), type_=odd, note='met \\ en " en \t tab')
    old = _measure(cast.bas, cast.noor, "weight", 70.0, dt.datetime(1960, 5, 1, 12, tzinfo=dt.UTC))
    Observation.objects.filter(pk=old.pk).update(recorded_at=dt.datetime(1960, 5, 2, tzinfo=dt.UTC))
    return odd


def test_the_databases_lines_are_the_mappers(cast, edges):
    reader = _reader(cast)
    (part,) = [p for p in bulk_types.TYPES["Observation"].parts if p.lines is bulk_types._self_measurement_lines]
    ids = reader.persons_with(part.category)
    made = list(bulk_sql.self_measurements(ids))
    mapped = [(pid, bulk._line(resource)) for pid, resource in part.rows(reader, ids)]
    assert made == mapped
    assert len(made) == Observation.objects.filter(person_id__in=ids).count() >= 25
    assert list(part.lines_of(reader, ids)) == mapped  # what the export uses on PostgreSQL
    since = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    assert list(bulk_sql.self_measurements(ids, updated_since=since)) == [
        (pid, line) for pid, line in mapped if b'"lastUpdated":"1960' not in line
    ]


def test_the_database_writes_the_plain_lines_and_leaves_the_rest_to_the_mapper(cast, edges):
    table = connection.ops.quote_name(Observation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE NOT {bulk_sql._written(table)} ORDER BY id")  # noqa: S608
        left = {row[0] for row in cursor.fetchall()}
    noted = set(Observation.objects.exclude(note="").values_list("pk", flat=True))
    odd = set(Observation.objects.filter(value__in=[1e-5, 1e15, 2.5e20]).values_list("pk", flat=True))
    old = set(Observation.objects.filter(effective_at__year=1960).values_list("pk", flat=True))
    assert left == noted | odd | old and len(odd) == 3
    shapes = bulk_sql.templates([cast.bas.pk])
    assert f"{edges.pk} csv" in shapes and "%5$s" in shapes[f"{edges.pk} csv"]


def test_the_exported_file_is_valid_r4_with_the_database_lines(cast, edges):
    bearer = system_token(cast.gp_practice)
    _, manifest = export(bearer, cast.gp_practice.pk, "?_type=Observation")
    found = lines_by_type(bearer, manifest)["Observation"]  # each line validated against R4
    odd = next(o for o in found if o.get("valueQuantity", {}).get("unit") == edges.unit)
    assert odd["valueQuantity"]["code"] == '{"zó"\\ 5%}'


def test_numbers_and_times_are_pythons(db):
    rng = random.Random(15)
    numbers = [rng.uniform(-1, 1) * 10 ** rng.randint(-4, 14) for _ in range(3000)]
    numbers += [round(n, rng.randint(0, 3)) for n in numbers[:1000]] + [0.1 + 0.2, 1e-4, 99.99, 5.0]
    numbers = [n for n in numbers if n == 0 or 1e-4 <= abs(n) < 1e15]
    start = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    times = [
        start
        + dt.timedelta(
            seconds=rng.randint(0, 2_500_000_000), microseconds=rng.choice([0, 1, 999999, rng.randint(0, 999999)])
        )
        for _ in range(3000)
    ]
    times += [dt.datetime(2026, 10, 25, 0, 59, 59, tzinfo=dt.UTC), dt.datetime(2026, 10, 25, 1, 0, tzinfo=dt.UTC), ODD]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {bulk_sql._number('n')} FROM unnest(%s::float8[]) AS t(n)", [numbers])
        assert [row[0] for row in cursor.fetchall()] == [json.dumps(n) for n in numbers]
        with bulk_sql.session(cursor.cursor):  # the times' text is the session's zone's (Amsterdam)
            cursor.execute(f"SELECT {bulk_sql._time('t')} FROM unnest(%s::timestamptz[]) AS u(t)", [times])
            assert [row[0] for row in cursor.fetchall()] == [fhir_datetime(t) for t in times]


def _settings() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"current_setting('{name}')" for name in bulk_sql.SETTINGS))
        return cursor.fetchone()


def test_the_session_settings_are_put_back_after_the_lines(cast, edges):
    before = _settings()
    assert before[0] == "UTC"  # Django's own: the times it reads and writes
    reader = _reader(cast)
    (part,) = [p for p in bulk_types.TYPES["Observation"].parts if p.lines is bulk_types._self_measurement_lines]
    assert list(bulk_sql.self_measurements(reader.persons_with(part.category)))
    assert _settings() == before
    with pytest.raises(ZeroDivisionError), connection.cursor() as cursor, bulk_sql.session(cursor.cursor):
        assert _settings() == tuple(bulk_sql.SETTINGS.values())
        raise ZeroDivisionError
    assert _settings() == before


def test_outside_the_session_the_database_leaves_every_line_to_the_mapper(cast, edges):
    """Its times would be UTC's there: it writes none, and the lines are still the mapper's."""
    reader = _reader(cast)
    (part,) = [p for p in bulk_types.TYPES["Observation"].parts if p.lines is bulk_types._self_measurement_lines]
    ids = reader.persons_with(part.category)
    mapped = [(pid, bulk._line(resource)) for pid, resource in part.rows(reader, ids)]
    with mock.patch.object(bulk_sql, "SETTINGS", {"work_mem": "8MB"}):
        table = connection.ops.quote_name(Observation._meta.db_table)
        made = json.dumps(bulk_sql.templates(ids), ensure_ascii=False)
        with connection.cursor() as cursor, bulk_sql.session(cursor.cursor):
            cursor.execute(*bulk_sql._query(ids, table, made, "-", None))
            rows = cursor.fetchall()
        assert all(line.startswith("#") for line in "\n".join(row[0] for row in rows).split("\n"))
        assert [left for *_, count, left in rows] == [count for *_, count, left in rows]  # each counted as left
        assert list(bulk_sql.self_measurements(ids)) == mapped


def _built(organisation, monkeypatch, *, parallel: bool) -> tuple[list, list]:
    """An organisation's export of every type as the task builds it: its files' bytes, in order,
    and the build's access-log rows (person, detail). ``parallel``: the Observation file by a
    second thread."""
    monkeypatch.setattr(bulk, "PARALLEL", parallel)
    client = SystemClient.objects.get(organisation=organisation)
    with mock.patch.object(tasks, "bulk_export_build"):
        job = bulk.group_export_request(system_client=client, types=list(bulk.TYPES), since=None, request_url="t")
    assert bulk.bulk_export_run(job.pk) == BulkExport.Status.READY
    job.refresh_from_db()
    files = []
    for entry in job.files:
        for name in (entry["name"], entry["index"]):
            with bulk.storage().open(name, "rb") as data:
                files.append((entry["type"], data.read()))
    rows = AccessLogEntry.objects.filter(object_id=str(job.pk), action=Action.EXECUTE).order_by("pk")
    return files, list(rows.values_list("person_id", "detail"))


@pytest.mark.django_db(transaction=True)  # the second thread has its own connection: committed rows only
def test_the_files_index_and_log_are_the_same_by_a_second_thread_and_by_python(cast, edges, monkeypatch):
    system_token(cast.gp_practice)
    threads = []
    real = bulk._write_aside
    monkeypatch.setattr(bulk, "_write_aside", lambda *a: threads.append(threading.current_thread().name) or real(*a))
    aside = _built(cast.gp_practice, monkeypatch, parallel=True)
    assert threads and threads[0].startswith("bulk-export")
    alone = _built(cast.gp_practice, monkeypatch, parallel=False)
    assert len(threads) == 1
    assert aside == alone
    monkeypatch.setattr(bulk_types, "SQL_LINES", False)  # the Python path: the same files, index and log
    assert _built(cast.gp_practice, monkeypatch, parallel=False) == alone
    assert [kind for kind, _data in aside[0][::2]][:2] == ["Patient", "CareTeam"] and len(aside[1]) >= 2


@pytest.mark.django_db(transaction=True)  # the second connection sees committed rows only
def test_two_connections_give_the_same_blocks_in_the_same_order(cast, edges, monkeypatch):
    """Sub-chunks of one person each, every second one on the second connection: the same
    blocks, in the same order, as one connection gives, and the mapper's lines."""
    reader = _reader(cast)
    (part,) = [p for p in bulk_types.TYPES["Observation"].parts if p.lines is bulk_types._self_measurement_lines]
    ids = sorted({cast.anna.pk, cast.bas.pk, *Observation.objects.values_list("person_id", flat=True)})
    assert len(ids) >= 3  # three sub-chunks: two on the second connection's turn and back
    monkeypatch.setattr(bulk_sql, "SUB_CHUNK", 1)
    used = []
    real = bulk_sql._rows
    monkeypatch.setattr(bulk_sql, "_rows", lambda *a: used.append(threading.current_thread().name) or real(*a))
    two = list(bulk_sql.blocks(ids, category="measurements"))
    assert any(name.startswith("bulk-sql") for name in used) and threading.current_thread().name in used
    monkeypatch.setattr(bulk_sql, "TWO_CONNECTIONS", False)
    used.clear()
    one = list(bulk_sql.blocks(ids, category="measurements"))
    assert used == [threading.current_thread().name] * len(ids)
    assert two == one and len(one) == len(ids)
    monkeypatch.setattr(bulk_sql, "TWO_CONNECTIONS", True)
    mapped = [(pid, bulk._line(resource)) for one in ids for pid, resource in part.rows(reader, [one])]
    assert list(bulk_sql.self_measurements(ids)) == mapped  # sub-chunk by sub-chunk, each in id order
