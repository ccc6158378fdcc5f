"""Django's ``StaticFilesStorage`` with each asset's URL worked out once per storage (issue #18).

``{% static %}`` asks the storage for the URL of a file on every render; ``StaticFilesStorage.url``
quotes the name and joins it to ``STATIC_URL`` with ``urljoin`` each time: 20–45 µs, five times on
every page that extends ``base.html``. The URL depends on nothing but the name and the storage's
own settings (``STATIC_URL``), and Django makes a new storage when those change (its
``static_storage_changed`` signal in tests; a restart in production), so the answers are kept on the
storage itself: the same strings, kept per name. Only the names of files in the templates come
here (no person data); the store is emptied if it ever holds ``LIMIT`` names.
"""

from __future__ import annotations

from django.contrib.staticfiles.storage import StaticFilesStorage

LIMIT = 4096


class KeptURLStaticFilesStorage(StaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name):
        found = self._urls.get(name) if isinstance(name, str) else None
        if found is None:
            found = super().url(name)
            if isinstance(name, str):
                if len(self._urls) >= LIMIT:
                    self._urls.clear()
                self._urls[name] = found
        return found
