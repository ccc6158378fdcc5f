"""The indicators counted in the database (``counting.raw``, what the page and the command use)
are exactly the indicators of the Python definition (``report.raw`` over ``selectors.facts``), per
unit and quarter, before and after suppression: on generated populations (``koers generate``,
fixed seeds) made harder by hand: timestamps on a quarter's last evening and around local midnight,
people who move to another team or another organisation within a quarter, and decisions, reviews
and scores of one goal or series at the same moment (the id decides). Both with the cohorts from
the care-team rows and from the kept spells (``koers.indicators.cohorts``), which the care-team
writes keep current, the trajectories from the kept points (``koers.indicators.trajectories``)
and the follow-up rhythm from the kept spans (``koers.indicators.rhythm``), which the score and
agreement writes keep current (the memberships, scores and agreements here are changed by model
saves, never refreshed by hand)."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import DataError, connection
from django.db.models import Count
from django.utils import timezone

from koers.accounts.models import Organisation, Team, User
from koers.careplans.models import CarePlanVersion, FollowUpAgreement
from koers.followup.models import YearlyEvaluation
from koers.goals.models import Goal, GoalReview, GoalStatusChange
from koers.indicators import cohorts, counting, covers, goalpoints, periods, report, rhythm, selectors, trajectories
from koers.network.models import CareTeamMember
from koers.people.models import Person, Profile
from koers.questionnaires.models import Score
from koers.screening.models import SomaticScreening

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def _quarter_evening(moment: dt.datetime, index: int) -> dt.datetime:
    """The last evening of the moment's quarter: 21:59, 22:00 (local midnight in summer) or 23:30 UTC."""
    end = periods.quarter_of(moment.astimezone(UTC).date()).end
    hour, minute = ((21, 59), (22, 0), (23, 30))[index % 3]
    return dt.datetime(end.year, end.month, end.day, hour, minute, tzinfo=UTC)


def _to_edges() -> None:
    shifted = (
        (GoalStatusChange, "changed_at"), (GoalReview, "reviewed_at"), (Score, "authored_at"),
        (FollowUpAgreement, "created_at"), (FollowUpAgreement, "ended_at"), (CareTeamMember, "started_at"),
        (CareTeamMember, "ended_at"), (CarePlanVersion, "agreed_at"),
    )  # fmt: skip
    for model, field in shifted:
        for i, row in enumerate(model.objects.order_by("pk")[::3]):
            moment = getattr(row, field)
            if moment is None:
                continue
            if model is not CarePlanVersion:  # a save, as the services do: the kept rows follow
                setattr(row, field, _quarter_evening(moment, i))
                row.save(update_fields=[field])
            else:  # agreed versions are not saved again: a writer without signals refreshes the kept spans
                model.objects.filter(pk=row.pk).update(**{field: _quarter_evening(moment, i)})
                covers.refresh([row.care_plan.person_id])


def _ties() -> None:
    """Two decisions (reviews, scores) of one goal (series) at the same moment."""
    for model, group, field in (
        (GoalStatusChange, ("goal_id",), "changed_at"),
        (GoalReview, ("goal_id",), "reviewed_at"),
        (Score, ("person_id", "instrument_id"), "authored_at"),
    ):
        for key in model.objects.values(*group).annotate(n=Count("id")).filter(n__gte=2)[::2]:
            rows = list(model.objects.filter(**{k: key[k] for k in group}).order_by("-pk")[:2])
            changes = {field: getattr(rows[1], field), **_other(rows[1])}
            for name, value in changes.items():  # a save: the kept points and goal rows follow
                setattr(rows[0], name, value)
            rows[0].save(update_fields=list(changes))


def _other(row) -> dict:
    """A different outcome for the later of two tied rows, so that which one wins shows."""
    if isinstance(row, GoalStatusChange):
        flipped = {Goal.AchievementStatus.ACHIEVED: Goal.AchievementStatus.NOT_ACHIEVED}
        return {"achievement_status": flipped.get(row.achievement_status, Goal.AchievementStatus.ACHIEVED)}
    if isinstance(row, GoalReview):
        return {"gas_level": 2 if row.gas_level is None or row.gas_level < 1 else -2}
    return {"total": (row.total or 0) + 7}


def _teams() -> None:
    """``koers generate`` makes no teams: two per organisation, every third professional in none."""
    professionals = User.objects.filter(role=User.Role.PROFESSIONAL, organisation__isnull=False).order_by("pk")
    for i, user in enumerate(professionals):
        if i % 3 == 2:
            continue
        team, _ = Team.objects.get_or_create(organisation_id=user.organisation_id, name=f"Team {i % 3}")
        user.team = team
        user.save()  # a save: the kept cohorts follow the professional to the team


