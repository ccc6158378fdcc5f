"""Writing access-log rows. Called by the access layer and by services only.

Every row is appended to the hash chain (``koers.audit.chain``): inside the caller's
transaction (or one of its own) the appender takes the chain's lock, reads the last row's hash,
and inserts its rows with ``prev_hash``/``row_hash`` set, so rows are chained in id order.
The lock: on PostgreSQL a transaction-level advisory lock (``pg_advisory_xact_lock``, held to
the end of the caller's transaction, so two transactions never chain onto the same row); on
SQLite the database's write lock, which ``transaction_mode = IMMEDIATE`` takes at the start of
every transaction. On PostgreSQL ``record`` does the lock, the tip and the insert of its one row
in one statement (``koers_access_log_link``, audit migration 0006); ``record_many`` as above.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from django.db import connections, router, transaction
from django.utils import timezone

from koers.audit import chain, context
from koers.audit.models import AccessLogEntry, AccessLogPurge
from koers.lib import faults
from koers.lib.compiled import several_statements_at_once

Action = AccessLogEntry.Action
Outcome = AccessLogEntry.Outcome
Purpose = AccessLogEntry.Purpose

# ``detail`` of a refusal of an object id that was not in the person's record (``access.object_for``):
# the attempt named the person in the URL but was about something that was not theirs, so the
# person's "who looked" page leaves it out.
NOT_IN_RECORD = "not in this record"


def _actor_fields(user) -> dict:
    if user is None or not getattr(user, "is_authenticated", False):
        return {"user": None, "user_display": "anonymous", "role": "anonymous"}
    organisation = getattr(user, "organisation", None)
    role = user.role
    if getattr(user, "discipline", ""):
        role = f"{role}:{user.discipline}"
    return {
        "user": user,
        "user_display": (user.get_full_name() or user.username)[:200],
        "role": role[:40],
        "organisation_id_copy": organisation.pk if organisation else None,
        "organisation_display": organisation.name[:200] if organisation else "",
    }


def default_purpose(user, person) -> str:
    if person is not None and user is not None and getattr(person, "user_id", None) == getattr(user, "pk", -1):
        return Purpose.SELF
    return Purpose.TREATMENT


def build_entry(
    *,
    user,
    action: str,
    person=None,
    person_id: int | None = None,
    object_type: str = "",
    object_id: object = "",
    outcome: str = Outcome.SUCCESS,
    purpose: str | None = None,
    on_behalf_of=None,
    detail: str = "",
    when=None,
) -> AccessLogEntry:
    return AccessLogEntry(
        occurred_at=when or timezone.now(),
        action=action,
        outcome=outcome,
        purpose=purpose or default_purpose(user, person),
        person_id=person.pk if person is not None else person_id,
        object_type=object_type[:60],
        object_id=str(object_id)[:64] if object_id not in (None, "") else "",
        on_behalf_of=on_behalf_of,
        client_address=context.current().client_address,
        detail=detail[:200],
        **_actor_fields(user),
    )


# The advisory lock key of the chain (any fixed 64-bit number; "koers-log" in ASCII).
CHAIN_LOCK = 0x6B6F6572732D6C6F


def lock_chain(using: str) -> None:
    """Serialise appends (and purges) on the chain until the current transaction ends."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


def _last(using: str, model, column: str) -> str | None:
    """The ``column`` of ``model``'s row with the highest id, in plain SQL (no ORM query to build)."""
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    order = quote(model._meta.pk.column)
    sql = f"SELECT {quote(column)} FROM {table} ORDER BY {order} DESC LIMIT 1"  # noqa: S608  # nosec B608  # the model's own names, quoted
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return row[0] if row else None


def chain_tip(using: str) -> str:
    """The hash the next row chains onto: the last row's, else the last purge's, else the start."""
    last = _last(using, AccessLogEntry, "row_hash")
    if last is None:
        last = _last(using, AccessLogPurge, "final_hash")
    return last or chain.GENESIS


