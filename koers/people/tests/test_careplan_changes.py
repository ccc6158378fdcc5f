"""What matters, the person's values and the care team are part of the care plan: once the plan has
a version, changing them makes the next version, in the same transaction as the change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from koers.careplans.models import CarePlanVersion
from koers.goals.services import goal_create
from koers.network import services as network_services
from koers.network.models import CareTeamMember
from koers.people import services
from koers.people.models import Profile


def versions(person):
    return list(CarePlanVersion.objects.filter(care_plan__person=person).order_by("number"))


@pytest.fixture
def planned(cast):
    """Anna with a care plan: one goal, so version 1."""
    goal_create(actor=cast.noor, person=cast.anna, description="Weer wandelen", life_domain="health")
    assert [v.number for v in versions(cast.anna)] == [1]
    return cast


def test_the_person_writing_what_matters_makes_a_new_version(planned):
    cast = planned
    services.profile_update(actor=cast.anna_user, person=cast.anna, what_matters="Mijn kleinkinderen zien.")
    latest = versions(cast.anna)[-1]
    assert latest.number == 2 and latest.created_by == cast.anna_user
    assert latest.summary_text == "‘Wat voor mij belangrijk is’ bijgewerkt"
    assert latest.snapshot["person"]["what_matters"] == "Mijn kleinkinderen zien."


def test_values_and_both_together_say_what_changed(planned):
    cast = planned
    services.profile_update(actor=cast.noor, person=cast.anna, values="Zelfstandig blijven.")
    assert versions(cast.anna)[-1].summary_text == "‘Mijn waarden en wensen’ bijgewerkt"
    services.profile_update(actor=cast.noor, person=cast.anna, what_matters="Tuinieren.", values="Rust.")
    latest = versions(cast.anna)[-1]
    assert latest.number == 3
    assert latest.summary_text == "‘Wat voor mij belangrijk is’ en ‘Mijn waarden en wensen’ bijgewerkt"
    assert latest.snapshot["person"] == {"what_matters": "Tuinieren.", "values": "Rust."}


def test_other_profile_fields_and_unchanged_words_make_no_version(planned):
    cast = planned
    services.profile_update(actor=cast.noor, person=cast.anna, smoking="never", alcohol_units_per_week=2)
    services.profile_update(actor=cast.noor, person=cast.anna, what_matters="")  # was empty already
    assert [v.number for v in versions(cast.anna)] == [1]


def test_adding_and_ending_care_team_members_make_versions(planned):
    cast = planned
    network_services.care_team_assign(actor=cast.noor, person=cast.anna, professional=cast.cor)
    added = versions(cast.anna)[-1]
    assert added.number == 2 and added.created_by == cast.noor
    assert added.summary_text == "Zorgteam: Cor toegevoegd"
    assert cast.cor.pk in [m["id"] for m in added.snapshot["care_team"]]

    # Assigning someone already in the team changes nothing.
    network_services.care_team_assign(actor=cast.noor, person=cast.anna, professional=cast.cor)
    assert len(versions(cast.anna)) == 2

    membership = CareTeamMember.objects.get(person=cast.anna, professional=cast.gert, ended_at=None)
    network_services.care_team_end(actor=cast.noor, membership=membership)
    ended = versions(cast.anna)[-1]
    assert ended.number == 3 and ended.summary_text == "Zorgteam: Gert de Vries is niet meer betrokken"
    assert cast.gert.pk not in [m["id"] for m in ended.snapshot["care_team"]]


def test_no_plan_yet_means_no_empty_plan(cast):
    services.profile_update(actor=cast.anna_user, person=cast.anna, what_matters="Mijn hond.")
    network_services.care_team_assign(actor=cast.noor, person=cast.anna, professional=cast.cor)
    assert versions(cast.anna) == []
    dirk, _password = services.person_register(
        actor=cast.noor, given_name="Dirk", family_name="Mulder", birth_date=dt.date(1950, 1, 1)
    )
    assert versions(dirk) == []
    # The first version holds them as they are then.
    goal_create(actor=cast.noor, person=cast.anna, description="Weer wandelen", life_domain="health")
    (first,) = versions(cast.anna)
    assert first.snapshot["person"]["what_matters"] == "Mijn hond."
    assert cast.cor.pk in [m["id"] for m in first.snapshot["care_team"]]


def test_change_and_version_are_one_transaction(planned, monkeypatch):
    cast = planned

    def broken(**kwargs):
        raise ValidationError("plan kon niet worden opgeslagen")

    monkeypatch.setattr("koers.careplans.services.care_plan_record_change", broken)
    with pytest.raises(ValidationError):
        services.profile_update(actor=cast.anna_user, person=cast.anna, what_matters="Verloren?")
    assert Profile.objects.get(person=cast.anna).what_matters == ""
    with pytest.raises(ValidationError):
        network_services.care_team_assign(actor=cast.noor, person=cast.anna, professional=cast.cor)
    assert not CareTeamMember.objects.filter(person=cast.anna, professional=cast.cor).exists()
    assert [v.number for v in versions(cast.anna)] == [1]
