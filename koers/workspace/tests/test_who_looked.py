"""The person's "who looked" page names what was looked at in words, not codes."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse

from koers.access import Category
from koers.audit import log as audit_log
from koers.workspace.who_looked import OBJECT_TYPES, object_type_label


def test_known_types_have_a_name_and_unknown_ones_keep_their_code():
    assert object_type_label("goals.Goal") == "Doel"
    assert object_type_label("overview") == "Overzicht"
    assert object_type_label("caseload") == "Cliëntenlijst"
    assert object_type_label("monitoring.Measurement") == "Andere gegevens (monitoring.Measurement)"
    assert object_type_label("") == "Gegevens"


def test_every_data_category_has_a_name():
    # A page without an object of its own logs its category; a new category needs a name here.
    assert [c.value for c in Category if c.value not in OBJECT_TYPES] == []


def test_every_model_about_a_person_has_a_name():
    """Rows written by ``access.record(obj)`` carry the model's label (``app.Model``)."""
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("koers.")
        and any(f.name == "person" for f in model._meta.get_fields())
        and model._meta.label not in OBJECT_TYPES
        and model._meta.label != "audit.AccessLogEntry"
    ]
    assert missing == [], f"give these a name in koers/workspace/who_looked.py OBJECT_TYPES: {missing}"


@pytest.mark.django_db
def test_the_page_shows_the_names(cast, login):
    for object_type in ("goals.Goal", "overview", "caseload", "unheard.Of"):
        audit_log.record(user=cast.noor, action="R", person=cast.anna, object_type=object_type, object_id=1)
    client = login(cast.anna_user)
    html = client.get(reverse("workspace:portal_log")).content.decode()
    for shown in ("Doel: bekeken", "Overzicht: bekeken", "Cliëntenlijst: bekeken", "Andere gegevens (unheard.Of)"):
        assert shown in html
    assert "goals.Goal" not in html and ">caseload" not in html
