"""Fixtures for the security tests (helpers are in ``helpers.py``)."""

from __future__ import annotations

import pytest


@pytest.fixture
def require_2fa(settings):
    """KOERS_REQUIRE_2FA on, as in production (the test settings turn it off)."""
    settings.KOERS_REQUIRE_2FA = True
    return settings
