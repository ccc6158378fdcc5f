"""Conditions, medication and the support level are the care plan's health section (issue #13):
changing them now makes a plan version (or joins the open editing session), with a change note in
plain Dutch that belongs to the health section, so a reader without conditions and medication (a
social worker, a peer expert) sees neither the section nor its note.

Before, people's clinical services told the plan nothing: the health section only reached the plan
at its next version, made for another reason."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from koers.accounts.models import User
from koers.careplans.models import CarePlanVersion
from koers.goals.services import goal_create
from koers.network.services import care_team_assign
from koers.people import hooks, services
from koers.people.models import SupportLevel
from tests.support.testing import make_user

pytestmark = pytest.mark.django_db


def versions(person):
    return list(CarePlanVersion.objects.filter(care_plan__person=person).order_by("number"))


def latest(person):
    return versions(person)[-1]


@pytest.fixture
def sessions(settings):
    """The production session window (the test settings make every change a version)."""
    settings.KOERS_CAREPLAN_SESSION_IDLE_MINUTES = 60


@pytest.fixture
def planned(cast):
    """Anna with a care plan: one goal, so version 1."""
    goal_create(actor=cast.noor, person=cast.anna, description="Weer wandelen", life_domain="health")
    assert [v.number for v in versions(cast.anna)] == [1]
    return cast


def test_a_medicine_started_changed_and_stopped_each_make_a_version(planned):
    cast = planned
    medicine = services.medication_add(actor=cast.noor, person=cast.anna, name="Sertraline", dosage="50 mg")
    added = latest(cast.anna)
    assert added.number == 2 and added.summary_text == "Medicatie gestart: Sertraline 50 mg"
    assert added.changes[0]["section"] == hooks.HEALTH_SECTION == "health"
    assert [m["medicine"] for m in added.snapshot["health"]["medications"]] == ["Sertraline"]

    services.medication_update(actor=cast.noor, medication=medicine, dosage="100 mg")
    changed = latest(cast.anna)
    assert changed.number == 3 and changed.summary_text == "Medicatie gewijzigd: Sertraline 100 mg"

    services.medication_update(actor=cast.noor, medication=medicine, dosage="100 mg")  # nothing changed
    assert latest(cast.anna).number == 3

    services.medication_stop(actor=cast.noor, medication=medicine, reason="Bijwerkingen")
    stopped = latest(cast.anna)
    assert stopped.number == 4 and stopped.summary_text == "Medicatie gestopt: Sertraline"
    assert stopped.snapshot["health"]["medications"] == []


def test_conditions_added_changed_over_or_a_mistake_each_make_a_version(planned):
    cast = planned
    diabetes = services.condition_add(actor=cast.noor, person=cast.anna, display="Diabetes type 2")
    assert latest(cast.anna).summary_text == "Aandoening toegevoegd: Diabetes type 2"
    services.condition_update(actor=cast.noor, condition=diabetes, clinical_status="remission")
    assert latest(cast.anna).summary_text == "Aandoening gewijzigd: Diabetes type 2"
    number = latest(cast.anna).number
    services.condition_update(actor=cast.noor, condition=diabetes, note="Alleen een notitie")
    assert latest(cast.anna).number == number  # the note is not in the plan: no version
    services.condition_resolve(actor=cast.noor, condition=diabetes, reason="Genezen")
    assert latest(cast.anna).summary_text == "Aandoening is over: Diabetes type 2"
    asthma = services.condition_add(actor=cast.noor, person=cast.anna, display="Astma")
    services.condition_remove(actor=cast.noor, condition=asthma, reason="Verkeerde persoon")
    last = latest(cast.anna)
    assert last.summary_text == "Aandoening per ongeluk vastgelegd en weggehaald: Astma"
    assert last.snapshot["health"]["conditions"] == []
    assert all(v.changes[0].get("section") == "health" for v in versions(cast.anna)[1:])


def test_a_support_level_decision_makes_a_version_in_the_readers_language(planned):
    cast = planned
    services.support_level_decide(
        actor=cast.noor, person=cast.anna, level=SupportLevel.CHAIN_CARE, agreed_with_person=True
    )
    decided = latest(cast.anna)
    assert decided.summary_text == "Ondersteuningsniveau vastgesteld: Ketenzorg"
    assert decided.snapshot["health"]["support_level"]["support_level"] == "chain_care"
    with translation.override("en"):
        assert decided.summary_text == "Support level set: Chain care"


def test_changes_in_one_session_join_the_open_version(planned, sessions):
    cast = planned
    services.medication_add(actor=cast.noor, person=cast.anna, name="Metformine", dosage="500 mg")
    services.condition_add(actor=cast.noor, person=cast.anna, display="Diabetes type 2")
    assert [v.number for v in versions(cast.anna)] == [1]
    assert latest(cast.anna).summary_lines == [
        "Doel toegevoegd: Weer wandelen",
        "Medicatie gestart: Metformine 500 mg",
        "Aandoening toegevoegd: Diabetes type 2",
    ]


def test_before_the_first_version_there_is_nothing_to_version(cast):
    services.medication_add(actor=cast.noor, person=cast.anna, name="Sertraline")
    assert versions(cast.anna) == []


def test_a_social_worker_sees_neither_the_health_section_nor_its_note(planned, login):
    cast = planned
    worker = make_user("wim", organisation=cast.gp_practice, discipline=User.Discipline.SOCIAL_WORKER)
    care_team_assign(actor=cast.noor, person=cast.anna, professional=worker)
    services.medication_add(actor=cast.noor, person=cast.anna, name="Sertraline", dosage="50 mg")
    number = latest(cast.anna).number
    pk = cast.anna.pk
    pages = [
        reverse("careplans:versions", kwargs={"person_id": pk}),
        reverse("careplans:version", kwargs={"person_id": pk, "number": number}),
        reverse("careplans:plan", kwargs={"person_id": pk}),
    ]
    client = login(worker)
    for address in pages:
        html = client.get(address).content.decode()
        assert "Sertraline" not in html and "Medicatie gestart" not in html, address
    client = login(cast.noor)
    assert "Medicatie gestart: Sertraline 50 mg" in client.get(pages[0]).content.decode()
