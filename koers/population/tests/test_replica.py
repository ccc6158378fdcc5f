"""With a read replica configured (docs/scaling.md), the population page and the indicators read
their counts from the replica and write their access-log row on the primary.

The replica is a second connection alias to the same test database, as Django's test runner does
for an alias with ``TEST: {"MIRROR": "default"}`` (what koers/settings.py gives ``replica``). The
test is transactional: rows are committed, so the second connection sees them, and no test
transaction holds the primary in an atomic block (which would keep every read there).
"""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from koers.accounts.models import Organisation
from koers.audit.models import AccessLogEntry
from koers.indicators import selectors as indicator_selectors
from koers.network.models import CareTeamMember
from koers.people.models import Person, SupportLevelDecision
from koers.population import compose, selectors
from koers.population.filters import PopulationFilter
from tests.support.testing import empty_access_log_for_flush, make_user

pytestmark = pytest.mark.django_db(transaction=True)

REPLICA = "replica"


@pytest.fixture(autouse=True)
def _flushable_access_log():
    """Let the flush after each transactional test run on SQLite (see the helper)."""
    yield
    empty_access_log_for_flush()


@pytest.fixture
def replica(settings):
    """A ``replica`` alias mirroring ``default`` (the router is only active with one)."""
    mirror = dict(connections["default"].settings_dict)
    settings.DATABASES = {**settings.DATABASES, REPLICA: mirror}
    settings.DATABASE_ROUTERS = ["koers.lib.db_router.ReplicaRouter"]
    connections.settings[REPLICA] = mirror
    # Connected here: Django's test case refuses to open a connection for an alias it was not
    # told about, and this alias did not exist when the test case was set up.
    connections[REPLICA].connect()
    yield
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@contextlib.contextmanager
def statements():
    """Every statement per alias while the block runs."""
    found = {"default": [], REPLICA: []}
    with contextlib.ExitStack() as stack:
        for alias, captured in found.items():
            stack.enter_context(
                connections[alias].execute_wrapper(
                    lambda execute, sql, params, many, context, captured=captured: (
                        captured.append(sql) or execute(sql, params, many, context)
                    )
                )
            )
        yield found


@pytest.fixture
def practice():
    organisation = Organisation.objects.create(name="Replicapraktijk", kind="gp_practice")
    pro = make_user(role="professional", organisation=organisation)
    manager = make_user(role="manager", organisation=organisation)
    now = timezone.now()
    for i in range(12):
        person = Person.objects.create(given_name=f"Rep{i}", family_name="Lica", birth_date=dt.date(1970, 1, 1))
        CareTeamMember.objects.create(
            person=person, professional=pro, organisation=organisation, assigned_by=pro, started_at=now
        )
        SupportLevelDecision.objects.create(
            person=person,
            level="chain_care",
            suggested_level="chain_care",
            decided_by=pro,
            decided_at=now - dt.timedelta(days=3),
        )
    return organisation, manager


def _touches(sqls, table):
    return [sql for sql in sqls if table in sql]


def test_the_population_page_reads_from_the_replica_and_logs_on_the_primary(replica, practice, client):
    organisation, manager = practice
    client.force_login(manager)
    with statements() as found:
        response = client.get(reverse("population:organisation"))
    assert response.status_code == 200
    assert response.context["report"].size == 12
    # The one counting statement (care-team rows, the kept rows, conditions, decisions) on the replica …
    counting = [sql for sql in found[REPLICA] if "network_careteammember" in sql]
    assert len(counting) == 1, found[REPLICA]
    assert _touches(found[REPLICA], "population_personfacts")
    assert _touches(found[REPLICA], "people_supportleveldecision")
    assert not _touches(found[REPLICA], "audit_accesslogentry")  # nothing is written there
    # … none of them on the primary, which takes the access-log row.
    assert not _touches(found["default"], "people_supportleveldecision")
    assert not _touches(found["default"], "people_profile")
    assert not _touches(found["default"], "population_personfacts")
    assert [
        sql for sql in found["default"] if sql.lstrip().upper().startswith("INSERT") and "audit_accesslogentry" in sql
    ]
    entry = AccessLogEntry.objects.filter(user=manager, object_type="population").latest("id")
    assert entry.detail.startswith(f"organisatie {organisation.pk}")


def test_without_a_replica_everything_stays_on_the_primary(practice):
    organisation, _manager = practice
    seen = []
    with connections["default"].execute_wrapper(lambda execute, sql, *rest: seen.append(sql) or execute(sql, *rest)):
        result = compose.build(selectors.Unit(organisation), PopulationFilter(), months=12, k=10)
    assert result.size == 12
    assert len([sql for sql in seen if "network_careteammember" in sql]) == 1


def test_the_indicators_read_their_facts_from_the_replica(replica, practice):
    organisation, _manager = practice
    today = timezone.localdate()
    with statements() as found:
        indicator_selectors.indicator_table(
            organisation, team_id=None, start=today - dt.timedelta(days=90), end=today, today=today
        )
    # The kept cohorts and facts (the statement no longer reads the care-team rows: docs/decisions.md).
    for table in ("indicators_carespell", "indicators_goaldecisionpoint", "indicators_yearcover"):
        assert _touches(found[REPLICA], table), table
        assert not _touches(found["default"], table), table
