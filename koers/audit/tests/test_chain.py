"""The hash chain over the access log and ``koers audit verify`` (issue #11).

Tampering needs powers the application does not have (the triggers refuse it); the tests lift
the triggers inside their own transaction, as the database's owner could, and show that the
chain still tells.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from koers.audit import chain
from koers.audit import log as audit_log
from koers.audit.models import AccessLogEntry
from koers.audit.verify import CHANGED, INSERTED, REMOVED, verify_chain

pytestmark = pytest.mark.django_db


def _rows(cast, n=3):
    return [
        audit_log.record(user=cast.noor, action="R", person=cast.anna, object_type="overview", object_id=i)
        for i in range(n)
    ]


def _as_owner(sql, params=()):
    """Run SQL with the log's triggers lifted (undone when the test's transaction rolls back)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accesslogentry DISABLE TRIGGER audit_accesslog_no_change")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_accesslogentry ENABLE TRIGGER audit_accesslog_no_change")
        else:
            cursor.execute("DROP TRIGGER audit_accesslog_no_update")
            cursor.execute("DROP TRIGGER audit_accesslog_no_delete")
            cursor.execute(sql, params)


def _verify_command():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as stop:
        return stop.code, out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def test_each_row_links_to_the_one_before(cast):
    first, second, third = _rows(cast)
    everything = list(AccessLogEntry.objects.order_by("pk"))  # the cast's own rows come first
    assert everything[0].prev_hash == chain.GENESIS
    assert [r.prev_hash for r in everything[1:]] == [r.row_hash for r in everything[:-1]]
    assert second.prev_hash == first.row_hash and third.prev_hash == second.row_hash
    stored = AccessLogEntry.objects.get(pk=second.pk)
    assert stored.row_hash == chain.row_hash(chain.values_of(stored), stored.prev_hash)  # survives the round trip
    assert len(stored.row_hash) == 64


