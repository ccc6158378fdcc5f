"""The Django admin never becomes a way around the access layer."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.people.models import Person
from tests.support.testing import verified


def _points_at_a_person(model) -> bool:
    """A model holds person data when it is the person or has its own relation to one (any name).
    Accounts (``accounts.User``) are pointed at by the person, not the other way round: the user
    admin shows staff accounts only, and tests/test_admin_accounts.py proves person and relative
    accounts are not listed, searched or opened there."""
    if model is Person:
        return True
    return any(field.concrete and getattr(field, "related_model", None) is Person for field in model._meta.get_fields())


def person_data_models() -> list:
    return [
        model for model in apps.get_models() if model.__module__.startswith("koers.") and _points_at_a_person(model)
    ]


def test_no_person_data_model_is_registered_in_the_admin():
    """Derived, not listed: a new model that points at a person fails here the day it is
    registered, whichever app it lives in (the list used to name 7 of the 12 apps)."""
    models = person_data_models()
    registered = [model._meta.label for model in models if model in admin.site._registry]
    assert registered == []
    # Not vacuous: the derivation finds every app whose code declares a relation to a person,
    # read from the source (a second derivation, so neither can quietly lose an app).
    assert apps_declaring_a_person_relation() <= {model._meta.app_label for model in models}
    assert len(apps_declaring_a_person_relation()) >= 12


PERSON_RELATION = re.compile(
    r"(ForeignKey|OneToOneField|ManyToManyField)\(\s*(\"people\.Person\"|'people\.Person'|Person\b)"
)


def apps_declaring_a_person_relation() -> set[str]:
    """The apps under koers/ whose runtime code declares a field that points at a person."""
    koers = Path(__file__).resolve().parents[1] / "koers"
    found = {"people"}
    for path in koers.rglob("*.py"):
        parts = path.relative_to(koers).parts
        if len(parts) > 1 and not {"tests", "migrations"} & set(parts):
            if PERSON_RELATION.search(path.read_text(encoding="utf-8")):
                found.add(parts[0])
    return found


@pytest.mark.django_db
def test_the_admin_never_shows_a_second_factor_secret(cast, client):
    """Whoever sees an authenticator's key can make its codes: the admin hides it
    (OTP_ADMIN_HIDE_SENSITIVE_DATA), on the list and on the device's own page."""
    device = TOTPDevice.objects.create(user=cast.noor, name="telefoon", confirmed=True)
    verified(client, cast.ada)
    listing = client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert listing.status_code == page.status_code == 200
    for response in (listing, page):
        html = response.content.decode()
        assert device.key not in html
        assert "qrcode" not in html.lower()