def _locked_tip(using: str) -> str:
    """``lock_chain`` and then ``chain_tip``: on PostgreSQL (psycopg's client-side binding cursor)
    both statements in one round trip. They stay two statements, run in order, so the tip is read
    after the lock is held and in a snapshot of its own (READ COMMITTED takes one per statement):
    a row another transaction appended before releasing the lock is seen."""
    connection = connections[using]
    if not several_statements_at_once(connection):
        lock_chain(using)
        return chain_tip(using)
    if connection.vendor not in _LOCKED_TIP:
        quote = connection.ops.quote_name
        last = []
        for model, column in ((AccessLogEntry, "row_hash"), (AccessLogPurge, "final_hash")):
            table, order = quote(model._meta.db_table), quote(model._meta.pk.column)
            last.append(f"(SELECT {quote(column)} FROM {table} ORDER BY {order} DESC LIMIT 1)")  # noqa: S608  # nosec B608  # the models' own names, quoted
        _LOCKED_TIP[connection.vendor] = f"SELECT pg_advisory_xact_lock(%s);\nSELECT COALESCE({', '.join(last)})"
    with connection.cursor() as cursor:
        cursor.execute(_LOCKED_TIP[connection.vendor], [CHAIN_LOCK])
        if not cursor.nextset():
            raise RuntimeError("the chain's lock and tip gave one result, not two")
        row = cursor.fetchone()
    return (row[0] if row else None) or chain.GENESIS


_LOCKED_TIP: dict[str, str] = {}


def _link(entries: list[AccessLogEntry], prev: str) -> None:
    for entry in entries:
        entry.prev_hash = prev
        entry.row_hash = prev = chain.row_hash(chain.values_of(entry), prev)


# The one-row INSERT of ``record``, per database vendor: a page writes one row per request, and
# building that INSERT through the ORM (``Model.save``) cost more CPU than the rest of the write.
# The columns and the conversion of each value are the model's own (``get_db_prep_save``), so the
# row is the one ``save`` would write; the access log has no save signals (it is append-only).
_INSERT: dict[str, tuple[str, list]] = {}


def _insert_statement(connection) -> tuple[str, list]:
    if connection.vendor not in _INSERT:
        fields = [f for f in AccessLogEntry._meta.concrete_fields if not f.primary_key]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        table = quote(AccessLogEntry._meta.db_table)
        pk = quote(AccessLogEntry._meta.pk.column)
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING {pk}"  # noqa: S608  # nosec B608  # the model's own names, quoted; values are parameters
        _INSERT[connection.vendor] = (sql, fields)
    return _INSERT[connection.vendor]


def _insert(entry: AccessLogEntry, using: str) -> None:
    connection = connections[using]
    sql, fields = _insert_statement(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields])
        entry.pk = cursor.fetchone()[0]
    entry._state.adding = False
    entry._state.db = using


# ``record``'s row on PostgreSQL in one statement: the INSERT takes its link from
# ``koers_access_log_link`` (audit migration 0006), which takes the chain's lock, reads the tip in
# a snapshot of its own and completes the hash over the row's canonical bytes made here
# (``chain.around_prev``). Before, the row cost four round trips (BEGIN, the lock and the tip, the
# INSERT, COMMIT), each a wait and a wake-up of the worker; the rows, their hashes and the lock's
# order are the same (issue #18, docs/performance.md).
_LINKED_INSERT: dict[str, tuple[str, list]] = {}


def _linked_insert_statement(connection) -> tuple[str, list]:
    if connection.vendor not in _LINKED_INSERT:
        link = {"prev_hash", "row_hash"}
        fields = [f for f in AccessLogEntry._meta.concrete_fields if not f.primary_key and f.attname not in link]
        quote = connection.ops.quote_name
        columns = ", ".join(
            quote(f.column) for f in [*fields, *(AccessLogEntry._meta.get_field(n) for n in sorted(link))]
        )
        # Plain parameters, no casts: each value is assigned to its column as in ``_insert``'s
        # VALUES (a cast to varchar(n) would cut a long text where the INSERT refuses it).
        values = ", ".join(["%s"] * len(fields))
        table = quote(AccessLogEntry._meta.db_table)
        pk = quote(AccessLogEntry._meta.pk.column)
        sql = (
            f"INSERT INTO {table} ({columns}) SELECT {values}, link.prev_hash, link.row_hash "  # noqa: S608  # nosec B608  # the model's own names, quoted; values are parameters
            f"FROM koers_access_log_link(%s, %s, %s, %s) AS link RETURNING {pk}, prev_hash, row_hash"
        )
        _LINKED_INSERT[connection.vendor] = (sql, fields)
    return _LINKED_INSERT[connection.vendor]


