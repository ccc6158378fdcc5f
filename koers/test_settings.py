"""Settings for the test suite: the real settings with test-only speed-ups."""

import os

os.environ["KOERS_TESTING"] = "true"
os.environ.setdefault("KOERS_REQUIRE_2FA", "false")

from koers.settings import *  # noqa: E402,F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "koers.lib.static_storage.KeptURLStaticFilesStorage"},
    "exports": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = True
# Every app's tests see each plan change as its own version (what they assert: the change was
# recorded); the care-plan tests of sessions switch the window on (fixture ``sessions``,
# koers/careplans/tests/conftest.py).
KOERS_CAREPLAN_SESSION_IDLE_MINUTES = 0
