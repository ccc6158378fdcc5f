"""The owner connection and the trusted proxies are read from the environment, and bad values stop
Koers at start-up (issue #11)."""

from __future__ import annotations

import pytest

from tests.security.helpers import production_env, read_settings, run_python


def test_the_owner_connection_is_a_second_alias_on_the_same_database(tmp_path):
    env = production_env(
        tmp_path,
        DATABASE_URL="postgres://koers_app:geheim@db.internal:5432/koers",
        DATABASE_OWNER_URL="postgres://koers_owner:anders@db.internal:5432/koers",
        KOERS_TRUSTED_PROXIES="10.0.8.0/24, 127.0.0.1",
    )
    values = read_settings(env, "DATABASES", "KOERS_TRUSTED_PROXIES", "SECURE_PROXY_SSL_HEADER")
    owner, default = values["DATABASES"]["owner"], values["DATABASES"]["default"]
    assert (owner["USER"], default["USER"]) == ("koers_owner", "koers_app")
    assert owner["NAME"] == default["NAME"] == "koers"
    assert owner["TEST"]["MIRROR"] == "default"  # tests use one database
    assert values["KOERS_TRUSTED_PROXIES"] == ["10.0.8.0/24", "127.0.0.1"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_without_an_owner_url_there_is_one_connection(tmp_path):
    values = read_settings(production_env(tmp_path), "DATABASES", "KOERS_TRUSTED_PROXIES")
    assert list(values["DATABASES"]) == ["default"]
    assert values["KOERS_TRUSTED_PROXIES"] == []


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"KOERS_TRUSTED_PROXIES": "proxy.example"}, "KOERS_TRUSTED_PROXIES: not an IP address or network"),
        ({"DATABASE_OWNER_URL": "nonsense"}, "DATABASE_OWNER_URL is not a database URL"),
        (
            {
                "DATABASE_URL": "postgres://app@db:5432/koers",
                "DATABASE_OWNER_URL": "postgres://owner@db:5432/andere",
            },
            "DATABASE_OWNER_URL must name the same database",
        ),
    ],
)
def test_bad_values_stop_koers_at_start_up(tmp_path, variables, message):
    result = run_python("import django; django.setup()", production_env(tmp_path, **variables))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr
