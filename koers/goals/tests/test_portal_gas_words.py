"""Issue #14: the person reads their Goal Attainment Scaling levels in words, not as codes
(+2 … −2 are the professional's scale; the person sees "veel meer dan verwacht" beside their own
description of each level)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from koers.goals import services

pytestmark = pytest.mark.django_db


def test_the_person_sees_gas_levels_in_words(cast, make_goal, client):
    goal = make_goal(uses_gas=True)
    services.goal_review_record(actor=cast.noor, goal=goal, gas_level=1)
    client.force_login(cast.anna_user)
    html = client.get(reverse("goals:portal_goal", args=[goal.pk])).content.decode()
    levels = re.search(r'<ul class="levels">(.*?)</ul>', html, flags=re.S).group(1)
    assert "Veel meer dan verwacht: Elke dag" in levels
    assert "Meer dan verwacht: Vier keer <strong>(hier was ik bij de laatste evaluatie)</strong>" in levels
    assert "Veel minder dan verwacht: Nooit buiten" in levels
    assert not re.search(r"[+−-]\d|>0:", levels)  # no +2, −1 or 0 as codes
