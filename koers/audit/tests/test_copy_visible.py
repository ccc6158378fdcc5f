"""A page's batch of access-log rows is one write that Django's cursor wrappers and query log see
(``record_many`` uses ``COPY`` on PostgreSQL from two rows): fault injection, the replica check
and the query ceilings count it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koers.audit import log as audit_log
from koers.audit.models import AccessLogEntry
from koers.audit.verify import verify_chain


@pytest.mark.django_db
def test_a_batch_is_one_statement_the_wrappers_and_the_query_log_see(cast):
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    before = AccessLogEntry.objects.count()
    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(wrapper):
        audit_log.record_many(
            audit_log.build_entry(user=cast.noor, action="R", person=p, object_type="caseload")
            for p in (cast.anna, cast.bas, cast.anna)
        )
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "COPY"))]
    first_word = "COPY" if connection.vendor == "postgresql" else "INSERT"
    assert len(writes) == 1 and writes[0].startswith(first_word), writes
    # the wrappers see the SQL before parameters are filled in; the query log (SQLite) after
    assert [s.split(" ", 1)[0] for s in seen if s.startswith(("INSERT", "COPY"))] == [first_word]
    if connection.vendor == "postgresql":
        assert "caseload" not in writes[0]  # the rows themselves are not in the query log
    assert AccessLogEntry.objects.count() == before + 3
    assert verify_chain().ok
