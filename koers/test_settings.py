"""Settings for the test suite: the real settings with test-only speed-ups."""

import os

os.environ["KOERS_TESTING"] = "true"
os.environ.setdefault("KOERS_REQUIRE_2FA", "false")

from koers.settings import *  # noqa: E402,F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = True
