"""The settings of the researchers' commands (``koers gas|score|change|analyse``).

They compute from numbers and files, so they need Koers' languages and translations and
nothing of a deployment: no secret key, no database, no installed apps. ``koers.settings``
is not read (it refuses to start without a secret key), and ``DJANGO_SETTINGS_MODULE`` is
ignored. Keep the language values in step with ``koers/settings.py``.
"""

from __future__ import annotations

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
# The apps whose translations these commands use (without INSTALLED_APPS, Django finds an
# app's catalogue only through LOCALE_PATHS).
TRANSLATED_APPS = ("questionnaires", "monitoring", "goals")


# Django wants a value; these computations sign nothing, so it is no secret.
NOTHING_IS_SIGNED = "not-used-by-pure-computations"


def values() -> dict:
    return {
        "DEBUG": False,
        "SECRET_KEY": NOTHING_IS_SIGNED,
        "INSTALLED_APPS": [],
        "DATABASES": {},
        "LANGUAGE_CODE": "nl",
        "LANGUAGES": [("nl", "Nederlands"), ("en", "English")],
        "LOCALE_PATHS": [BASE_DIR / app / "locale" for app in TRANSLATED_APPS] + [BASE_DIR / "locale"],
        "TIME_ZONE": "Europe/Amsterdam",
        "USE_I18N": True,
        "USE_TZ": True,
        "LOGGING_CONFIG": None,
    }


def configure() -> None:
    """Configure Django with these values (once) and set it up."""
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(**values())
    django.setup(set_prefix=False)
