"""Production settings, read by a fresh process from a clean environment.

- Argon2 hashes passwords in production; the fast MD5 hasher exists only in the test settings.
- ``manage.py check --deploy --fail-level WARNING`` passes with what an operator sets.
- Bad values stop Koers at start-up with a message naming the variable, instead of being ignored.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from .helpers import clean_env, production_env, read_settings, run_koers, run_python

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"
MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"


def test_production_hashes_passwords_with_argon2(tmp_path):
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.contrib.auth.hashers import make_password, check_password\n"
        "h = make_password('een-lang-wachtwoord-123')\n"
        "print(settings.PASSWORD_HASHERS)\n"
        "print('HASH', h.split('$')[0], h.split('$')[1])\n"
        "print('CHECK', check_password('een-lang-wachtwoord-123', h))\n"
        "import hashlib\n"
        "md5 = 'md5$zout$' + hashlib.md5(b'zout' + b'x').hexdigest()\n"
        "print('MD5_ACCEPTED', check_password('x', md5))\n"
    )
    result = run_python(code, production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "HASH argon2 argon2id" in result.stdout
    assert "CHECK True" in result.stdout
    assert "MD5_ACCEPTED False" in result.stdout  # no weak hasher in production
    assert MD5 not in result.stdout
    assert result.stdout.splitlines()[0].startswith(f"['{ARGON2}'")


def test_only_the_test_settings_put_the_fast_hasher_first():
    assert settings.PASSWORD_HASHERS[0] == MD5
    assert ARGON2 in settings.PASSWORD_HASHERS  # Argon2 hashes still verify in tests


def test_production_defaults_are_the_safe_ones(tmp_path):
    values = read_settings(
        production_env(tmp_path),
        "DEBUG",
        "KOERS_REQUIRE_2FA",
        "SESSION_COOKIE_AGE",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "LANGUAGE_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "X_FRAME_OPTIONS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "AXES_FAILURE_LIMIT",
        "AUTHENTICATION_BACKENDS",
        "SECURE_PROXY_SSL_HEADER",
    )
    assert values["DEBUG"] is False
    assert values["KOERS_REQUIRE_2FA"] is True
    assert values["SESSION_COOKIE_AGE"] == 30 * 60
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    for name in (
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "LANGUAGE_COOKIE_SECURE",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "SECURE_CONTENT_TYPE_NOSNIFF",
    ):
        assert values[name] is True, name
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["AXES_FAILURE_LIMIT"] == 5
    assert values["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"
    assert values["SECURE_PROXY_SSL_HEADER"] is None  # X-Forwarded-Proto is not trusted unless told


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = run_koers(["check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_is_a_real_gate(tmp_path):
    env = production_env(tmp_path, KOERS_SECURE_COOKIES="false", KOERS_HSTS_SECONDS="0")
    result = run_koers(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "security.W012" in output  # session cookie not secure
    assert "security.W004" in output  # no HSTS


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("KOERS_DEBUG", "maybe", "KOERS_DEBUG must be true or false"),
        ("KOERS_SECRET_KEY", "", "KOERS_SECRET_KEY is not set"),
        ("KOERS_SECRET_KEY", "kort", "KOERS_SECRET_KEY is too short"),
        ("KOERS_SECRET_KEY", "a" * 60, "KOERS_SECRET_KEY is too short or too simple"),
        ("KOERS_REQUIRE_2FA", "ja", "KOERS_REQUIRE_2FA must be true or false"),
        ("KOERS_SSL_REDIRECT", "on please", "KOERS_SSL_REDIRECT must be true or false"),
        ("KOERS_SESSION_MINUTES", "half uur", "KOERS_SESSION_MINUTES must be a whole number"),
        ("KOERS_SESSION_MINUTES", "0", "KOERS_SESSION_MINUTES must be between 1 and 1440"),
        ("KOERS_LOGIN_FAILURE_LIMIT", "vijf", "KOERS_LOGIN_FAILURE_LIMIT must be a whole number"),
        ("KOERS_HSTS_SECONDS", "-5", "KOERS_HSTS_SECONDS must be 0"),
        ("DATABASE_URL", "nonsense", "DATABASE_URL is not a database URL"),
    ],
)
def test_bad_environment_values_stop_koers_at_start_up(tmp_path, variable, value, message):
    env = production_env(tmp_path, **{variable: value})
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0, f"{variable}={value!r} was accepted"
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_local_demo_needs_no_secret_key_but_production_does(tmp_path):
    demo = read_settings(
        clean_env(tmp_path, DJANGO_SETTINGS_MODULE="koers.settings", KOERS_DEBUG="true"),
        "DEBUG",
        "SECRET_KEY",
        "KOERS_REQUIRE_2FA",
    )
    assert demo["DEBUG"] is True
    assert len(demo["SECRET_KEY"]) >= 50  # generated, stored in the data directory, never committed
    assert demo["KOERS_REQUIRE_2FA"] is False

    result = run_python("import django; django.setup()", clean_env(tmp_path, DJANGO_SETTINGS_MODULE="koers.settings"))
    assert result.returncode != 0
    assert "KOERS_SECRET_KEY is not set" in result.stderr


HOST_COOKIES = ("SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "LANGUAGE_COOKIE_NAME")
COOKIE_SCOPE = (
    "SESSION_COOKIE_PATH",
    "SESSION_COOKIE_DOMAIN",
    "CSRF_COOKIE_PATH",
    "CSRF_COOKIE_DOMAIN",
    "LANGUAGE_COOKIE_PATH",
    "LANGUAGE_COOKIE_DOMAIN",
)

COOKIE_PROBE = """
import django
django.setup()
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import RequestFactory
from koers.accounts.language import set_language_cookie

