"""Logical backups of the whole database and restoring them (``koers backup`` / ``koers restore``).

- **SQLite**: SQLite's online backup API (``sqlite3.Connection.backup``): a consistent copy page
  by page while Koers keeps running; restoring copies the backup's pages over the database.
- **PostgreSQL**: ``pg_dump -Fc`` (custom format, compressed, one consistent snapshot) and
  ``pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction`` (all or
  nothing). Rights are not restored: run ``koers audit grant`` afterwards, as after any set-up.
  The client programs must be installed (Debian: ``postgresql-client``) and of the server's major
  version or newer; a missing one is named in a clear error.

Connection details come from Django's settings; the password goes to ``pg_dump`` and
``pg_restore`` in the ``PGPASSWORD`` environment variable only, never on a command line and
never in output. A restore refuses a database that already holds accounts, people or access-log
rows unless ``force`` is given: then the database's tables are replaced by the backup's.
Point-in-time recovery (base backup + WAL archiving) is PostgreSQL's own: docs/operations.md.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # nosec B404  # pg_dump/pg_restore with an argument list, no shell
from dataclasses import dataclass
from pathlib import Path

from django.db import connections

# Tables that make a database "not empty": a fresh `koers migrate` fills only catalogues.
CONTENT_TABLES = ("accounts_user", "people_person", "audit_accesslogentry")
SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"


class BackupError(Exception):
    """Something the operator can act on; the message says what (and holds no secret)."""


@dataclass(frozen=True)
class Outcome:
    path: Path
    vendor: str
    size: int


def vendor(alias: str) -> str:
    return connections[alias].vendor


def backup(alias: str, path: Path, *, force: bool = False) -> Outcome:
    """Write a backup of database ``alias`` to ``path`` (refuses to overwrite unless ``force``)."""
    path = Path(path)
    if path.exists() and not force:
        raise BackupError(f"{path} bestaat al; kies een ander bestand of gebruik --force om het te overschrijven.")
    if not path.parent.is_dir():
        raise BackupError(f"De map {path.parent} bestaat niet.")
    kind = vendor(alias)
    if kind == "sqlite":
        _sqlite_backup(alias, path)
    elif kind == "postgresql":
        _pg_run("pg_dump", alias, ["--format=custom", f"--file={path}"])
    else:
        raise BackupError(f"Back-up van een {kind}-database kan Koers niet maken.")
    return Outcome(path=path, vendor=kind, size=path.stat().st_size)


def restore(alias: str, path: Path, *, force: bool = False) -> Outcome:
    """Put the backup at ``path`` into database ``alias``. Refuses a non-empty database unless
    ``force`` (then its tables are replaced by the backup's)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} bestaat niet of is geen bestand.")
    kind = vendor(alias)
    header = path.read_bytes()[:16] if path.stat().st_size else b""
    if not force and not is_empty(alias):
        raise BackupError(
            "Deze database bevat al gegevens (accounts, cliënten of toegangslog). Terugzetten vervangt "
            "alle tabellen door die uit de back-up; gebruik --force als u dat zeker wilt."
        )
    if kind == "sqlite":
        if not header.startswith(SQLITE_HEADER):
            raise BackupError(f"{path} is geen SQLite-back-up.")
        _sqlite_restore(alias, path)
    elif kind == "postgresql":
        if not header.startswith(PG_CUSTOM_HEADER):
            raise BackupError(f"{path} is geen back-up van pg_dump -Fc.")
        connections[alias].close()
        _pg_run(
            "pg_restore",
            alias,
            ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", str(path)],
        )
    else:
        raise BackupError(f"Terugzetten in een {kind}-database kan Koers niet.")
    return Outcome(path=path, vendor=kind, size=path.stat().st_size)


def is_empty(alias: str) -> bool:
    """No accounts, people or access-log rows (a fresh ``koers migrate`` counts as empty)."""
    connection = connections[alias]
    present = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in CONTENT_TABLES:
            if table in present:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608  # nosec B608  # a table name from Django's own model list, quoted
                if cursor.fetchone() is not None:
                    return False
    return True


# -- SQLite ------------------------------------------------------------------------------------


def _sqlite_backup(alias: str, path: Path) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def _sqlite_restore(alias: str, path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        check = source.execute("PRAGMA integrity_check").fetchone()
        if not check or check[0] != "ok":
            raise BackupError(f"{path} is beschadigd (integrity_check: {check[0] if check else '?'}).")
        connection = connections[alias]
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupError("Terugzetten kan niet binnen een transactie.")
        source.backup(connection.connection)
    finally:
        source.close()


# -- PostgreSQL --------------------------------------------------------------------------------


def _pg_run(program: str, alias: str, arguments: list[str]) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} is niet gevonden. Installeer de PostgreSQL-clientprogramma's "
            f"(Debian/Ubuntu: apt-get install postgresql-client) of zet {program} in het PATH."
        )
    settings = connections[alias].settings_dict
    env = {**os.environ, **_pg_environment(settings)}
    database = ["--dbname", settings["NAME"]]
    result = subprocess.run(  # nosec B603  # fixed program and arguments, no shell
        [executable, *database, *arguments], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = (result.stderr or "").strip().splitlines()
        raise BackupError(f"{program} mislukte (code {result.returncode}): " + " | ".join(detail[-5:]))


def _pg_environment(settings: dict) -> dict[str, str]:
    """libpq's environment variables for this connection (the password only here)."""
    env = {}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        value = settings.get(key)
        if value:
            env[name] = str(value)
    options = settings.get("OPTIONS") or {}
    for key, name in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("service", "PGSERVICE")):
        if options.get(key):
            env[name] = str(options[key])
    return env
