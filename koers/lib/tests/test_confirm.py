"""koers.lib.confirm: only an explicit 'ja' from the confirmation page's POST counts."""

from __future__ import annotations

from django.test import RequestFactory

from koers.lib import confirm


def test_only_a_post_with_the_confirmation_field_is_confirmed():
    factory = RequestFactory()
    assert not confirm.is_confirmed(factory.get("/x/", {"bevestigd": "ja"}))  # a link cannot confirm
    assert not confirm.is_confirmed(factory.post("/x/"))  # an old one-click form
    assert not confirm.is_confirmed(factory.post("/x/", {"bevestigd": "nee"}))
    assert confirm.is_confirmed(factory.post("/x/", {"bevestigd": "ja"}))
