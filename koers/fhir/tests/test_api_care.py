"""Goal, CarePlan and Observation through the FHIR API (issue #15): valid R4, each kind under its
own page's category for every actor, foreign == missing, versions of the care plan, paging that
shows every observation once, a patient token, date ranges."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from koers import access
from koers.access import Category, Relationship, policy
from koers.accounts.models import User
from koers.audit.models import AccessLogEntry
from koers.careplans import sections as plan_sections
from koers.careplans.models import CarePlanVersion
from koers.monitoring.models import Observation as SelfMeasurement
from koers.network.models import CareTeamMember, EmergencyAccess, RelativeLink
from koers.network.services import consent_set
from koers.smart import services as smart
from tests.support.fhir import assert_valid_r4
from tests.support.testing import make_full_record, make_person, make_user

pytestmark = pytest.mark.django_db
FHIR = "application/fhir+json"


def get(client, url):
    return client.get(url, headers={"Accept": FHIR})


def body(response) -> dict:
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return json.loads(response.content)


def match_ids(bundle) -> list[str]:
    return [e["resource"]["id"] for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]


@pytest.fixture
def record(cast):
    record = make_full_record(cast.anna, professional=cast.noor)
    goal = record["goal_id"]
    goal.gas_baseline = -1
    goal.save()
    return record


def _ids(record) -> dict[str, tuple[str, Category]]:
    """URL → (the resource id, the category of the page that shows the same data)."""
    goal, plan = record["goal_id"], record["version"].care_plan
    return {
        f"Goal/{goal.pk}": (str(goal.pk), Category.GOALS),
        f"CarePlan/{plan.pk}": (str(plan.pk), Category.CAREPLAN),
        f"CarePlan/{plan.pk}/_history/1": (str(plan.pk), Category.CAREPLAN),
        f"Observation/mon-{record['observation_id'].pk}": (f"mon-{record['observation_id'].pk}", Category.MEASUREMENTS),
        f"Observation/lab-{record['screening_id'].measurements.get().pk}": (
            f"lab-{record['screening_id'].measurements.get().pk}",
            Category.MEASUREMENTS,
        ),
        f"Observation/score-{record['response_id'].score.pk}": (
            f"score-{record['response_id'].score.pk}",
            Category.QUESTIONNAIRES,
        ),
        f"Observation/gas-{record['review_id'].pk}": (f"gas-{record['review_id'].pk}", Category.GOALS),
        f"Observation/gas-baseline-{goal.pk}": (f"gas-baseline-{goal.pk}", Category.GOALS),
    }


# --- valid R4 -------------------------------------------------------------------------------------


def test_every_resource_and_bundle_is_valid_r4(cast, client, record):
    client.force_login(cast.noor)
    for url, (resource_id, _category) in _ids(record).items():
        resource = body(get(client, f"/fhir/{url}"))
        assert_valid_r4(resource)
        assert resource["id"] == resource_id
    for type_name in ("Goal", "CarePlan", "Observation"):
        bundle = body(get(client, f"/fhir/{type_name}?patient={cast.anna.pk}&_count=100"))
        assert_valid_r4(bundle)
        assert bundle["total"] == len(match_ids(bundle)) > 0
    observations = body(get(client, f"/fhir/Observation?patient={cast.anna.pk}"))
    assert {i.split("-")[0] for i in match_ids(observations)} == {"mon", "lab", "score", "gas"}
    assert all(e["resource"]["meta"]["lastUpdated"] for e in observations["entry"])
    history = body(get(client, f"/fhir/CarePlan/{record['version'].care_plan.pk}/_history"))
    assert_valid_r4(history)
    assert history["type"] == "history" and history["total"] == 1


def test_metadata_lists_the_types_and_care_plan_versions(cast, client):
    statement = body(get(client, "/fhir/metadata"))
    by_type = {r["type"]: r for r in statement["rest"][0]["resource"]}
    assert {"Goal", "CarePlan", "Observation"} <= set(by_type)
    assert {i["code"] for i in by_type["CarePlan"]["interaction"]} == {
        "read",
        "vread",
        "history-instance",
        "search-type",
    }
    assert by_type["CarePlan"]["versioning"] == "versioned"
    assert by_type["Goal"]["versioning"] == "versioned-update"  # meta.versionId, If-Match on update
    assert {i["code"] for i in by_type["Goal"]["interaction"]} == {
        "read",
        "vread",
        "history-instance",
        "search-type",
        "create",
        "update",
    }
    assert by_type["Goal"]["readHistory"] is True
    assert {i["code"] for i in by_type["Observation"]["interaction"]} == {"read", "search-type", "create"}
    assert by_type["Patient"]["versioning"] == "no-version"
    assert_valid_r4(statement)


# --- access walk ----------------------------------------------------------------------------------


@dataclasses.dataclass
class Actor:
    name: str
    user: User
    relationship: Relationship
    discipline: str = ""
    decisions: dict = dataclasses.field(default_factory=dict)
    emergency: frozenset | None = None

    def allowed(self, category: Category) -> bool:
        if self.emergency is not None:
            return policy.allowed(Relationship.EMERGENCY, category, policy.R, topics=self.emergency)
        topics = policy.effective_topics(self.relationship, self.discipline, self.decisions)
        return policy.allowed(self.relationship, category, policy.R, topics=topics)


def _member(cast, discipline, name):
    pro = make_user(name, organisation=cast.ggz, discipline=discipline)
    CareTeamMember.objects.create(
        person=cast.anna, professional=pro, organisation=cast.ggz, assigned_by=cast.noor, started_at=timezone.now()
    )
    return pro


def _consent(cast, member, topic, granted):
    consent_set(actor=cast.anna_user, person=cast.anna, member=member, topic=topic, granted=granted)


def _actors(cast) -> list[Actor]:
    """Every actor type of test_api_access.py, plus a peer expert, consent withdrawn from a
    professional and a peer expert, a relative with consent and a running emergency access."""
    ct, pe, rel, none = Relationship.CARE_TEAM, Relationship.PEER_EXPERT, Relationship.RELATIVE, Relationship.NONE
    peer = _member(cast, User.Discipline.PEER_EXPERT, "peter")
    regret = _member(cast, User.Discipline.PEER_EXPERT, "petra")
    _consent(cast, regret, access.Topic.GOALS, True)
    _consent(cast, regret, access.Topic.GOALS, False)
    withdrawn = _member(cast, User.Discipline.PSYCHOLOGIST, "wim")
    _consent(cast, withdrawn, access.Topic.MEASUREMENTS, False)
    roos = make_user("roos", role=User.Role.RELATIVE)
    RelativeLink.objects.create(person=cast.anna, user=roos, relationship="zus")
    _consent(cast, roos, access.Topic.GOALS, True)
    sos = make_user("eva", organisation=cast.elsewhere, discipline=User.Discipline.GP)
    now = timezone.now()
    EmergencyAccess.objects.create(
        person=cast.anna,
        professional=sos,
        organisation=cast.elsewhere,
        reason="Opgenomen op de SEH",
        scope=access.Topic.CAREPLAN,
        started_at=now - dt.timedelta(hours=1),
        expires_at=now + dt.timedelta(hours=3),
    )
    return [
        Actor("coordinator", cast.noor, ct, cast.noor.discipline),
        Actor("care team member", cast.gert, ct, cast.gert.discipline),
        Actor("peer expert", peer, pe, peer.discipline),
        Actor("peer expert, goals granted then withdrawn", regret, pe, regret.discipline, {access.Topic.GOALS: False}),
        Actor("professional, measurements withdrawn", withdrawn, ct, withdrawn.discipline, {"measurements": False}),
        Actor("colleague outside the team", cast.cor, none),
        Actor("other organisation", cast.pieter, none),
        Actor("stranger", cast.sam, none),
        Actor("manager", cast.mia, none),
        Actor("administrator", cast.ada, none),
        Actor("the person", cast.anna_user, Relationship.SELF),
        Actor("another person", cast.bas_user, none),
        Actor("relative without consent", cast.rob, rel),
        Actor("relative with goals consent", roos, rel, decisions={access.Topic.GOALS: True}),
        Actor("emergency access (care plan)", sos, none, emergency=frozenset({access.Topic.CAREPLAN})),
    ]


def _walk(client, cast, record, actor: Actor) -> None:
    client.force_login(actor.user)
    searched = {
        t: set(match_ids(body(get(client, f"/fhir/{t}?_count=100")))) for t in ("Goal", "CarePlan", "Observation")
    }
    for url, (resource_id, category) in _ids(record).items():
        allowed = actor.allowed(category)
        success = AccessLogEntry.objects.filter(user=actor.user, person=cast.anna, outcome="success")
        refused = AccessLogEntry.objects.filter(user=actor.user, outcome="refused")
        ok, no = success.count(), refused.count()
        response = get(client, f"/fhir/{url}")
        if allowed:
            assert response.status_code == 200, f"{actor.name}: {url} gave {response.status_code}"
            assert success.count() == ok + 1, f"{actor.name}: {url} read without a log row"
        else:
            assert response.status_code == 404, f"{actor.name}: {url} gave {response.status_code}"
            assert refused.count() == no + 1, f"{actor.name}: {url} refused without a log row"
        listed = allowed and actor.emergency is None  # emergency access reads by id, never lists
        assert (resource_id in searched[url.split("/")[0]]) is listed, f"{actor.name}: search for {url}"


def test_every_actor_reads_and_searches_each_kind_by_its_pages_category(cast, client, record):
    actors = _actors(cast)
    for actor in actors:
        _walk(client, cast, record, actor)
    # the walk is not empty on either side: someone saw each kind, someone did not
    for _url, (_rid, category) in _ids(record).items():
        assert {a.allowed(category) for a in actors} == {True, False}


def test_consent_given_then_withdrawn_works_on_the_next_request(cast, client, record):
    goal_url = f"/fhir/Goal/{record['goal_id'].pk}"
    client.force_login(cast.rob)
    assert get(client, goal_url).status_code == 404
    _consent(cast, cast.rob, access.Topic.GOALS, True)
    assert get(client, goal_url).status_code == 200
    assert get(client, f"/fhir/Observation/gas-{record['review_id'].pk}").status_code == 200
    assert get(client, f"/fhir/Observation/mon-{record['observation_id'].pk}").status_code == 404
    _consent(cast, cast.rob, access.Topic.GOALS, False)
    assert get(client, goal_url).status_code == 404
    assert body(get(client, "/fhir/Observation"))["total"] == 0


def test_a_care_plan_section_the_reader_may_not_read_is_left_out(cast, client, record, monkeypatch):
    """Mirror of the plan pages (``sections.visible``): with the person's own words in a section
    of a category a peer expert may not read, the peer expert's CarePlan has no description."""
    version = record["version"]
    version.snapshot["person"] = {**version.snapshot.get("person", {}), "what_matters": "Mijn kinderen"}
    version.save()
    person_section = next(s for s in plan_sections.sections() if s.key == "person")
    monkeypatch.setitem(plan_sections._registry, "person", dataclasses.replace(person_section, category="clinical"))
    plan_sections._clear_merged()
    try:
        peer = _member(cast, User.Discipline.PEER_EXPERT, "peter")
        url = f"/fhir/CarePlan/{version.care_plan.pk}"
        client.force_login(cast.noor)
        assert body(get(client, url))["description"] == "Mijn kinderen"
        client.force_login(peer)
        for resource in (
            body(get(client, url)),
            body(get(client, f"{url}/_history/1")),
            body(get(client, f"{url}/_history"))["entry"][0]["resource"],
            body(get(client, "/fhir/CarePlan"))["entry"][0]["resource"],
        ):
            assert "description" not in resource
    finally:
        monkeypatch.undo()
        plan_sections._clear_merged()