def _movers() -> int:
    """Every third person in care moves within a quarter: to a professional of another team of the
    same organisation where there is one, else to another organisation."""
    moved = 0
    active = CareTeamMember.objects.filter(ended_at__isnull=True).select_related("professional").order_by("pk")
    for i, member in enumerate(active[::3]):
        others = User.objects.filter(role=User.Role.PROFESSIONAL, is_active=True).exclude(pk=member.professional_id)
        if i % 2 == 0 and member.professional.team_id:
            others = others.filter(organisation=member.organisation).exclude(team=member.professional.team_id)
        else:
            others = others.exclude(organisation=member.organisation)
        other = others.exclude(care_teams__person=member.person_id).order_by("pk").first()
        if other is None:
            continue
        moment = timezone.now() - dt.timedelta(days=40 + 17 * i)
        moment = max(moment, member.started_at + dt.timedelta(hours=1))
        member.ended_at = moment
        member.save(update_fields=["ended_at"])
        CareTeamMember.objects.create(
            person_id=member.person_id, professional=other, organisation=other.organisation,
            assigned_by=member.assigned_by, started_at=moment,
        )  # fmt: skip
        moved += 1
    return moved


def _agree(organisation, today: dt.date, start: dt.date) -> int:
    units = selectors.units(organisation)
    quarters = periods.quarters(start, today)
    facts = selectors.facts(organisation)
    counted = counting.raw(organisation, units, quarters, today=today, classify=selectors.classify)
    kept = counting.raw(organisation, units, quarters, today=today, classify=selectors.classify, kept=True)
    reference = {}
    for unit in units:
        for n, quarter in enumerate(quarters):
            reference[(unit.key, n)] = report.raw(facts, unit, quarter, today, selectors.classify)
            assert counted.get((unit.key, n), report.nothing()) == reference[(unit.key, n)], (unit, quarter)
            assert kept.get((unit.key, n), report.nothing()) == reference[(unit.key, n)], (unit, quarter)
    for k in (1, 3, 10):
        want = report.table(facts, units, quarters, today=today, classify=selectors.classify, k=k)
        assert report.table_of(counted, units, quarters, k=k) == want
        assert report.table_of(kept, units, quarters, k=k) == want
    return sum(
        getattr(result, "denominator", 0) or getattr(result, "n", 0)
        for results in reference.values()
        for result in results.values()
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_counted_in_the_database_as_by_the_definition(seed):
    call_command("generate", people=40, seed=seed, no_progress=True, stdout=io.StringIO(), stderr=io.StringIO())
    _teams()
    _to_edges()
    _ties()
    assert _movers() > 3
    today = timezone.localdate()
    counted = sum(
        _agree(organisation, today, today - dt.timedelta(days=3 * 365)) for organisation in Organisation.objects.all()
    )
    assert counted > 100
    assert CareTeamMember.objects.filter(professional__team__isnull=False).exists()
    assert cohorts.drift() == {}
    assert trajectories.drift() == {}
    assert rhythm.drift() == {}
    assert goalpoints.DECISIONS.drift() == {} and goalpoints.REVIEWS.drift() == {}
    assert covers.drift() == {}


def test_a_quarter_without_anyone_and_one_team_alone():
    """A team asked for alone, and quarters long before anyone was in care: zeros, the same both ways."""
    call_command("generate", people=15, seed=4, no_progress=True, stdout=io.StringIO(), stderr=io.StringIO())
    _teams()
    team = Team.objects.filter(pk__in=CareTeamMember.objects.values("professional__team_id")).order_by("pk").first()
    organisation = team.organisation
    today = timezone.localdate()
    start = today - dt.timedelta(days=9 * 365)
    units = selectors.units(organisation, team.pk)
    quarters = periods.quarters(start, today)
    facts = selectors.facts(organisation)
    counted = counting.raw(organisation, units, quarters, today=today, classify=selectors.classify)
    kept = counting.raw(organisation, units, quarters, today=today, classify=selectors.classify, kept=True)
    want = report.table(facts, units, quarters, today=today, classify=selectors.classify, k=10)
    assert report.table_of(counted, units, quarters, k=10) == want
    assert report.table_of(kept, units, quarters, k=10) == want
    assert report.table_of({}, units, quarters[:1], k=10) == report.table(
        report.Facts(), units, quarters[:1], today=today, classify=selectors.classify, k=10
    )


def _planner() -> tuple[str, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_nestloop'), current_setting('jit'), "
            "current_setting('enable_mergejoin'), current_setting('enable_sort'), "
            "current_setting('min_parallel_table_scan_size'), current_setting('parallel_setup_cost')"
        )
        return cursor.fetchone()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner settings are PostgreSQL's")
def test_the_planner_settings_end_with_the_statement_and_never_hide_its_error():
    before = _planner()
    with counting._planned("default"):
        assert _planner() == ("off", "off", *before[2:])
    assert _planner() == before
    with counting._planned("default", hashed=True):  # the kept statement: hash joins, aggregates, workers
        assert _planner() == ("off", "off", "off", "off", "0", "100")
    assert _planner() == before
    # An error inside: the caller sees that error (not a RESET refused in an aborted transaction),
    # and the settings are back.
    with pytest.raises(DataError), counting._planned("default", hashed=True), connection.cursor() as cursor:
        cursor.execute("SELECT 1 / 0")
    assert _planner() == before


def _plans() -> dict[bool, str]:
    """``EXPLAIN`` of the kept (``True``) and the live statement, with their planner settings."""
    call_command("generate", people=15, seed=4, no_progress=True, stdout=io.StringIO(), stderr=io.StringIO())
    organisation = Organisation.objects.filter(pk__in=CareTeamMember.objects.values("organisation_id")).first()
    today = timezone.localdate()
    units, quarters = selectors.units(organisation), periods.quarters(today - dt.timedelta(days=365), today)
    plans = {}
    for kept in (True, False):
        found = []
        with mock.patch.object(counting, "_run", lambda statement, alias, found=found: found.append(statement) or []):
            counting.raw(organisation, units, quarters, today=today, classify=selectors.classify, kept=kept)
        with counting._planned("default", hashed=kept), connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + "\n".join(found[0].parts), found[0].params)
            plans[kept] = "\n".join(row[0] for row in cursor.fetchall())
    return plans


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel query is PostgreSQL's")
def test_the_kept_statement_can_run_in_parallel_workers():
    """No part of the kept statement is a materialised common table expression (a ``CTE Scan``):
    PostgreSQL runs those in the leader only, and the statement could not use a second core. The
    live statement keeps its materialised facts (``_ONCE``)."""
    plans = _plans()
    assert "CTE Scan" not in plans[True] and "Scan on indicators_carespell" in plans[True]
    assert "CTE Scan on score" in plans[False]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_the_kept_shares_meet_the_spells_once():
    """The shares' facts (the covers, the follow-up runs, SMI) meet the spells in one join
    (``counting._KEPT_SHARES``' ``facts``): the kept statement reads the spells five times (the
    cohort, that join, goals, GAS, trajectories), not seven."""
    plan = _plans()[True]
    assert plan.count(" on indicators_carespell") == 5, plan