def test_a_row_written_by_record_is_the_row_save_would_write(cast):
    """``record`` inserts with a statement built once (issue #18): every column as ``save`` would
    store it, the id set on the returned entry, and one INSERT after the lock and the chain tip."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        entry = audit_log.record(user=cast.noor, action="R", person=cast.anna, object_type="overview", object_id=7)
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(writes) == 1 and entry.pk is not None and not entry._state.adding
    stored = AccessLogEntry.objects.get(pk=entry.pk)
    for field in AccessLogEntry._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(entry, field.attname), field.name
    assert stored.organisation_display == cast.noor.organisation.name and stored.person_id == cast.anna.pk
    assert _verify_command()[0] == 0


def test_the_hash_covers_every_field_and_the_link():
    base = {name: "" for name in chain.FIELDS} | {
        "event_id": "3f2b7f1e-0000-4000-8000-000000000001",
        "occurred_at": dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC),
        "user_id": 1,
        "organisation_id_copy": None,
        "on_behalf_of_id": None,
        "person_id": 2,
    }
    digest = chain.row_hash(base, chain.GENESIS)
    for name in chain.FIELDS:
        changed = dict(base)
        if name == "occurred_at":
            changed[name] = base[name] + dt.timedelta(microseconds=1)
        elif name in ("user_id", "organisation_id_copy", "on_behalf_of_id", "person_id"):
            changed[name] = 99
        else:
            changed[name] = "x"
        assert chain.row_hash(changed, chain.GENESIS) != digest, name
    assert chain.row_hash(base, "1" * 64) != digest
    # The same instant in another zone is the same row.
    amsterdam = dict(base, occurred_at=base["occurred_at"].astimezone(dt.timezone(dt.timedelta(hours=1))))
    assert chain.row_hash(amsterdam, chain.GENESIS) == digest


def test_bulk_rows_chain_in_order(cast):
    before = audit_log.record(user=cast.noor, action="R", person=cast.anna)
    audit_log.record_many(
        audit_log.build_entry(user=cast.noor, action="R", person=p, object_type="caseload")
        for p in (cast.anna, cast.bas)
    )
    rows = list(AccessLogEntry.objects.filter(pk__gte=before.pk).order_by("pk"))
    assert [r.prev_hash for r in rows[1:]] == [r.row_hash for r in rows[:-1]]
    assert verify_chain().ok


def test_many_rows_chain_in_order_and_verify(cast):
    """From ``COPY_FROM`` rows ``record_many`` writes with COPY on PostgreSQL (an organisation's
    ``$export``): the ids follow the order written, the chain holds and ``koers audit verify``
    says OK; a row after them chains onto the last of them."""
    before = audit_log.record(user=cast.noor, action="R", person=cast.anna)
    people = [cast.anna, cast.bas] * (audit_log.COPY_FROM // 2 + 1)
    audit_log.record_many(
        audit_log.build_entry(user=None, action="E", person=p, object_type="fhir.BulkExport", detail=f"ré {i} “x”")
        for i, p in enumerate(people)
    )
    after = audit_log.record(user=cast.noor, action="R", person=cast.bas)
    rows = list(AccessLogEntry.objects.filter(pk__gte=before.pk).order_by("pk"))
    assert len(rows) == len(people) + 2 and rows[-1].pk == after.pk
    assert [r.detail for r in rows[1:-1]] == [f"ré {i} “x”" for i in range(len(people))]
    assert [r.prev_hash for r in rows[1:]] == [r.row_hash for r in rows[:-1]]
    assert all(r.row_hash == chain.row_hash(chain.values_of(r), r.prev_hash) for r in rows)
    code, output = _verify_command()
    assert code == 0 and output.startswith("OK"), output


def test_verify_says_ok_with_the_count_and_final_hash(cast):
    rows = _rows(cast)
    code, output = _verify_command()
    total = AccessLogEntry.objects.count()
    assert code == 0
    assert output.strip() == f"OK, {total} rows, final hash {rows[-1].row_hash}"


def test_verify_finds_an_edited_row(cast):
    _first, second, _third = _rows(cast)
    _as_owner("UPDATE audit_accesslogentry SET detail = 'niets gezien' WHERE id = %s", [second.pk])
    report = verify_chain()
    assert (report.problem.kind, report.problem.row_id) == (CHANGED, second.pk)
    code, output = _verify_command()
    assert code == 1
    assert f"rij {second.pk} is gewijzigd" in output and f"row {second.pk} was changed" in output
    assert len(output.strip().splitlines()) == 1


def test_verify_finds_an_edited_row_whose_hash_was_recomputed(cast):
    _first, second, third = _rows(cast)
    values = chain.values_of(second) | {"detail": "niets gezien"}
    _as_owner(
        "UPDATE audit_accesslogentry SET detail = %s, row_hash = %s WHERE id = %s",
        ["niets gezien", chain.row_hash(values, second.prev_hash), second.pk],
    )
    report = verify_chain()
    assert (report.problem.kind, report.problem.row_id) == (REMOVED, third.pk)


def test_verify_finds_a_deleted_row(cast):
    _first, second, third = _rows(cast)
    _as_owner("DELETE FROM audit_accesslogentry WHERE id = %s", [second.pk])
    report = verify_chain()
    assert (report.problem.kind, report.problem.row_id) == (REMOVED, third.pk)
    code, output = _verify_command()
    assert code == 1 and f"rij {third.pk}" in output and f"row {third.pk}" in output


def _with_gap(cast):
    """Two chained rows with ids 10 apart: room for a forger."""
    start = (AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    entries = [audit_log.build_entry(user=cast.noor, action="R", person=cast.anna) for _ in range(2)]
    entries[0].pk, entries[1].pk = start, start + 10
    audit_log.record_many(entries)
    return AccessLogEntry.objects.get(pk=start), AccessLogEntry.objects.get(pk=start + 10)


@pytest.mark.parametrize("chained", [True, False], ids=["forger-chained-it", "forger-did-not"])
def test_verify_finds_a_back_dated_row_inserted_in_the_middle(cast, chained):
    before, after = _with_gap(cast)
    forged = audit_log.build_entry(
        user=cast.sam, action="R", person=cast.anna, when=before.occurred_at + dt.timedelta(microseconds=1)
    )
    forged.pk = before.pk + 5
    forged.prev_hash = before.row_hash if chained else after.prev_hash[::-1]
    forged.row_hash = chain.row_hash(chain.values_of(forged), forged.prev_hash)
    AccessLogEntry.objects.bulk_create([forged])  # a plain INSERT: what the application role may do
    report = verify_chain()
    assert (report.problem.kind, report.problem.row_id) == (INSERTED, forged.pk)
    code, output = _verify_command()
    assert code == 1 and f"rij {forged.pk} is ingevoegd" in output and f"row {forged.pk} was inserted" in output


def test_an_empty_log_is_intact():
    report = verify_chain()
    assert report.ok and report.rows == 0 and report.final_hash == chain.GENESIS


def test_rows_written_in_an_outer_transaction_that_rolls_back_leave_no_hole(cast):
    from django.db import transaction

    first = audit_log.record(user=cast.noor, action="R", person=cast.anna)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_log.record(user=cast.noor, action="R", person=cast.anna)
        raise RuntimeError
    after = audit_log.record(user=cast.noor, action="R", person=cast.anna, when=timezone.now())
    assert after.prev_hash == first.row_hash
    assert verify_chain().ok


_ODD = [
    'a"b',
    "back\\slash",
    "line\nbreak\ttab\r\b\f",
    "ctl\x01\x1f\x7f",
    "é ü 漢字 🙂 \u2028",
    '"prev_hash":"' + "~" * 64 + '"',
    "",
]


def test_the_bytes_around_the_link_complete_the_same_hash():
    """``around_prev``: the row's canonical bytes with the link left out, completed by the link as
    JSON writes it, hash to ``row_hash`` — for odd text in every field and odd links too."""
    import hashlib
    import json

    for text in _ODD:
        values = {name: text for name in chain.FIELDS} | {
            "event_id": "3f2b7f1e-0000-4000-8000-000000000001",
            "occurred_at": dt.datetime(2026, 1, 1, 12, 0, 0, 5, tzinfo=dt.UTC),
            "user_id": 1,
            "organisation_id_copy": None,
            "on_behalf_of_id": 2**40,
            "person_id": 2,
        }
        head, tail = chain.around_prev(values)
        for prev in (chain.GENESIS, "ab" * 32, *_ODD):
            link = json.dumps(prev, ensure_ascii=False).encode("utf-8")
            assert hashlib.sha256(head + link + tail).hexdigest() == chain.row_hash(values, prev), (text, prev)


postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the link is made in PostgreSQL")


@postgresql_only
def test_record_appends_in_one_statement_with_the_hash_python_computes(cast):
    """On PostgreSQL the lock, the tip, the hash and the INSERT are one statement
    (``koers_access_log_link``, audit 0006); the row's hash is the one ``chain`` defines."""
    from django.test.utils import CaptureQueriesContext

    from koers.audit import context

    before = audit_log.record(user=cast.noor, action="R", person=cast.anna)
    entries = []
    for text in _ODD:
        with context.acting_context(client_address=text[:64]), CaptureQueriesContext(connection) as queries:
            entries.append(
                audit_log.record(
                    user=cast.noor, action="R", person=cast.anna, object_type=text, object_id=text, detail=text
                )
            )
        assert len(queries.captured_queries) == 1 and "koers_access_log_link" in queries.captured_queries[0]["sql"]
    prev = before.row_hash
    for entry in entries:
        stored = AccessLogEntry.objects.get(pk=entry.pk)
        assert (stored.detail, stored.client_address) == (entry.detail, entry.client_address)
        assert stored.prev_hash == entry.prev_hash == prev
        assert stored.row_hash == entry.row_hash == chain.row_hash(chain.values_of(stored), prev)
        prev = stored.row_hash
    assert verify_chain().ok


