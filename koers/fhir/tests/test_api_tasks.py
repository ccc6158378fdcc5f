"""Task through the API (issue #15): a goal's actions and questionnaire assignments."""

from __future__ import annotations

import pytest

from koers import access
from koers.audit.models import AccessLogEntry
from koers.fhir.tests.test_api import assert_outcome, body, entries, get
from koers.goals import services
from koers.network.services import consent_set
from koers.questionnaires import instruments
from koers.questionnaires import services as q_services
from tests.support.fhir import assert_valid_r4


@pytest.fixture
def tasks(cast):
    """Anna: a goal with two actions (one done) and a PHQ-9 assignment; Bas: a GAD-7 assignment."""
    goal = services.goal_create(
        actor=cast.noor, person=cast.anna, description="Wandelen", life_domain="health", lifecycle_status="active"
    )
    walk = services.action_create(actor=cast.noor, goal=goal, what="Rondje om het blok")
    cook = services.action_create(actor=cast.noor, goal=goal, what="Zelf koken")
    services.action_set_status(actor=cast.noor, action=cook, status="done")
    phq = q_services.assignment_create(actor=cast.noor, person=cast.anna, instrument_id="phq-9")
    gad = q_services.assignment_create(actor=cast.noor, person=cast.bas, instrument_id="gad-7")
    return goal, f"action-{walk.pk}", f"action-{cook.pk}", f"assignment-{phq.pk}", f"assignment-{gad.pk}"


def _ids(client, query=""):
    return {t["id"] for t in entries(body(get(client, f"/fhir/Task?{query}&_count=100")))}


@pytest.mark.django_db
def test_both_kinds_read_as_valid_r4_with_one_log_row_naming_the_object(cast, client, tasks):
    _, walk, _, phq, _ = tasks
    client.force_login(cast.noor)
    rows = AccessLogEntry.objects.filter(user=cast.noor, person=cast.anna, outcome="success")
    for task_id, object_type in ((walk, "goals.Action"), (phq, "questionnaires.Assignment")):
        before = rows.count()
        task = body(get(client, f"/fhir/Task/{task_id}"))
        assert_valid_r4(task)
        assert task["id"] == task_id and task["for"] == {"reference": f"Patient/{cast.anna.pk}"}
        assert rows.count() == before + 1 and rows.latest("pk").object_type == object_type
    for odd in ("action-", "action-abc", "assignment-0", "goal-1", "1"):
        assert_outcome(get(client, f"/fhir/Task/{odd}"), 404)


@pytest.mark.django_db
def test_who_reads_which_task(cast, client, tasks):
    _, walk, _, phq, _ = tasks
    for user, sees_action, sees_assignment in (
        (cast.noor, True, True),
        (cast.gert, True, True),
        (cast.anna_user, True, True),
        (cast.cor, False, False),
        (cast.sam, False, False),
        (cast.mia, False, False),
        (cast.ada, False, False),
        (cast.bas_user, False, False),
        (cast.rob, False, False),  # no consent yet
    ):
        client.force_login(user)
        found = _ids(client)
        for task_id, allowed in ((walk, sees_action), (phq, sees_assignment)):
            assert get(client, f"/fhir/Task/{task_id}").status_code == (200 if allowed else 404), (user, task_id)
            assert (task_id in found) is allowed, (user, task_id)


@pytest.mark.django_db
def test_a_relative_with_the_goals_topic_sees_actions_never_assignments_until_withdrawn(cast, client, tasks):
    _, walk, cook, phq, _ = tasks
    for topic in (access.Topic.GOALS, access.Topic.QUESTIONNAIRES):
        consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=topic, granted=True)
    client.force_login(cast.rob)
    assert get(client, f"/fhir/Task/{walk}").status_code == 200
    assert get(client, f"/fhir/Task/{phq}").status_code == 404
    assert _ids(client) == {walk, cook}
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=access.Topic.GOALS, granted=False)
    assert get(client, f"/fhir/Task/{walk}").status_code == 404
    assert _ids(client) == set()


@pytest.mark.django_db
def test_task_search_parameters(cast, client, tasks):
    goal, walk, cook, phq, gad = tasks
    client.force_login(cast.noor)
    assert _ids(client) == {walk, cook, phq, gad}
    assert _ids(client, f"patient={cast.anna.pk}") == {walk, cook, phq}
    assert _ids(client, f"for=Patient/{cast.bas.pk}") == {gad}
    assert _ids(client, "status=in-progress") == {walk}
    assert _ids(client, "status=completed") == {cook}
    assert _ids(client, "status=ready") == {phq, gad}
    assert _ids(client, "code=goal-action") == {walk, cook}
    assert _ids(client, "code=https://koers.example.org/fhir/CodeSystem/task-code|questionnaire") == {phq, gad}
    assert _ids(client, "code=fulfill") == {phq, gad}
    assert _ids(client, f"focus=Goal/{goal.pk}") == {walk, cook}
    assert _ids(client, "focus=Questionnaire/phq-9") == {phq}
    assert _ids(client, f"_id={walk},{gad}") == {walk, gad}
    assert_outcome(get(client, f"/fhir/Task?focus=Patient/{cast.anna.pk}"), 400)
    assert instruments.get("phq-9")  # the focus id is the instrument id


@pytest.mark.django_db
def test_paging_walks_actions_then_assignments_once(cast, client, tasks):
    client.force_login(cast.noor)
    url, seen = "/fhir/Task?_count=3", []
    rows = AccessLogEntry.objects.filter(user=cast.noor, detail="FHIR search")
    while url:
        bundle = body(get(client, url))
        assert_valid_r4(bundle)
        assert bundle["total"] == 4
        seen += [t["id"] for t in entries(bundle)]
        url = {link["relation"]: link["url"] for link in bundle["link"]}.get("next")
    assert seen == [tasks[1], tasks[2], tasks[3], tasks[4]]
    assert rows.exists()
    assert body(get(client, "/fhir/Task?_count=0"))["total"] == 4