# --- foreign == missing ---------------------------------------------------------------------------


def test_foreign_and_missing_answer_byte_for_byte_alike(cast, client):
    stranger = make_person(actor=cast.sam, given_name="Vreemd")
    theirs = make_full_record(stranger, professional=cast.sam)
    client.force_login(cast.noor)
    missing = get(client, "/fhir/Goal/999999").content
    foreign = list(_ids({**theirs, "goal_id": theirs["goal_id"]}).keys())
    plan = theirs["version"].care_plan.pk
    foreign += [f"CarePlan/{plan}/_history", f"CarePlan/{plan}/_history/1"]
    mine = make_full_record(cast.anna, professional=cast.noor)["version"].care_plan.pk
    odd = [
        "Observation/999999",
        "Observation/mon-999999",
        "Observation/gas-baseline-x",
        "Observation/lab-" + "9" * 30,
        "CarePlan/999999/_history",
        f"CarePlan/{mine}/_history/2",
        f"CarePlan/{mine}/_history/abc",
        f"Goal/{theirs['goal_id'].pk}/_history",
        f"Observation/score-{theirs['response_id'].score.pk}/_history/1",
    ]
    for url in foreign + odd:
        assert get(client, f"/fhir/{url}").content == missing, url


# --- care plan versions ---------------------------------------------------------------------------


