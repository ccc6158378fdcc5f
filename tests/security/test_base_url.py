"""``KOERS_BASE_URL``, the address in the links of notification e-mails, as production reads it:
in a fresh process with only the documented environment (``helpers.production_env``). The mails'
text itself: ``koers/notifications/tests/test_email_text.py``."""

from __future__ import annotations

import pytest

from .helpers import production_env, run_python

PROBE = "import django; django.setup()\nfrom django.conf import settings\nprint(repr(settings.KOERS_BASE_URL))\n"


def _read(tmp_path, **overrides) -> str:
    result = run_python(PROBE, production_env(tmp_path, **overrides))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_by_default_the_first_allowed_host_over_https(tmp_path):
    assert _read(tmp_path) == "'https://koers.example.nl'"
    assert _read(tmp_path, KOERS_ALLOWED_HOSTS=".example.nl,koers.example.nl") == "'https://example.nl'"


def test_no_named_host_gives_no_address(tmp_path):
    assert _read(tmp_path, KOERS_ALLOWED_HOSTS="*") == "''"


def test_a_set_address_is_kept_with_its_sub_path_without_the_last_slash(tmp_path):
    assert _read(tmp_path, KOERS_BASE_URL="https://zorg.example.nl/koers/") == "'https://zorg.example.nl/koers'"


@pytest.mark.parametrize("value", ["koers.example.nl", "ftp://koers.example.nl", "https://", "https://k.nl/?a=1"])
def test_an_address_that_is_not_one_stops_koers_with_a_clear_message(tmp_path, value):
    result = run_python(PROBE, production_env(tmp_path, KOERS_BASE_URL=value))
    assert result.returncode != 0
    assert "KOERS_BASE_URL must be the address people open Koers at" in result.stderr


RP_PROBE = (
    "import django; django.setup()\nfrom django.conf import settings\n"
    "print(repr((settings.KOERS_BASE_URL, settings.OTP_WEBAUTHN_RP_ID)))\n"
)


@pytest.mark.parametrize(
    ("hosts", "expected"),
    [
        (".example.nl,koers.example.nl", ("https://example.nl", "example.nl")),
        ("*,koers.example.nl", ("https://koers.example.nl", "koers.example.nl")),
        ("*", ("", "localhost")),  # the passkeys took "*" as their relying party
    ],
)
def test_the_passkeys_are_bound_to_the_host_the_links_name(tmp_path, hosts, expected):
    result = run_python(RP_PROBE, production_env(tmp_path, KOERS_ALLOWED_HOSTS=hosts))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(expected)
