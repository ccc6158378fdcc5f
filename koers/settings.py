"""Koers settings, read from the environment.

Every value has a production-safe default except the secret key, which must be given
outside DEBUG. Bad values fail loudly at start-up rather than being silently ignored.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from koers.lib.base_url import base_url as _base_url
from koers.lib.base_url import named_host as _named_host
from koers.lib.client_ip import parse_networks as _parse_networks

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("KOERS_DATA_DIR", BASE_DIR.parent / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("KOERS_DEBUG", False)
TESTING = env_bool("KOERS_TESTING", False)

SECRET_KEY = os.environ.get("KOERS_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "KOERS_SECRET_KEY is not set. Set it to a long random value, or set KOERS_DEBUG=true for a local demo."
        )
    # Local demo / tests: a random key per data directory, never committed.
    key_file = DATA_DIR / "secret_key"
    try:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
        SECRET_KEY = key_file.read_text().strip()
    except OSError:
        SECRET_KEY = secrets.token_urlsafe(50)
elif not (DEBUG or TESTING) and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured(
        "KOERS_SECRET_KEY is too short or too simple: use at least 50 random characters, "
        "for example from: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env_list("KOERS_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if (DEBUG or TESTING) else [])
CSRF_TRUSTED_ORIGINS = env_list("KOERS_CSRF_TRUSTED_ORIGINS", [])
# The address links in e-mails point at (sent by the task worker, without a request to take it
# from): https:// and the first allowed host unless set; koers/lib/base_url.py, docs/running.md.
KOERS_BASE_URL = _base_url(os.environ.get("KOERS_BASE_URL", ""), hosts=ALLOWED_HOSTS, debug=DEBUG or TESTING)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "mozilla_django_oidc",
    "axes",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "oauth2_provider",  # SMART on FHIR tokens (issue #15; koers.smart, docs/smart.md)
    "koers.accounts",
    "koers.audit",
    "koers.people",
    "koers.network",
    "koers.consults",
    "koers.decisions",
    "koers.goals",
    "koers.careplans",
    "koers.crisisplans",
    "koers.questionnaires",
    "koers.notifications",
    "koers.journey",
    "koers.followup",
    "koers.meetings",
    "koers.handover",
    "koers.socialmap",
    "koers.documents",
    "koers.screening",
    "koers.monitoring",
    "koers.workspace",
    "koers.population",
    "koers.indicators",
    "koers.research",
    "koers.exports",
    "koers.smart",
    "koers.fhir",
    "koers.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "koers.accounts.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "koers.accounts.middleware.PrivateResponseMiddleware",
    "koers.lib.nul_bytes.RefuseNulMiddleware",  # NUL in a form field: a clear 400, never a database error
    "koers.accounts.session_time.SignedOutMiddleware",  # an ended session: 401 to htmx, a login page saying why
    "koers.accounts.middleware.OTPMiddleware",  # django-otp's, its device read compiled once (issue #18)
    "koers.accounts.language.AccountLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "koers.audit.middleware.RequestContextMiddleware",
    "koers.accounts.middleware.TwoFactorRequiredMiddleware",
    "koers.accounts.middleware.PasswordChangeRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Browser features no Koers page uses: switched off for every page (PrivateResponseMiddleware).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

ROOT_URLCONF = "koers.urls"
WSGI_APPLICATION = "koers.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "koers.accounts.context_processors.navigation",
                "koers.workspace.context_processors.emergency_banner",
                "koers.notifications.context_processors.relative_unread",
            ],
            # koers.access is not an installed app (it has no models and its package imports the
            # log's models); its navigation tags are registered here (koers/access/templatetags).
            "libraries": {
                "access_tags": "koers.access.templatetags.access_tags",
                "glossary_tags": "koers.lib.templatetags.glossary_tags",
                # The main menu's portal and professional lists kept per language (issue #18).
                "menu_tags": "koers.lib.templatetags.menu_tags",
                # Django's i18n library with {% translate "literal" %} kept per language
                # (koers/lib/templatetags/i18n_cached.py; docs/decisions.md, "The person pages' templates").
                "i18n": "koers.lib.templatetags.i18n_cached",
            },
            # Django's {% url %} with whole-number arguments reversed from a shape kept per process
            # (koers/lib/urls_cached.py): the same URLs, without walking the resolver each time.
            # Django's |date with each formatted date kept per language and time zone
            # (koers/lib/templatetags/date_cached.py): the same text, without formatting it again.
            "builtins": ["koers.lib.templatetags.url_cached", "koers.lib.templatetags.date_cached"],
        },
    }
]

# templates.W003 warns when two tag modules share a name: "i18n" does on purpose (above). The
# warning keeps its job for every other name in tests/test_template_caches.py.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

_default_db = f"sqlite:///{DATA_DIR / 'koers.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL", _default_db)
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("KOERS_DB_CONN_MAX_AGE", 60))}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL Koers understands: {exc}") from None
# A kept connection that PostgreSQL closed (restart, failover, pg_terminate_backend) is checked
# once per request before use and replaced, so only requests already running fail (a 503, see
# koers/lib/faults.py) and the next one works (docs/operations.md, "Faults").
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "transaction_mode": "IMMEDIATE"}
    )
# The tables' owner role, for migrations and the access log's retention purge (docs/running.md,
# "Het toegangslog beschermen"): `koers audit purge`, `koers audit grant` (migrations run with this
# URL as DATABASE_URL, since data migrations write through the default connection). The same
# database as DATABASE_URL under another role; the application itself never uses this connection.
DATABASE_OWNER_URL = os.environ.get("DATABASE_OWNER_URL", "")
if DATABASE_OWNER_URL:
    try:
        DATABASES["owner"] = dj_database_url.parse(DATABASE_OWNER_URL, conn_max_age=0)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_OWNER_URL is not a database URL Koers understands: {exc}") from None
    if DATABASES["owner"]["ENGINE"] != DATABASES["default"]["ENGINE"] or (
        DATABASES["owner"]["NAME"] != DATABASES["default"]["NAME"]
    ):
        raise ImproperlyConfigured("DATABASE_OWNER_URL must name the same database as DATABASE_URL (another role).")
    DATABASES["owner"]["TEST"] = {"MIRROR": "default"}
# A PostgreSQL streaming replica for population and analytics reads (docs/scaling.md): with it set,
# reads marked `koers.lib.db_router.routed("analytics")` go there; everything else stays on the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    try:
        DATABASES["replica"] = dj_database_url.parse(
            DATABASE_REPLICA_URL, conn_max_age=env_int("KOERS_DB_CONN_MAX_AGE", 60)
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL is not a database URL Koers understands: {exc}") from None
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASE_ROUTERS = ["koers.lib.db_router.ReplicaRouter"]
KOERS_REPLICA_LABELS = ("analytics", "population")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # must come first (throttling before checking)
    # Django's ModelBackend, reading the user with their organisation in one query (issue #18).
    "koers.accounts.backends.KoersModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; the suite creates many users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# A password-reset link works this long, and once (koers.accounts.password_reset).
PASSWORD_RESET_TIMEOUT = env_int("KOERS_PASSWORD_RESET_MINUTES", 60) * 60
# Within an hour: reset mails one account may get, and requests one client address may make
# before the page stops sending anything (same answer; koers.accounts.password_reset).
KOERS_PASSWORD_RESET_ACCOUNT_LIMIT = env_int("KOERS_PASSWORD_RESET_ACCOUNT_LIMIT", 3)
KOERS_PASSWORD_RESET_ADDRESS_LIMIT = env_int("KOERS_PASSWORD_RESET_ADDRESS_LIMIT", 10)
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes), each pattern with its own limit within the cool-off time
# (koers.accounts.lockout; docs/running.md): an account from one address (typos, guessing), one
# address trying many accounts, one account tried from many addresses (password spraying).
AXES_FAILURE_LIMIT = env_int("KOERS_LOGIN_FAILURE_LIMIT", 5)
KOERS_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("KOERS_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
KOERS_LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("KOERS_LOGIN_ACCOUNT_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = env_int("KOERS_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_HANDLER = "koers.accounts.lockout.KoersAxesHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "koers.accounts.views.locked_out"  # one Dutch page, same for every username
AXES_VERBOSE = False
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated), for the
# access log's client address and login throttling alike (koers/lib/client_ip.py).
KOERS_TRUSTED_PROXIES = env_list("KOERS_TRUSTED_PROXIES", [])
try:
    _parse_networks(KOERS_TRUSTED_PROXIES)
except ValueError as exc:
    raise ImproperlyConfigured(f"KOERS_TRUSTED_PROXIES: {exc}") from None
# Deprecated: without KOERS_TRUSTED_PROXIES, "whatever connects is the one proxy".
KOERS_BEHIND_PROXY = env_bool("KOERS_BEHIND_PROXY", False)
AXES_CLIENT_IP_CALLABLE = "koers.accounts.client_ip.client_ip"  # the proxy's view of the client, not a header

# Two-factor authentication: asked of anyone who has a confirmed device; of everyone when this is on.
KOERS_REQUIRE_2FA = env_bool("KOERS_REQUIRE_2FA", not (DEBUG or TESTING))
OTP_TOTP_ISSUER = "Koers"
# The admin never shows an authenticator's key or QR code: whoever sees it can make its codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Passkeys (WebAuthn) as a second factor (django-otp-webauthn; docs/running.md). The relying-party
# ID is the domain passkeys are bound to: changing it later makes every registered passkey useless.
# Origins are the exact addresses (scheme, host, port) the browser shows, https except localhost.
# Unset: the host KOERS_BASE_URL defaults to (a "*" in ALLOWED_HOSTS names none: then localhost).
KOERS_WEBAUTHN_RP_ID = os.environ.get("KOERS_WEBAUTHN_RP_ID", "") or (
    "localhost" if (DEBUG or TESTING) else (_named_host(ALLOWED_HOSTS) or "localhost")
)
OTP_WEBAUTHN_RP_ID = KOERS_WEBAUTHN_RP_ID
OTP_WEBAUTHN_RP_NAME = os.environ.get("KOERS_WEBAUTHN_RP_NAME", "Koers")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "KOERS_WEBAUTHN_ORIGINS",
    [f"https://{KOERS_WEBAUTHN_RP_ID}"] + (["http://localhost:8000"] if (DEBUG or TESTING) else []),
)
# A passkey is a second factor after the password, never a login on its own.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# SMART on FHIR access to the FHIR API (issue #15; koers.smart, docs/smart.md): django-oauth-toolkit
# at /o/. Access tokens live KOERS_SMART_ACCESS_TOKEN_MINUTES (10); a refresh token only with the
# scope offline_access, rotated on each use, dead KOERS_SMART_REFRESH_TOKEN_DAYS (30) after its
# access token expired. PKCE with S256 for every authorization code (koers.smart.server). Tokens
# are stored as checksums only (RFC 9700 token storage): the database and the admin never show one.
# DOT's models are swappable; naming them lets koers.smart's migrations point at them.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # nosec B105  # a setting's name, not a secret
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"  # nosec B105  # a setting's name, not a secret
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"  # nosec B105  # a setting's name, not a secret
OAUTH2_PROVIDER_DEVICE_GRANT_MODEL = "oauth2_provider.DeviceGrant"
OAUTH2_PROVIDER = {
    "OAUTH2_VALIDATOR_CLASS": "koers.smart.validators.SmartValidator",
    "OAUTH2_SERVER_CLASS": "koers.smart.server.SmartServer",
    "SCOPES_BACKEND_CLASS": "koers.smart.validators.SmartScopes",
    "ACCESS_TOKEN_EXPIRE_SECONDS": env_int("KOERS_SMART_ACCESS_TOKEN_MINUTES", 10) * 60,
    "REFRESH_TOKEN_EXPIRE_SECONDS": env_int("KOERS_SMART_REFRESH_TOKEN_DAYS", 30) * 24 * 3600,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ROTATE_REFRESH_TOKEN": True,  # nosec B105  # a setting's name, not a secret
    "REFRESH_TOKEN_REUSE_PROTECTION": True,  # nosec B105  # a setting's name, not a secret
    "PKCE_REQUIRED": True,
    "REQUEST_APPROVAL_PROMPT": "force",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if not DEBUG else ["https", "http"],
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,  # nosec B105  # a setting's name, not a secret
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,  # nosec B105  # a setting's name, not a secret
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,  # nosec B105  # a setting's name, not a secret
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,  # nosec B105  # a setting's name, not a secret
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    # RFC 9207: the authorization response names Koers as issuer (against mix-up attacks); the
    # same value as "issuer" in /fhir/.well-known/smart-configuration.
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
}

# Login through an OpenID Connect identity provider, e.g. DigiD through a broker (mozilla-django-oidc;
# docs/running.md, "Inloggen via DigiD of een andere identiteitsaanbieder"). Off unless a client
# id is set. Accounts are linked to the provider's subject, never created by a login.
KOERS_OIDC_ENABLED = bool(os.environ.get("KOERS_OIDC_CLIENT_ID"))
KOERS_OIDC_PROVIDER_NAME = os.environ.get("KOERS_OIDC_PROVIDER_NAME", "DigiD")
OIDC_RP_CLIENT_ID = os.environ.get("KOERS_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("KOERS_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("KOERS_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("KOERS_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("KOERS_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("KOERS_OIDC_JWKS_ENDPOINT", "") or None
OIDC_RP_SIGN_ALGO = os.environ.get("KOERS_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("KOERS_OIDC_SCOPES", "openid")
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = env_int("KOERS_OIDC_TIMEOUT_SECONDS", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc:callback"
# Which claim names the account ("sub" or "email"), and how the subject is matched.
KOERS_OIDC_ACCOUNT_CLAIM = os.environ.get("KOERS_OIDC_ACCOUNT_CLAIM", "sub")
if KOERS_OIDC_ACCOUNT_CLAIM not in {"sub", "email"}:
    raise ImproperlyConfigured("KOERS_OIDC_ACCOUNT_CLAIM must be 'sub' (a linked subject) or 'email'.")
# A login whose assurance claim holds one of these values counts as the second factor (eIDAS
# substantieel or hoog, DigiD Midden or higher). Empty: every such login still asks for Koers's own.
KOERS_OIDC_ASSURANCE_CLAIM = os.environ.get("KOERS_OIDC_ASSURANCE_CLAIM", "acr")
KOERS_OIDC_ASSURANCE_VALUES = env_list("KOERS_OIDC_ASSURANCE_VALUES", [])
if KOERS_OIDC_ENABLED:
    missing = [
        name
        for name, value in (
            ("KOERS_OIDC_AUTHORIZATION_ENDPOINT", OIDC_OP_AUTHORIZATION_ENDPOINT),
            ("KOERS_OIDC_TOKEN_ENDPOINT", OIDC_OP_TOKEN_ENDPOINT),
            ("KOERS_OIDC_USERINFO_ENDPOINT", OIDC_OP_USER_ENDPOINT),
            ("KOERS_OIDC_CLIENT_SECRET", OIDC_RP_CLIENT_SECRET),
        )
        if not value
    ]
    if OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")) and not OIDC_OP_JWKS_ENDPOINT:
        missing.append("KOERS_OIDC_JWKS_ENDPOINT")
    if missing:
        raise ImproperlyConfigured(f"KOERS_OIDC_CLIENT_ID is set, so these must be set too: {', '.join(missing)}")
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "koers.accounts.oidc.KoersOIDCBackend"]

# Activation codes (koers.accounts.activation): how many days a code stays valid per way of
# handing it over (a letter takes a few days to arrive and to be opened), how many wrong codes
# a session or an account may type before the code stops working, and how long a session waits.
# An open enrolment (koers.accounts.enrolment) lasts KOERS_ENROLMENT_MINUTES.
KOERS_ACTIVATION_DAYS = {
    "letter": env_int("KOERS_ACTIVATION_LETTER_DAYS", 14),
    "email": env_int("KOERS_ACTIVATION_EMAIL_DAYS", 3),
    "in_person": env_int("KOERS_ACTIVATION_IN_PERSON_DAYS", 1),
}
KOERS_ACTIVATION_FAILURE_LIMIT = env_int("KOERS_ACTIVATION_FAILURE_LIMIT", 5)
KOERS_ACTIVATION_COOLOFF_MINUTES = env_int("KOERS_ACTIVATION_COOLOFF_MINUTES", 15)
KOERS_ENROLMENT_MINUTES = 15

# Instruments licensed for non-commercial use only (WHO-5, CC BY-NC-SA 3.0 IGO): off unless the
# organisation confirms its use is non-commercial (docs/instruments.md).
KOERS_NONCOMMERCIAL_INSTRUMENTS = env_bool("KOERS_NONCOMMERCIAL_INSTRUMENTS", False)

# How long an invitation to a person's network (a link or a code) stays valid (koers.network.invitations).
KOERS_INVITATION_DAYS = env_int("KOERS_INVITATION_DAYS", 7)

# Care-plan versions: changes by one professional with less than this many minutes between them
# are one version (one consult or editing session; docs/decisions.md). 0: one version per change.
KOERS_CAREPLAN_SESSION_IDLE_MINUTES = env_int("KOERS_CAREPLAN_SESSION_IDLE_MINUTES", 60)
if not 0 <= KOERS_CAREPLAN_SESSION_IDLE_MINUTES <= 24 * 60:
    raise ImproperlyConfigured("KOERS_CAREPLAN_SESSION_IDLE_MINUTES must be between 0 and 1440 (one day).")

# Sessions expire after inactivity and on browser close.
SESSION_COOKIE_AGE = env_int("KOERS_SESSION_MINUTES", 30) * 60
if not 0 < SESSION_COOKIE_AGE <= 24 * 60 * 60:
    raise ImproperlyConfigured("KOERS_SESSION_MINUTES must be between 1 and 1440 (one day).")
# Django's database sessions, except that a read-only database does not turn every signed-in page
# into a 400 when only the expiry could not be renewed (koers/lib/faults.py).
SESSION_ENGINE = "koers.lib.faults"
# The session (and with it the idle timeout above) is written at most once a minute, not on
# every request: koers.accounts.middleware.SessionRefreshMiddleware (issue #18, "Speed").
SESSION_SAVE_EVERY_REQUEST = False
KOERS_SESSION_REFRESH_SECONDS = env_int("KOERS_SESSION_REFRESH_SECONDS", 60)
if not 0 <= KOERS_SESSION_REFRESH_SECONDS < SESSION_COOKIE_AGE:
    raise ImproperlyConfigured("KOERS_SESSION_REFRESH_SECONDS must be at least 0 and less than the session's age.")
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Messages live in the session, not in a cookie of their own: a message can name a person or carry
# a new portal account's first password, and a message cookie is signed but readable.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_SECURE = env_bool("KOERS_SECURE_COOKIES", not (DEBUG or TESTING))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the page (hx-headers), never from the cookie
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# The __Host- prefix makes a browser refuse the cookie unless it came over HTTPS, for exactly this
# host (no Domain) and the whole site (Path=/): a sibling subdomain or a plain-HTTP page cannot plant
# or overwrite a session, CSRF or language cookie. Needs secure cookies; Koers sets no cookie
# domain or path, so it is on whenever they are. KOERS_HOST_COOKIES=false for a deployment that
# must share cookies with a subdomain or serve Koers under a sub-path (docs/security.md).
KOERS_HOST_COOKIES = env_bool("KOERS_HOST_COOKIES", SESSION_COOKIE_SECURE)
if KOERS_HOST_COOKIES and not SESSION_COOKIE_SECURE:
    raise ImproperlyConfigured(
        "KOERS_HOST_COOKIES needs KOERS_SECURE_COOKIES=true: browsers refuse __Host- cookies without HTTPS."
    )
if KOERS_HOST_COOKIES:  # otherwise Django's names: sessionid, csrftoken, django_language
    SESSION_COOKIE_NAME = "__Host-koers_session"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-koers_language"
SECURE_SSL_REDIRECT = env_bool("KOERS_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("KOERS_HSTS_SECONDS", 0 if (DEBUG or TESTING) else 31536000)
if SECURE_HSTS_SECONDS < 0:
    raise ImproperlyConfigured("KOERS_HSTS_SECONDS must be 0 (off) or more.")
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KOERS_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
# The preload flag only allows submitting the domain to browsers' HSTS preload list (a separate,
# deliberate step); it is on with a year of HSTS, as `check --deploy` asks. Turn off with false.
SECURE_HSTS_PRELOAD = env_bool("KOERS_HSTS_PRELOAD", SECURE_HSTS_SECONDS >= 31536000)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if (KOERS_BEHIND_PROXY or KOERS_TRUSTED_PROXIES) else None
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp 4): only our own origin; no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# koers/static is not inside an app, so no app finder sees it: without this the CSS, htmx and
# koers.js were never served (found by the browser tests).
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("KOERS_STATIC_ROOT", DATA_DIR / "static"))

# Files that must never be served by the web server: the person's data exports (zip with JSON and a
# PDF). They live outside the web root, are read only through koers.exports' views (the person
# themself, logged) and are deleted 7 days after they are made (docs/export.md).
KOERS_PRIVATE_DIR = Path(os.environ.get("KOERS_PRIVATE_DIR", DATA_DIR / "private")).resolve()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Django's StaticFilesStorage with each asset's URL kept per name (koers/lib/static_storage.py).
    "staticfiles": {"BACKEND": "koers.lib.static_storage.KeptURLStaticFilesStorage"},
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": KOERS_PRIVATE_DIR / "exports",
            "base_url": None,
            "directory_permissions_mode": 0o700,
            "file_permissions_mode": 0o600,
        },
    },
    # A person's documents (koers.documents, docs/documents.md): outside the web root, streamed
    # only by the documents' views after the access layer said yes.
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": Path(os.environ.get("KOERS_DOCUMENTS_DIR", KOERS_PRIVATE_DIR / "documents")).resolve(),
            "base_url": None,
            "directory_permissions_mode": 0o700,
            "file_permissions_mode": 0o600,
        },
    },
}
# The largest document a person or professional may upload (bytes; docs/documents.md).
KOERS_DOCUMENT_MAX_BYTES = int(os.environ.get("KOERS_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024))

# Two queues: "default" (reminders, imports, exports) and "maintenance" (the kept tables' nightly
# repair, which can run for many minutes at 100,000 people). One `koers worker` takes both; a large
# installation runs one worker per queue so that reminders never wait (docs/running.md).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "KOERS_TASK_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.backend.DatabaseBackend",
        ),
        "QUEUES": ["default", "maintenance"],
    }
}
# Redis instead of the database queue (pip install 'koers[redis]'; docs/running.md):
# KOERS_TASK_BACKEND=django_tasks_rq.RQBackend and KOERS_REDIS_URL.
if TASKS["default"]["BACKEND"].startswith("django_tasks_rq."):
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    _REDIS_URL = os.environ.get("KOERS_REDIS_URL", "redis://127.0.0.1:6379/0")
    RQ_QUEUES = {name: {"URL": _REDIS_URL} for name in TASKS["default"]["QUEUES"]}

EMAIL_BACKEND = os.environ.get(
    "KOERS_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
# The population view (issue #16, docs/population.md): a count of fewer people than this is never
# shown, nor given back by difference (koers.lib.suppression). At least 1; 10 unless set.
KOERS_MIN_CELL = env_int("KOERS_MIN_CELL", 10)
if KOERS_MIN_CELL < 1:
    raise ImproperlyConfigured("KOERS_MIN_CELL must be at least 1")

DEFAULT_FROM_EMAIL = os.environ.get("KOERS_FROM_EMAIL", "koers@localhost")

# Request paths and query strings reach three Django loggers; RedactURLs rewrites them first, so
# no feed token, measurement or questionnaire code or search term lands in a log
# (koers/lib/logs.py, docs/security.md). "django.server" keeps Django's own handler and format
# (runserver's request lines), which naming the logger here would otherwise remove.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_urls": {"()": "koers.lib.logs.RedactURLs"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server", "level": "INFO"},
    },
    "loggers": {
        "django.request": {"filters": ["redact_urls"]},
        "django.security.csrf": {"filters": ["redact_urls"]},
        "django.server": {
            "handlers": ["django.server"],
            "filters": ["redact_urls"],
            "level": "INFO",
            "propagate": False,
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("KOERS_LOG_LEVEL", "WARNING")},
}
