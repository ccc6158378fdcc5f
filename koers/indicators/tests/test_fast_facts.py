"""The facts as ``selectors.facts`` fetches them (days cast in SQL, named tuples) are exactly the
facts of the reference path below (timestamps fetched and turned into local days in Python, the
way the selectors did until December 2026), and so are the indicator tables built from them: on a
hand-built population with timestamps around midnight and the clock changes, and on generated
populations (``koers generate``, fixed seeds)."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from koers.accounts.models import Organisation, Team
from koers.careplans.models import CarePlan, CarePlanVersion, FollowUpAgreement
from koers.followup.models import YearlyEvaluation
from koers.goals.models import Goal, GoalReview, GoalStatusChange
from koers.indicators import compute, periods, report, selectors
from koers.network.models import CareTeamMember
from koers.people.models import Profile
from koers.questionnaires.models import Score
from koers.screening.models import SomaticScreening
from tests.support.testing import make_person, make_user

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def _day(moment):
    return None if moment is None else timezone.localdate(moment)


def _dates(rows):
    found = {}
    for person_id, moment in rows:
        found.setdefault(person_id, []).append(_day(moment) if isinstance(moment, dt.datetime) else moment)
    return found


def reference_facts(organisation) -> report.Facts:
    """The facts the slow way: every timestamp to Python, then ``timezone.localdate``."""
    people = CareTeamMember.objects.filter(organisation=organisation).values("person_id")
    memberships = []
    for p, team, started, ended in CareTeamMember.objects.filter(organisation=organisation).values_list(
        "person_id", "professional__team_id", "started_at", "ended_at"
    ):
        memberships.append(compute.Membership(p, ("organisation", organisation.pk), _day(started), _day(ended)))
        if team is not None:
            memberships.append(compute.Membership(p, ("team", team), _day(started), _day(ended)))
    decided = (Goal.AchievementStatus.ACHIEVED, Goal.AchievementStatus.NOT_ACHIEVED)
    goals = GoalStatusChange.objects.filter(goal__person__in=people, achievement_status__in=decided)
    gas = GoalReview.objects.filter(goal__person__in=people, goal__uses_gas=True, gas_level__isnull=False)
    scores = Score.objects.filter(person__in=people, scorable=True, total__isnull=False).exclude(
        instrument_id=selectors.PREM
    )
    prem = []
    for team, at, total in Score.objects.filter(
        instrument_id=selectors.PREM, scorable=True, total__isnull=False, response__organisation=organisation
    ).values_list("response__team_id", "authored_at", "total"):
        prem.append(compute.PremScore(("organisation", organisation.pk), _day(at), total))
        if team is not None:
            prem.append(compute.PremScore(("team", team), _day(at), total))
    return report.Facts(
        memberships=memberships,
        goal_decisions=[
            compute.GoalDecision(p, g, _day(at), s == Goal.AchievementStatus.ACHIEVED)
            for p, g, at, s in goals.values_list("goal__person_id", "goal_id", "changed_at", "achievement_status")
        ],
        gas_reviews=[
            compute.GasReview(p, g, w, level, _day(at))
            for p, g, w, level, at in gas.values_list(
                "goal__person_id", "goal_id", "goal__gas_weight", "gas_level", "reviewed_at"
            )
        ],
        plan_agreed=_dates(
            CarePlanVersion.objects.filter(care_plan__person__in=people, agreed_at__isnull=False).values_list(
                "care_plan__person_id", "agreed_at"
            )
        ),
        evaluations=_dates(YearlyEvaluation.objects.filter(person__in=people).values_list("person_id", "date")),
        follow_ups=[
            compute.FollowUp(p, _day(c), _day(e), n)
            for p, c, e, n in FollowUpAgreement.objects.filter(person__in=people).values_list(
                "person_id", "created_at", "ended_at", "next_date"
            )
        ],
        scores=[
            compute.ScorePoint(p, i, _day(at), total)
            for p, i, at, total in scores.values_list("person_id", "instrument_id", "authored_at", "total")
        ],
        prem=prem,
        smi=frozenset(
            Profile.objects.filter(person__in=people, severe_mental_illness=True).values_list("person_id", flat=True)
        ),
        screened=_dates(
            SomaticScreening.objects.filter(person__in=people, done_on__isnull=False).values_list(
                "person_id", "done_on"
            )
        ),
    )


def _same(fast: report.Facts, slow: report.Facts) -> None:
    for name in vars(slow):
        got, want = getattr(fast, name), getattr(slow, name)
        if isinstance(want, list):
            assert Counter(map(tuple, got)) == Counter(map(tuple, want)), name
        elif isinstance(want, dict):
            assert {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in want.items()}, name
        else:
            assert got == want, name


def _tables_agree(organisation, today: dt.date, start: dt.date) -> int:
    fast, slow = selectors.facts(organisation), reference_facts(organisation)
    _same(fast, slow)
    for fact in fast.memberships + fast.goal_decisions + fast.follow_ups + fast.scores:
        assert all(not isinstance(v, dt.datetime) for v in fact)  # days, as the pure functions expect
    units = selectors.units(organisation)
    quarters = periods.quarters(start, today)
    args = {"today": today, "classify": selectors.classify, "k": 1}
    assert report.table(fast, units, quarters, **args) == report.table(slow, units, quarters, **args)
    return len(fast.memberships) + len(fast.goal_decisions) + len(fast.gas_reviews) + len(fast.scores)


def _at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def test_days_around_midnight_and_the_clock_changes_are_the_same(cast):
    """23:30 UTC is the next day in Amsterdam; a quarter's last evening lands in the next quarter."""
    team = Team.objects.create(organisation=cast.gp_practice, name="Team Rand")
    tess = make_user("tess", organisation=cast.gp_practice, team=team)
    moments = [
        _at(2026, 3, 31, 21, 59), _at(2026, 3, 31, 22, 0), _at(2026, 3, 29, 0, 59), _at(2026, 3, 29, 1, 0),
        _at(2025, 10, 25, 23, 30), _at(2025, 12, 31, 23, 0), _at(2026, 6, 30, 22, 30), _at(2026, 1, 1, 0, 0),
    ]  # fmt: skip
    for i, moment in enumerate(moments):
        person = make_person(actor=tess, family_name=f"Rand{i}")
        CareTeamMember.objects.filter(person=person).update(
            started_at=moment - dt.timedelta(days=400), ended_at=moment if i % 3 == 0 else None
        )
        plan, _ = CarePlan.objects.get_or_create(person=person)
        CarePlanVersion.objects.create(
            care_plan=plan, number=90 + i, created_at=moment, created_by=tess, snapshot={}, agreed_at=moment
        )
    today = dt.date(2026, 7, 15)
    assert _tables_agree(cast.gp_practice, today, dt.date(2025, 7, 1)) > 0


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_populations_give_the_same_facts_and_indicators(seed):
    call_command("generate", people=40, seed=seed, no_progress=True, stdout=io.StringIO(), stderr=io.StringIO())
    # some timestamps onto a local midnight boundary (22:30 UTC in summer, 23:30 in winter)
    shifted = (
        (GoalStatusChange, "changed_at"), (GoalReview, "reviewed_at"), (Score, "authored_at"),
        (FollowUpAgreement, "created_at"), (CareTeamMember, "started_at"), (CarePlanVersion, "created_at"),
    )  # fmt: skip
    for model, field in shifted:
        for row in model.objects.order_by("pk")[::3]:
            moment = getattr(row, field)
            if moment is None:
                continue
            moment = moment.astimezone(UTC)
            model.objects.filter(pk=row.pk).update(**{field: moment.replace(hour=22, minute=30)})
    today = timezone.localdate()
    counted = 0
    for organisation in Organisation.objects.all():
        counted += _tables_agree(organisation, today, today - dt.timedelta(days=3 * 365))
    assert counted > 100
