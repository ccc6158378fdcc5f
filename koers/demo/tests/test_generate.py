from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from koers import access
from koers.accounts.models import User
from koers.audit.models import AccessLogEntry
from koers.audit.verify import verify_chain
from koers.careplans.models import CarePlan, CarePlanVersion
from koers.careplans.snapshot import build_snapshot
from koers.consults.models import Consult
from koers.decisions.models import SharedDecision
from koers.goals.models import Action, Goal
from koers.network.models import CareTeamMember
from koers.people.models import Person, Profile, SupportLevelDecision
from tests.support.kept import drifted

pytestmark = pytest.mark.django_db


def generate(people: int, seed: int = 1, batch_size: int = 25) -> str:
    out = io.StringIO()
    call_command(
        "generate", people=people, seed=seed, batch_size=batch_size, no_progress=True, stdout=out, stderr=io.StringIO()
    )
    return out.getvalue()


def canonical() -> list:
    """The population without row ids or creation times."""
    rows = []
    persons = Person.objects.order_by("pk").prefetch_related(
        "conditions", "medications", "goals__actions", "care_team__professional", "decisions", "follow_ups"
    )
    for p in persons:
        rows.append(
            (
                p.given_name,
                p.family_name,
                p.birth_date,
                p.gender,
                sorted(c.display for c in p.conditions.all()),
                sorted(m.name for m in p.medications.all()),
                sorted((g.description, g.lifecycle_status, len(g.actions.all())) for g in p.goals.all()),
                sorted((m.professional.username, m.role) for m in p.care_team.all()),
                sorted((d.question, d.status) for d in p.decisions.all()),
                sorted((f.what, f.next_date) for f in p.follow_ups.all()),
                p.care_plan.current_version,
            )
        )
    return rows


class _Rollback(Exception):
    pass


def canonical_population(seed: int, batch_size: int = 25) -> list:
    try:
        with transaction.atomic():
            generate(40, seed=seed, batch_size=batch_size)
            result = canonical()
            raise _Rollback
    except _Rollback:
        pass
    return result


def test_creates_n_people_with_plausible_relations():
    output = generate(60)
    assert "60 cliënten" in output
    assert Person.objects.count() == 60
    assert Profile.objects.count() == 60
    assert SupportLevelDecision.objects.values("person").distinct().count() == 60
    assert CarePlan.objects.count() == 60
    for person in Person.objects.all():
        team = list(CareTeamMember.objects.filter(person=person))
        assert [m.role for m in team].count("responsible") == 1
        assert all(m.professional.is_professional and m.organisation_id == m.professional.organisation_id for m in team)
        versions = list(CarePlanVersion.objects.filter(care_plan__person=person).order_by("number"))
        assert 1 <= len(versions) <= 3
        assert [v.number for v in versions] == list(range(1, len(versions) + 1))
        assert person.care_plan.current_version == len(versions)
        # The newest version is exactly what the care plan service would have stored.
        assert versions[-1].snapshot == build_snapshot(person), person.pk
        assert person.care_plan.current_snapshot == versions[-1].snapshot  # the kept current plan
        assert 0 <= person.goals.count() <= 5
        assert person.conditions.count() <= 4
        assert person.follow_ups.count() >= 1
        assert Consult.objects.filter(person=person, scheduled_at__lt=person.created_at).exists()
    for action in Action.objects.select_related("goal"):
        assert action.goal.person_id == action.person_id
    for decision in SharedDecision.objects.filter(status="decided"):
        assert decision.chosen_option.decision_id == decision.pk
    assert User.objects.filter(role="professional", discipline="practice_nurse").count() == 1  # ~1 per 400
    assert AccessLogEntry.objects.filter(object_type="people.Person", action="C").count() == 60
    assert verify_chain().ok  # the generated log rows are chained like any others (#11)


def test_shape_follows_the_risk_pyramid():
    generate(600, batch_size=200)
    levels = Counter(SupportLevelDecision.objects.values_list("level", flat=True))
    assert 0.65 <= levels["self_management"] / 600 <= 0.87
    assert 0.10 <= levels["chain_care"] / 600 <= 0.28
    assert 0.01 <= levels["case_management"] / 600 <= 0.10
    # more goals for people who need more support
    avg = {
        level: Goal.objects.filter(person__support_levels__level=level).count() / max(levels[level], 1)
        for level in levels
    }
    assert avg["self_management"] < avg["chain_care"] < avg["case_management"]


def test_deterministic_for_a_seed_whatever_the_batch_size():
    first = canonical_population(seed=1)
    assert len(first) == 40
    assert canonical_population(seed=1, batch_size=7) == first
    assert canonical_population(seed=2) != first


def test_every_person_is_visible_to_exactly_their_care_team():
    generate(80)
    professionals = list(User.objects.filter(role="professional"))
    seen_by: dict[int, set[int]] = {}
    for professional in professionals:
        for pk in access.visible_persons(professional).values_list("pk", flat=True):
            seen_by.setdefault(pk, set()).add(professional.pk)
    for person in Person.objects.all():
        team = set(
            CareTeamMember.objects.filter(person=person, ended_at__isnull=True).values_list("professional", flat=True)
        )
        assert seen_by.get(person.pk, set()) == team, person.pk
    for manager in User.objects.filter(role="manager"):
        assert not access.visible_persons(manager).exists()


def test_refuses_the_same_seed_twice_and_bad_input():
    generate(5)
    with pytest.raises(CommandError, match="seed 1"):
        generate(5)
    assert Person.objects.count() == 5
    generate(5, seed=2)  # another seed may be added
    assert Person.objects.count() == 10
    with pytest.raises(CommandError):
        generate(0)


def test_leaves_no_kept_data_drifted():
    """``koers generate`` writes by ``bulk_create`` (no signals) and stores the kept tables itself;
    each kept table's check must find them equal to the rows (as after the demo)."""
    generate(60, seed=5)
    assert drifted() == {}
