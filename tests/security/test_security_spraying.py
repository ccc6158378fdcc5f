"""Lockout against password spraying (issue #11): one address trying many accounts, one account
tried from many addresses, each with its own documented limit (docs/running.md), while one
person's typos still count against the strict per-account-and-address limit."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.security.test_security_login import PASSWORD, attempt, main_part

pytestmark = pytest.mark.django_db

SPRAYER = "203.0.113.66"


def test_the_documented_limits_are_the_settings():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.KOERS_LOGIN_ADDRESS_FAILURE_LIMIT == 20
    assert settings.KOERS_LOGIN_ACCOUNT_FAILURE_LIMIT == 10
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "ip_address", "username"]


def test_one_address_trying_many_accounts_is_locked_at_its_own_limit(cast):
    sprayer = Client(REMOTE_ADDR=SPRAYER)
    for number in range(settings.KOERS_LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        assert attempt(sprayer, f"account-{number}").status_code == 200  # each account tried once
    locked = attempt(sprayer, "noor")
    assert locked.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in locked.templates]
    # From that address nothing gets in, not even a right password ...
    assert attempt(sprayer, "gert", PASSWORD).status_code == 429
    # ... while the accounts themselves still work from anywhere else.
    assert attempt(Client(REMOTE_ADDR="198.51.100.1"), "gert", PASSWORD).status_code == 302


def test_one_account_tried_from_many_addresses_is_locked_at_its_own_limit(cast):
    for number in range(settings.KOERS_LOGIN_ACCOUNT_FAILURE_LIMIT - 1):
        assert attempt(Client(REMOTE_ADDR=f"198.51.100.{number}"), "noor").status_code == 200
    assert attempt(Client(REMOTE_ADDR="198.51.100.200"), "noor").status_code == 429
    # The account is locked from a fresh address too, even with the right password ...
    assert attempt(Client(REMOTE_ADDR="192.0.2.9"), "noor", PASSWORD).status_code == 429
    # ... but the addresses that tried it are not: a colleague there still logs in.
    assert attempt(Client(REMOTE_ADDR="198.51.100.1"), "gert", PASSWORD).status_code == 302


def test_below_the_spraying_limits_nothing_is_locked(cast):
    sprayer = Client(REMOTE_ADDR=SPRAYER)
    for number in range(settings.KOERS_LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        attempt(sprayer, f"account-{number}")
    assert attempt(sprayer, "gert", PASSWORD).status_code == 302


def test_typos_of_one_person_still_lock_at_the_strict_limit_among_colleagues_failures(cast):
    """A practice behind one address: colleagues' failures do not eat Noor's own five tries."""
    office = "192.0.2.50"
    for number in range(8):
        attempt(Client(REMOTE_ADDR=office), f"collega-{number}")
    noor = Client(REMOTE_ADDR=office)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(noor, "noor").status_code == 200
    assert attempt(noor, "noor", PASSWORD).status_code == 302
    noor.post("/account/uitloggen/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(noor, "noor").status_code == 200  # her count started again
    assert attempt(noor, "noor").status_code == 429  # the fifth typo in a row locks


def test_logging_in_to_an_own_account_does_not_reset_a_spraying_run(cast):
    sprayer = Client(REMOTE_ADDR=SPRAYER)
    for number in range(settings.KOERS_LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        attempt(sprayer, f"account-{number}")
    assert attempt(sprayer, "gert", PASSWORD).status_code == 302  # the sprayer's own account
    assert attempt(Client(REMOTE_ADDR=SPRAYER), "account-x").status_code == 429


def test_the_spraying_lockout_page_is_the_same_for_every_username(cast):
    sprayer = Client(REMOTE_ADDR=SPRAYER)
    for number in range(settings.KOERS_LOGIN_ADDRESS_FAILURE_LIMIT):
        attempt(sprayer, f"account-{number}")
    existing = attempt(sprayer, "noor")
    unknown = attempt(sprayer, "niemand-bekend")
    assert existing.status_code == unknown.status_code == 429
    assert main_part(existing) == main_part(unknown)
    assert "noor" not in main_part(existing)


def test_the_limits_follow_the_settings(cast, settings):
    settings.KOERS_LOGIN_ADDRESS_FAILURE_LIMIT = 3
    settings.KOERS_LOGIN_ACCOUNT_FAILURE_LIMIT = 4
    sprayer = Client(REMOTE_ADDR=SPRAYER)
    assert [attempt(sprayer, f"a-{n}").status_code for n in range(3)] == [200, 200, 429]
    results = [attempt(Client(REMOTE_ADDR=f"198.51.100.{n}"), "gert").status_code for n in range(4)]
    assert results == [200, 200, 200, 429]
