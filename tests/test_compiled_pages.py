"""The person pages' compiled queries give what the plain querysets gave (issue #18, "Speed").

``koers.lib.compiled`` runs SQL compiled once per process. For every use on the person overview,
the goals page and the access check, this compares the result with the plain queryset the code
used before (kept here, word for word), on a full record (``make_full_record``) next to another
person's record, on the engine the suite runs on (SQLite, and PostgreSQL with DATABASE_URL).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from koers import access
from koers.access import guard
from koers.consults.models import AgendaItem, Consult, Preparation
from koers.decisions.models import SharedDecision
from koers.goals import selectors as goal_selectors
from koers.goals.models import Action, ActionProgress, GasLevel, Goal, GoalReview
from koers.network.models import CareTeamMember
from koers.network.services import consent_set
from koers.people.models import SupportLevelDecision
from koers.questionnaires import selectors as questionnaire_selectors
from koers.questionnaires.models import Assignment
from koers.workspace import selectors as workspace_selectors
from tests.support.testing import make_full_record, make_person, make_user


def fields(obj):
    if obj is None:
        return None
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def many(objs):
    return [fields(o) for o in objs]


@pytest.fixture
def records(cast):
    """Anna's full record, a second person's, and more goals of Anna's in every state."""
    make_full_record(cast.anna, professional=cast.noor)
    other = make_person(actor=cast.noor, given_name="Otto", family_name="Anders")
    make_full_record(other, professional=cast.noor)
    now = timezone.now()
    for status in ("proposed", "on_hold", "completed", "cancelled"):
        goal = Goal.objects.create(
            person=cast.anna, description=f"Doel {status}", lifecycle_status=status, created_by=cast.noor
        )
        for n in range(2):
            action = Action.objects.create(person=cast.anna, goal=goal, what=f"{status} {n}", created_by=cast.noor)
            ActionProgress.objects.create(action=action, recorded_at=now - dt.timedelta(days=n), recorded_by=cast.noor)
        GasLevel.objects.create(goal=goal, level=1, description="Beter")
        GoalReview.objects.create(goal=goal, reviewed_at=now, gas_level=None, reviewed_by=cast.noor)
    Consult.objects.create(
        person=cast.anna, professional=cast.gert, created_by=cast.noor, scheduled_at=now + dt.timedelta(days=1)
    )
    Consult.objects.create(
        person=cast.anna, professional=cast.gert, created_by=cast.noor, scheduled_at=now - dt.timedelta(days=1)
    )
    Assignment.objects.filter(person=cast.anna).update(due_date=timezone.localdate() - dt.timedelta(days=2))
    return cast.anna, other


def plain_overview(person, now):
    """The overview's loaders as they were (before koers.lib.compiled)."""
    return {
        "conditions": list(person.conditions.recorded().filter(clinical_status="active")),
        "support_level": SupportLevelDecision.objects.filter(person=person).first(),
        "care_team": list(
            CareTeamMember.objects.filter(person=person, ended_at__isnull=True)
            .select_related("professional", "organisation")
            .order_by("organisation__name", "-role", "professional__last_name", "id")  # the care plan's order
        ),
        "next_consult": (
            Consult.objects.filter(person=person, status=Consult.Status.PLANNED, scheduled_at__gte=now)
            .select_related("professional")
            .order_by("scheduled_at")
            .first()
        ),
        "preparation": Preparation.objects.filter(person=person).order_by("-created_at", "-id").first(),
        "open_agenda": list(
            AgendaItem.objects.filter(person=person, status=AgendaItem.Status.OPEN).order_by("priority", "id")[:10]
        ),
        "goals": list(
            Goal.objects.filter(person=person)
            .exclude(lifecycle_status__in=[Goal.LifecycleStatus.CANCELLED, Goal.LifecycleStatus.COMPLETED])
            .prefetch_related("actions")
        ),
        "decisions": list(
            SharedDecision.objects.filter(person=person)
            .exclude(status=SharedDecision.Status.WITHDRAWN)
            .select_related("chosen_option")[:5]
        ),
    }


def test_the_overview_shows_what_the_plain_queries_gave(records, monkeypatch):
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    categories = frozenset(access.Category)
    for person in (*records, records[0]):  # twice for Anna: compiled, then from the stored SQL
        got = workspace_selectors.person_overview(person, categories=categories)
        want = plain_overview(person, now)
        for key in ("conditions", "care_team", "open_agenda", "decisions"):
            assert many(got[key]) == many(want[key]), key
        for key in ("support_level", "next_consult", "preparation"):
            assert fields(got[key]) == fields(want[key]), key
        assert fields(got["next_consult"].professional) == fields(want["next_consult"].professional)
        assert [fields(m.professional) for m in got["care_team"]] == [fields(m.professional) for m in want["care_team"]]
        assert [fields(m.organisation) for m in got["care_team"]] == [fields(m.organisation) for m in want["care_team"]]
        assert [fields(d.chosen_option) for d in got["decisions"]] == [
            fields(d.chosen_option) for d in want["decisions"]
        ]
        assert many(got["goals"]) == many(want["goals"])
        assert [many(g.actions.all()) for g in got["goals"]] == [many(g.actions.all()) for g in want["goals"]]
    assert len(got["goals"]) == 3 and sum(len(g.actions.all()) for g in got["goals"]) == 5


