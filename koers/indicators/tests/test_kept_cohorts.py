"""The kept cohorts (``koers.indicators.cohorts``): the rules against the live conditions on every
period, and the table kept current by the care-team writes (services, saves, deletes, a
professional's move, a team's deletion), with the indicators from it equal to the live ones and
the definition; ``koers indicator_cohorts check`` finds drift from a write that bypasses signals."""

from __future__ import annotations

import datetime as dt
import io
import random
from importlib import import_module

import pytest
from django.core.management import call_command
from django.utils import timezone

from koers.accounts.models import Organisation, Team, User
from koers.audit.models import AccessLogEntry
from koers.indicators import cohorts
from koers.indicators.models import CareSpell
from koers.indicators.tests.test_counting import _agree, _teams
from koers.network import services as network
from koers.network.models import CareTeamMember

D0 = dt.date(2025, 1, 1)


def _live(memberships, s, e) -> tuple[bool, bool]:
    """The live conditions of ``counting._cohorts`` for one unit and person."""
    everyone = any(b <= e and (f is None or f >= s) for b, f in memberships)
    at_end = any(b <= e and (f is None or f > e) for b, f in memberships)
    return everyone, at_end


def _kept(rows, s, e) -> tuple[int, int]:
    """How many kept rows answer each question (``counting._kept_cohorts``): must be 0 or 1."""
    everyone = sum(
        1 for r in rows if r["in_period"] and r["b"] <= e and (r["f"] is None or r["f"] >= s)
        and (r["pf"] is None or r["pf"] < s)
    )  # fmt: skip
    at_end = sum(1 for r in rows if r["at_end"] and r["b"] <= e and (r["f"] is None or r["f"] > e))
    return everyone, at_end


def _day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


@pytest.mark.parametrize("seed", range(40))
def test_the_kept_rows_answer_every_period_as_the_memberships_do(seed):
    """Random memberships that overlap, touch, nest, stay open, end on their first day or before it."""
    rng = random.Random(seed)
    memberships = []
    for _ in range(rng.randint(1, 6)):
        b = rng.randint(0, 40)
        f = None if rng.random() < 0.2 else b + rng.randint(-5, 15)
        memberships.append((_day(b), None if f is None else _day(f)))
    rows = [
        dict(zip(cohorts.FIELDS, v, strict=True)) for v in cohorts.spells((1, 7, None, b, f) for b, f in memberships)
    ]
    rows = [{"b": r["started_on"], "f": r["ended_on"], "pf": r["previous_end"]} | r for r in rows]
    assert {r["first_on"] for r in rows} == {min(b for b, _f in memberships)}
    for s in range(-3, 60):
        for e in range(s, 62):
            want = _live(memberships, _day(s), _day(e))
            assert _kept(rows, _day(s), _day(e)) == (int(want[0]), int(want[1])), (memberships, s, e)


def test_merged_and_frontier_by_hand():
    a, b, c = _day(0), _day(10), _day(20)
    assert cohorts.merged([(a, b), (b, c)]) == [(a, c)]  # touching: one spell
    assert cohorts.merged([(a, b), (b + dt.timedelta(days=1), c)]) == [(a, b), (b + dt.timedelta(days=1), c)]
    assert cohorts.merged([(a, None), (b, c)]) == [(a, None)]
    assert cohorts.merged([(b, a)]) == []  # ends before it starts: never in care at an end
    assert cohorts.frontier([(a, c), (b, c), (b, a)]) == [(a, c, None)]
    assert cohorts.frontier([(c, a), (a, b)]) == [(a, b, None)]  # implied by the other
    assert cohorts.frontier([(c, c + dt.timedelta(days=5)), (b, a)]) == [(b, a, None), (c, c + dt.timedelta(days=5), a)]


def _generated(seed=5, people=15):
    call_command("generate", people=people, seed=seed, no_progress=True, stdout=io.StringIO(), stderr=io.StringIO())


def _same_everywhere() -> None:
    assert cohorts.drift() == {}
    today = timezone.localdate()
    for organisation in Organisation.objects.all():
        _agree(organisation, today, today - dt.timedelta(days=3 * 365))


@pytest.mark.django_db
def test_generate_fills_the_spells_and_the_writes_keep_them():
    _generated()
    assert CareSpell.objects.exists()
    _teams()  # professionals moved into teams by saves
    assert CareSpell.objects.filter(kind=CareSpell.Kind.TEAM).exists()
    _same_everywhere()

    member = CareTeamMember.objects.filter(ended_at__isnull=True).select_related("person", "professional").first()
    actor, person = member.professional, member.person
    colleague = User.objects.create_user(
        username="nieuwe-collega", role=User.Role.PROFESSIONAL, organisation=actor.organisation, team=actor.team
    )
    added = network.care_team_assign(actor=actor, person=person, professional=colleague)
    assert CareSpell.objects.filter(person=person).exists()
    _same_everywhere()

    added.started_at = timezone.now() - dt.timedelta(days=500)  # a late entry in a past quarter
    added.save()
    network.care_team_end(actor=actor, membership=added)
    _same_everywhere()

    CareTeamMember.objects.get(pk=added.pk).delete()
    _same_everywhere()

    team = Team.objects.filter(members__isnull=False).first()
    mover = team.members.first()
    mover.team = Team.objects.exclude(pk=team.pk).filter(organisation=team.organisation).first() or Team.objects.create(
        organisation=team.organisation, name="Elders"
    )
    mover.save()
    mover.last_login = timezone.now()
    mover.save(update_fields=["last_login"])  # no move: nothing to do
    _same_everywhere()

    team.delete()  # its members' team is set to NULL without signals
    assert not CareSpell.objects.filter(kind=CareSpell.Kind.TEAM, unit_id=team.pk).exists()
    _same_everywhere()

    person.delete()
    assert not CareSpell.objects.filter(person_id=member.person_id).exists()
    _same_everywhere()


@pytest.mark.django_db
def test_the_command_finds_drift_and_refresh_repairs_it():
    _generated(seed=6, people=10)
    out = io.StringIO()
    call_command("indicator_cohorts", "check", stdout=out)
    assert "OK, no drift" in out.getvalue()
    member = CareTeamMember.objects.filter(ended_at__isnull=True).first()
    CareTeamMember.objects.filter(pk=member.pk).update(ended_at=timezone.now() - dt.timedelta(days=100))  # no signal
    with pytest.raises(SystemExit):
        call_command("indicator_cohorts", "check", stdout=io.StringIO(), stderr=io.StringIO())
    # The report showed this person's kept rows: a read for administration in the access log.
    reads = _maintenance_reads("IndicatorKeptRows")
    assert reads == {member.person_id: ("R", "administration", "systeem: koers indicator_cohorts check")}
    call_command("indicator_cohorts", "refresh", stdout=io.StringIO())
    assert cohorts.drift() == {}


@pytest.mark.django_db
def test_the_migration_fills_the_table_for_the_memberships_already_there():
    _generated(seed=7, people=8)
    CareSpell.objects.all().delete()  # as before the migration
    assert cohorts.drift()
    import_module("koers.indicators.migrations.0001_care_spells").backfill(None, None)
    assert CareSpell.objects.exists() and cohorts.drift() == {}


def _maintenance_reads(object_type: str) -> dict[int, tuple]:
    """The access log's rows of a kept table's drift report: {person id: (action, purpose, who)}."""
    rows = AccessLogEntry.objects.filter(object_type=object_type)
    return {r.person_id: (r.action, r.purpose, r.user_display) for r in rows}
