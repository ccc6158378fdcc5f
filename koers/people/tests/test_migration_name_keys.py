"""The data migration gives persons registered before the name keys existed the same keys a new
person gets, so the caseload's Dutch order and search include them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from koers.people import names

BEFORE = [("people", "0002_profile_severe_mental_illness")]
AFTER = [("people", "0003_person_dutch_name_keys_and_bsn")]


@pytest.mark.django_db(transaction=True)
def test_existing_persons_get_their_name_keys(migration_executor):
    executor = migration_executor
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("people", "Person")
    old.objects.create(given_name="Émile", family_name="van der Meer", birth_date=dt.date(1961, 4, 3))
    old.objects.create(given_name="Zoë", family_name="Bakker", birth_date=dt.date(1990, 12, 24))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("people", "Person")
    rows = list(
        new.objects.order_by("family_sort", "given_sort").values_list("family_name", "family_sort", "name_search")
    )
    assert rows == [
        ("Bakker", "bakker", " zoe bakker "),
        ("van der Meer", "meer", " emile van der meer "),
    ]
    assert rows[1][1] == names.family_core("van der Meer")
    new.objects.all().delete()
