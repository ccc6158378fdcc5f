"""The goals services: happy paths, every refused transition, messages, log rows, plan versions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from koers.access import NotFound
from koers.audit.models import AccessLogEntry
from koers.careplans.models import CarePlanVersion
from koers.goals import services
from koers.goals.models import Action, ActionProgress, GasLevel, Goal, GoalReview, GoalStatusChange

from .conftest import LEVELS

pytestmark = pytest.mark.django_db


def versions(person):
    return CarePlanVersion.objects.filter(care_plan__person=person).count()


def log(user, action, object_type, outcome="success"):
    return AccessLogEntry.objects.filter(user=user, action=action, object_type=object_type, outcome=outcome).count()


def messages_of(exc_info) -> str:
    return " ".join(exc_info.value.messages)


# --- goal_create --------------------------------------------------------------------------


def test_create_validation_collects_all_messages_and_saves_nothing(cast):
    with pytest.raises(ValidationError) as exc:
        services.goal_create(
            actor=cast.noor,
            person=cast.anna,
            description="  ",
            life_domain="moon",
            owner="nobody",
            gas_weight=11,
            target_date=timezone.localdate() - dt.timedelta(days=1),
        )
    errors = exc.value.message_dict
    assert set(errors) == {"description", "life_domain", "owner", "gas_weight", "target_date"}
    assert "eigen woorden" in errors["description"][0]
    assert not Goal.objects.exists()
    assert versions(cast.anna) == 0


def test_create_too_long_description(cast):
    with pytest.raises(ValidationError, match="hoogstens 1000 tekens"):
        services.goal_create(actor=cast.noor, person=cast.anna, description="x" * 1001, life_domain="health")


def test_create_with_gas_needs_all_five_levels(cast):
    with pytest.raises(ValidationError) as exc:
        services.goal_create(
            actor=cast.noor,
            person=cast.anna,
            description="Wandelen",
            life_domain="health",
            uses_gas=True,
            gas_levels={0: "Twee keer per week"},
        )
    assert "niveau -2" in messages_of(exc)
    assert not Goal.objects.exists()


def test_create_with_a_decision_of_another_person_is_refused(cast):
    from koers.decisions.models import SharedDecision

    decision = SharedDecision.objects.create(person=cast.bas, created_by=cast.noor, question="?")
    with pytest.raises(ValidationError, match="hoort niet bij"):
        services.goal_create(
            actor=cast.noor, person=cast.anna, description="X", life_domain="health", decision=decision
        )


def test_an_unrealistic_goal_is_not_refused(cast):
    goal = services.goal_create(
        actor=cast.anna_user, person=cast.anna, description="Volgend jaar de marathon lopen", life_domain="health"
    )
    assert goal.pk


# --- goal_update ----------------------------------------------------------------------------


def test_update_changes_the_goal_logs_and_versions(cast, make_goal):
    goal = make_goal()
    before = versions(cast.anna)
    goal = services.goal_update(
        actor=cast.gert, goal=goal, description="Elke dag wandelen", life_domain="daily", owner="person"
    )
    assert Goal.objects.get(pk=goal.pk).description == "Elke dag wandelen"
    assert log(cast.gert, "U", "goals.Goal") == 1
    assert versions(cast.anna) == before + 1


def test_update_switching_gas_on_needs_levels(cast, make_goal):
    goal = make_goal()
    with pytest.raises(ValidationError, match="niveau"):
        services.goal_update(actor=cast.noor, goal=goal, description="X", life_domain="health", uses_gas=True)
    services.goal_update(
        actor=cast.noor, goal=goal, description="X", life_domain="health", uses_gas=True, gas_levels=LEVELS
    )
    assert GasLevel.objects.filter(goal=goal).count() == 5


def test_the_person_may_change_only_a_proposal(cast, make_goal):
    proposal = make_goal(actor=cast.anna_user, status="proposed")
    services.goal_update(actor=cast.anna_user, goal=proposal, description="Anders gezegd", life_domain="health")
    active = make_goal()
    with pytest.raises(ValidationError, match="zorgverlener"):
        services.goal_update(actor=cast.anna_user, goal=active, description="Anders", life_domain="health")


def test_update_of_a_closed_goal_is_refused(cast, make_goal):
    goal = make_goal()
    goal = services.goal_set_status(actor=cast.noor, goal=goal, lifecycle_status="cancelled")
    with pytest.raises(ValidationError, match="afgerond of gestopt"):
        services.goal_update(actor=cast.noor, goal=goal, description="X", life_domain="health")


def test_update_by_a_stranger_is_refused_and_logged(cast, make_goal):
    goal = make_goal()
    with pytest.raises(NotFound):
        services.goal_update(actor=cast.cor, goal=goal, description="X", life_domain="health")
    assert log(cast.cor, "U", "goals.Goal", outcome="refused") == 1


# --- goal_set_status -------------------------------------------------------------------------

VALID = [
    ("proposed", "active", ""),
    ("proposed", "cancelled", ""),
    ("active", "on-hold", ""),
    ("active", "completed", "achieved"),
    ("active", "completed", "not-achieved"),
    ("active", "cancelled", ""),
    ("on-hold", "active", ""),
    ("on-hold", "cancelled", ""),
]


def _goal_in(make_goal, cast, status):
    if status in ("proposed", "active"):
        return make_goal(status=status)
    goal = make_goal(status="active")
    if status == "completed":
        return services.goal_set_status(
            actor=cast.noor, goal=goal, lifecycle_status="completed", achievement_status="achieved"
        )
    return services.goal_set_status(actor=cast.noor, goal=goal, lifecycle_status=status)


@pytest.mark.parametrize(("start", "target", "achievement"), VALID)
def test_valid_transitions_write_history_log_and_version(cast, make_goal, start, target, achievement):
    goal = _goal_in(make_goal, cast, start)
    history = GoalStatusChange.objects.filter(goal=goal).count()
    before = versions(cast.anna)
    goal = services.goal_set_status(
        actor=cast.noor, goal=goal, lifecycle_status=target, achievement_status=achievement, note="Besproken"
    )
    goal.refresh_from_db()
    assert goal.lifecycle_status == target
    expected = achievement or ("in-progress" if target in ("active", "on-hold") else "")
    assert goal.achievement_status == expected
    change = GoalStatusChange.objects.filter(goal=goal).latest("id")
    assert (change.lifecycle_status, change.note, change.changed_by) == (target, "Besproken", cast.noor)
    assert GoalStatusChange.objects.filter(goal=goal).count() == history + 1
    assert versions(cast.anna) == before + 1
    assert AccessLogEntry.objects.filter(user=cast.noor, action="U", detail=f"status:{target}").exists()


INVALID = [
    (start, target)
    for start in ("proposed", "active", "on-hold", "completed", "cancelled")
    for target in ("proposed", "active", "on-hold", "completed", "cancelled")
    if not any(v[0] == start and v[1] == target for v in VALID)
]


@pytest.mark.parametrize(("start", "target"), INVALID)
def test_invalid_transitions_are_refused_and_nothing_changes(cast, make_goal, start, target):
    goal = _goal_in(make_goal, cast, start)
    history = GoalStatusChange.objects.filter(goal=goal).count()
    with pytest.raises(ValidationError) as exc:
        services.goal_set_status(actor=cast.noor, goal=goal, lifecycle_status=target, achievement_status="achieved")
    assert "kan niet" in messages_of(exc)
    goal.refresh_from_db()
    assert goal.lifecycle_status == start
    assert GoalStatusChange.objects.filter(goal=goal).count() == history


def test_completing_needs_an_achievement(cast, make_goal):
    goal = make_goal()
    for achievement in ("", "in-progress", "nonsense"):
        with pytest.raises(ValidationError, match="bereikt is of niet"):
            services.goal_set_status(
                actor=cast.noor, goal=goal, lifecycle_status="completed", achievement_status=achievement
            )


def test_unknown_status_is_refused(cast, make_goal):
    with pytest.raises(ValidationError, match="geldige status"):
        services.goal_set_status(actor=cast.noor, goal=make_goal(), lifecycle_status="done")


def test_status_note_too_long(cast, make_goal):
    with pytest.raises(ValidationError, match="hoogstens 2000"):
        services.goal_set_status(actor=cast.noor, goal=make_goal(), lifecycle_status="on-hold", note="x" * 2001)


def test_activating_sets_the_start_date(cast, make_goal):
    goal = make_goal(status="proposed")
    assert goal.start_date is None
    goal = services.goal_set_status(actor=cast.noor, goal=goal, lifecycle_status="active")
    assert goal.start_date == timezone.localdate()


def test_the_person_may_only_withdraw_their_own_proposal(cast, make_goal):
    proposal = make_goal(actor=cast.anna_user, status="proposed")
    with pytest.raises(ValidationError, match="Bespreek"):
        services.goal_set_status(actor=cast.anna_user, goal=proposal, lifecycle_status="active")
    services.goal_set_status(actor=cast.anna_user, goal=proposal, lifecycle_status="cancelled")
    active = make_goal()
    with pytest.raises(ValidationError, match="Bespreek"):
        services.goal_set_status(actor=cast.anna_user, goal=active, lifecycle_status="cancelled")


# --- GAS levels and reviews -----------------------------------------------------------------


def test_gas_levels_set_describes_levels_and_switches_gas_on(cast, make_goal):
    goal = make_goal()
    before = versions(cast.anna)
    goal = services.gas_levels_set(actor=cast.noor, goal=goal, levels=LEVELS, weight=3)
    assert goal.uses_gas and goal.gas_weight == 3
    assert dict(GasLevel.objects.filter(goal=goal).values_list("level", "description")) == LEVELS
    assert versions(cast.anna) == before + 1
    services.gas_levels_set(actor=cast.noor, goal=goal, levels={**LEVELS, 0: "Drie keer per week"})
    assert GasLevel.objects.get(goal=goal, level=0).description == "Drie keer per week"
    assert GasLevel.objects.filter(goal=goal).count() == 5


@pytest.mark.parametrize(
    ("levels", "weight", "message"),
    [
        ({**LEVELS, 3: "Te hoog"}, None, "-2, -1, 0, 1 en 2"),
        ({**LEVELS, 1: ""}, None, "niveau +1"),
        ({**LEVELS, 1: "x" * 501}, None, "hoogstens 500"),
        (LEVELS, 0, "gewicht"),
        (LEVELS, "2", "gewicht"),
        ({"a": "b"}, None, "-2, -1, 0, 1 en 2"),
    ],
)
def test_gas_levels_set_validation(cast, make_goal, levels, weight, message):
    goal = make_goal()
    with pytest.raises(ValidationError) as exc:
        services.gas_levels_set(actor=cast.noor, goal=goal, levels=levels, weight=weight)
    assert message in messages_of(exc)
    assert not GasLevel.objects.filter(goal=goal).exists()


def test_review_with_gas_level(cast, make_goal):
    goal = make_goal(uses_gas=True)
    before = versions(cast.anna)
    review = services.goal_review_record(actor=cast.noor, goal=goal, gas_level=1, note="Gaat goed")
    assert (review.gas_level, review.note, review.reviewed_by) == (1, "Gaat goed", cast.noor)
    assert log(cast.noor, "C", "goals.GoalReview") == 1
    assert versions(cast.anna) == before  # a review is history, not plan content


@pytest.mark.parametrize(
    ("uses_gas", "level", "note", "message"),
    [
        (False, 1, "", "niet gemeten met GAS"),
        (True, 3, "", "-2 tot en met +2"),
        (True, -3, "", "-2 tot en met +2"),
        (True, "1", "", "-2 tot en met +2"),
        (True, None, "", "Kies een niveau of schrijf"),
        (True, None, "x" * 4001, "hoogstens 4000"),
    ],
)
def test_review_validation(cast, make_goal, uses_gas, level, note, message):
    goal = make_goal(uses_gas=uses_gas)
    with pytest.raises(ValidationError) as exc:
        services.goal_review_record(actor=cast.noor, goal=goal, gas_level=level, note=note)
    assert message in messages_of(exc)
    assert not GoalReview.objects.exists()


def test_review_of_a_proposal_is_refused(cast, make_goal):
    with pytest.raises(ValidationError, match="voorgesteld of gestopt"):
        services.goal_review_record(actor=cast.noor, goal=make_goal(status="proposed"), note="Hm")


def test_review_by_a_stranger_is_refused_and_logged(cast, make_goal):
    with pytest.raises(NotFound):
        services.goal_review_record(actor=cast.sam, goal=make_goal(), note="x")
    assert log(cast.sam, "C", "goals.GoalReview", outcome="refused") == 1


# --- actions --------------------------------------------------------------------------------


def test_action_create_by_professional_and_by_the_person(cast, make_goal, make_action):
    goal = make_goal()
    before = versions(cast.anna)
    action = make_action(goal, confidence=7, when="'s ochtends", responsible="relative", responsible_name="Rob")
    assert (action.person, action.confidence, action.responsible_name) == (cast.anna, 7, "Rob")
    assert versions(cast.anna) == before + 1
    assert log(cast.noor, "C", "goals.Action") == 1
    mine = make_action(goal, actor=cast.anna_user, what="Schoenen klaarzetten")
    assert mine.created_by == cast.anna_user


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"what": ""}, "what", "Schrijf op wat u gaat doen"),
        ({"what": "x" * 301}, "what", "hoogstens 300"),
        ({"when": "x" * 201}, "when", "hoogstens 200"),
        ({"obstacles": "x" * 2001}, "obstacles", "hoogstens 2000"),
        ({"confidence": 11}, "confidence", "0 tot en met 10"),
        ({"confidence": -1}, "confidence", "0 tot en met 10"),
        ({"confidence": "abc"}, "confidence", "0 tot en met 10"),
        ({"responsible": "alien"}, "responsible", "wie het doet"),
        ({"review_date": dt.date(2000, 1, 1)}, "review_date", "verleden"),
    ],
)
def test_action_validation(cast, make_goal, fields, field, message):
    goal = make_goal()
    with pytest.raises(ValidationError) as exc:
        services.action_create(actor=cast.noor, goal=goal, **{"what": "Wandelen", **fields})
    assert message in exc.value.message_dict[field][0]
    assert not Action.objects.exists()


def test_action_on_a_closed_goal_is_refused(cast, make_goal):
    goal = services.goal_set_status(actor=cast.noor, goal=make_goal(), lifecycle_status="cancelled")
    with pytest.raises(ValidationError, match="afgerond of gestopt"):
        services.action_create(actor=cast.noor, goal=goal, what="X")


def test_action_on_another_persons_goal_is_refused_for_the_person(cast, make_goal):
    bas_goal = make_goal(person=cast.bas)
    with pytest.raises(NotFound):
        services.action_create(actor=cast.anna_user, goal=bas_goal, what="X")
    assert log(cast.anna_user, "C", "goals.Action", outcome="refused") == 1


def test_action_update_and_status(cast, make_goal, make_action):
    action = make_action(make_goal())
    before = versions(cast.anna)
    action = services.action_update(actor=cast.noor, action=action, what="Elke avond wandelen", confidence=5)
    assert Action.objects.get(pk=action.pk).what == "Elke avond wandelen"
    action = services.action_set_status(actor=cast.noor, action=action, status="done")
    assert action.status == "done"
    assert versions(cast.anna) == before + 2
    with pytest.raises(ValidationError, match="gedaan of gestopt"):
        services.action_update(actor=cast.noor, action=action, what="X")
    with pytest.raises(ValidationError, match="al"):
        services.action_set_status(actor=cast.noor, action=action, status="done")
    with pytest.raises(ValidationError, match="geldige status"):
        services.action_set_status(actor=cast.noor, action=action, status="maybe")
    services.action_set_status(actor=cast.noor, action=action, status="active")


# --- progress -------------------------------------------------------------------------------


def test_progress_by_the_person_and_by_a_professional(cast, make_goal, make_action):
    action = make_action(make_goal())
    before = versions(cast.anna)
    mine = services.action_progress_record(actor=cast.anna_user, action=action, done=True, note="Fijn", confidence=8)
    assert (mine.done, mine.note, mine.confidence, mine.recorded_by) == (True, "Fijn", 8, cast.anna_user)
    services.action_progress_record(actor=cast.noor, action=action, done=False)
    assert ActionProgress.objects.filter(action=action).count() == 2
    assert log(cast.anna_user, "C", "goals.ActionProgress") == 1
    assert versions(cast.anna) == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "gelukt of niet gelukt"),
        ({"done": "ja"}, "gelukt of niet gelukt"),
        ({"done": True, "confidence": 11}, "0 tot en met 10"),
        ({"done": True, "confidence": "abc"}, "0 tot en met 10"),
        ({"done": True, "note": "x" * 2001}, "hoogstens 2000"),
    ],
)
def test_progress_validation(cast, make_goal, make_action, fields, message):
    action = make_action(make_goal())
    with pytest.raises(ValidationError) as exc:
        services.action_progress_record(actor=cast.anna_user, action=action, **fields)
    assert message in messages_of(exc)
    assert not ActionProgress.objects.exists()


def test_progress_on_a_stopped_action_is_refused(cast, make_goal, make_action):
    action = services.action_set_status(actor=cast.noor, action=make_action(make_goal()), status="stopped")
    with pytest.raises(ValidationError, match="gedaan of gestopt"):
        services.action_progress_record(actor=cast.anna_user, action=action, done=True)


def test_progress_by_another_person_is_refused_and_logged(cast, make_goal, make_action):
    action = make_action(make_goal())
    with pytest.raises(NotFound):
        services.action_progress_record(actor=cast.bas_user, action=action, done=True)
    assert log(cast.bas_user, "C", "goals.ActionProgress", outcome="refused") == 1