def test_care_plan_read_is_the_newest_version_with_vread_history_and_etag(cast, client, record):
    first = record["version"]
    plan = first.care_plan
    first.agreed_at = timezone.now()
    first.save()
    CarePlanVersion.objects.create(
        care_plan=plan,
        number=2,
        created_at=timezone.now(),
        created_by=cast.noor,
        summary="Tweede versie",
        snapshot=first.snapshot,
    )
    client.force_login(cast.gert)
    response = get(client, f"/fhir/CarePlan/{plan.pk}")
    current = body(response)
    assert current["meta"]["versionId"] == "2" and response["ETag"] == 'W/"2"'
    assert current["status"] == "draft"
    old = get(client, f"/fhir/CarePlan/{plan.pk}/_history/1")
    assert body(old)["meta"]["versionId"] == "1" and old["ETag"] == 'W/"1"' and body(old)["status"] == "active"
    history = body(get(client, f"/fhir/CarePlan/{plan.pk}/_history?_count=1"))
    assert history["total"] == 2 and [e["resource"]["meta"]["versionId"] for e in history["entry"]] == ["2"]
    assert [link["relation"] for link in history["link"]] == ["self", "next"]
    assert_valid_r4(history)
    goal = get(client, f"/fhir/Goal/{record['goal_id'].pk}")  # a version for If-Match, also in its history
    assert goal["ETag"] == f'W/"{body(goal)["meta"]["versionId"]}"'
    goal_history = body(get(client, f"/fhir/Goal/{record['goal_id'].pk}/_history"))
    assert goal_history["entry"][0]["response"]["etag"] == goal["ETag"]
    assert body(get(client, "/fhir/CarePlan?status=draft"))["total"] == 1
    assert body(get(client, "/fhir/CarePlan?status=active"))["total"] == 0


