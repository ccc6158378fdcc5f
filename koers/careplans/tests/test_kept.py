"""The care plan as it is now, kept per person (``koers.careplans.kept``, issue #18).

What keeps it correct: every table the snapshot is built from is watched (a row's save or delete
forgets the kept plan), a recorded plan change stores it, and the page never shows a stale one:
after each kind of write, through a service or straight through the ORM, the next page shows it.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.careplans import kept, sections
from koers.careplans.models import CarePlan
from koers.careplans.selectors import current_plan
from koers.careplans.snapshot import build_snapshot
from koers.crisisplans.services import crisis_plan_phase_update
from koers.goals.models import GoalReview
from koers.goals.services.gas import goal_review_record
from koers.people.models import Condition
from tests.support.testing import make_full_record

from .conftest import add_goal, record

pytestmark = pytest.mark.django_db

TABLE = re.compile(r'(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]+')


def _page(client, person) -> str:
    """The plan page's HTML with the per-request CSRF token masked."""
    return CSRF.sub(r"\1TOKEN", client.get(reverse("careplans:plan", args=[person.pk])).content.decode())


def _kept(person):
    return CarePlan.objects.get(person=person).current_snapshot


def _crisis(cast, *signs):
    crisis_plan_phase_update(
        actor=cast.noor,
        person=cast.anna,
        phase="early_signs",
        signs=list(signs),
        triggers=["Drukte"],
        self_care=[],
        others_do=[],
        others_avoid=[],
        contacts=[],
    )


def test_every_table_the_snapshot_reads_is_watched(cast):
    make_full_record(cast.anna, professional=cast.noor)
    _crisis(cast, "Slecht slapen")
    with CaptureQueriesContext(connection) as queries:
        snapshot = build_snapshot(cast.anna)
    assert snapshot["goals"] and snapshot["crisis_plan"]["phases"] and snapshot["health"]["conditions"]
    read = {table for q in queries.captured_queries for table in TABLE.findall(q["sql"])}
    watched = {model._meta.db_table for model in kept.watched_models()}
    assert read - watched == set(), "a plan section reads a table its ``sources`` do not name"
    for section in sections.sections():
        assert section.sources, section.key


def test_a_recorded_change_keeps_the_plan_and_the_page_uses_it(cast, login):
    add_goal(cast.anna, cast.noor)
    record(cast.anna, cast.noor)  # the plan row is made here: nothing kept yet (see kept.py)
    assert _kept(cast.anna) is None
    add_goal(cast.anna, cast.noor, description="Tweede doel")
    assert _kept(cast.anna) is None  # the save forgot it
    record(cast.anna, cast.noor)
    assert _kept(cast.anna) == build_snapshot(cast.anna)
    client = login(cast.noor)
    with CaptureQueriesContext(connection) as with_kept:
        page = _page(client, cast.anna)
    assert "Tweede doel" in page
    CarePlan.objects.filter(person=cast.anna).update(current_snapshot=None)
    with CaptureQueriesContext(connection) as live:
        assert _page(client, cast.anna) == page  # the same HTML, byte for byte
    assert len(with_kept) < len(live)


@pytest.mark.parametrize(
    "write",
    [
        "profile",
        "condition",
        "goal_review",
        "professional_renamed",
        "organisation_renamed",
        "relative_renamed",
        "crisis_sign",
        "gas_level_deleted",
    ],
)
def test_after_a_write_the_next_page_shows_it(cast, login, write):
    record_data = make_full_record(cast.anna, professional=cast.noor)
    _crisis(cast, "Slecht slapen")
    record(cast.anna, cast.noor)
    record(cast.anna, cast.noor)  # the plan row existed before: kept now
    assert _kept(cast.anna) == build_snapshot(cast.anna)
    expected = {
        "profile": "Rust in mijn hoofd",
        "condition": "Astma",
        "goal_review": None,
        "professional_renamed": "Gerrit",
        "organisation_renamed": "Huisartsen Het Plein",
        "relative_renamed": "Robbert",
        "crisis_sign": "Niet meer eten",
        "gas_level_deleted": None,
    }[write]
    if write == "profile":
        cast.anna.profile.what_matters = expected
        cast.anna.profile.save()
    elif write == "condition":
        Condition.objects.create(person=cast.anna, display=expected)
    elif write == "goal_review":
        goal = record_data["goal_id"]
        goal_review_record(actor=cast.noor, goal=goal, gas_level=2, note="Goed gegaan")
        assert GoalReview.objects.filter(goal=goal, gas_level=2).exists()
    elif write == "professional_renamed":
        cast.gert.first_name = expected
        cast.gert.save()
    elif write == "organisation_renamed":
        cast.gp_practice.name = expected
        cast.gp_practice.save()
    elif write == "relative_renamed":
        cast.rob.first_name = expected
        cast.rob.save(update_fields=["first_name"])
    elif write == "crisis_sign":
        _crisis(cast, "Slecht slapen", expected)
    elif write == "gas_level_deleted":
        record_data["goal_id"].gas_levels.get(level=2).delete()
    kept_now = _kept(cast.anna)
    assert kept_now is None or kept_now == build_snapshot(cast.anna), write
    page = login(cast.noor).get(reverse("careplans:plan", args=[cast.anna.pk])).content.decode()
    if expected:
        assert expected in page
    assert current_plan(cast.anna)["plan"] == build_snapshot(cast.anna)  # the page's plan is the live one


def test_a_login_does_not_forget(cast):
    add_goal(cast.anna, cast.noor)
    record(cast.anna, cast.noor)
    record(cast.anna, cast.noor, summary="weer")
    CarePlan.objects.filter(person=cast.anna).update(current_snapshot={"schema": 2})
    cast.gert.save(update_fields=["last_login"])
    assert _kept(cast.anna) == {"schema": 2}
    cast.gert.save(update_fields=["last_name"])
    assert _kept(cast.anna) is None


def test_check_and_refresh_command(cast, capsys):
    add_goal(cast.anna, cast.noor)
    record(cast.anna, cast.noor)
    call_command("careplan_current", "refresh")
    assert _kept(cast.anna) == build_snapshot(cast.anna)
    call_command("careplan_current", "check")
    assert "OK, no drift" in capsys.readouterr().out
    CarePlan.objects.filter(person=cast.anna).update(current_snapshot={"schema": 2})
    with pytest.raises(SystemExit):
        call_command("careplan_current", "check")
    assert f"person {cast.anna.pk}" in capsys.readouterr().out
