"""RelativeLink moved from koers.people to koers.network without moving a row (issue #10):
the two migrations change Django's state only; the table keeps its name and its rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("people", "0003_person_dutch_name_keys_and_bsn"), ("network", "0001_initial")]
AFTER = [("network", "0002_move_relativelink_to_network")]


@pytest.mark.django_db(transaction=True)
def test_relative_links_stay_where_they_were(migration_executor):
    executor = migration_executor
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    person = old.get_model("people", "Person").objects.create(
        given_name="Anna", family_name="de Boer", birth_date=dt.date(1961, 4, 3)
    )
    user = old.get_model("accounts", "User").objects.create(username="rob", role="relative")
    old.get_model("people", "RelativeLink").objects.create(person=person, user=user, relationship="partner")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    link = new.get_model("network", "RelativeLink")
    assert link._meta.db_table == "people_relativelink"
    assert list(link.objects.values_list("person__family_name", "user__username", "relationship")) == [
        ("de Boer", "rob", "partner")
    ]
    link.objects.all().delete()
    new.get_model("people", "Person").objects.all().delete()
    new.get_model("accounts", "User").objects.all().delete()