def test_the_kept_statement_numbers_days_by_period_at_the_bounds_and_for_no_day():
    """``counting._render``'s numbers, computed by the database, for days on, before and after each
    period's end and for no day (NULL): how many ends lie before the day, or on or before it."""
    today = dt.date(2025, 11, 20)
    ends = counting._bounds(periods.quarters(dt.date(2025, 1, 1), today), today)["e"]
    days = [None, dt.date(2024, 12, 31)] + [end + dt.timedelta(days=d) for end in ends for d in (-1, 0, 1)]
    day_param = "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"  # SQLite: ISO text, as its dates
    sql, params = counting._render(
        f"SELECT {{below e:x.d}}, {{upto e:x.d}} FROM (SELECT {day_param} AS d) AS x", {"e": ends}
    )
    assert ends[-1] == today and len(params) == 2 * len(ends)
    with connection.cursor() as cursor:
        for day in days:
            cursor.execute(sql, [*params, day])
            below = len(ends) if day is None else sum(end < day for end in ends)
            upto = len(ends) if day is None else sum(end <= day for end in ends)
            assert tuple(cursor.fetchone()) == (below, upto), day


def test_the_kept_statement_wants_its_periods_in_order():
    today = dt.date(2025, 11, 20)
    quarters = periods.quarters(dt.date(2025, 1, 1), today)
    with pytest.raises(ValueError, match="overlap or are out of order"):
        counting._bounds(quarters[::-1], today)


def test_the_shares_ranges_met_at_every_edge():
    """The kept statement intersects each span's periods with the spell's before counting
    (``counting._KEPT_SHARES``) and meets SMI once with the spells: people with SMI every second
    one, screenings, evaluations and follow-up agreements on days spread over three years around the
    quarters' edges, people moving within a quarter; the shares must be the definition's."""
    call_command("generate", people=40, seed=4, no_progress=True, stdout=io.StringIO(), stderr=io.StringIO())
    _teams()
    assert _movers() > 3
    today = timezone.localdate()
    for i, profile in enumerate(Profile.objects.order_by("pk")):
        profile.severe_mental_illness = i % 2 == 0
        profile.save(update_fields=["severe_mental_illness"])
    author = User.objects.filter(role=User.Role.PROFESSIONAL).order_by("pk").first()
    for i, person in enumerate(Person.objects.order_by("pk")):
        day = today - dt.timedelta(days=(37 * i) % (3 * 365))
        if i % 3 != 1:  # a save, as the services do: the kept spans follow
            SomaticScreening.objects.create(person=person, due_date=day, done_on=day, created_by=author)
        if i % 4 == 0:
            YearlyEvaluation.objects.create(
                person=person, date=day - dt.timedelta(days=91), went_well="-", participants="-", recorded_by=author
            )
    counted = sum(
        _agree(organisation, today, today - dt.timedelta(days=3 * 365)) for organisation in Organisation.objects.all()
    )
    assert counted > 100
    assert covers.drift() == {}
