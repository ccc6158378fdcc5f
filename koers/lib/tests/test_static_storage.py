"""``KeptURLStaticFilesStorage`` answers every name as Django's ``StaticFilesStorage`` does (issue #18)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.test import override_settings

from koers.lib import static_storage
from koers.lib.static_storage import KeptURLStaticFilesStorage

NAMES = ["koers/koers.css", "vendor/htmx-2.0.11.min.js", "a b/ç?.css", "x#y", "/absolute.css", "goals/goals.css"]


def test_production_settings_name_the_kept_storage():
    import koers.settings as production

    assert production.STORAGES["staticfiles"]["BACKEND"] == "koers.lib.static_storage.KeptURLStaticFilesStorage"


def test_the_kept_urls_are_djangos():
    kept, plain = KeptURLStaticFilesStorage(), StaticFilesStorage()
    for _ in range(2):  # the second time from the store
        assert [kept.url(n) for n in NAMES] == [plain.url(n) for n in NAMES]
    assert set(kept._urls) == set(NAMES)


def test_a_new_static_url_gives_new_answers():
    with override_settings(STATIC_URL="/assets/"):
        assert KeptURLStaticFilesStorage().url("koers/koers.css") == "/assets/koers/koers.css"
    assert KeptURLStaticFilesStorage().url("koers/koers.css") == settings.STATIC_URL + "koers/koers.css"


def test_the_store_is_bounded(monkeypatch):
    monkeypatch.setattr(static_storage, "LIMIT", 3)
    kept = KeptURLStaticFilesStorage()
    for n in NAMES:
        assert kept.url(n) == StaticFilesStorage().url(n)
    assert len(kept._urls) <= 3
