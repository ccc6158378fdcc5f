"""``InArray``: the same rows as ``pk__in``, as one array parameter on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from koers.lib.lookups import InArray
from koers.people.models import Person


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["none", "one", "both", "missing"])
def test_same_rows_as_pk_in(cast, which):
    ids = {
        "none": [],
        "one": [cast.anna.pk],
        "both": [cast.bas.pk, cast.anna.pk, cast.anna.pk],
        "missing": [cast.anna.pk, 10**9],
    }[which]
    expected = set(Person.objects.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    assert set(Person.objects.filter(InArray(F("pk"), ids)).values_list("pk", flat=True)) == expected


@pytest.mark.django_db
def test_one_parameter_on_postgresql(cast):
    ids = [cast.anna.pk, cast.bas.pk]
    with CaptureQueriesContext(connection) as queries:
        list(Person.objects.filter(InArray(F("pk"), ids)))
    sql = queries.captured_queries[-1]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql
