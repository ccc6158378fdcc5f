"""Passkey and identity-provider settings as a fresh production process reads them (issue #11)."""

from __future__ import annotations

import pytest

from .helpers import production_env, read_settings, run_python

BROKER = {
    "KOERS_OIDC_CLIENT_ID": "koers",
    "KOERS_OIDC_CLIENT_SECRET": "geheim",
    "KOERS_OIDC_AUTHORIZATION_ENDPOINT": "https://broker.example/authorize",
    "KOERS_OIDC_TOKEN_ENDPOINT": "https://broker.example/token",
    "KOERS_OIDC_USERINFO_ENDPOINT": "https://broker.example/userinfo",
    "KOERS_OIDC_JWKS_ENDPOINT": "https://broker.example/jwks",
}


def test_production_defaults_bind_passkeys_to_the_site_and_keep_the_provider_off(tmp_path):
    values = read_settings(
        production_env(tmp_path),
        "OTP_WEBAUTHN_RP_ID",
        "OTP_WEBAUTHN_ALLOWED_ORIGINS",
        "OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN",
        "KOERS_OIDC_ENABLED",
        "AUTHENTICATION_BACKENDS",
    )
    assert values["OTP_WEBAUTHN_RP_ID"] == "koers.example.nl"
    assert values["OTP_WEBAUTHN_ALLOWED_ORIGINS"] == ["https://koers.example.nl"]
    assert values["OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN"] is False
    assert values["KOERS_OIDC_ENABLED"] is False
    assert not any("oidc" in backend.lower() for backend in values["AUTHENTICATION_BACKENDS"])


def test_a_configured_broker_adds_the_backend_after_the_lockout(tmp_path):
    values = read_settings(
        production_env(tmp_path, **BROKER, KOERS_OIDC_ASSURANCE_VALUES="http://eidas.europa.eu/LoA/substantial"),
        "KOERS_OIDC_ENABLED",
        "AUTHENTICATION_BACKENDS",
        "OIDC_CREATE_USER",
        "OIDC_USE_PKCE",
        "KOERS_OIDC_ASSURANCE_VALUES",
    )
    assert values["KOERS_OIDC_ENABLED"] is True
    assert values["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"
    assert values["AUTHENTICATION_BACKENDS"][-1] == "koers.accounts.oidc.KoersOIDCBackend"
    assert values["OIDC_CREATE_USER"] is False and values["OIDC_USE_PKCE"] is True
    assert values["KOERS_OIDC_ASSURANCE_VALUES"] == ["http://eidas.europa.eu/LoA/substantial"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"KOERS_OIDC_CLIENT_ID": "koers"}, "KOERS_OIDC_AUTHORIZATION_ENDPOINT, KOERS_OIDC_TOKEN_ENDPOINT"),
        ({**BROKER, "KOERS_OIDC_JWKS_ENDPOINT": ""}, "must be set too: KOERS_OIDC_JWKS_ENDPOINT"),
        ({**BROKER, "KOERS_OIDC_ACCOUNT_CLAIM": "bsn"}, "KOERS_OIDC_ACCOUNT_CLAIM must be 'sub'"),
    ],
)
def test_an_incomplete_broker_configuration_stops_koers(tmp_path, overrides, message):
    result = run_python("import django; django.setup()", production_env(tmp_path, **overrides))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