def view(request):
    get_token(request)
    response = HttpResponse("ok")
    set_language_cookie(response, "en")
    return response

request = RequestFactory().get("/", secure=True, HTTP_HOST="koers.example.nl")
print(CsrfViewMiddleware(view)(request).cookies.output())
"""


def test_production_cookies_carry_the_host_prefix(tmp_path):
    """__Host-: the browser takes the cookie only over HTTPS, for this host, for the whole site."""
    values = read_settings(production_env(tmp_path), *HOST_COOKIES, *COOKIE_SCOPE)
    assert values["SESSION_COOKIE_NAME"] == "__Host-koers_session"
    assert values["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert values["LANGUAGE_COOKIE_NAME"] == "__Host-koers_language"
    for kind in ("SESSION", "CSRF", "LANGUAGE"):  # what the prefix demands of the cookie itself
        assert values[f"{kind}_COOKIE_PATH"] == "/"
        assert values[f"{kind}_COOKIE_DOMAIN"] is None

    result = run_python(COOKIE_PROBE, production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    headers = {line.split("=", 1)[0].removeprefix("Set-Cookie: "): line for line in result.stdout.splitlines()}
    assert set(headers) == {"__Host-csrftoken", "__Host-koers_language"}
    for header in headers.values():
        assert "Secure" in header and "Path=/" in header and "Domain" not in header, header


def test_the_host_prefix_follows_secure_cookies_and_can_be_switched_off(tmp_path):
    plain = {
        "SESSION_COOKIE_NAME": "sessionid",
        "CSRF_COOKIE_NAME": "csrftoken",
        "LANGUAGE_COOKIE_NAME": "django_language",
    }
    assert read_settings(production_env(tmp_path, KOERS_HOST_COOKIES="false"), *HOST_COOKIES) == plain
    assert read_settings(production_env(tmp_path, KOERS_SECURE_COOKIES="false"), *HOST_COOKIES) == plain
    demo = clean_env(tmp_path, DJANGO_SETTINGS_MODULE="koers.settings", KOERS_DEBUG="true")
    assert read_settings(demo, *HOST_COOKIES) == plain  # the demo runs on plain http://127.0.0.1


def test_the_host_prefix_without_https_stops_koers_at_start_up(tmp_path):
    env = production_env(tmp_path, KOERS_SECURE_COOKIES="false", KOERS_HOST_COOKIES="true")
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "KOERS_HOST_COOKIES needs KOERS_SECURE_COOKIES=true" in result.stderr


def test_the_tests_use_the_plain_cookie_names():
    """The test client speaks plain HTTP: the test settings keep Django's names."""
    assert settings.SESSION_COOKIE_NAME == "sessionid"
    assert settings.CSRF_COOKIE_NAME == "csrftoken"
    assert settings.LANGUAGE_COOKIE_NAME == "django_language"
