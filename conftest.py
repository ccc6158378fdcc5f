"""Shared personas for every test in Koers. See ``koers.lib.testing`` for who is who."""

from __future__ import annotations

import socket
from types import SimpleNamespace

import pytest

from koers.accounts.models import Organisation, User
from koers.lib.testing import make_org, make_person, make_user
from koers.people.models import RelativeLink


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
    from koers.people.services import care_team_assign

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
