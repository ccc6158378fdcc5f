"""``koers backup`` / ``koers restore`` (issue #18): back up, restore into an empty (wiped)
database, compare every table row by row — the access log's hash chain included — on SQLite
and on PostgreSQL (a scratch database named after the test database, created and dropped here)."""

from __future__ import annotations

import io
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.db.utils import load_backend

from koers.audit.verify import verify_chain
from koers.exports import backup
from tests.support.testing import empty_access_log_for_flush

pytestmark = pytest.mark.django_db(transaction=True, databases=["default"])
SCRATCH = "scratch"


@pytest.fixture(autouse=True)
def _flushable_access_log():
    """Let the flush after each transactional test run on SQLite (see the helper)."""
    yield
    empty_access_log_for_flush()


@pytest.fixture
def scratch(tmp_path):
    """An empty database of the same kind as the test database, under the alias 'scratch'."""
    default = connections["default"]
    settings = dict(default.settings_dict)
    if default.vendor == "postgresql":
        settings["NAME"] = f"{default.settings_dict['NAME']}_restore"[:63]
        quoted = default.ops.quote_name(settings["NAME"])
        with default.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {quoted}")
    else:
        settings["NAME"] = str(tmp_path / "restore.sqlite3")
    # A connection made here, not in settings.DATABASES: Django's test case allows it (and the
    # test run does not create or flush a test database for it).
    connections[SCRATCH] = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, SCRATCH)
    try:
        yield connections[SCRATCH]
    finally:
        connections[SCRATCH].close()
        del connections[SCRATCH]
        if default.vendor == "postgresql":
            with default.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


def every_table(alias: str) -> dict[str, list]:
    connection = connections[alias]
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            tables[table] = sorted(cursor.fetchall(), key=repr)
    return tables


def run(name: str, *args, **options) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def test_backup_wipe_restore_gives_every_row_back(scratch, tmp_path):
    run("generate", people=12, no_progress=True)
    original = every_table("default")
    assert len(original["monitoring_observation"]) > 100
    assert len(original["audit_accesslogentry"]) >= 12
    chain = verify_chain("default")
    assert chain.ok

    path = tmp_path / "koers.backup"
    assert "Back-up gemaakt" in run("backup", str(path), database="default")
    with pytest.raises(CommandError, match="bestaat al"):
        run("backup", str(path), database="default")  # an existing file is not overwritten

    assert backup.is_empty(SCRATCH)
    output = run("restore", str(path), database=SCRATCH)
    assert "Teruggezet" in output and f"final hash {chain.final_hash}" in output
    assert every_table(SCRATCH) == original
    restored = verify_chain(SCRATCH)
    assert restored.ok and restored.final_hash == chain.final_hash and restored.rows == chain.rows
    assert "OK" in run("audit", "verify", database=SCRATCH)


def test_restore_refuses_a_database_with_data_unless_forced(scratch, tmp_path):
    run("generate", people=3, no_progress=True)
    path = tmp_path / "koers.backup"
    run("backup", str(path), database="default")
    run("restore", str(path), database=SCRATCH)
    before = every_table(SCRATCH)
    with pytest.raises(CommandError, match="--force"):
        run("restore", str(path), database=SCRATCH)
    assert every_table(SCRATCH) == before  # nothing written
    run("restore", str(path), database=SCRATCH, force=True)
    assert every_table(SCRATCH) == before


def test_clear_errors(scratch, tmp_path, monkeypatch):
    with pytest.raises(CommandError, match="bestaat niet"):
        run("restore", str(tmp_path / "missing"), database=SCRATCH)
    junk = tmp_path / "junk"
    junk.write_bytes(b"not a backup at all")
    with pytest.raises(CommandError, match="geen"):
        run("restore", str(junk), database=SCRATCH)
    if connections["default"].vendor == "postgresql":
        real = shutil.which
        monkeypatch.setattr(backup.shutil, "which", lambda name: None if name == "pg_dump" else real(name))
        with pytest.raises(CommandError, match="pg_dump is niet gevonden.*postgresql-client"):
            run("backup", str(tmp_path / "x"), database="default")


def test_no_secret_reaches_the_command_line_or_output(monkeypatch, tmp_path):
    settings = {"NAME": "koers", "HOST": "db", "PORT": 5432, "USER": "koers", "PASSWORD": "s3cr3t-value"}
    env = backup._pg_environment(settings)
    assert env["PGPASSWORD"] == "s3cr3t-value"
    seen = {}

    class Done:
        returncode = 1
        stderr = "pg_dump: error: connection failed"

    def fake_run(args, **kwargs):
        seen["args"] = args
        return Done()

    monkeypatch.setattr(backup.subprocess, "run", fake_run)
    monkeypatch.setattr(backup.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(backup, "connections", {"x": type("C", (), {"settings_dict": settings})()})
    with pytest.raises(backup.BackupError) as caught:
        backup._pg_run("pg_dump", "x", ["--format=custom"])
    assert "s3cr3t" not in " ".join(seen["args"]) and "s3cr3t" not in str(caught.value)
