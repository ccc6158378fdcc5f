"""The facts the indicators read, fetched per organisation with one query per kind of fact.

Nothing here returns a person: the rows are ids, dates and numbers handed to the pure
functions of ``koers.indicators.compute``, and only suppressed counts leave this app
(``koers.indicators.report``). Callers log the aggregate access (``access.record_aggregate``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import cache

from django.conf import settings
from django.db.models.functions import TruncDate

from koers.accounts.models import Organisation, Team
from koers.careplans.models import CarePlanVersion, FollowUpAgreement
from koers.followup.models import YearlyEvaluation
from koers.goals.models import Goal, GoalReview, GoalStatusChange
from koers.indicators import compute, counting, periods, report
from koers.indicators.report import Facts, Unit
from koers.lib.db_router import routed
from koers.network.models import CareTeamMember
from koers.people.models import Profile
from koers.questionnaires import change, instruments
from koers.questionnaires.models import Score
from koers.questionnaires.results import classify as classify_change
from koers.screening.models import SomaticScreening

PREM = counting.PREM  # one definition: the statement and the reference leave out the same instrument
ANALYTICS = "analytics"  # the label of the facts' reads for the replica router (KOERS_REPLICA_LABELS)


def _day(field: str) -> TruncDate:
    """A timestamp's day in the current time zone, in SQL (``timezone.localdate`` per row was most
    of the page's time at 100,000 people: parsing the timestamps and converting each in Python)."""
    return TruncDate(field)


def units(organisation: Organisation, team_id: int | None = None) -> list[Unit]:
    """The organisation and its teams (or one team of it); ``LookupError`` for a team elsewhere."""
    teams = Team.objects.filter(organisation=organisation).order_by("name", "id")
    if team_id is not None:
        team = teams.filter(pk=team_id).first()
        if team is None:
            raise LookupError(team_id)
        return [Unit("team", team.pk, team.name)]
    return [Unit("organisation", organisation.pk, organisation.name)] + [
        Unit("team", team.pk, team.name) for team in teams
    ]


def _memberships(organisation: Organisation) -> list[compute.Membership]:
    # access: aggregate only — ids and dates become suppressed counts; the caller logs record_aggregate
    rows = CareTeamMember.objects.filter(organisation=organisation).values_list(
        "person_id", "professional__team_id", _day("started_at"), _day("ended_at")
    )
    key, found, membership = ("organisation", organisation.pk), [], compute.Membership
    for person_id, team_id, start, end in rows:
        found.append(membership(person_id, key, start, end))
        if team_id is not None:
            found.append(membership(person_id, ("team", team_id), start, end))
    return found


def _dates(rows) -> dict[int, list[dt.date]]:
    found: dict[int, list[dt.date]] = defaultdict(list)
    for person_id, day in rows:
        found[person_id].append(day)
    return dict(found)


def facts(organisation: Organisation) -> Facts:
    """All facts about the people in the organisation's care (ever), in ten grouped queries: the
    reference for ``counting`` (which the page and the command use). Goal decisions, reviews and
    scores come in their models' order (time, then id): of two on one day the later one wins."""
    people = CareTeamMember.objects.filter(organisation=organisation).values("person_id")
    decided = (Goal.AchievementStatus.ACHIEVED, Goal.AchievementStatus.NOT_ACHIEVED)
    achieved = Goal.AchievementStatus.ACHIEVED
    goal_rows = GoalStatusChange.objects.filter(goal__person__in=people, achievement_status__in=decided).values_list(
        "goal__person_id", "goal_id", _day("changed_at"), "achievement_status"
    )
    gas_rows = GoalReview.objects.filter(
        goal__person__in=people, goal__uses_gas=True, gas_level__isnull=False
    ).values_list("goal__person_id", "goal_id", "goal__gas_weight", "gas_level", _day("reviewed_at"))
    follow_rows = FollowUpAgreement.objects.filter(person__in=people).values_list(
        "person_id", _day("created_at"), _day("ended_at"), "next_date"
    )
    score_rows = (
        Score.objects.filter(person__in=people, scorable=True, total__isnull=False)
        .exclude(instrument_id=PREM)
        .values_list("person_id", "instrument_id", _day("authored_at"), "total")
    )
    return Facts(
        memberships=_memberships(organisation),
        goal_decisions=[compute.GoalDecision(p, g, on, status == achieved) for p, g, on, status in goal_rows],
        gas_reviews=list(map(compute.GasReview._make, gas_rows)),
        plan_agreed=_dates(
            CarePlanVersion.objects.filter(care_plan__person__in=people, agreed_at__isnull=False).values_list(
                "care_plan__person_id", _day("agreed_at")
            )
        ),
        evaluations=_dates(YearlyEvaluation.objects.filter(person__in=people).values_list("person_id", "date")),
        follow_ups=list(map(compute.FollowUp._make, follow_rows)),
        scores=list(map(compute.ScorePoint._make, score_rows)),
        prem=_prem(organisation),
        smi=frozenset(
            Profile.objects.filter(person__in=people, severe_mental_illness=True).values_list("person_id", flat=True)
        ),
        screened=_dates(
            SomaticScreening.objects.filter(person__in=people, done_on__isnull=False).values_list(
                "person_id", "done_on"
            )
        ),
    )


def _prem(organisation: Organisation) -> list[compute.PremScore]:
    """PREM scores given to the organisation, and to the team that asked (as it was then)."""
    # access: aggregate only — scores become suppressed counts; the caller logs record_aggregate
    rows = Score.objects.filter(
        instrument_id=PREM, scorable=True, total__isnull=False, response__organisation=organisation
    ).values_list("response__team_id", _day("authored_at"), "total")
    found = []
    for team_id, on, total in rows:
        found.append(compute.PremScore(("organisation", organisation.pk), on, total))
        if team_id is not None:
            found.append(compute.PremScore(("team", team_id), on, total))
    return found


@cache
def _instrument(instrument_id: str):
    try:
        return instruments.get(instrument_id)
    except instruments.UnknownInstrument:  # an organisation's own instrument: no norms to judge by
        return None


def classify(instrument_id: str, before: float, after: float) -> str | None:
    """Reliable change of a score (``koers.questionnaires.change``); None when there are no norms."""
    inst = _instrument(instrument_id)
    if inst is None:
        return None
    try:
        return classify_change(change.for_instrument(inst, before, after))
    except ValueError:  # change.NormsMissing
        return None


def minimum_cell() -> int:
    """The smallest number of people a published cell may hold (setting, default 10)."""
    return settings.KOERS_MIN_CELL


def indicator_table(
    organisation: Organisation, *, team_id: int | None, start: dt.date, end: dt.date, today: dt.date
) -> list[report.Row]:
    """Every indicator per unit and quarter, suppressed. ``LookupError``: a team elsewhere;
    ``ValueError``: a bad range. The caller logs the aggregate access."""
    found_units = units(organisation, team_id)
    found_periods = periods.quarters(start, end)
    with routed(ANALYTICS):  # the replica when one is configured (docs/scaling.md); not in a transaction
        counted = counting.raw(organisation, found_units, found_periods, today=today, classify=classify, kept=True)
    return report.table_of(counted, found_units, found_periods, k=minimum_cell())