def test_goal_search_parameters(cast, client, record):
    goal = record["goal_id"]
    client.force_login(cast.noor)

    def ids(query):
        return match_ids(body(get(client, f"/fhir/Goal?{query}")))

    assert ids(f"subject=Patient/{cast.anna.pk}") == [str(goal.pk)]
    assert ids(f"patient={cast.bas.pk}") == []
    assert ids("lifecycle-status=active") == [str(goal.pk)]
    assert ids("lifecycle-status=http://hl7.org/fhir/goal-status|active,completed") == [str(goal.pk)]
    assert ids("lifecycle-status=proposed") == []
    assert ids("category=health") == [str(goal.pk)]
    assert ids(f"_lastUpdated=ge{timezone.now().date() - dt.timedelta(days=1)}") == [str(goal.pk)]
    assert ids("_lastUpdated=lt2000") == []
    assert get(client, "/fhir/Goal?status=active").status_code == 400


# --- observations: search, dates, paging, patient token -------------------------------------------


def _measurements(cast, record, n: int, start: dt.datetime) -> list[SelfMeasurement]:
    own = record["observation_id"].type
    return SelfMeasurement.objects.bulk_create(
        SelfMeasurement(
            person=cast.anna,
            type=own,
            value=i % 10,
            effective_at=start + dt.timedelta(hours=i),
            source="portal",
            recorded_by=cast.noor,
        )
        for i in range(n)
    )


