"""The one-line change notes of a plan version follow the reader's categories (issue #13).

A version's change note ("Crisisplan gewijzigd: Vroege signalen") is stored with the key of the
plan section it belongs to. A reader who may not read that section (``PlanSection.category``: the
crisis plan's own topic, the health situation's conditions and medication) does not see the
section on any page, and since this change not its change note either: not in the version list,
not on the version page, not on the plan page. Lines of no section (goals, the care team, the
professional's own sentence) and lines stored before sections were recorded, whose section
cannot be known, show to everyone who reads the plan; the crisis plan's lines of old versions are
backfilled by a migration (``0005_change_sections``).
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as global_apps
from django.urls import reverse

from koers.access import Topic
from koers.accounts.models import User
from koers.careplans import sections
from koers.careplans.changes import as_entry, plan_change
from koers.careplans.models import CarePlanVersion
from koers.crisisplans import services as crisis_services
from koers.network.services import care_team_assign, consent_set
from tests.support.testing import make_user

from .conftest import add_goal, record

pytestmark = pytest.mark.django_db

EMPTY = {"signs": [], "triggers": [], "self_care": [], "others_do": [], "others_avoid": [], "contacts": []}
CRISIS_LINE = "Crisisplan gewijzigd: Vroege signalen"


def _crisis(cast):
    crisis_services.crisis_plan_phase_update(
        actor=cast.noor, person=cast.anna, phase="early_signs", **{**EMPTY, "signs": ["Slecht slapen"]}
    )


def _peer_without_crisis_plan(cast):
    peer = make_user("jeroen", organisation=cast.gp_practice, discipline=User.Discipline.PEER_EXPERT)
    care_team_assign(actor=cast.noor, person=cast.anna, professional=peer)
    consent_set(actor=cast.anna_user, person=cast.anna, member=peer, topic=Topic.CRISIS_PLAN, granted=False)
    return peer


def _pages(cast, number):
    pk = cast.anna.pk
    return [
        reverse("careplans:versions", kwargs={"person_id": pk}),
        reverse("careplans:version", kwargs={"person_id": pk, "number": number}),
        reverse("careplans:plan", kwargs={"person_id": pk}),
    ]


def test_the_crisis_plan_change_is_stored_with_its_section(cast):
    _crisis(cast)
    version = CarePlanVersion.objects.get(care_plan__person=cast.anna)
    assert version.changes == [
        {
            "msgid": "Crisisplan gewijzigd: %(part)s",
            "params": {"part": {"msgid": "Vroege signalen"}},
            "section": "crisis_plan",
        }
    ]


def test_a_reader_without_the_crisis_plan_topic_does_not_see_its_change_note(cast, login):
    peer = _peer_without_crisis_plan(cast)
    _crisis(cast)
    version = CarePlanVersion.objects.get(care_plan__person=cast.anna)
    client = login(peer)
    for address in _pages(cast, version.number):
        response = client.get(address)
        assert response.status_code == 200, address
        assert "Crisisplan gewijzigd" not in response.content.decode(), address
    client = login(cast.noor)
    for address in _pages(cast, version.number):
        assert CRISIS_LINE in client.get(address).content.decode(), address


def test_the_person_sees_every_line_of_their_own_plan(cast, login):
    _crisis(cast)
    version = CarePlanVersion.objects.get(care_plan__person=cast.anna)
    client = login(cast.anna_user)
    for address in (
        reverse("careplans:portal_versions"),
        reverse("careplans:portal_version", kwargs={"number": version.number}),
    ):
        assert CRISIS_LINE in client.get(address).content.decode(), address


def test_lines_of_other_sections_still_show_beside_a_hidden_one(cast, login, sessions):
    peer = _peer_without_crisis_plan(cast)
    _crisis(cast)
    add_goal(cast.anna, cast.noor, description="Weer fietsen")
    record(cast.anna, cast.noor, summary=plan_change("Doel toegevoegd: %(what)s", what="Weer fietsen"))
    version = CarePlanVersion.objects.get(care_plan__person=cast.anna)
    assert version.summary_lines_for(frozenset()) == ["Doel toegevoegd: Weer fietsen"]
    html = login(peer).get(_pages(cast, version.number)[0]).content.decode()
    assert "Doel toegevoegd: Weer fietsen" in html and "Crisisplan gewijzigd" not in html


def test_an_unknown_or_unregistered_section_is_not_shown_and_no_section_is(cast):
    entries = [
        as_entry(plan_change("Iets: %(x)s", section="verdwenen", x="a")),
        as_entry(plan_change("Doel toegevoegd: %(what)s", what="Fietsen")),
        {"text": "Vrije oude tekst"},
    ]
    version = CarePlanVersion(summary="Samen besproken", changes=entries)
    assert version.summary_lines_for(frozenset()) == ["Samen besproken", "Doel toegevoegd: Fietsen", "Vrije oude tekst"]
    assert sections.readable_keys(frozenset()) >= {"goals", "network"}
    assert "crisis_plan" not in sections.readable_keys(frozenset())
    assert "crisis_plan" in sections.readable_keys(frozenset({"crisis_plan"}))


def test_no_template_shows_the_unfiltered_lines():
    """Every page asks for the lines a reader may see (``summary_lines_for``), never all of them."""
    from pathlib import Path

    import koers

    root = Path(koers.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("templates/**/*")
        if path.is_file() and ("summary_lines" in path.read_text() or "summary_text" in path.read_text())
    ]
    assert offenders == []


def test_the_backfill_gives_old_crisis_plan_lines_their_section(cast):
    _crisis(cast)
    add_goal(cast.anna, cast.noor)
    record(cast.anna, cast.noor, summary=plan_change("Doel toegevoegd: %(what)s", what="Fietsen"))
    old_style = [{k: v for k, v in e.items() if k != "section"} for e in CarePlanVersion.objects.get(number=1).changes]
    CarePlanVersion.objects.filter(number=1).update(changes=[*old_style, {"text": "Crisisplan gewijzigd"}])
    migration = importlib.import_module("koers.careplans.migrations.0005_change_sections")
    migration.backfill_sections(global_apps, None)
    first, second = CarePlanVersion.objects.order_by("number")
    assert first.changes[0]["section"] == "crisis_plan"
    # A plain text line's section cannot be known: it stays without one (shown to every plan reader).
    assert first.changes[1] == {"text": "Crisisplan gewijzigd"}
    assert "section" not in second.changes[0]
    migration.forget_sections(global_apps, None)
    assert all("section" not in e for v in CarePlanVersion.objects.all() for e in v.changes)


def test_a_relative_with_the_plan_but_not_the_crisis_plan_sees_no_change_note(cast, login):
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=Topic.CAREPLAN, granted=True)
    _crisis(cast)
    html = login(cast.rob).get(reverse("workspace:relative_plan", kwargs={"person_id": cast.anna.pk})).content.decode()
    assert "Crisisplan gewijzigd" not in html and "Slecht slapen" not in html