@postgresql_only
def test_a_tip_that_is_not_a_hash_is_linked_as_python_links_it(cast):
    """A last row whose ``row_hash`` is no hash (written by someone with the right to insert) is
    chained onto exactly as the Python path would: PostgreSQL's ``to_json`` writes it as ``json``."""
    odd = 'x"y\\z\n\x01é'
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_accesslogentry (event_id, occurred_at, action, outcome, user_display, role, "
            "organisation_display, purpose, object_type, object_id, client_address, detail, prev_hash, row_hash) "
            "VALUES (gen_random_uuid(), now(), 'R', 'success', '', '', '', 'treatment', '', '', '', '', '', %s)",
            [odd],
        )
    entry = audit_log.record(user=cast.noor, action="R", person=cast.anna)
    stored = AccessLogEntry.objects.get(pk=entry.pk)
    assert stored.prev_hash == odd
    assert stored.row_hash == chain.row_hash(chain.values_of(stored), odd)


@postgresql_only
def test_a_text_too_long_for_its_column_is_refused_not_cut(cast):
    """As ``save`` and the INSERT before: no row whose stored text differs from the hashed one."""
    from django.db import DataError, transaction

    from koers.audit import context

    with pytest.raises(DataError), transaction.atomic(), context.acting_context(client_address="1" * 65):
        audit_log.record(user=cast.noor, action="R", person=cast.anna)
