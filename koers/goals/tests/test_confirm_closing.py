"""Completing or stopping a goal is final ("U kunt het niet meer wijzigen"), so it asks first
(issue #14, no irreversible one-click actions). Pausing or resuming does not: it can be undone.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from koers.goals.models import GoalStatusChange

pytestmark = pytest.mark.django_db


def status_url(goal):
    return reverse("goals:status", kwargs={"person_id": goal.person_id, "goal_id": goal.pk})


@pytest.mark.parametrize(
    ("post", "title", "label"),
    [
        ({"lifecycle_status": "cancelled", "note": "Past nu niet"}, "Doel stoppen?", "Ja, stoppen"),
        ({"lifecycle_status": "completed", "achievement_status": "achieved"}, "Doel afronden?", "Ja, afronden"),
    ],
)
def test_closing_a_goal_asks_first(cast, login, make_goal, post, title, label):
    goal = make_goal()
    client = login(cast.noor)
    response = client.post(status_url(goal), post)
    body = response.content.decode()
    assert response.status_code == 200
    assert title in body and label in body and 'name="bevestigd" value="ja"' in body
    for name, value in post.items():  # what was chosen is posted again with the answer
        assert f'name="{name}" value="{value}"' in body
    goal.refresh_from_db()
    assert goal.lifecycle_status == "active"
    assert GoalStatusChange.objects.filter(goal=goal).count() == 1  # only the creation
    response = client.post(status_url(goal), post | {"bevestigd": "ja"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.lifecycle_status == post["lifecycle_status"]
    assert GoalStatusChange.objects.filter(goal=goal).count() == 2


def test_pausing_a_goal_does_not_ask(cast, login, make_goal):
    goal = make_goal()
    response = login(cast.noor).post(status_url(goal), {"lifecycle_status": "on-hold"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.lifecycle_status == "on-hold"


def test_closing_another_persons_goal_is_not_found(cast, login, make_goal):
    bas_goal = make_goal(person=cast.bas)
    url = reverse("goals:status", kwargs={"person_id": cast.anna.pk, "goal_id": bas_goal.pk})
    assert login(cast.noor).post(url, {"lifecycle_status": "cancelled", "bevestigd": "ja"}).status_code == 404
    bas_goal.refresh_from_db()
    assert bas_goal.lifecycle_status == "active"
