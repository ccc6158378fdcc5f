"""The crisis plan's services: who may write (the table decides), what is checked, what is kept.

Every write leaves one access-log row and a care-plan version; a refusal is the missing-record
404 with a refused row and writes nothing; a bad phone number is refused with a clear message.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koers import access
from koers.audit.models import AccessLogEntry
from koers.careplans.models import CarePlanVersion
from koers.careplans.presentation import describe
from koers.careplans.snapshot import build_snapshot, compare
from koers.crisisplans import selectors, services
from koers.crisisplans.models import CrisisPhase, CrisisPlan, CrisisSign
from koers.crisisplans.tests.conftest import save_phase
from koers.network.services import consent_set

pytestmark = pytest.mark.django_db


def rows(**filters):
    return AccessLogEntry.objects.filter(**filters).count()


def versions(person):
    return CarePlanVersion.objects.filter(care_plan__person=person)


def test_the_person_saves_a_phase_logged_and_versioned(cast, early):
    assert early.phase == "early_signs"
    assert early.self_care == ["Wandelen"]
    assert early.contacts == [{"name": "Noor", "relation": "praktijkondersteuner", "phone": "06 12345678"}]
    assert [s.text for s in CrisisSign.objects.filter(plan__person=cast.anna)] == ["Slecht slapen", "Piekeren"]
    log = AccessLogEntry.objects.get(user=cast.anna_user, action="U", object_type="crisisplans.CrisisPhase")
    assert (log.outcome, log.person_id, log.object_id) == ("success", cast.anna.pk, str(early.pk))
    version = versions(cast.anna).get()
    assert version.changes == [
        {
            "msgid": "Crisisplan gewijzigd: %(part)s",
            "params": {"part": {"msgid": "Vroege signalen"}},
            "section": "crisis_plan",  # hidden from readers without the crisis-plan topic
        }
    ]
    phases = version.snapshot["crisis_plan"]["phases"]
    assert [p["id"] for p in phases] == ["early_signs"]
    assert phases[0]["signs"] == ["Slecht slapen", "Piekeren"]


@pytest.mark.parametrize("writer", ["noor", "gert"])
def test_the_care_team_writes_the_plan(cast, writer):
    actor = getattr(cast, writer)
    save_phase(actor, cast.anna, phase="crisis", others_do=["Blijf rustig"])
    assert CrisisPhase.objects.get(plan__person=cast.anna, phase="crisis").others_do == ["Blijf rustig"]
    assert rows(user=actor, action="U", outcome="success", person=cast.anna) == 1


@pytest.mark.parametrize("outsider", ["rob", "sam", "cor", "pieter", "mia", "ada", "bas_user"])
def test_anyone_else_is_refused_like_a_missing_record_and_nothing_is_written(cast, outsider):
    user = getattr(cast, outsider)
    if outsider == "rob":  # even with the crisis plan shared: a relative reads, never writes
        consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic="crisis_plan", granted=True)
    with pytest.raises(access.NotFound):
        save_phase(user, cast.anna, signs=["Slecht slapen"])
    with pytest.raises(access.NotFound):
        services.crisis_plan_agreements_update(
            actor=user, person=cast.anna, takeover="x", medication_wishes="", where_to_go="", care_for_others=""
        )
    assert rows(user=user, outcome="refused", person=cast.anna) == 2
    assert not CrisisPlan.objects.exists()
    assert not versions(cast.anna).exists()


def test_a_professional_whose_crisis_plan_topic_was_withdrawn_is_refused(cast):
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.gert, topic="crisis_plan", granted=False)
    with pytest.raises(access.NotFound):
        save_phase(cast.gert, cast.anna, signs=["Slecht slapen"])
    assert not CrisisPlan.objects.exists()


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ({"name": "Noor", "relation": "", "phone": "06 123"}, "Dit telefoonnummer klopt niet"),
        ({"name": "Noor", "relation": "", "phone": "bel mij"}, "Dit telefoonnummer klopt niet"),
        ({"name": "", "relation": "zus", "phone": "06 12345678"}, "Schrijf de naam op"),
    ],
)
def test_a_contact_that_cannot_be_called_is_refused_with_a_clear_message(cast, contact, message):
    with pytest.raises(ValidationError) as error:
        save_phase(cast.anna_user, cast.anna, signs=["Slecht slapen"], contacts=[contact])
    assert any(message in m for m in error.value.message_dict["contacts"])
    assert not CrisisPlan.objects.exists()
    assert not CrisisSign.objects.exists()
    assert not versions(cast.anna).exists()


def test_an_empty_contact_row_is_left_out(cast):
    phase = save_phase(cast.anna_user, cast.anna, contacts=[{"name": " ", "relation": "", "phone": ""}])
    assert phase.contacts == []


def test_too_many_or_too_long_lines_and_an_unknown_phase_are_refused(cast):
    with pytest.raises(ValidationError) as error:
        save_phase(cast.anna_user, cast.anna, triggers=[f"Regel {n}" for n in range(21)], self_care=["x" * 201])
    assert set(error.value.message_dict) == {"triggers", "self_care"}
    with pytest.raises(ValidationError):
        save_phase(cast.anna_user, cast.anna, phase="somewhere")
    assert not CrisisPlan.objects.exists()


def test_a_sign_keeps_its_id_while_its_words_stay_and_comes_back_with_the_same_id(cast, early):
    ids = {s.text: s.pk for s in CrisisSign.objects.all()}
    save_phase(cast.anna_user, cast.anna, signs=["piekeren", "Boos worden"])
    active = {s.text: s.pk for s in selectors.active_signs(cast.anna, "early_signs")}
    assert active["piekeren"] == ids["Piekeren"]  # same sign, new spelling
    assert "Slecht slapen" not in active
    retired = CrisisSign.objects.get(pk=ids["Slecht slapen"])
    assert retired.retired_at is not None  # kept: a report may point to it
    save_phase(cast.anna_user, cast.anna, signs=["Slecht slapen"])
    assert [s.pk for s in selectors.active_signs(cast.anna, "early_signs")] == [ids["Slecht slapen"]]


def test_signs_of_one_phase_are_not_those_of_another(cast, early):
    save_phase(cast.anna_user, cast.anna, phase="crisis", signs=["Slecht slapen"])
    assert (
        selectors.active_signs(cast.anna, "crisis").get().pk != selectors.active_signs(cast.anna, "early_signs")[0].pk
    )


def test_the_agreements_are_saved_logged_and_versioned(cast):
    plan = services.crisis_plan_agreements_update(
        actor=cast.noor,
        person=cast.anna,
        takeover=" Mijn zus regelt de post ",
        medication_wishes="Geen haloperidol",
        where_to_go="Liever thuis",
        care_for_others="De buren zorgen voor de kat",
    )
    assert plan.takeover == "Mijn zus regelt de post"
    assert plan.updated_by == cast.noor
    assert rows(user=cast.noor, action="U", object_type="crisisplans.CrisisPlan", outcome="success") == 1
    snapshot = versions(cast.anna).get().snapshot["crisis_plan"]
    assert snapshot["agreements"]["care_for_others"] == "De buren zorgen voor de kat"
    with pytest.raises(ValidationError) as error:
        services.crisis_plan_agreements_update(
            actor=cast.noor,
            person=cast.anna,
            takeover="x" * 1001,
            medication_wishes="",
            where_to_go="",
            care_for_others="",
        )
    assert "takeover" in error.value.message_dict
    plan.refresh_from_db()
    assert plan.takeover == "Mijn zus regelt de post"


def test_the_plan_reads_in_three_queries_whatever_its_size(cast, early):
    save_phase(cast.anna_user, cast.anna, phase="crisis", signs=[f"Signaal {n}" for n in range(10)])
    with CaptureQueriesContext(connection) as queries:
        view = selectors.crisis_plan_of(cast.anna)
    assert len(queries) == 3
    assert [p.code for p in view.phases] == ["going_well", "early_signs", "crisis"]
    assert view.phase("early_signs").contacts[0]["tel"] == "tel:0612345678"
    assert view.phase("going_well").is_empty
    assert selectors.crisis_plan_of(cast.bas).is_empty


def test_an_empty_plan_adds_nothing_to_the_snapshot(cast):
    assert build_snapshot(cast.anna)["crisis_plan"] == {"phases": [], "agreements": None}


def test_a_comparison_names_the_phase_and_what_changed(cast, early):
    old = build_snapshot(cast.anna)
    save_phase(
        cast.anna_user,
        cast.anna,
        signs=["Slecht slapen", "Boos worden"],
        self_care=["Wandelen"],
        contacts=[{"name": "Noor", "relation": "praktijkondersteuner", "phone": "06 87654321"}],
    )
    new = build_snapshot(cast.anna)
    text = describe(compare(old, new), old, new)
    section = next(s for s in text["sections"] if s["name"] == "crisis_early_signs")
    assert section["title"] == "Crisisplan: vroege signalen"
    fields = {f["label"]: (f["old"], f["new"]) for f in section["rows"][0]["fields"]}
    assert fields["signalen"] == ("Slecht slapen; Piekeren", "Slecht slapen; Boos worden")
    assert fields["wie u kunt bellen"] == (
        "Noor (praktijkondersteuner), 06 12345678",
        "Noor (praktijkondersteuner), 06 87654321",
    )
