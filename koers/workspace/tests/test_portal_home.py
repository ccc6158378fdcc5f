"""The person's home puts what to do next first: questionnaires waiting, their own actions whose
review date has come, a consult to prepare — before anything else."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koers.consults.models import Consult, Preparation
from koers.goals.models import Action, Goal
from koers.questionnaires.models import Assignment

pytestmark = pytest.mark.django_db


def home(client):
    response = client.get(reverse("workspace:portal_home"))
    assert response.status_code == 200
    return response.content.decode()


def headings(html):
    return re.findall(r"<h([12])[^>]*>(.*?)</h\1>", html)


def add_waiting(cast, title="PHQ-9", due_in=3):
    return Assignment.objects.create(
        person=cast.anna,
        instrument_id="phq-9",
        instrument_version="1.0.0",
        title=title,
        due_date=timezone.localdate() + dt.timedelta(days=due_in),
        assigned_by=cast.noor,
        assigned_at=timezone.now(),
    )


def add_action(cast, what="Elke dag wandelen", review_in=-1, responsible="person"):
    goal = Goal.objects.get_or_create(
        person=cast.anna, description="Fitter worden", defaults={"life_domain": "health", "created_by": cast.noor}
    )[0]
    return Action.objects.create(
        person=cast.anna,
        goal=goal,
        what=what,
        created_by=cast.noor,
        responsible=responsible,
        review_date=timezone.localdate() + dt.timedelta(days=review_in),
    )


def add_consult(cast, days=3):
    return Consult.objects.create(
        person=cast.anna,
        professional=cast.noor,
        created_by=cast.noor,
        scheduled_at=timezone.now() + dt.timedelta(days=days),
    )


def test_to_do_next_is_the_first_section_with_a_way_to_each_task(cast, login):
    assignment = add_waiting(cast)
    action = add_action(cast)
    add_consult(cast)
    html = home(login(cast.anna_user))
    found = headings(html)
    assert found[0][0] == "1" and found[1] == ("2", "Wat u nu kunt doen")
    todo = html[html.index('id="h-todo"') : html.index('<div class="cards">')]
    assert "Vragenlijst invullen: PHQ-9" in todo
    assert reverse("questionnaires:portal_start", args=[assignment.pk]) in todo
    assert "Hoe gaat het met: Elke dag wandelen?" in todo
    assert reverse("goals:portal_progress", args=[action.pk]) in todo
    assert reverse("consults:portal_prepare") in todo and "Bereid het gesprek voor" in todo


def test_nothing_to_do_says_so(cast, login):
    add_action(cast, review_in=5)  # not yet
    add_action(cast, what="Verwijzen", responsible="professional")  # not the person's
    add_consult(cast, days=30)  # too far ahead to prepare now
    html = home(login(cast.anna_user))
    todo = html[html.index('id="h-todo"') : html.index('<div class="cards">')]
    assert "U hoeft nu niets te doen." in todo and "<li" not in todo


def test_a_prepared_consult_is_not_asked_again_and_a_draft_is_continued(cast, login):
    consult = add_consult(cast)
    preparation = Preparation.objects.create(person=cast.anna, consult=consult)
    client = login(cast.anna_user)
    assert "Verder met voorbereiden" in home(client)
    preparation.status, preparation.submitted_at = Preparation.Status.SUBMITTED, timezone.now()
    preparation.save()
    html = home(client)
    todo = html[html.index('id="h-todo"') : html.index('<div class="cards">')]
    assert reverse("consults:portal_prepare") not in todo and "U hoeft nu niets te doen." in todo


def test_to_do_costs_the_same_queries_for_one_or_many_tasks(cast, login):
    client = login(cast.anna_user)
    add_waiting(cast)
    add_action(cast)
    home(client)
    with CaptureQueriesContext(connection) as few:
        home(client)
    for i in range(5):
        add_waiting(cast, title=f"Lijst {i}")
        add_action(cast, what=f"Actie {i}")
    with CaptureQueriesContext(connection) as many:
        html = home(client)
    assert html.count('class="todo"') == 12
    assert len(many.captured_queries) == len(few.captured_queries)


def test_escaped_titles_in_to_do(cast, login):
    add_action(cast, what="<script>alert(1)</script>")
    html = home(login(cast.anna_user))
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_to_do_speaks_english_when_chosen(cast, login, settings):
    add_action(cast)
    client = login(cast.anna_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = home(client)
    assert ">What you can do now</h2>" in html and "How is it going with: Elke dag wandelen?" in html
    assert "Tell us how it is going" in html and "Wat u nu kunt doen" not in html
