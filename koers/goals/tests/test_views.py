"""Pages of the goals app: professional workspace and portal.

Per page: happy path, bad input (nothing saved, clear message), ``<script>`` escaped, another
person's ids → 404, stranger → 404 with a refused log row; list pages in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from koers.audit.models import AccessLogEntry
from koers.goals import services
from koers.goals.models import Action, ActionProgress, GasLevel, Goal, GoalReview, GoalStatusChange

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def refused(user) -> int:
    return AccessLogEntry.objects.filter(user=user, outcome="refused").count()


@pytest.fixture
def anna_goal(make_goal):
    return make_goal(uses_gas=True, description="Weer wandelen met de hond")


@pytest.fixture
def bas_goal(cast, make_goal):
    return make_goal(person=cast.bas, description="Bas zijn doel")


@pytest.fixture
def anna_action(make_action, anna_goal):
    return make_action(anna_goal, what="Elke ochtend een rondje")


@pytest.fixture
def bas_action(make_action, bas_goal):
    return make_action(bas_goal, what="Bas zijn actie")


def url(name, person=None, **kwargs):
    if person is not None:
        kwargs["person_id"] = person.pk
    return reverse(f"goals:{name}", kwargs=kwargs)


GOAL_POST = {
    "description": "Weer fietsen naar de markt",
    "life_domain": "daily",
    "why_it_matters": "Dan zie ik mensen",
    "owner": "person",
    "start_now": "active",
    "gas_weight": "1",
}
GAS_POST = {
    "uses_gas": "on",
    "gas_level_m2": "Niet fietsen",
    "gas_level_m1": "Eén keer per maand",
    "gas_level_0": "Eén keer per week",
    "gas_level_p1": "Twee keer per week",
    "gas_level_p2": "Elke dag",
}


# --- list -------------------------------------------------------------------------------------


def test_list_shows_goals_grouped_with_actions_and_gas(cast, login, anna_goal, anna_action, make_goal):
    make_goal(status="proposed", description="Een voorstel")
    services.goal_review_record(actor=cast.noor, goal=anna_goal, gas_level=1)
    response = login(cast.noor).get(url("list", cast.anna))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Weer wandelen met de hond" in html and "Elke ochtend een rondje" in html
    assert html.index("Een voorstel") < html.index("Weer wandelen met de hond")  # proposed first
    assert "<svg" in html and "T-score per evaluatie" in html
    assert "60,0" in html or "60.0" in html  # one goal at +1: T = 60
    assert "niveau +1" in html
    # SVG coordinates are never localised (a Dutch decimal comma would break the chart)
    assert re.search(r'<circle class="gas-dot" cx="[0-9.]+" cy="[0-9.]+"', html)
    assert not re.search(r'(x1|y1|cx|cy)="[0-9]+,[0-9]', html)
    assert AccessLogEntry.objects.filter(user=cast.noor, person=cast.anna, action="R", outcome="success").exists()


def test_list_without_goals(cast, login):
    response = login(cast.noor).get(url("list", cast.anna))
    assert response.status_code == 200
    assert "Er zijn nog geen doelen" in response.content.decode()


def test_list_escapes_script(cast, login, make_goal):
    make_goal(description=SCRIPT)
    html = login(cast.noor).get(url("list", cast.anna)).content.decode()
    assert SCRIPT not in html and ESCAPED in html


def test_list_for_a_stranger_is_404_with_a_refused_row(cast, login, anna_goal):
    before = refused(cast.sam)
    assert login(cast.sam).get(url("list", cast.anna)).status_code == 404
    assert refused(cast.sam) == before + 1


def _fill(cast, make_goal, make_action, n):
    for i in range(n):
        goal = make_goal(uses_gas=True, description=f"Doel {i}")
        action = make_action(goal)
        services.action_progress_record(actor=cast.anna_user, action=action, done=True)
        services.goal_review_record(actor=cast.noor, goal=goal, gas_level=i % 3 - 1)


def _count(client, path, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_list_queries_do_not_grow_with_goals(cast, login, make_goal, make_action, django_assert_num_queries):
    client = login(cast.noor)
    _fill(cast, make_goal, make_action, 1)
    client.get(url("list", cast.anna))  # warm the session
    few = _count(client, url("list", cast.anna), django_assert_num_queries)
    _fill(cast, make_goal, make_action, 5)
    with django_assert_num_queries(few):
        assert client.get(url("list", cast.anna)).status_code == 200


def test_portal_list_queries_do_not_grow_with_goals(cast, login, make_goal, make_action, django_assert_num_queries):
    client = login(cast.anna_user)
    _fill(cast, make_goal, make_action, 1)
    client.get(url("portal_goals"))
    few = _count(client, url("portal_goals"), django_assert_num_queries)
    _fill(cast, make_goal, make_action, 5)
    with django_assert_num_queries(few):
        assert client.get(url("portal_goals")).status_code == 200


# --- create / edit ----------------------------------------------------------------------------


def test_create_with_gas(cast, login):
    client = login(cast.noor)
    assert client.get(url("create", cast.anna)).status_code == 200
    response = client.post(url("create", cast.anna), {**GOAL_POST, **GAS_POST})
    goal = Goal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", cast.anna, goal_id=goal.pk)
    assert goal.lifecycle_status == "active" and goal.uses_gas
    assert GasLevel.objects.filter(goal=goal).count() == 5


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"description": ""}, "Schrijf uw doel op"),
        ({"description": "x" * 1001}, "hoogstens 1000 tekens"),
        ({"life_domain": "maan"}, "Kies een levensgebied"),
        ({"gas_weight": "abc"}, "gewicht"),
        ({"gas_weight": "11"}, "gewicht"),
        ({"target_date": "morgen"}, "geldige datum"),
        ({"uses_gas": "on"}, "niveau"),
    ],
)
def test_create_bad_input_saves_nothing(cast, login, changes, message):
    response = login(cast.noor).post(url("create", cast.anna), {**GOAL_POST, **changes})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Goal.objects.exists()


def test_create_says_every_problem_at_once(cast, login):
    """Noor left the goal empty and asked for GAS without its levels: she was told to write the
    goal, did, and only then heard that the five levels needed describing. Both in one answer."""
    data = {**GOAL_POST, "description": "", "uses_gas": "on", "target_date": "2020-01-01"}
    response = login(cast.noor).post(url("create", cast.anna), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert {"description", "target_date"} <= set(form.errors)
    assert any("niveau -2" in message for message in form.non_field_errors())
    assert not Goal.objects.exists()


def test_create_keeps_script_escaped(cast, login):
    login(cast.noor).post(url("create", cast.anna), {**GOAL_POST, "description": SCRIPT})
    goal = Goal.objects.get()
    assert goal.description == SCRIPT
    html = login(cast.noor).get(url("detail", cast.anna, goal_id=goal.pk)).content.decode()
    assert SCRIPT not in html and ESCAPED in html


def test_create_next_goal_after_another_persons_goal_is_404(cast, login, bas_goal):
    client = login(cast.noor)
    assert client.get(url("create", cast.anna) + f"?vorige={bas_goal.pk}").status_code == 404
    assert client.post(url("create", cast.anna), {**GOAL_POST, "vorige": bas_goal.pk}).status_code == 404
    assert Goal.objects.filter(person=cast.anna).count() == 0


def test_create_for_a_stranger_is_404_and_saves_nothing(cast, login):
    before = refused(cast.cor)
    assert login(cast.cor).post(url("create", cast.anna), GOAL_POST).status_code == 404
    assert refused(cast.cor) == before + 1
    assert not Goal.objects.exists()


def test_edit(cast, login, anna_goal):
    client = login(cast.noor)
    assert client.get(url("edit", cast.anna, goal_id=anna_goal.pk)).status_code == 200
    post = {**GOAL_POST, **GAS_POST, "description": "Elke dag wandelen", "gas_level_0": "Drie keer per week"}
    post.pop("start_now")
    response = client.post(url("edit", cast.anna, goal_id=anna_goal.pk), post)
    assert response.status_code == 302
    anna_goal.refresh_from_db()
    assert anna_goal.description == "Elke dag wandelen"
    assert GasLevel.objects.get(goal=anna_goal, level=0).description == "Drie keer per week"


def test_edit_bad_input_saves_nothing(cast, login, anna_goal):
    response = login(cast.noor).post(url("edit", cast.anna, goal_id=anna_goal.pk), {**GOAL_POST, "description": ""})
    assert response.status_code == 200
    anna_goal.refresh_from_db()
    assert anna_goal.description == "Weer wandelen met de hond"


def test_edit_says_every_problem_at_once(cast, login, anna_goal):
    """Changing a goal is one answer too: an emptied goal, an emptied GAS level and a new target
    date in the past, all said at once (the form knew only the first)."""
    data = {**GOAL_POST, **GAS_POST, "description": "", "gas_level_0": "", "target_date": "2020-01-01"}
    data.pop("start_now")
    response = login(cast.noor).post(url("edit", cast.anna, goal_id=anna_goal.pk), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert {"description", "target_date"} <= set(form.errors)
    assert any("niveau +0" in message for message in form.non_field_errors())
    anna_goal.refresh_from_db()
    assert anna_goal.description == "Weer wandelen met de hond"
    assert GasLevel.objects.get(goal=anna_goal, level=0).description != ""


def test_edit_another_persons_goal_is_404(cast, login, bas_goal):
    client = login(cast.noor)
    assert client.get(url("edit", cast.anna, goal_id=bas_goal.pk)).status_code == 404
    assert client.post(url("edit", cast.anna, goal_id=bas_goal.pk), GOAL_POST).status_code == 404
    bas_goal.refresh_from_db()
    assert bas_goal.description == "Bas zijn doel"


# --- detail, status, review ------------------------------------------------------------------


def test_detail(cast, login, anna_goal, anna_action):
    response = login(cast.noor).get(url("detail", cast.anna, goal_id=anna_goal.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Elke ochtend een rondje" in html and "Status wijzigen" in html


def test_detail_of_another_persons_goal_is_404_with_refused_row(cast, login, bas_goal):
    before = refused(cast.noor)
    assert login(cast.noor).get(url("detail", cast.anna, goal_id=bas_goal.pk)).status_code == 404
    assert refused(cast.noor) == before + 1


def test_status_complete_achieved_offers_a_next_goal(cast, login, anna_goal):
    client = login(cast.noor)
    response = client.post(
        url("status", cast.anna, goal_id=anna_goal.pk),
        {"lifecycle_status": "completed", "achievement_status": "achieved", "note": "Gelukt!", "bevestigd": "ja"},
        follow=True,
    )
    anna_goal.refresh_from_db()
    assert (anna_goal.lifecycle_status, anna_goal.achievement_status) == ("completed", "achieved")
    html = response.content.decode()
    assert "Volgend doel stellen" in html
    next_url = url("create", cast.anna) + f"?vorige={anna_goal.pk}"
    assert client.get(next_url).status_code == 200


def test_status_get_is_not_allowed(cast, login, anna_goal):
    assert login(cast.noor).get(url("status", cast.anna, goal_id=anna_goal.pk)).status_code == 405


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"lifecycle_status": "proposed"}, "Deze status kan nu niet"),
        ({"lifecycle_status": ""}, "Kies een nieuwe status"),
        ({"lifecycle_status": "completed"}, "bereikt is of niet"),
        ({"lifecycle_status": "on-hold", "note": "x" * 2001}, "hoogstens 2000"),
    ],
)
def test_status_bad_input_changes_nothing(cast, login, anna_goal, post, message):
    response = login(cast.noor).post(url("status", cast.anna, goal_id=anna_goal.pk), post, follow=True)
    assert message in response.content.decode()
    anna_goal.refresh_from_db()
    assert anna_goal.lifecycle_status == "active"
    assert GoalStatusChange.objects.filter(goal=anna_goal).count() == 1


def test_status_of_another_persons_goal_is_404(cast, login, bas_goal):
    response = login(cast.noor).post(url("status", cast.anna, goal_id=bas_goal.pk), {"lifecycle_status": "cancelled"})
    assert response.status_code == 404
    bas_goal.refresh_from_db()
    assert bas_goal.lifecycle_status == "active"


def test_review_with_gas_level(cast, login, anna_goal):
    client = login(cast.noor)
    assert client.get(url("review", cast.anna, goal_id=anna_goal.pk)).status_code == 200
    response = client.post(url("review", cast.anna, goal_id=anna_goal.pk), {"gas_level": "2", "note": SCRIPT})
    assert response.status_code == 302
    review = GoalReview.objects.get()
    assert (review.gas_level, review.note) == (2, SCRIPT)
    html = client.get(url("detail", cast.anna, goal_id=anna_goal.pk)).content.decode()
    assert SCRIPT not in html and ESCAPED in html


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"gas_level": "3"}, "-2 tot en met +2"),
        ({"gas_level": "abc"}, "-2 tot en met +2"),
        ({}, "Kies een niveau of schrijf"),
        ({"note": "x" * 4001}, "hoogstens 4000"),
    ],
)
def test_review_bad_input_saves_nothing(cast, login, anna_goal, post, message):
    response = login(cast.noor).post(url("review", cast.anna, goal_id=anna_goal.pk), post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not GoalReview.objects.exists()


def test_review_another_persons_goal_is_404(cast, login, bas_goal):
    assert login(cast.noor).post(url("review", cast.anna, goal_id=bas_goal.pk), {"note": "x"}).status_code == 404
    assert not GoalReview.objects.exists()


# --- actions and progress (professional) ------------------------------------------------------

ACTION_POST = {"what": "Elke avond wandelen", "when": "na het eten", "responsible": "person", "confidence": "7"}


def test_action_create(cast, login, anna_goal):
    client = login(cast.noor)
    assert client.get(url("action_create", cast.anna, goal_id=anna_goal.pk)).status_code == 200
    response = client.post(url("action_create", cast.anna, goal_id=anna_goal.pk), ACTION_POST)
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.goal, action.confidence, action.created_by) == (anna_goal, 7, cast.noor)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"what": ""}, "Schrijf op wat u gaat doen"),
        ({"what": "x" * 301}, "hoogstens 300 tekens"),
        ({"confidence": "abc"}, "0 tot en met 10"),
        ({"confidence": "11"}, "0 tot en met 10"),
        ({"responsible": "buurman"}, "Kies wie het doet"),
        ({"review_date": "gisteren"}, "geldige datum"),
    ],
)
def test_action_create_bad_input_saves_nothing(cast, login, anna_goal, changes, message):
    response = login(cast.noor).post(url("action_create", cast.anna, goal_id=anna_goal.pk), {**ACTION_POST, **changes})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Action.objects.exists()


def test_action_create_says_every_problem_at_once(cast, login, anna_goal):
    """Anna left "what" empty and chose a review date last year: she was told to write what she
    will do, did, and only then heard the date had passed. Both in one answer, on her own page too."""
    data = {**ACTION_POST, "what": "", "review_date": "2020-01-06"}
    response = login(cast.noor).post(url("action_create", cast.anna, goal_id=anna_goal.pk), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"what", "review_date"}
    response = login(cast.anna_user).post(reverse("goals:portal_action_create", args=[anna_goal.pk]), data)
    assert set(response.context["form"].errors) == {"what", "review_date"}
    assert not anna_goal.actions.exists()


def test_action_edit_says_every_problem_at_once(cast, login, anna_action):
    """Changing an action: an emptied "what" and a new review date last year, in one answer. The
    date it already had stays acceptable, even once it has passed."""
    edit = url("action_edit", cast.anna, action_id=anna_action.pk)
    response = login(cast.noor).post(edit, {**ACTION_POST, "what": "", "review_date": "2020-01-06"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"what", "review_date"}
    anna_action.refresh_from_db()
    assert anna_action.what != ""
    Action.objects.filter(pk=anna_action.pk).update(review_date=dt.date(2020, 1, 6))
    response = login(cast.noor).post(edit, {**ACTION_POST, "what": "", "review_date": "2020-01-06"})
    assert set(response.context["form"].errors) == {"what"}


def test_action_create_under_another_persons_goal_is_404(cast, login, bas_goal):
    response = login(cast.noor).post(url("action_create", cast.anna, goal_id=bas_goal.pk), ACTION_POST)
    assert response.status_code == 404
    assert not Action.objects.exists()


def test_action_edit_and_status(cast, login, anna_action):
    client = login(cast.noor)
    assert client.get(url("action_edit", cast.anna, action_id=anna_action.pk)).status_code == 200
    response = client.post(url("action_edit", cast.anna, action_id=anna_action.pk), {**ACTION_POST, "what": SCRIPT})
    assert response.status_code == 302
    anna_action.refresh_from_db()
    assert anna_action.what == SCRIPT
    html = client.get(url("detail", cast.anna, goal_id=anna_action.goal_id)).content.decode()
    assert SCRIPT not in html and ESCAPED in html
    response = client.post(url("action_status", cast.anna, action_id=anna_action.pk), {"status": "done"})
    assert response.status_code == 302
    anna_action.refresh_from_db()
    assert anna_action.status == "done"


def test_action_edit_bad_input_and_bad_status(cast, login, anna_action):
    client = login(cast.noor)
    response = client.post(url("action_edit", cast.anna, action_id=anna_action.pk), {**ACTION_POST, "what": ""})
    assert response.status_code == 200
    response = client.post(url("action_status", cast.anna, action_id=anna_action.pk), {"status": "weg"}, follow=True)
    assert "geldige status" in response.content.decode()
    anna_action.refresh_from_db()
    assert (anna_action.what, anna_action.status) == ("Elke ochtend een rondje", "active")


def test_action_pages_with_another_persons_action_are_404(cast, login, bas_action):
    client = login(cast.noor)
    assert client.get(url("action_edit", cast.anna, action_id=bas_action.pk)).status_code == 404
    assert client.post(url("action_edit", cast.anna, action_id=bas_action.pk), ACTION_POST).status_code == 404
    assert client.post(url("action_status", cast.anna, action_id=bas_action.pk), {"status": "done"}).status_code == 404
    assert client.post(url("progress", cast.anna, action_id=bas_action.pk), {"done": "ja"}).status_code == 404
    bas_action.refresh_from_db()
    assert (bas_action.what, bas_action.status) == ("Bas zijn actie", "active")
    assert not ActionProgress.objects.exists()


def test_progress_by_a_professional(cast, login, anna_action):
    client = login(cast.noor)
    assert client.get(url("progress", cast.anna, action_id=anna_action.pk)).status_code == 200
    response = client.post(url("progress", cast.anna, action_id=anna_action.pk), {"done": "nee", "confidence": "4"})
    assert response.status_code == 302
    progress = ActionProgress.objects.get()
    assert (progress.done, progress.confidence, progress.recorded_by) == (False, 4, cast.noor)


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({}, "gelukt of niet gelukt"),
        ({"done": "misschien"}, "gelukt of niet gelukt"),
        ({"done": "ja", "confidence": "abc"}, "0 tot en met 10"),
        ({"done": "ja", "confidence": "11"}, "0 tot en met 10"),
        ({"done": "ja", "note": "x" * 2001}, "hoogstens 2000"),
    ],
)
def test_progress_bad_input_saves_nothing(cast, login, anna_action, post, message):
    response = login(cast.noor).post(url("progress", cast.anna, action_id=anna_action.pk), post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ActionProgress.objects.exists()


# --- portal ----------------------------------------------------------------------------------


def test_portal_goals_and_goal(cast, login, anna_goal, anna_action, bas_goal):
    client = login(cast.anna_user)
    html = client.get(url("portal_goals")).content.decode()
    assert "Weer wandelen met de hond" in html and "Bas zijn doel" not in html
    response = client.get(url("portal_goal", goal_id=anna_goal.pk))
    assert response.status_code == 200
    assert "Elke ochtend een rondje" in response.content.decode()


def test_portal_goal_of_another_person_is_404_with_refused_row(cast, login, bas_goal):
    before = refused(cast.anna_user)
    assert login(cast.anna_user).get(url("portal_goal", goal_id=bas_goal.pk)).status_code == 404
    assert refused(cast.anna_user) == before + 1


def test_portal_pages_are_404_for_a_professional(cast, login, anna_goal):
    client = login(cast.noor)
    assert client.get(url("portal_goals")).status_code == 404
    assert client.get(url("portal_goal", goal_id=anna_goal.pk)).status_code == 404


def test_portal_goal_create_proposes(cast, login):
    client = login(cast.anna_user)
    assert client.get(url("portal_goal_create")).status_code == 200
    response = client.post(url("portal_goal_create"), {"description": SCRIPT, "life_domain": "social"})
    goal = Goal.objects.get()
    assert response.status_code == 302
    assert (goal.lifecycle_status, goal.owner, goal.created_by) == ("proposed", "person", cast.anna_user)
    html = client.get(url("portal_goal", goal_id=goal.pk)).content.decode()
    assert SCRIPT not in html and ESCAPED in html


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"description": "", "life_domain": "social"}, "Schrijf uw doel op"),
        ({"description": "x" * 1001, "life_domain": "social"}, "hoogstens 1000 tekens"),
        ({"description": "Vrienden zien", "life_domain": ""}, "Kies een levensgebied"),
        ({"description": "Vrienden zien", "life_domain": "social", "why_it_matters": "x" * 2001}, "hoogstens 2000"),
    ],
)
def test_portal_goal_create_bad_input(cast, login, post, message):
    response = login(cast.anna_user).post(url("portal_goal_create"), post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Goal.objects.exists()


def test_portal_action_create(cast, login, anna_goal):
    client = login(cast.anna_user)
    assert client.get(url("portal_action_create", goal_id=anna_goal.pk)).status_code == 200
    response = client.post(url("portal_action_create", goal_id=anna_goal.pk), ACTION_POST)
    assert response.status_code == 302
    assert Action.objects.get().created_by == cast.anna_user


def test_portal_action_create_bad_input_and_foreign_goal(cast, login, anna_goal, bas_goal):
    client = login(cast.anna_user)
    response = client.post(url("portal_action_create", goal_id=anna_goal.pk), {**ACTION_POST, "confidence": "11"})
    assert response.status_code == 200 and "0 tot en met 10" in response.content.decode()
    assert client.post(url("portal_action_create", goal_id=bas_goal.pk), ACTION_POST).status_code == 404
    assert not Action.objects.exists()


def test_portal_progress_plain_post_redirects(cast, login, anna_action):
    client = login(cast.anna_user)
    assert client.get(url("portal_progress", action_id=anna_action.pk)).status_code == 200
    response = client.post(
        url("portal_progress", action_id=anna_action.pk), {"done": "ja", "note": "Fijn", "confidence": "8"}
    )
    assert response.status_code == 302
    assert response["Location"] == url("portal_goal", goal_id=anna_action.goal_id)
    progress = ActionProgress.objects.get()
    assert (progress.done, progress.note, progress.confidence, progress.recorded_by) == (
        True,
        "Fijn",
        8,
        cast.anna_user,
    )


def test_portal_progress_htmx_swaps_the_card(cast, login, anna_action):
    response = login(cast.anna_user).post(
        url("portal_progress", action_id=anna_action.pk), {"done": "nee", "note": SCRIPT}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<article class="card action"')
    assert "Bewaard" in html and "niet gelukt" in html
    assert ActionProgress.objects.get().note == SCRIPT


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({}, "gelukt of niet gelukt"),
        ({"done": "ja", "confidence": "abc"}, "0 tot en met 10"),
        ({"done": "ja", "confidence": "11"}, "0 tot en met 10"),
        ({"done": "ja", "note": "x" * 2001}, "hoogstens 2000"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_portal_progress_bad_input(cast, login, anna_action, post, message, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = login(cast.anna_user).post(url("portal_progress", action_id=anna_action.pk), post, **headers)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ActionProgress.objects.exists()


def test_portal_progress_on_another_persons_action_is_404(cast, login, bas_action):
    client = login(cast.anna_user)
    before = refused(cast.anna_user)
    assert client.post(url("portal_progress", action_id=bas_action.pk), {"done": "ja"}).status_code == 404
    assert refused(cast.anna_user) == before + 1
    assert not ActionProgress.objects.exists()


def test_portal_offers_a_next_goal_when_one_is_achieved(cast, login, anna_goal):
    services.goal_set_status(
        actor=cast.noor, goal=anna_goal, lifecycle_status="completed", achievement_status="achieved"
    )
    html = login(cast.anna_user).get(url("portal_goal", goal_id=anna_goal.pk)).content.decode()
    assert "Een volgend doel voorstellen" in html and url("portal_goal_create") in html


def test_detail_queries_do_not_grow_with_actions(cast, login, anna_goal, make_action, django_assert_num_queries):
    client = login(cast.noor)
    path = url("detail", cast.anna, goal_id=anna_goal.pk)
    make_action(anna_goal)
    client.get(path)
    few = _count(client, path, django_assert_num_queries)
    for i in range(4):
        action = make_action(anna_goal, what=f"Actie {i}")
        services.action_progress_record(actor=cast.noor, action=action, done=True)
        services.goal_review_record(actor=cast.noor, goal=anna_goal, gas_level=0)
    with django_assert_num_queries(few):
        assert client.get(path).status_code == 200
