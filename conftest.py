"""Shared personas for every test in Koers. See ``tests.support.testing`` for who is who."""

from __future__ import annotations

import socket
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import translation

from koers.accounts.models import Organisation, User
from koers.network.models import RelativeLink
from tests.support.testing import empty_access_log_for_flush, make_org, make_person, make_user


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Tests never reach the network (loopback stays allowed for browser tests)."""
    real_connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in ("localhost", "::1", "") or host.startswith("/")
        ):
            raise RuntimeError(f"Tests may not use the network (tried {address!r})")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _dutch():
    """Every test starts and ends in Dutch, the source language.

    A request through the test client activates its language in this thread and leaves it
    active (LocaleMiddleware never deactivates), so one English page would make later tests in
    the same process see English messages. Tests that want English ask for it themselves.
    """
    translation.activate("nl")
    yield
    translation.activate("nl")


@pytest.fixture(autouse=True)
def _flushable_access_log(request):
    """Let ``live_server`` tests (browser tests of any app) flush the database on SQLite.

    ``live_server`` makes a test transactional: afterwards the test database is flushed with
    DELETEs on SQLite, which the append-only trigger on the access log refuses (audit migration
    0002). This empties the log first, inside the purge window, and closes the window again,
    so the flush finds nothing to refuse and no later test sees an open window. PostgreSQL
    flushes with TRUNCATE, which the trigger does not see. Tests without ``live_server`` are
    left alone.
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    empty_access_log_for_flush()


@pytest.fixture
def flushable_db(transactional_db):
    """A transactional test (workers that close or share connections: ``koers worker``, the task
    backends) whose access-log rows can be flushed afterwards on SQLite — the same purge window
    ``_flushable_access_log`` opens for live_server tests."""
    yield
    empty_access_log_for_flush()


@pytest.fixture
def cast(db):
    gp_practice = make_org("Huisartsenpraktijk De Linde", Organisation.Kind.GP_PRACTICE)
    ggz = make_org("GGZ-team Oost", Organisation.Kind.GGZ_TEAM)
    elsewhere = make_org("Praktijk Elders", Organisation.Kind.GP_PRACTICE)
    noor = make_user(
        "noor",
        organisation=gp_practice,
        discipline=User.Discipline.PRACTICE_NURSE,
        first_name="Noor",
        last_name="Bakker",
    )
    gert = make_user(
        "gert", organisation=gp_practice, discipline=User.Discipline.GP, first_name="Gert", last_name="de Vries"
    )
    cor = make_user("cor", organisation=gp_practice, discipline=User.Discipline.NURSE, first_name="Cor")
    pieter = make_user("pieter", organisation=ggz, discipline=User.Discipline.PSYCHIATRIST, first_name="Pieter")
    sam = make_user("sam", organisation=elsewhere, discipline=User.Discipline.GP, first_name="Sam")
    mia = make_user("mia", role=User.Role.MANAGER, organisation=gp_practice, first_name="Mia")
    ada = make_user("ada", role=User.Role.ADMINISTRATOR, first_name="Ada", is_staff=True, is_superuser=True)
    anna = make_person(actor=noor, given_name="Anna", family_name="de Boer", with_account=True, username="anna")
    from koers.network.services import care_team_assign

    care_team_assign(actor=noor, person=anna, professional=gert)
    bas = make_person(actor=noor, given_name="Bas", family_name="Smit", with_account=True, username="bas")
    rob = make_user("rob", role=User.Role.RELATIVE, first_name="Rob", last_name="de Boer")
    RelativeLink.objects.create(person=anna, user=rob, relationship="partner")
    return SimpleNamespace(
        gp_practice=gp_practice,
        ggz=ggz,
        elsewhere=elsewhere,
        noor=noor,
        gert=gert,
        cor=cor,
        pieter=pieter,
        sam=sam,
        mia=mia,
        ada=ada,
        anna=anna,
        anna_user=anna.user,
        bas=bas,
        bas_user=bas.user,
        rob=rob,
    )


@pytest.fixture
def login(client):
    """login(user) -> a Django test client logged in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def migration_executor(transactional_db):
    """A MigrationExecutor for tests that roll an app back to test a migration. Afterwards every
    app is migrated forward to its latest migration again, so the tests that run next in this
    worker find today's schema (a rolled-back app would miss its newer tables)."""
    from django.db.migrations.executor import MigrationExecutor

    yield MigrationExecutor(connection)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
