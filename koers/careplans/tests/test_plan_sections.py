"""The snapshot is gathered from the registered plan sections (``koers.careplans.sections``).

Stored versions are JSON: the registry must build exactly what the code built before it, key
order included. ``_snapshot_as_before`` is that code, kept here as the reference.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from koers.careplans import sections
from koers.careplans.models import FollowUpAgreement
from koers.careplans.presentation import describe
from koers.careplans.snapshot import RESPONSIBLE_ORDER, SNAPSHOT_SCHEMA, build_snapshot, compare
from koers.decisions.models import AidUse, SharedDecision
from koers.goals.models import Action, Goal, GoalReview, Responsible
from koers.network.models import CareTeamMember
from koers.people.models import Profile
from tests.support.testing import make_full_record

pytestmark = pytest.mark.django_db


def _date(value):
    return value.isoformat() if value else None


def _aid(decision):
    if decision is None or not decision.decision_aid_name:
        return None
    return {"name": decision.decision_aid_name, "url": decision.decision_aid_url, "use": decision.aid_use}


def _snapshot_as_before(person) -> dict:
    """The old ``build_snapshot``, verbatim (before the plan sections)."""
    latest_gas_level = (
        GoalReview.objects.filter(goal=OuterRef("pk"), gas_level__isnull=False)
        .order_by("-reviewed_at", "-id")
        .values("gas_level")[:1]
    )
    goals = list(
        Goal.objects.filter(person=person)
        .exclude(lifecycle_status=Goal.LifecycleStatus.CANCELLED)
        .annotate(latest_gas_level=Subquery(latest_gas_level))
        .select_related("decision")
        .prefetch_related("gas_levels")
        .order_by("created_at", "id")
    )
    actions = list(
        Action.objects.filter(person=person).exclude(status=Action.Status.STOPPED).order_by("created_at", "id")
    )
    decisions = list(
        SharedDecision.objects.filter(person=person, status=SharedDecision.Status.DECIDED)
        .select_related("chosen_option")
        .order_by("decided_at", "id")
    )
    follow_ups = list(FollowUpAgreement.objects.filter(person=person, active=True).order_by("next_date", "id"))
    profile = Profile.objects.filter(person=person).only("what_matters", "values").first()
    team = list(
        CareTeamMember.objects.filter(person=person, ended_at__isnull=True)
        .select_related("professional", "organisation")
        .order_by("started_at", "id")
    )
    actions_by_goal: dict[int, list] = {}
    for action in actions:
        actions_by_goal.setdefault(action.goal_id, []).append(
            {
                "id": action.pk,
                "what": action.what,
                "when": action.when,
                "how_often": action.how_often,
                "where": action.where,
                "with_whom": action.with_whom,
                "obstacles": action.obstacles,
                "obstacle_plan": action.obstacle_plan,
                "confidence": action.confidence,
                "responsible": action.responsible,
                "responsible_name": action.responsible_name,
                "review_date": _date(action.review_date),
                "status": action.status,
            }
        )
    return {
        "schema": SNAPSHOT_SCHEMA,
        "person": {
            "what_matters": profile.what_matters if profile else "",
            "values": profile.values if profile else "",
        },
        "goals": [
            {
                "id": goal.pk,
                "description": goal.description,
                "life_domain": goal.life_domain,
                "why_it_matters": goal.why_it_matters,
                "owner": goal.owner,
                "lifecycle_status": goal.lifecycle_status,
                "achievement_status": goal.achievement_status,
                "target_date": _date(goal.target_date),
                "gas_levels": {str(lv.level): lv.description for lv in goal.gas_levels.all()} if goal.uses_gas else {},
                "gas_baseline": goal.gas_baseline if goal.uses_gas else None,
                "gas_level": goal.latest_gas_level if goal.uses_gas else None,
                "decision_aid": _aid(goal.decision),
                "actions": actions_by_goal.get(goal.pk, []),
            }
            for goal in goals
        ],
        "decisions": [
            {
                "id": d.pk,
                "question": d.question,
                "chosen_option": d.chosen_option.title if d.chosen_option else "",
                "rationale": d.rationale,
                "participation": d.participation,
                "decided_at": d.decided_at.isoformat() if d.decided_at else None,
                "decision_aid": _aid(d),
            }
            for d in decisions
        ],
        "follow_ups": [
            {
                "id": f.pk,
                "what": f.what,
                "who": f.who,
                "method": f.method,
                "frequency": f.frequency,
                "next_date": _date(f.next_date),
            }
            for f in follow_ups
        ],
        "care_team": [
            {
                "id": m.professional_id,
                "name": m.professional.get_full_name() or m.professional.username,
                "discipline": m.professional.discipline,
                "organisation": m.organisation.name,
                "role": m.role,
            }
            for m in team
        ],
    }


def _fill(person, professional):
    """A full record, with the decision taken (with an aid) so every section has content."""
    record = make_full_record(person, professional=professional)
    decision = record["decision_id"]
    decision.status = SharedDecision.Status.DECIDED
    decision.chosen_option = decision.options.first()
    decision.person_agreed = True
    decision.decided_by = professional
    decision.decided_at = timezone.now()
    decision.decision_aid_name = "Thuisarts keuzehulp slapen"
    decision.decision_aid_url = "https://www.thuisarts.nl/keuzehulp"
    decision.aid_use = AidUse.USED
    decision.save()
    Goal.objects.filter(person=person).update(gas_baseline=-1, target_date=dt.date(2027, 1, 1))
    Action.objects.filter(person=person).update(review_date=dt.date(2026, 12, 24), responsible="relative")
    FollowUpAgreement.objects.filter(person=person).update(next_date=dt.date(2026, 12, 31), frequency="maandelijks")
    Profile.objects.filter(person=person).update(what_matters="Mijn kleinkinderen", values="Zelf beslissen")


def test_the_registry_builds_the_snapshot_the_old_code_built_byte_for_byte(cast):
    _fill(cast.anna, cast.noor)
    before = _snapshot_as_before(cast.anna)
    assert all(before[key] for key in ("person", "goals", "decisions", "follow_ups", "care_team"))
    assert before["goals"][0]["actions"] and before["goals"][0]["decision_aid"]
    built = build_snapshot(cast.anna)
    # Sections registered since come after the old keys, at orders of their own (the crisis plan,
    # then the health situation and the network of issue #13), so everything stored before them
    # keeps its bytes and its key order.
    assert list(built)[: len(before)] == list(before)
    assert list(built)[len(before) :] == ["crisis_plan", "health", "network"]
    assert json.dumps({key: built[key] for key in before}) == json.dumps(before)


def test_the_snapshot_takes_at_most_fifteen_queries(cast):
    """Seven for the plan's first sections, three for the crisis plan, three for the health
    situation, two for the network (issue #13), whatever the size."""
    _fill(cast.anna, cast.noor)
    with CaptureQueriesContext(connection) as queries:
        build_snapshot(cast.anna)
    assert len(queries) <= 15


def test_the_sections_are_registered_in_snapshot_order():
    assert [s.key for s in sections.sections()] == [
        "person",
        "goals",
        "decisions",
        "follow_ups",
        "care_team",
        "crisis_plan",
        "health",
        "network",
    ]
    assert [p.name for _s, p in sections.parts()] == [
        "person",
        "goals",
        "actions",
        "decisions",
        "follow_ups",
        "care_team",
        "crisis_going_well",
        "crisis_early_signs",
        "crisis_crisis",
        "crisis_agreements",
        "conditions",
        "medications",
        "support_level",
        "contacts",
        "relatives",
    ]


def test_registering_a_section_again_replaces_it_and_a_clash_is_refused():
    goals = next(s for s in sections.sections() if s.key == "goals")
    sections.register(goals)
    assert [s.key for s in sections.sections()].count("goals") == 1
    clash = sections.PlanSection(key="elsewhere", order=goals.order, gather=lambda person: [])
    with pytest.raises(sections.ImproperlyConfigured):
        sections.register(clash)
    other_choices = sections.PlanSection(key="elsewhere", order=999, gather=list, choices={"status": AidUse})
    with pytest.raises(sections.ImproperlyConfigured):
        sections.register(other_choices)
    assert "elsewhere" not in [s.key for s in sections.sections()]


def test_who_does_what_orders_by_the_codes_goals_stores():
    assert RESPONSIBLE_ORDER == tuple(Responsible.values)


def test_a_comparison_reads_as_before_through_the_sections(cast):
    _fill(cast.anna, cast.noor)
    old = build_snapshot(cast.anna)
    Goal.objects.filter(person=cast.anna).update(life_domain="living", gas_baseline=0)
    Action.objects.filter(person=cast.anna).update(what="Om 22 uur naar bed")
    new = build_snapshot(cast.anna)
    text = describe(compare(old, new), old, new)
    rows = {s["name"]: s["rows"] for s in text["sections"]}
    assert [s["title"] for s in text["sections"]] == ["Doelen", "Acties"]
    goal_fields = {f["label"]: (f["old"], f["new"]) for f in rows["goals"][0]["fields"]}
    assert goal_fields["levensgebied"] == ("Gezondheid", "Wonen")
    assert goal_fields["niveau bij de start (GAS)"] == ("-1", "0")
    assert rows["actions"][0]["title"] == "Om 22 uur naar bed"
    assert {f["label"]: f["new"] for f in rows["actions"][0]["fields"]} == {"wat": "Om 22 uur naar bed"}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_choice_labels_kept_per_language_are_the_choices_labels(language):
    """``presentation.choice_label`` keeps each field's labels per language: every code of every
    registered field gives its choice's label in that language, the second time too; an unknown
    code itself, and None and "" nothing."""
    from django.utils import translation

    from koers.careplans.presentation import choice_label

    with translation.override(language):
        for field, choices in sections.choices().items():
            for _ in range(2):
                for code, label in choices.choices:
                    if code == "":  # the blank choice: nothing chosen shows nothing (below)
                        continue
                    assert choice_label(field, code) == str(label), (field, code)
            assert choice_label(field, "no-such-code") == "no-such-code"
            assert choice_label(field, None) == "" and choice_label(field, "") == ""
    with translation.override("en"):
        assert choice_label("life_domain", "health") == "Health"
    with translation.override("nl"):
        assert choice_label("life_domain", "health") == "Gezondheid"


@pytest.mark.parametrize(
    ("aid", "expected"),
    [
        (None, ""),
        ({}, ""),
        (
            {"name": "Slapen <beter>", "url": "https://x.nl/?a=1&b=2", "use": "used"},
            '<p class="meta">Keuzehulp: <a href="https://x.nl/?a=1&amp;b=2" rel="noopener noreferrer external">'
            "Slapen &lt;beter&gt;</a> · Keuzehulp gebruikt</p>",
        ),
        (
            {"name": "B", "url": "https://b", "use": "not_used"},
            '<p class="meta">Keuzehulp: <a href="https://b" rel="noopener noreferrer external">B</a>'
            " · Keuzehulp aangeboden, niet gebruikt</p>",
        ),
        (
            {"name": "C", "url": "https://c", "use": "offered"},
            '<p class="meta">Keuzehulp: <a href="https://c" rel="noopener noreferrer external">C</a>'
            " · Keuzehulp aangeboden</p>",
        ),
        (
            {"name": "D", "url": "https://d"},
            '<p class="meta">Keuzehulp: <a href="https://d" rel="noopener noreferrer external">D</a></p>',
        ),
    ],
)
def test_a_decision_aid_is_one_line_escaped_in_the_readers_language(aid, expected):
    """``{% decision_aid %}`` (both places in ``careplans/_plan.html``): the line the template
    wrote before, with the name and address escaped; nothing without an aid."""
    template = engines["django"].from_string("{% load careplan_tags %}{% decision_aid aid %}")
    with translation.override("nl"):
        assert template.render({"aid": aid}) == expected
    with translation.override("en"):  # the same line in English, words only
        english = template.render({"aid": aid})
    assert "Keuzehulp" not in english and ("Decision aid: " in english) == bool(expected)
