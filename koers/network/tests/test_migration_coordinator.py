"""Before the one-coordinator constraint, the data migration leaves each person with an active
care team exactly one coordinator: the earliest responsible member stays, others become
members; a team without one gets its earliest member. Ended memberships are left alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from koers.accounts.models import Organisation, User
from koers.people.models import Person

BEFORE = [("network", "0003_consent")]
AFTER = [("network", "0004_invitations_coordinator")]


def _member(apps, person, user, role, started, ended=None):
    return apps.get_model("network", "CareTeamMember").objects.create(
        person_id=person.pk,
        professional_id=user.pk,
        organisation_id=user.organisation_id,
        role=role,
        assigned_by_id=user.pk,
        started_at=started,
        ended_at=ended,
    )


@pytest.mark.django_db(transaction=True)
def test_each_team_keeps_one_coordinator(migration_executor):
    executor = migration_executor
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    # Only network is rolled back: the other apps' tables are as today, so their own models fit.
    two = Person.objects.create(given_name="Twee", family_name="Hoofd", birth_date=dt.date(1970, 1, 1))
    none = Person.objects.create(given_name="Geen", family_name="Hoofd", birth_date=dt.date(1970, 1, 1))
    org = Organisation.objects.create(name="Praktijk", kind="gp_practice")
    a, b, c = (User.objects.create(username=n, role="professional", organisation=org) for n in "abc")
    t0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    _member(old, two, a, "responsible", t0 + dt.timedelta(days=2))
    _member(old, two, b, "responsible", t0 + dt.timedelta(days=1))
    _member(old, two, c, "responsible", t0, ended=t0 + dt.timedelta(days=1))
    _member(old, none, a, "member", t0 + dt.timedelta(days=5))
    _member(old, none, c, "member", t0 + dt.timedelta(days=3))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    member = new.get_model("network", "CareTeamMember")
    roles = {(m.person.given_name, m.professional.username): m.role for m in member.objects.all()}
    assert roles == {
        ("Twee", "a"): "member",
        ("Twee", "b"): "responsible",
        ("Twee", "c"): "responsible",  # ended: not part of the active team
        ("Geen", "a"): "member",
        ("Geen", "c"): "responsible",
    }
    member.objects.all().delete()
    # Today's models delete a person's rows in tables newer than AFTER: migrate to today first.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    Person.objects.all().delete()
    User.objects.all().delete()
    Organisation.objects.all().delete()
