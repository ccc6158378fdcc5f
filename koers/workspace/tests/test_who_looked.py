"""The person's "who looked" page names what was looked at in words, not codes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse

from koers.access import Category
from koers.audit import log as audit_log
from koers.audit.models import AccessLogEntry
from koers.workspace.who_looked import OBJECT_TYPES, object_type_label
from tests.support.testing import make_full_record


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


def _page(login, user, **params):
    return login(user).get(reverse("workspace:portal_log"), params)


@pytest.mark.django_db
def test_a_refused_professional_is_shown_with_role_and_purpose_in_words(cast, login):
    login(cast.sam).get(reverse("workspace:person", args=[cast.anna.pk]))  # not in Anna's care team
    login(cast.noor).get(reverse("workspace:person", args=[cast.anna.pk]))
    response = _page(login, cast.anna_user)
    body = response.content.decode()
    rows = {(e.outcome, e.user_id): e for e in response.context["page"]}
    refused = rows[("refused", cast.sam.pk)]
    assert refused.who == "Sam" and refused.role_words == "Zorgverlener – Huisarts"
    assert refused.purpose_words == "Zorgverlening"
    looked = rows[("success", cast.noor.pk)]
    assert looked.role_words == "Zorgverlener – Praktijkondersteuner (POH)"
    for shown in ("Geweigerd", "Praktijkondersteuner (POH)", "Zorgverlening", "Praktijk Elders"):
        assert shown in body
    assert "professional:" not in body and "treatment" not in body


@pytest.mark.django_db
def test_a_refused_client_or_relative_is_not_named(cast, login):
    login(cast.bas_user).get(reverse("workspace:person", args=[cast.anna.pk]))
    login(cast.rob).get(reverse("workspace:person", args=[cast.anna.pk]))
    assert AccessLogEntry.objects.filter(person_id=cast.anna.pk, outcome="refused").count() == 2
    response = _page(login, cast.anna_user)
    body = response.content.decode()
    refused = [e for e in response.context["page"] if e.outcome == "refused"]
    assert len(refused) == 2
    assert {e.who for e in refused} == {"Iemand anders, geen zorgverlener"}
    assert {e.role_words for e in refused} == {""}
    assert "Bas" not in body and "Smit" not in body and "Rob" not in body


@pytest.mark.django_db
def test_a_refused_attempt_before_the_record_existed_is_not_the_persons(cast, login):
    # Someone tried this person id before Anna was registered under it.
    audit_log.record(
        user=cast.sam,
        action="R",
        person_id=cast.anna.pk,
        object_type="overview",
        outcome="refused",
        when=cast.anna.created_at - dt.timedelta(days=3),
    )
    entries = list(_page(login, cast.anna_user).context["page"])
    assert not [e for e in entries if e.outcome == "refused"]


@pytest.mark.django_db
def test_a_refused_object_id_that_was_not_in_the_record_is_not_the_persons(cast, login):
    bas_goal = make_full_record(cast.bas, professional=cast.noor)["goal_id"]
    response = login(cast.noor).get(reverse("goals:detail", args=[cast.anna.pk, bas_goal.pk]))
    assert response.status_code == 404
    refusal = AccessLogEntry.objects.get(outcome="refused", object_type="goals.Goal")
    assert refusal.person_id == cast.anna.pk  # logged, as every refusal is
    for person, user in ((cast.anna, cast.anna_user), (cast.bas, cast.bas_user)):
        entries = list(_page(login, user).context["page"])
        assert refusal.pk not in {e.pk for e in entries}, person
