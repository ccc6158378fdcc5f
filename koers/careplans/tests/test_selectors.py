"""Reads of the care plan: what is in the plan now, versions, one version; fixed query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koers.access import NotFound
from koers.careplans import selectors
from koers.careplans.models import CarePlan, FollowUpAgreement
from koers.goals.models import Action, Goal

from .conftest import add_action, add_decision, add_goal, record

pytestmark = pytest.mark.django_db


def count(fn):
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return len(ctx.captured_queries), result


def fill(cast, person, goals, actions):
    for i in range(goals):
        goal = add_goal(person, cast.noor, description=f"Doel {i}")
        for j in range(actions):
            add_action(
                goal, cast.noor, what=f"Actie {i}.{j}", responsible=["person", "professional", "relative"][j % 3]
            )
        add_decision(person, cast.noor, question=f"Besluit {i}")
        FollowUpAgreement.objects.create(person=person, what=f"Afspraak {i}", who="Noor", created_by=cast.noor)


def test_current_plan_has_every_part_and_leaves_out_what_is_stopped(cast):
    goal = add_goal(cast.anna, cast.noor, description="Weer fietsen")
    add_action(goal, cast.noor, what="Fiets laten maken", responsible="community", responsible_name="Fietsmaatjes")
    add_action(goal, cast.noor, what="Gestopt", status=Action.Status.STOPPED)
    add_goal(cast.anna, cast.noor, description="Geschrapt", lifecycle_status=Goal.LifecycleStatus.CANCELLED)
    add_decision(cast.anna, cast.noor, question="Welke fiets?", choice="Een e-bike")
    FollowUpAgreement.objects.create(person=cast.anna, what="Lopend", who="Noor", created_by=cast.noor)
    FollowUpAgreement.objects.create(person=cast.anna, what="Oud", who="Noor", created_by=cast.noor, active=False)
    cast.anna.profile.what_matters = "Buiten zijn"
    cast.anna.profile.save()
    current = selectors.current_plan(cast.anna)
    plan = current["plan"]
    assert [g["description"] for g in plan["goals"]] == ["Weer fietsen"]
    assert [a["what"] for a in plan["goals"][0]["actions"]] == ["Fiets laten maken"]
    assert [d["chosen_option"] for d in plan["decisions"]] == ["Een e-bike"]
    assert [f["what"] for f in plan["follow_ups"]] == ["Lopend"]
    assert plan["person"]["what_matters"] == "Buiten zijn"
    assert [m["name"] for m in plan["care_team"]] == ["Noor Bakker", "Gert de Vries"]
    assert [g["responsible"] for g in current["groups"]] == ["community"]
    assert current["groups"][0]["actions"][0]["goal_description"] == "Weer fietsen"
    assert current["latest"] is None and current["unsaved_changes"] is True


def test_current_plan_knows_the_latest_version_and_whether_it_is_up_to_date(cast):
    add_goal(cast.anna, cast.noor)
    version = record(cast.anna, cast.gert, summary="Doel erbij")
    current = selectors.current_plan(cast.anna)
    assert current["latest"] == version and current["latest"].created_by == cast.gert
    assert current["unsaved_changes"] is False
    add_goal(cast.anna, cast.noor, description="Nog een doel")
    assert selectors.current_plan(cast.anna)["unsaved_changes"] is True


def _sent_together() -> int:
    """1 where the latest version and the care team are read in one round trip, else 0."""
    from django.db import connection

    from koers.lib.compiled import several_statements_at_once

    return 1 if several_statements_at_once(connection) else 0


def test_current_plan_query_count_is_fixed(cast):
    def kept_and_live():
        kept, _ = count(lambda: selectors.current_plan(cast.anna))
        CarePlan.objects.filter(person=cast.anna).update(current_snapshot=None)
        live, current = count(lambda: selectors.current_plan(cast.anna))
        return kept, live, current

    fill(cast, cast.anna, goals=1, actions=1)
    record(cast.anna, cast.noor)
    record(cast.anna, cast.noor, summary="weer")  # the plan row existed: the plan is kept now
    kept_small, live_small, _ = kept_and_live()
    fill(cast, cast.anna, goals=8, actions=4)
    record(cast.anna, cast.noor)
    kept_large, live_large, current = kept_and_live()
    assert len(current["plan"]["goals"]) == 9
    # Built live: the plan (7, 1 that finds no crisis plan, and 5 for the health situation and the
    # network of issue #13), the latest version, the practice. Kept (koers.careplans.kept): the
    # latest version with the plan row, the practice. On PostgreSQL the latest version and the care
    # team go in one round trip (koers.lib.compiled.together).
    fewer = _sent_together()
    assert live_small == live_large == 15 - fewer
    assert kept_small == kept_large == 2 - fewer


def test_a_reading_request_reads_the_care_team_once(cast):
    """The plan's care-team section, its network section and the practice share one read of the
    active team inside a reading request (the page decorators open one for GET): two queries
    fewer. Outside one (a service recording a version after a change) each reads afresh."""
    from koers.lib.request_memo import reading_request

    fill(cast, cast.anna, goals=1, actions=1)
    record(cast.anna, cast.noor)
    outside, plain = count(lambda: selectors.current_plan(cast.anna))
    with reading_request():
        inside, memo = count(lambda: selectors.current_plan(cast.anna))
    assert (outside, inside) == (15 - _sent_together(), 13 - _sent_together())
    assert memo["plan"] == plain["plan"] and memo["practice"] == plain["practice"] == cast.gp_practice


def test_versions_are_the_persons_own_newest_first_without_snapshots(cast):
    for i in range(3):
        add_goal(cast.anna, cast.noor, description=f"Doel {i}")
        record(cast.anna, cast.noor, summary=f"Wijziging {i}")
    add_goal(cast.bas, cast.noor)
    record(cast.bas, cast.noor)
    queries, rows = count(lambda: list(selectors.versions(cast.anna)))
    assert queries == 1
    assert [v.number for v in rows] == [3, 2, 1]
    assert [v.summary_text for v in rows] == ["Wijziging 2", "Wijziging 1", "Wijziging 0"]
    assert "snapshot" in rows[0].get_deferred_fields()
    assert [n for n, _when, _agreed in selectors.version_numbers(cast.anna)] == [3, 2, 1]
    assert set(selectors.versions_by_number(cast.anna, [1, 3, 7])) == {1, 3}


def test_one_version_only_through_the_persons_own_plan(cast):
    add_goal(cast.anna, cast.noor)
    mine = record(cast.anna, cast.noor)
    add_goal(cast.bas, cast.noor)
    record(cast.bas, cast.noor)
    add_goal(cast.bas, cast.noor, description="Tweede")
    record(cast.bas, cast.noor)
    assert selectors.version_for(cast.noor, cast.anna, 1) == mine
    for number in (2, 0, "x", None):
        with pytest.raises(NotFound):
            selectors.version_for(cast.noor, cast.anna, number)
