"""A goal made from a shared decision can be measured with goal attainment scaling
("doelbereik in stappen"): five levels in the person's words and where they start; the
attainment is shown on the decision and in the care plan."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from koers.goals import services as goal_services
from koers.goals.models import Goal

from .conftest import decided

pytestmark = pytest.mark.django_db

LEVELS = {
    "gas_level_m2": "Ik slaap bijna nooit door",
    "gas_level_m1": "Eén nacht per week goed",
    "gas_level_0": "Drie nachten per week goed",
    "gas_level_p1": "Vijf nachten per week goed",
    "gas_level_p2": "Elke nacht goed",
}
GOAL = {"description": "Weer goed slapen zonder pillen", "life_domain": "health", "owner": "person"}


@pytest.fixture
def noor(cast):
    client = Client()
    client.force_login(cast.noor)
    return client


def to_goal_url(decision):
    return reverse("decisions:to_goal", kwargs={"person_id": decision.person_id, "decision_id": decision.pk})


def detail_url(decision):
    return reverse("decisions:detail", kwargs={"person_id": decision.person_id, "decision_id": decision.pk})


def test_the_goal_form_offers_doelbereik_in_stappen_and_says_when_it_is_required(cast, noor):
    decision, _options = decided(cast)
    page = noor.get(to_goal_url(decision)).content.decode()
    assert "Doelbereik in stappen (GAS)" in page
    assert "Goal Attainment Scaling" not in page
    assert "Alleen nodig als u doelbereik in stappen gebruikt" in page
    for name in (*LEVELS, "gas_baseline"):
        assert f'name="{name}"' in page
    with translation.override("en"):
        english = noor.get(to_goal_url(decision), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "oal attainment scaling" in english


def test_a_goal_from_a_decision_with_gas_keeps_the_levels_and_the_baseline(cast, noor):
    decision, _options = decided(cast)
    response = noor.post(to_goal_url(decision), {**GOAL, "uses_gas": "on", "gas_baseline": "-1", **LEVELS})
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert goal.decision == decision and goal.uses_gas and goal.gas_baseline == -1
    assert {lv.level: lv.description for lv in goal.gas_levels.all()}[0] == "Drie nachten per week goed"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"gas_level_0": ""}, "Beschrijf wat niveau +0 betekent."),
        ({"gas_baseline": ""}, "Kies waar de cliënt nu staat"),
        ({"gas_baseline": "3"}, "Kies een niveau van -2 tot en met +2."),
    ],
)
def test_gas_with_a_missing_level_or_baseline_saves_nothing(cast, noor, changes, message):
    decision, _options = decided(cast)
    data = {**GOAL, "uses_gas": "on", "gas_baseline": "-1", **LEVELS, **changes}
    response = noor.post(to_goal_url(decision), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Goal.objects.exists()


def test_without_gas_the_gas_fields_are_not_required(cast, noor):
    decision, _options = decided(cast)
    response = noor.post(to_goal_url(decision), {**GOAL, "gas_baseline": ""})
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert not goal.uses_gas and goal.gas_baseline is None


def test_the_service_needs_a_baseline_for_gas_on_a_goal_from_a_decision(cast):
    decision, _options = decided(cast)
    levels = {-2: "a", -1: "b", 0: "c", 1: "d", 2: "e"}
    with pytest.raises(ValidationError) as error:
        goal_services.goal_create(
            actor=cast.noor, person=cast.anna, decision=decision, uses_gas=True, gas_levels=levels, **GOAL
        )
    assert "gas_baseline" in error.value.message_dict
    with pytest.raises(ValidationError):
        goal_services.goal_create(
            actor=cast.noor,
            person=cast.anna,
            decision=decision,
            uses_gas=True,
            gas_levels=levels,
            gas_baseline=5,
            **GOAL,
        )
    assert not Goal.objects.exists()


def _goal_with_attainment(cast, decision):
    goal = goal_services.goal_create(
        actor=cast.noor,
        person=cast.anna,
        decision=decision,
        lifecycle_status="active",
        uses_gas=True,
        gas_baseline=-1,
        gas_levels={int(k): v for k, v in zip((-2, -1, 0, 1, 2), LEVELS.values(), strict=True)},
        **GOAL,
    )
    goal_services.goal_review_record(actor=cast.noor, goal=goal, gas_level=1, note="Gaat goed")
    return goal


def test_the_decision_shows_the_goal_as_a_link_with_its_attainment(cast, noor):
    decision, _options = decided(cast)
    goal = _goal_with_attainment(cast, decision)
    page = noor.get(detail_url(decision)).content.decode()
    goal_url = reverse("goals:detail", kwargs={"person_id": cast.anna.pk, "goal_id": goal.pk})
    assert f'href="{goal_url}"' in page
    assert "Doelbereik in stappen (GAS)" in page
    assert "bij de start -1" in page and "nu +1" in page
    assert "Vijf nachten per week goed" in page


def test_the_care_plan_shows_the_attainment(cast, noor):
    decision, _options = decided(cast)
    _goal_with_attainment(cast, decision)
    page = noor.get(reverse("careplans:plan", kwargs={"person_id": cast.anna.pk})).content.decode()
    assert "Doelbereik in stappen (GAS)" in page
    assert "bij de start -1" in page and "nu +1" in page


def test_the_persons_plan_shows_the_attainment_in_their_own_words(cast, login):
    decision, _options = decided(cast)
    _goal_with_attainment(cast, decision)
    page = login(cast.anna_user).get(reverse("careplans:portal_plan")).content.decode()
    assert "Eén nacht per week goed" in page  # where Anna started
    assert "Vijf nachten per week goed" in page  # where she is now
    assert "GAS" not in page and "+1" not in page  # no codes for the person


def test_the_goal_form_says_doelbereik_in_stappen(cast, noor):
    page = noor.get(reverse("goals:create", kwargs={"person_id": cast.anna.pk})).content.decode()
    assert "Doelbereik in stappen (GAS)" in page
    assert "Goal Attainment Scaling" not in page


def test_the_persons_goal_page_shows_where_they_started(cast, login):
    decision, _options = decided(cast)
    goal = _goal_with_attainment(cast, decision)
    page = login(cast.anna_user).get(reverse("goals:portal_goal", kwargs={"goal_id": goal.pk})).content.decode()
    assert "Eén nacht per week goed (hier begon ik)" in page