def _walk_pages(client, url: str) -> tuple[int, list[str], int]:
    seen, pages, total = [], 0, None
    while url:
        bundle = body(get(client, url))
        total = bundle["total"] if total is None else total
        assert bundle["total"] == total
        seen += match_ids(bundle)
        url = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)
        pages += 1
    return total, seen, pages


def test_paging_through_fifty_plus_observations_shows_each_exactly_once(cast, client, record):
    _measurements(cast, record, 52, timezone.now() - dt.timedelta(days=30))
    client.force_login(cast.noor)
    everything = set(match_ids(body(get(client, f"/fhir/Observation?patient={cast.anna.pk}&_count=100"))))
    assert len(everything) >= 56
    for count in (5, 7, 11):  # pages that start and end inside a kind and across kinds
        total, seen, pages = _walk_pages(client, f"/fhir/Observation?patient={cast.anna.pk}&_count={count}")
        assert len(seen) == total == len(set(seen)) == len(everything) and set(seen) == everything, count
        assert pages == -(-total // count)
    rows = AccessLogEntry.objects.filter(user=cast.noor, person=cast.anna, detail="FHIR search")
    assert rows.filter(object_type="monitoring.Observation").exists()
    assert rows.filter(object_type="goals.GoalReview").exists()


def test_observation_search_parameters(cast, client, record):
    client.force_login(cast.noor)

    def ids(query):
        return set(match_ids(body(get(client, f"/fhir/Observation?patient={cast.anna.pk}&{query}"))))

    mon, lab = f"mon-{record['observation_id'].pk}", f"lab-{record['screening_id'].measurements.get().pk}"
    score, gas, base = f"score-{record['response_id'].score.pk}", f"gas-{record['review_id'].pk}", None
    base = f"gas-baseline-{record['goal_id'].pk}"
    assert ids("category=laboratory") == {lab}
    assert ids("category=survey") == {mon, score, gas, base}  # a custom item is a survey answer
    assert ids("category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs") == set()
    assert ids("code=http://loinc.org|44261-6") == {score}
    assert ids("code=phq-9") == {score}
    assert ids("code=http://loinc.org|107333-7") == {gas}
    assert ids("code=http://loinc.org|112296-9") == {base}
    assert ids(f"code={record['observation_id'].type.code}") == {mon}
    assert ids("code=ldl") == {lab}
    assert ids(f"_id={mon},{gas}") == {mon, gas}
    assert ids("_lastUpdated=lt2000") == set()
    assert len(ids(f"_lastUpdated=ge{timezone.localdate() - dt.timedelta(days=1)}")) == 5
    assert ids(f"patient={cast.bas.pk}") == set()


def test_observation_date_ranges(cast, client, record):
    start = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    made = _measurements(cast, record, 48, start)  # one an hour: 1 March 13:00 (Amsterdam) to 3 March
    client.force_login(cast.noor)

    def ids(query):
        return set(match_ids(body(get(client, f"/fhir/Observation?patient={cast.anna.pk}&_count=100&{query}"))))

    on_day = {f"mon-{m.pk}" for m in made if m.effective_at.astimezone(timezone.get_current_timezone()).day == 2}
    assert ids("date=2026-03-02") == on_day and len(on_day) == 24
    assert ids("date=ge2026-03-02&date=lt2026-03-03") == on_day
    assert ids("date=2026-03-01T13:00:00Z") == {f"mon-{made[1].pk}"}
    assert ids("date=lt2026-03-01T12:30:00Z") == {f"mon-{made[0].pk}"}
    assert len(ids("date=2026-03")) == 48
    assert ids("date=2025") == set()
    assert get(client, "/fhir/Observation?date=2026-02-30").status_code == 400


def test_a_patient_token_reads_its_patient_alone(cast, record):
    make_full_record(cast.bas, professional=cast.noor)
    token = smart.api_token_issue(username=cast.noor.username, scope="patient/*.read", patient_id=cast.anna.pk)
    client = Client(headers={"Authorization": f"Bearer {token}", "Accept": FHIR})
    for type_name in ("Goal", "CarePlan", "Observation"):
        bundle = body(client.get(f"/fhir/{type_name}?_count=100"))
        subjects = {e["resource"]["subject"]["reference"] for e in bundle["entry"]}
        assert subjects == {f"Patient/{cast.anna.pk}"}, type_name
    bas_goal = cast.bas.goals.get()
    assert client.get(f"/fhir/Goal/{bas_goal.pk}").status_code == 404
    assert client.get(f"/fhir/Goal/{record['goal_id'].pk}").status_code == 200
    assert client.get(f"/fhir/CarePlan/{cast.bas.care_plan.pk}/_history/1").status_code == 404
    assert client.get(f"/fhir/Observation/gas-baseline-{bas_goal.pk}").status_code == 404
    assert body(client.get(f"/fhir/Observation?patient={cast.bas.pk}"))["total"] == 0


def test_a_relative_gets_what_their_pages_show(cast, client, record):
    """The relative's plan page shows each section by its own category, their goals page leaves
    cancelled goals out, their measurements page shows self-measurements and no lab values."""
    client.force_login(cast.rob)
    plan_url = f"/fhir/CarePlan/{record['version'].care_plan.pk}"
    _consent(cast, cast.rob, access.Topic.CAREPLAN, True)
    plan = body(get(client, plan_url))
    assert "goal" not in plan and not any(a["detail"]["kind"] == "Task" for a in plan.get("activity", []))
    _consent(cast, cast.rob, access.Topic.GOALS, True)
    assert body(get(client, plan_url))["goal"] == [{"reference": f"Goal/{record['goal_id'].pk}"}]
    _consent(cast, cast.rob, access.Topic.MEASUREMENTS, True)
    lab = record["screening_id"].measurements.get()
    assert get(client, f"/fhir/Observation/lab-{lab.pk}").status_code == 404
    assert get(client, f"/fhir/Observation/mon-{record['observation_id'].pk}").status_code == 200
    assert "laboratory" not in json.dumps(body(get(client, "/fhir/Observation?_count=100")))
    client.force_login(cast.noor)
    assert get(client, f"/fhir/Observation/lab-{lab.pk}").status_code == 200
    goal = record["goal_id"]
    goal.lifecycle_status = "cancelled"
    goal.save()
    client.force_login(cast.rob)
    for url in (f"Goal/{goal.pk}", f"Observation/gas-{record['review_id'].pk}", f"Observation/gas-baseline-{goal.pk}"):
        assert get(client, f"/fhir/{url}").status_code == 404, url
    assert body(get(client, "/fhir/Goal"))["total"] == 0
    client.force_login(cast.noor)
    assert get(client, f"/fhir/Goal/{goal.pk}").status_code == 200