def _append_linked(entry: AccessLogEntry, using: str) -> None:
    """Link and insert ``entry`` in one statement (PostgreSQL): in autocommit the statement is its
    own transaction (the lock is held until it commits), inside the caller's transaction it is part
    of it, as ``atomic(savepoint=False)`` makes it."""
    connection = connections[using]
    sql, fields = _linked_insert_statement(connection)
    head, tail = chain.around_prev(chain.values_of(entry))
    params = [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields]
    params += [CHAIN_LOCK, chain.GENESIS, head, tail]
    with transaction.atomic(using=using, savepoint=False) if connection.in_atomic_block else contextlib.nullcontext():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            entry.pk, entry.prev_hash, entry.row_hash = cursor.fetchone()
    entry._state.adding = False
    entry._state.db = using


# The rows of a change: made, changed or removed (a read, a sign-in or a refusal changes nothing).
CHANGES = frozenset({Action.CREATE, Action.UPDATE, Action.DELETE})


def _note_changes(entries: Iterable[AccessLogEntry], using: str) -> None:
    """Rows of a change that succeeded: the request's change is stored once their transaction
    commits (``koers.lib.faults.Writes``: what the 503 page then says)."""
    if any(e.action in CHANGES and e.outcome == Outcome.SUCCESS for e in entries):
        faults.note_write(using)


def record(**kwargs) -> AccessLogEntry:
    """Write one access-log row now (inside the caller's transaction, if any)."""
    entry = build_entry(**kwargs)
    using = router.db_for_write(AccessLogEntry)
    if connections[using].vendor == "postgresql":
        _append_linked(entry, using)
    else:
        append_in_python(entry, using)
    _note_changes((entry,), using)
    return entry


def append_in_python(entry: AccessLogEntry, using: str) -> None:
    """The chain's lock, the tip, the hash and the INSERT as separate steps (SQLite's path; on
    PostgreSQL the four round trips ``_append_linked`` replaced, kept for comparing them)."""
    with transaction.atomic(using=using, savepoint=False):  # the caller's transaction, if any
        _link([entry], _locked_tip(using))
        _insert(entry, using)


# From this many rows ``record_many`` writes with ``COPY`` on PostgreSQL: one statement, like the
# INSERT, but without Django building the insert. An organisation's ``$export`` logs a row per
# person (thousands), which Django builds slowly; the caseload logs its page's 25 rows on every
# request, and COPY takes ~0.6 ms of CPU for them where ``bulk_create`` took ~2.7 ms (issue #18,
# docs/performance.md). The rows get their ids from the sequence in the order written, so the
# chain (computed before, in that order) holds; their ``pk`` is not set on the objects.
COPY_FROM = 2


def _copy(rows: list[AccessLogEntry], using: str) -> None:
    """``COPY`` the rows in, through Django's cursor: the connection's execute wrappers (fault
    injection, replica checks) and query logging (``CaptureQueriesContext``, the query ceilings)
    see it as the one statement it is. The rows are not logged with it (``params=None``)."""
    connection = connections[using]
    fields = [f for f in AccessLogEntry._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
    sql = f"COPY {table} ({columns}) FROM STDIN"  # nosec B608  # the model's own table and column names, quoted
    values = [[getattr(entry, f.attname) for f in fields] for entry in rows]
    with connection.cursor() as cursor:
        logged = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else contextlib.nullcontext()
        with logged:
            cursor._execute_with_wrappers(sql, values, False, _copy_rows)


def _copy_rows(sql, values, many, context) -> None:
    """The executor at the end of Django's wrapper chain: stream the rows with psycopg's COPY."""
    with context["cursor"].cursor.copy(sql) as copy:
        for row in values:
            copy.write_row(row)


def record_many(entries: Iterable[AccessLogEntry]) -> None:
    """Write several rows in one insert (or ``COPY``), chained in the order given."""
    rows = list(entries)
    if not rows:
        return
    using = router.db_for_write(AccessLogEntry)
    with transaction.atomic(using=using, savepoint=False):  # the caller's transaction, if any
        _link(rows, _locked_tip(using))
        # COPY lets the sequence number the rows; rows given an id (tests) go through the INSERT.
        copy = len(rows) >= COPY_FROM and all(entry.pk is None for entry in rows)
        if copy and connections[using].vendor == "postgresql":
            _copy(rows, using)
        else:
            AccessLogEntry.objects.using(using).bulk_create(rows)
        _note_changes(rows, using)
