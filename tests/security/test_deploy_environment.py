"""The documented production environment (docs/production.env) passes Django's deployment check.

``koers check --deploy --fail-level WARNING`` runs in a fresh process with exactly the variables
in that file (only the secret key, empty there on purpose, is generated), so the file cannot drift
from what the check demands; and leaving out any of its essential lines makes the check fail.
"""

from __future__ import annotations

import secrets

import pytest

from .helpers import ROOT, clean_env, run_koers, run_python

DOCUMENTED = ROOT / "docs" / "production.env"
CHECK = ["check", "--deploy", "--fail-level", "WARNING"]


def documented_values() -> dict[str, str]:
    values = {}
    for line in DOCUMENTED.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _sep, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def documented_env(tmp_path, *, without: str = "") -> dict[str, str]:
    values = documented_values()
    values["KOERS_SECRET_KEY"] = secrets.token_urlsafe(64)  # what the file says to generate
    values.pop(without, None)
    return clean_env(tmp_path, DJANGO_SETTINGS_MODULE="koers.settings", **values)


def test_the_documented_file_holds_no_usable_secret():
    values = documented_values()
    assert values["KOERS_SECRET_KEY"] == ""  # a copied example must not start
    assert "CHANGE-ME" in values["DATABASE_URL"]


def test_a_copied_example_without_a_secret_key_does_not_start(tmp_path):
    env = clean_env(tmp_path, DJANGO_SETTINGS_MODULE="koers.settings", **documented_values())
    result = run_koers(CHECK, env)
    assert result.returncode != 0
    assert "KOERS_SECRET_KEY is not set" in result.stderr


def test_check_deploy_passes_with_the_documented_environment(tmp_path):
    result = run_koers(CHECK, documented_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_documented_environment_switches_on_what_it_promises(tmp_path):
    probe = (
        "import django; django.setup()\n"
        "from django.conf import settings as s\n"
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_NAME, s.KOERS_REQUIRE_2FA)\n"
    )
    result = run_python(probe, documented_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "__Host-koers_session",
        "True",
    ]


@pytest.mark.parametrize(
    ("left_out", "warning"),
    [
        ("KOERS_SSL_REDIRECT", "security.W008"),  # plain HTTP would be served
        ("KOERS_ALLOWED_HOSTS", "security.W020"),  # no host accepted: a misconfiguration
    ],
)
def test_leaving_out_an_essential_line_fails_the_check(tmp_path, left_out, warning):
    result = run_koers(CHECK, documented_env(tmp_path, without=left_out))
    assert result.returncode != 0, f"check --deploy passed without {left_out}"
    assert warning in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "warning"),
    [
        ("KOERS_SECURE_COOKIES", "false", "security.W012"),
        ("KOERS_HSTS_SECONDS", "0", "security.W004"),
        ("KOERS_DEBUG", "true", "security.W018"),
    ],
)
def test_weakening_a_documented_line_fails_the_check(tmp_path, variable, value, warning):
    env = documented_env(tmp_path)
    env[variable] = value
    if variable == "KOERS_SECURE_COOKIES":
        env["KOERS_HOST_COOKIES"] = "false"  # the prefix needs secure cookies (start-up refuses)
    result = run_koers(CHECK, env)
    assert result.returncode != 0, f"check --deploy passed with {variable}={value}"
    assert warning in result.stdout + result.stderr
