"""Issue #14: a condition picked from the catalogue is stored with its Dutch name; shown, it
follows the language of the page. A name typed by hand stays as typed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from koers.people import catalogue, services

pytestmark = pytest.mark.django_db


def page(client, user, name, *args, language="nl") -> str:
    client.force_login(user)
    try:
        return client.get(reverse(f"people:{name}", args=args), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    finally:
        translation.activate("nl")


def test_catalogue_condition_names_follow_the_language(cast, client):
    entry = catalogue.by_key("dm2")
    services.condition_add(
        actor=cast.noor, person=cast.anna, display=entry.display, code_system=entry.code_system, code=entry.code
    )
    services.condition_add(actor=cast.noor, person=cast.anna, display="Last van de knie na val")
    for user, name, args in ((cast.anna_user, "portal_profile", ()), (cast.noor, "profile", (cast.anna.pk,))):
        english = page(client, user, name, *args, language="en")
        assert "Type 2 diabetes mellitus" in english and "Diabetes mellitus type 2" not in english
        assert "Last van de knie na val" in english  # typed by hand: as typed
        assert "Diabetes mellitus type 2" in page(client, user, name, *args)


def test_every_catalogue_condition_has_an_english_name():
    with translation.override("en"):
        names = {entry.key: entry.label for entry in catalogue.entries()}
    assert all(names.values())
    untranslated = [key for key, name in names.items() if name == catalogue.by_key(key).display and key not in
                    catalogue.SAME_IN_ENGLISH]  # fmt: skip
    assert untranslated == []


def test_the_source_names_are_the_names_in_the_data_file():
    with translation.override("nl"):
        assert {entry.key: entry.label for entry in catalogue.entries()} == {
            entry.key: entry.display for entry in catalogue.entries()
        }