def test_the_questionnaire_counts_are_the_plain_querys(records):
    anna, other = records
    now = timezone.now()
    for person in (anna, other):
        for moment in (now, now + dt.timedelta(days=30), now - dt.timedelta(days=30)):
            row = (
                type(person)
                .objects.filter(pk=person.pk)
                .annotate(
                    attention=questionnaire_selectors._count(
                        questionnaire_selectors.AttentionItem.objects.filter(
                            person=questionnaire_selectors.OuterRef("pk"), handled_at__isnull=True
                        )
                    ),
                    overdue=questionnaire_selectors._count(
                        Assignment.objects.filter(
                            questionnaire_selectors.overdue_filter(moment),
                            person=questionnaire_selectors.OuterRef("pk"),
                        )
                    ),
                    active=questionnaire_selectors._count(
                        Assignment.objects.filter(
                            person=questionnaire_selectors.OuterRef("pk"), status=Assignment.Status.ACTIVE
                        )
                    ),
                )
                .values("attention", "overdue", "active")
                .get()
            )
            want = {key: value or 0 for key, value in row.items()}
            assert questionnaire_selectors.overview_summary(person, now=moment) == want
    assert questionnaire_selectors.overview_summary(anna, now=now) == {"attention": 1, "overdue": 1, "active": 1}


def test_the_goals_page_gets_the_prefetched_goals(records):
    for person in (*records, records[0]):
        got = goal_selectors.goals_for_person(person)
        want = [goal_selectors._decorate(g) for g in goal_selectors._goals_queryset(person)]
        assert many(got) == many(want)
        for g, w in zip(got, want, strict=True):
            assert many(g.action_list) == many(w.action_list)
            assert [many(a.progress_list) for a in g.action_list] == [many(a.progress_list) for a in w.action_list]
            assert [fields(a.latest_progress) for a in g.action_list] == [
                fields(a.latest_progress) for a in w.action_list
            ]
            assert many(g.review_list) == many(w.review_list)
            assert fields(g.latest_review) == fields(w.latest_review)
            assert g.latest_gas_level == w.latest_gas_level
            assert g.level_descriptions == w.level_descriptions
            assert many(g.gas_levels.all()) == many(w.gas_levels.all())
            assert all(a.goal is g for a in g.action_list), "no query for action.goal"
    assert len(goal_selectors.goals_for_person(records[0])) == 5


def test_the_goals_page_reads_no_more_than_before(records, cast):
    anna = records[0]
    goal_selectors.goals_for_person(anna)
    with CaptureQueriesContext(connection) as plain:
        [goal_selectors._decorate(g) for g in goal_selectors._goals_queryset(anna)]
    with CaptureQueriesContext(connection) as compiled:
        goal_selectors.goals_for_person(anna)
    assert len(compiled) <= len(plain) == 5
    nobody = make_person(actor=cast.noor, given_name="Leeg", family_name="Dossier")
    assert goal_selectors.goals_for_person(nobody) == []


def _plain_check(user, rule, pk, category, action, related):
    """The access check's query as it is for every rule the compiled one does not cover."""
    persons = guard._base_persons(user, rule).filter(pk=pk)
    if related:
        persons = persons.select_related(*related)
    person = persons.annotate(koers_has_decisions=guard._has_decisions(user, "pk")).first()
    if person is None:
        return None
    topics = guard._topics(user, rule, person_id=person.pk, has_decisions=person.koers_has_decisions)
    if not guard.allowed(rule, category, action, topics=topics):
        return None
    person._koers_relationship = (user.pk, rule, topics)
    return person


def test_the_access_check_answers_as_the_plain_query(cast):
    anna, bas = cast.anna, cast.bas
    peer = make_user("petra", organisation=cast.gp_practice, discipline="peer_expert", first_name="Petra")
    from koers.network.services import care_team_assign

    care_team_assign(actor=cast.noor, person=anna, professional=peer)
    consent_set(actor=anna.user, person=anna, member=cast.gert, topic="goals", granted=False)
    consent_set(actor=anna.user, person=anna, member=peer, topic="profile", granted=True)
    ended = CareTeamMember.objects.get(person=anna, professional=cast.gert)
    C, R = access.Category, access.Action.READ
    cases = [
        (user, pk, category, related)
        for user in (cast.noor, cast.gert, peer, cast.sam, cast.pieter)
        for pk in (anna.pk, bas.pk, 10**9)
        for category in (C.DEMOGRAPHICS, C.GOALS, C.PROFILE, C.CAREPLAN)
        for related in ((), ("profile",))
    ]
    for round_ in range(2):
        if round_:
            ended.ended_at = timezone.now()  # gert leaves the team: refused from now on
            ended.save()
        for user, pk, category, related in cases:
            rule = guard._list_rule(user, category, R, include_self=False)
            if rule not in guard._PROFESSIONAL_RULES:
                continue
            got = guard._checked_person(user, rule, pk, category, R, related)
            want = _plain_check(user, rule, pk, category, R, related)
            assert fields(got) == fields(want), (user, pk, category, related)
            if want is not None:
                assert got._koers_relationship == want._koers_relationship
                assert got.koers_has_decisions == want.koers_has_decisions
                assert ("profile" in got._state.fields_cache) == bool(related)
                if related:
                    assert fields(got.profile) == fields(want.profile)
    # The page's answer through the whole guard: a stranger and a left member get 404.
    for user in (cast.sam, cast.gert):
        with pytest.raises(access.NotFound):
            access.person_for(user, anna.pk, category=C.DEMOGRAPHICS, log=False, include_self=False)
    with pytest.raises(access.NotFound):
        access.person_for(cast.noor, 10**12, category=C.DEMOGRAPHICS, log=False, include_self=False)
    assert access.person_for(cast.noor, anna.pk, category=C.GOALS, log=False, include_self=False) == anna
