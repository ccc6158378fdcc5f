"""The indicators counted in the database per unit and quarter (issue #16): one statement.

``selectors.facts`` fetches every fact about the organisation's people and ``report.raw`` counts
them in Python: the reference, kept as the definition (``tests/test_counting.py`` compares the
two on generated populations). Here the database does the counting: the units' cohorts per quarter
(in care at any moment of it, and still at its end), then per unit and quarter the shares (care
plan, yearly evaluation, follow-up, somatic screening, goal attainment) as counts, PREM as counts
and a sum, and only what needs a pure Python function comes back in rows that are already grouped:
per unit and quarter the number of people with each set of sums over the GAS reviews that count
(the latest per goal in the quarter, of the cohort: Σ weight × level, Σ weight, Σ weight²) for
``koers.goals.gas.t_score_of_sums``, and one row per (instrument, first score, last score) with the
number of such series for ``classify`` (reliable change), each distinct set worked out once. The
five parts are one ``UNION ALL`` over cohorts and facts built once (1.4x faster than five
statements that each built the cohorts).

Of two decisions, reviews or scores on one day the later one (by time, then id) wins, as in the
reference, whose facts come in their models' order. The rows of each fact are querysets like the
selectors' (days cast by ``TruncDate`` in the current time zone), wrapped in common table
expressions; the same SQL runs on PostgreSQL and SQLite. Nothing here returns a person; callers
log the aggregate access.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import string
from collections import defaultdict

from django.db import connections, router, transaction
from django.db.models.functions import TruncDate

from koers.accounts.models import Organisation
from koers.careplans.models import CarePlanVersion, FollowUpAgreement
from koers.followup.models import YearlyEvaluation
from koers.goals.gas import t_score_of_sums
from koers.goals.models import Goal, GoalReview, GoalStatusChange
from koers.indicators import compute, report
from koers.indicators.compute import Mean, Period, Share
from koers.indicators.models import (
    CareSpell,
    FollowUpSpan,
    GasReviewPoint,
    GoalDecisionPoint,
    TrajectoryPoint,
    YearCover,
)
from koers.network.models import CareTeamMember
from koers.people.models import Profile
from koers.questionnaires.models import Score
from koers.screening.models import SomaticScreening

Key = tuple[tuple[str, int], int]  # (unit key, index of the period)
KINDS = ("organisation", "team")  # a unit's kind in the SQL is its index here (cheaper to sort than text)


def _sql(queryset, alias: str) -> tuple[str, tuple]:
    sql, params = queryset.order_by().query.get_compiler(using=alias).as_sql()
    return sql, tuple(params)


class _Statement:
    """SQL with ``%s`` parameters, put together in order. ``inline``: every common table
    expression ``NOT MATERIALIZED`` (the kept statement; see the comment above ``_ONCE``)."""

    def __init__(self, *, inline: bool = False) -> None:
        self.parts: list[str] = []
        self.params: list = []
        self.inline = inline

    def add(self, sql: str, *params) -> _Statement:
        self.parts.append(sql)
        self.params.extend(params)
        return self


def _periods(periods: list[Period], today: dt.date, *, inline: bool = False) -> tuple[str, list]:
    """``p (n, s, e, y, o, l)``: index, start, end, a year before the end, the follow-up's day
    (the end or today) and its limit (two weeks before that)."""
    rows, params = [], []
    for n, period in enumerate(periods):
        on = min(period.end, today)
        rows.append("(%s, %s, %s, %s, %s, %s)")
        params += [n, period.start, period.end, period.end - compute.YEAR, on, on - compute.FOLLOW_UP_GRACE]
    hint = "NOT MATERIALIZED " if inline else ""
    return f"p (n, s, e, y, o, l) AS {hint}(VALUES " + ", ".join(rows) + ")", params


def _cohorts(statement: _Statement, organisation: Organisation, alias: str, periods, today) -> None:
    """``u``: memberships per unit; ``everyone`` / ``at_end``: the cohorts per unit and period."""
    rows = CareTeamMember.objects.filter(organisation=organisation).values_list(
        "person_id", "professional__team_id", TruncDate("started_at"), TruncDate("ended_at")
    )
    sql, params = _sql(rows, alias)
    period_sql, period_params = _periods(periods, today)
    statement.add("WITH " + period_sql + ",\n", *period_params)
    statement.add(f"m (person_id, team_id, b, f) AS ({sql}),\n", *params)
    statement.add(
        """u (kind, uid, person_id, b, f) AS (
    SELECT 0, %s, person_id, b, f FROM m
    UNION ALL SELECT 1, team_id, person_id, b, f FROM m WHERE team_id IS NOT NULL
),
everyone AS (
    SELECT DISTINCT u.kind, u.uid, p.n, u.person_id FROM u JOIN p ON u.b <= p.e AND (u.f IS NULL OR u.f >= p.s)
),
at_end AS (
    SELECT DISTINCT u.kind, u.uid, p.n, u.person_id, u.first_b FROM (
        SELECT kind, uid, person_id, b, f, MIN(b) OVER (PARTITION BY kind, uid, person_id) AS first_b FROM u
    ) AS u JOIN p ON u.b <= p.e AND (u.f IS NULL OR u.f > p.e)
)""",
        organisation.pk,
    )


# The kept statement's common table expressions are all ``NOT MATERIALIZED``: PostgreSQL computes
# a CTE that is named more than once (``p``, ``spell``, ``smi``, ``prem``) or marked ``MATERIALIZED``
# once, and such a CTE is parallel-restricted: no part of the statement could run in parallel
# workers. Inlined, the parts read the kept tables themselves and PostgreSQL may use a second core
# (with ``_planned``'s settings; docs/performance.md, "Issue #16: the indicators' statement in
# parallel workers"). The same text runs on SQLite and DuckDB, where the hint changes no answer.
#
# In the live statement, facts whose days are cast from timestamps and joined with every period: computed once
# (``MATERIALIZED``), or PostgreSQL inlines them and casts each timestamp once per period
# (4 x 124,000 scores at 100,000 people; 1.2x faster for the statement: docs/performance.md).
# The agreed plan versions too: with realistic data (11,192 agreed versions at 10,000 people) the
# statement took 246 ms with them inlined and 203 ms once (docs/performance.md, "… what the outer
# records cost").
_ONCE = frozenset({"follow", "decision", "review", "score", "plan"})


def _fact(statement: _Statement, name: str, columns: str, queryset, alias: str) -> None:
    sql, params = _sql(queryset, alias)
    once = "NOT MATERIALIZED " if statement.inline else "MATERIALIZED " if name in _ONCE else ""
    statement.add(f",\n{name} ({columns}) AS {once}({sql})", *params)


def _run(statement: _Statement, alias: str) -> list[tuple]:
    with connections[alias].cursor() as cursor:
        cursor.execute("\n".join(statement.parts), statement.params)
        return cursor.fetchall()


def _bounds(periods: list[Period], today: dt.date) -> dict[str, list[dt.date]]:
    """Per column of ``p`` (``_periods``), its values in the periods' order. The periods are
    calendar quarters (``koers.indicators.periods``): in order and apart, so every column is in
    ascending order and a day lies in at most one period, the first whose end is not before it."""
    ends = [period.end for period in periods]
    if any(later.start <= earlier.end for earlier, later in zip(periods, periods[1:], strict=False)):
        raise ValueError("the periods overlap or are out of order")
    ons = [min(end, today) for end in ends]
    return {
        "s": [period.start for period in periods],
        "e": ends,
        "y": [end - compute.YEAR for end in ends],
        "o": ons,
        "l": [on - compute.FOLLOW_UP_GRACE for on in ons],
    }


def _render(template: str, bounds: dict[str, list[dt.date]]) -> tuple[str, list]:
    """``{below e:k.b}``: how many periods' ends (a column of ``p``, ``_bounds``) lie before the
    value of ``k.b`` (all of them when it is NULL); ``{upto l:x.earliest}``: how many lie on or
    before it. A ``CASE`` over the bounds as parameters: the number of the first period whose end
    is not before a day, say, without joining the row with every period."""
    parts, params = [], []
    for text, field, column, _conversion in string.Formatter().parse(template):
        parts.append(text)
        if field is None:
            continue
        how, name = field.split()
        compare = {"below": "<=", "upto": "<"}[how]
        values = bounds[name]
        whens = " ".join(f"WHEN {column} {compare} %s THEN {i}" for i in range(len(values)))
        parts.append(f"(CASE {whens} ELSE {len(values)} END)")
        params += values
    return "".join(parts), params


def _kept_cohorts(statement: _Statement, organisation: Organisation, alias: str, periods, today) -> None:
    """The cohorts from the kept spells ``k`` (``koers.indicators.cohorts``): a filter per row, no
    window and no ``DISTINCT`` (each person and period meets at most one row per unit). ``spell``:
    each spell with the periods it answers for as ranges of period numbers (the periods are in
    order, ``_bounds``), computed once per spell so that no part joins every spell with every
    period (the pairs were built three times, docs/performance.md): "in care at the period's end"
    (``at_end``) for the periods ``lo`` to ``hi`` (``k.b <= p.e AND (k.f IS NULL OR k.f > p.e)``),
    due a yearly evaluation from period ``due`` (``k.first_b <= p.y``), and "in care at any moment"
    (``in_period``) for the periods from ``lo`` and ``since`` up to ``until`` (``k.b <= p.e AND
    (k.f IS NULL OR k.f >= p.s) AND (k.pf IS NULL OR k.pf < p.s)``). ``everyone`` is not built:
    the parts that start from facts (goals, GAS, trajectories) meet the spells by the person's id
    and the fact's period number."""
    rows = CareSpell.objects.filter(organisation=organisation).values_list(
        "kind", "unit_id", "person_id", "started_on", "ended_on", "first_on", "previous_end", "at_end", "in_period"
    )
    sql, params = _sql(rows, alias)
    period_sql, period_params = _periods(periods, today, inline=True)
    statement.add("WITH " + period_sql + ",\n", *period_params)
    columns = "kind, uid, person_id, b, f, first_b, pf, at_end, in_period"
    statement.add(f"k ({columns}) AS NOT MATERIALIZED ({sql}),\n", *params)
    spell = """spell (kind, uid, person_id, at_end, in_period, lo, hi, due, since, until) AS NOT MATERIALIZED (
    SELECT kind, uid, person_id, at_end, in_period, {below e:b}, {below e:f} - 1, {below y:first_b},
           CASE WHEN pf IS NULL THEN 0 ELSE {upto s:pf} END, {upto s:f} - 1
    FROM k
)"""
    spell, spell_params = _render(spell, _bounds(periods, today))
    statement.add(spell, *spell_params)


def _start(organisation, alias, periods, today, kept: bool) -> _Statement:
    statement = _Statement(inline=kept)
    (_kept_cohorts if kept else _cohorts)(statement, organisation, alias, periods, today)
    return statement


_RUNNING = """running AS (
    SELECT x.person_id, p.n, MIN(x.next_date) AS earliest FROM follow AS x
    JOIN p ON x.b <= p.o AND (x.f IS NULL OR x.f > p.o) WHERE x.next_date IS NOT NULL GROUP BY x.person_id, p.n
)"""
_SHARES = """,
plan_ok AS (SELECT DISTINCT x.person_id, p.n FROM plan AS x JOIN p ON x.d > p.y AND x.d <= p.e),
evaluated AS (SELECT DISTINCT x.person_id, p.n FROM evaluation AS x JOIN p ON x.d > p.y AND x.d <= p.e),
screened_ok AS (SELECT DISTINCT x.person_id, p.n FROM screened AS x JOIN p ON x.d > p.y AND x.d <= p.e),
{running}
SELECT a.kind, a.uid, a.n, COUNT(*),
       SUM(CASE WHEN po.person_id IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.first_b <= p.y THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.first_b <= p.y AND ev.person_id IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN r.person_id IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN r.earliest >= p.l THEN 1 ELSE 0 END),
       SUM(CASE WHEN smi.person_id IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN smi.person_id IS NOT NULL AND so.person_id IS NOT NULL THEN 1 ELSE 0 END)
FROM at_end AS a JOIN p ON p.n = a.n
LEFT JOIN plan_ok AS po ON po.person_id = a.person_id AND po.n = a.n
LEFT JOIN evaluated AS ev ON ev.person_id = a.person_id AND ev.n = a.n
LEFT JOIN running AS r ON r.person_id = a.person_id AND r.n = a.n
LEFT JOIN smi ON smi.person_id = a.person_id
LEFT JOIN screened_ok AS so ON so.person_id = a.person_id AND so.n = a.n
GROUP BY a.kind, a.uid, a.n"""

# The same counts from the kept rows, without joining every person and period: the cohort at the
# periods' ends counted per range of periods (``spell``: rows with the same range and first period
# due counted once, then joined with the periods), each fact counted where it meets a spell at the
# period's end: the kept spans of agreed plans, evaluations and screenings (``cover``,
# ``koers.indicators.covers``) with the periods whose end they hold (``covered``; the spans that
# hold none left out before the join), the follow-up rhythm's kept spans with the periods whose
# follow-up day they hold (``runs``) and the first from which their earliest next date is too early
# (``late``), and SMI for every period. The three are one ``facts`` (``fact`` 0-2 the covers, 3 the
# runs, 4 SMI), met with the spells in one join: each is intersected with the spell's range (an
# evaluation from the period due, ``s.due``; a screening for people with SMI only), the ranges
# counted once and then joined with the periods. A person and period meet at most one spell per
# unit and at most one span per fact, so the sums are the live statement's counts
# (docs/performance.md). One join instead of three reads the spells once instead of three times;
# ``facts``' branches have the same column types (``CAST``), so that PostgreSQL can read them in
# parallel workers as one set (docs/performance.md, "Issue #16: the shares' facts met with the
# spells once").
_KEPT_SHARES = """,
covered AS NOT MATERIALIZED (
    SELECT * FROM (SELECT person_id, fact, {below e:b} AS lo, {below e:f} - 1 AS hi FROM cover) AS x WHERE lo <= hi
),
runs AS NOT MATERIALIZED (
    SELECT * FROM (
        SELECT person_id, {below o:b} AS lo, {below o:f} - 1 AS hi, {upto l:earliest} AS late FROM span
    ) AS x WHERE lo <= hi
),
facts (person_id, fact, lo, hi, late) AS NOT MATERIALIZED (
    SELECT person_id, CAST(fact AS INTEGER), lo, hi, 0 FROM covered
    WHERE fact < 2 OR person_id IN (SELECT person_id FROM smi)
    UNION ALL SELECT person_id, 3, lo, hi, late FROM runs
    UNION ALL SELECT person_id, 4, 0, {below e:NULL} - 1, 0 FROM smi
),
ranges (kind, uid, fact, lo, hi, slo, shi, due, late, c) AS NOT MATERIALIZED (
    SELECT s.kind, s.uid, x.fact, x.lo, x.hi, s.lo, s.hi, CASE WHEN x.fact = 1 THEN s.due ELSE 0 END, x.late, COUNT(*)
    FROM facts AS x JOIN spell AS s ON s.person_id = x.person_id AND s.at_end
    GROUP BY s.kind, s.uid, x.fact, x.lo, x.hi, s.lo, s.hi, CASE WHEN x.fact = 1 THEN s.due ELSE 0 END, x.late
),
counted (kind, uid, n, people, plan, due, evaluated, running, on_time, smi, screened) AS NOT MATERIALIZED (
    SELECT c.kind, c.uid, p.n, c.c, 0, CASE WHEN p.n >= c.due THEN c.c ELSE 0 END, 0, 0, 0, 0, 0
    FROM (SELECT kind, uid, lo, hi, due, COUNT(*) AS c FROM spell WHERE at_end GROUP BY kind, uid, lo, hi, due) AS c
    JOIN p ON p.n >= c.lo AND p.n <= c.hi
    UNION ALL
    SELECT r.kind, r.uid, p.n, 0, CASE WHEN r.fact = 0 THEN r.c ELSE 0 END, 0, CASE WHEN r.fact = 1 THEN r.c ELSE 0 END,
           CASE WHEN r.fact = 3 THEN r.c ELSE 0 END, CASE WHEN r.fact = 3 AND p.n < r.late THEN r.c ELSE 0 END,
           CASE WHEN r.fact = 4 THEN r.c ELSE 0 END, CASE WHEN r.fact = 2 THEN r.c ELSE 0 END
    FROM ranges AS r JOIN p ON p.n >= r.lo AND p.n <= r.hi AND p.n >= r.slo AND p.n <= r.shi AND p.n >= r.due
)
SELECT kind, uid, n, SUM(people), SUM(plan), SUM(due), SUM(evaluated), SUM(running), SUM(on_time),
       SUM(smi), SUM(screened)
FROM counted GROUP BY kind, uid, n"""

_GOALS = """,
last AS (
    SELECT x.person_id, p.n, x.status,
           ROW_NUMBER() OVER (PARTITION BY p.n, x.goal_id ORDER BY x.at DESC, x.id DESC) AS r
    FROM decision AS x JOIN p ON x.d >= p.s AND x.d <= p.e
)
SELECT e.kind, e.uid, e.n, COUNT(*), SUM(CASE WHEN l.status = %s THEN 1 ELSE 0 END)
FROM last AS l JOIN everyone AS e ON e.person_id = l.person_id AND e.n = l.n
WHERE l.r = 1 GROUP BY e.kind, e.uid, e.n"""

# The same rows from the kept decisions (``koers.indicators.goalpoints``): a goal's last decision
# in a period is its row whose day lies in the period and whose next decision's day after it. The
# period is found by number (the first whose end is not before the day: a hash join with ``p``, not
# every row with every period); the spell's ranges (``spell``) say whether the person counts then.
_KEPT_GOALS = """
SELECT k.kind, k.uid, p.n, COUNT(*), SUM(CASE WHEN l.achieved THEN 1 ELSE 0 END)
FROM decided AS l JOIN p ON p.n = {below e:l.d} AND l.d >= p.s AND (l.nd IS NULL OR l.nd > p.e)
JOIN spell AS k ON k.person_id = l.person_id AND k.in_period AND p.n >= k.lo AND p.n >= k.since AND p.n <= k.until
GROUP BY k.kind, k.uid, p.n"""

_GAS = """,
latest AS (
    SELECT x.person_id, p.n, x.weight, x.level,
           ROW_NUMBER() OVER (PARTITION BY p.n, x.goal_id ORDER BY x.at DESC, x.id DESC) AS r
    FROM review AS x JOIN p ON x.d >= p.s AND x.d <= p.e
)
SELECT kind, uid, n, weighted, weights, squares, COUNT(*) FROM (
    SELECT e.kind, e.uid, e.n, SUM(l.weight * l.level) AS weighted, SUM(l.weight) AS weights,
           SUM(l.weight * l.weight) AS squares
    FROM latest AS l JOIN everyone AS e ON e.person_id = l.person_id AND e.n = l.n
    WHERE l.r = 1 GROUP BY e.kind, e.uid, e.n, l.person_id
) AS t GROUP BY kind, uid, n, weighted, weights, squares"""

# And from the kept reviews, the same way.
_KEPT_GAS = """
SELECT kind, uid, n, weighted, weights, squares, COUNT(*) FROM (
    SELECT k.kind, k.uid, p.n, SUM(l.weight * l.level) AS weighted, SUM(l.weight) AS weights,
           SUM(l.weight * l.weight) AS squares
    FROM reviewed AS l JOIN p ON p.n = {below e:l.d} AND l.d >= p.s AND (l.nd IS NULL OR l.nd > p.e)
    JOIN spell AS k ON k.person_id = l.person_id AND k.in_period AND p.n >= k.lo AND p.n >= k.since AND p.n <= k.until
    GROUP BY k.kind, k.uid, p.n, l.person_id
) AS t GROUP BY kind, uid, n, weighted, weights, squares"""

_TRAJECTORIES = """,
ranked AS (
    SELECT x.person_id, x.instrument_id, x.total, p.n,
           FIRST_VALUE(x.total) OVER (PARTITION BY x.person_id, x.instrument_id ORDER BY x.at, x.id) AS first_total,
           ROW_NUMBER() OVER (PARTITION BY x.person_id, x.instrument_id ORDER BY x.at, x.id) AS k,
           ROW_NUMBER() OVER (PARTITION BY x.person_id, x.instrument_id, p.n ORDER BY x.at DESC, x.id DESC) AS r
    FROM score AS x LEFT JOIN p ON x.d >= p.s AND x.d <= p.e
)
SELECT l.instrument_id, e.kind, e.uid, e.n, l.first_total, l.total, COUNT(*)
FROM ranked AS l JOIN everyone AS e ON e.person_id = l.person_id AND e.n = l.n
WHERE l.r = 1 AND l.k >= 2
GROUP BY e.kind, e.uid, e.n, l.instrument_id, l.first_total, l.total"""

# The same rows from the kept points (``koers.indicators.trajectories``): a series' latest score
# in a period is its point whose day lies in the period and whose next score's day after it.
_KEPT_TRAJECTORIES = """
SELECT l.instrument_id, k.kind, k.uid, p.n, l.first_total, l.total, COUNT(*)
FROM point AS l JOIN p ON p.n = {below e:l.d} AND l.d >= p.s AND (l.nd IS NULL OR l.nd > p.e)
JOIN spell AS k ON k.person_id = l.person_id AND k.in_period AND p.n >= k.lo AND p.n >= k.since AND p.n <= k.until
GROUP BY k.kind, k.uid, p.n, l.instrument_id, l.first_total, l.total"""

_PREM = """,
pu (kind, uid, d, total) AS (
    SELECT 0, %s, d, total FROM prem
    UNION ALL SELECT 1, team_id, d, total FROM prem WHERE team_id IS NOT NULL
)
SELECT pu.kind, pu.uid, p.n, COUNT(*), SUM(CASE WHEN pu.total >= %s THEN 1 ELSE 0 END), SUM(pu.total)
FROM pu JOIN p ON pu.d >= p.s AND pu.d <= p.e GROUP BY pu.kind, pu.uid, p.n"""


PREM = "koers-prem"
DECIDED = (Goal.AchievementStatus.ACHIEVED, Goal.AchievementStatus.NOT_ACHIEVED)


def _people(organisation):
    return CareTeamMember.objects.filter(organisation=organisation).values("person_id")


def _facts(statement: _Statement, organisation, alias: str, kept: bool) -> None:
    """Every fact the five parts read, as common table expressions after the cohorts. With
    ``kept``, the facts joined with the cohort only (the kept spans of agreed care plans,
    evaluations and screenings, SMI, and the other kept rows) are not filtered by the organisation's people: the join
    with ``at_end`` / ``everyone`` restricts them, and the filter was a semi-join over every
    care-team row of the organisation per fact (docs/performance.md)."""
    people = _people(organisation)

    def scoped(queryset, field: str = "person__in"):
        return queryset if kept else queryset.filter(**{field: people})

    if kept:  # joined with the cohort at the end: no filter by the people
        cover = YearCover.objects.values_list("person_id", "fact", "started_on", "ended_on")
        _fact(statement, "cover", "person_id, fact, b, f", cover, alias)
    else:
        plan = CarePlanVersion.objects.filter(agreed_at__isnull=False, care_plan__person__in=people)
        agreed = plan.values_list("care_plan__person_id", TruncDate("agreed_at"))
        _fact(statement, "plan", "person_id, d", agreed, alias)
        evaluation = YearlyEvaluation.objects.filter(person__in=people).values_list("person_id", "date")
        _fact(statement, "evaluation", "person_id, d", evaluation, alias)
        screened = SomaticScreening.objects.filter(done_on__isnull=False, person__in=people)
        _fact(statement, "screened", "person_id, d", screened.values_list("person_id", "done_on"), alias)
    if kept:
        span = FollowUpSpan.objects.all()  # joined with the cohort at the end: no filter by the people
        columns = ("person_id", "started_on", "ended_on", "earliest")
        _fact(statement, "span", "person_id, b, f, earliest", span.values_list(*columns), alias)
    else:
        follow = FollowUpAgreement.objects.filter(person__in=people).values_list(
            "person_id", TruncDate("created_at"), TruncDate("ended_at"), "next_date"
        )
        _fact(statement, "follow", "person_id, b, f, next_date", follow, alias)
    smi = scoped(Profile.objects.filter(severe_mental_illness=True)).values_list("person_id")
    _fact(statement, "smi", "person_id", smi, alias)
    (_kept_goal_facts if kept else _goal_facts)(statement, people, alias)
    if kept:
        rows = TrajectoryPoint.objects.all()  # joined with the cohort: no filter by the people
        columns = ("person_id", "instrument_id", "day", "next_day", "first_total", "total")
        names = "person_id, instrument_id, d, nd, first_total, total"
        _fact(statement, "point", names, rows.values_list(*columns), alias)
    else:
        rows = Score.objects.filter(person__in=people, scorable=True, total__isnull=False).exclude(instrument_id=PREM)
        columns = ("person_id", "instrument_id", TruncDate("authored_at"), "total", "authored_at", "id")
        _fact(statement, "score", "person_id, instrument_id, d, total, at, id", rows.values_list(*columns), alias)
    rows = Score.objects.filter(
        instrument_id=PREM, scorable=True, total__isnull=False, response__organisation=organisation
    ).values_list("response__team_id", TruncDate("authored_at"), "total")
    _fact(statement, "prem", "team_id, d, total", rows, alias)


def _goal_facts(statement: _Statement, people, alias: str) -> None:
    rows = GoalStatusChange.objects.filter(goal__person__in=people, achievement_status__in=DECIDED)
    columns = ("goal__person_id", "goal_id", TruncDate("changed_at"), "achievement_status", "changed_at", "id")
    _fact(statement, "decision", "person_id, goal_id, d, status, at, id", rows.values_list(*columns), alias)
    rows = GoalReview.objects.filter(goal__person__in=people, goal__uses_gas=True, gas_level__isnull=False)
    columns = ("goal__person_id", "goal_id", "goal__gas_weight", "gas_level", TruncDate("reviewed_at"))
    columns += ("reviewed_at", "id")
    _fact(statement, "review", "person_id, goal_id, weight, level, d, at, id", rows.values_list(*columns), alias)


def _kept_goal_facts(statement: _Statement, people, alias: str) -> None:
    """The goals' kept rows (``koers.indicators.goalpoints``), joined with the cohort at the end:
    no filter by the people, as the points and spans."""
    rows = GoalDecisionPoint.objects.values_list("person_id", "day", "next_day", "achieved")
    _fact(statement, "decided", "person_id, d, nd, achieved", rows, alias)
    rows = GasReviewPoint.objects.values_list("person_id", "day", "next_day", "weight", "level")
    _fact(statement, "reviewed", "person_id, d, nd, weight, level", rows, alias)


# The parts that the kept statement counts its own way (from the kept rows).
_KEPT_PARTS = {"shares": _KEPT_SHARES, "goals": _KEPT_GOALS, "gas": _KEPT_GAS, "trajectories": _KEPT_TRAJECTORIES}

# (part, its SQL, whether its first column is the instrument, how many numbers it gives)
_PARTS = (
    ("shares", _SHARES, False, 8),
    ("goals", _GOALS, False, 2),
    ("gas", _GAS, False, 4),
    ("trajectories", _TRAJECTORIES, True, 3),
    ("prem", _PREM, False, 3),
)


def _rows(organisation, alias, periods, today, kept: bool) -> list[tuple]:
    """One statement: the cohorts and facts once, the five parts as one ``UNION ALL``. A row is
    (part, instrument or NULL, kind, unit id, period index, eight numbers or NULLs)."""
    statement = _start(organisation, alias, periods, today, kept)
    _facts(statement, organisation, alias, kept)
    bounds = _bounds(periods, today) if kept else {}
    selects, params = [], []
    for part, sql, named, numbers in _PARTS:
        if kept:
            sql = _KEPT_PARTS.get(part, sql)
        if part == "shares" and not kept:
            sql = sql.replace("{running}", _RUNNING)
        head, select = sql.split("\nSELECT ", 1)
        head_params = [organisation.pk] if part == "prem" else []
        if kept:  # the kept parts number days by period (``_render``; PREM's part has no such number)
            (head, numbers_of_head), (select, numbers_of_select) = _render(head, bounds), _render(select, bounds)
            head_params, params = numbers_of_head + head_params, params + numbers_of_select
        elif part == "goals":
            params.append(Goal.AchievementStatus.ACHIEVED)  # the live goals' part compares the status
        statement.add(head, *head_params)
        params += [compute.PREM_POSITIVE] if part == "prem" else []
        padding = ", NULL" * (8 - numbers)
        first = "" if named else ", NULL"
        sql = f"SELECT '{part}'{first}, q.*{padding} FROM (SELECT {select}) AS q"  # noqa: S608  # nosec B608  # constants
        selects.append(sql)
    statement.add("\n" + "\nUNION ALL ".join(selects), *params)
    return _run(statement, alias)


def raw(
    organisation: Organisation,
    units: list,
    periods: list[Period],
    *,
    today: dt.date,
    classify: compute.Classify,
    kept: bool = False,
) -> dict[Key, dict]:
    """Per (unit key, period index): what ``report.raw`` gives for that unit and period. With
    ``kept``, the cohorts come from the kept spells, the trajectories from the kept points, the
    follow-up rhythm from the kept spans and goal attainment and GAS from the goals' kept rows
    (what the page and the command use) instead of the care-team rows, the scores, the agreements,
    status changes and reviews (the live reference)."""
    alias = router.db_for_read(CareTeamMember)
    with _planned(alias, hashed=kept):
        return _raw(organisation, alias, units, periods, today=today, classify=classify, kept=kept)


@contextlib.contextmanager
def _planned(alias: str, *, hashed: bool = False):
    """On PostgreSQL: no nested loops and no JIT for these statements. The cohorts and the facts
    are common table expressions without statistics, and PostgreSQL, misjudging their size, chose
    nested loops that rescanned a grouped table once per person (the shares took 15-49 s, the
    trajectories 4.9 s at 10,000 people; without nested loops 0.2-0.3 s: docs/performance.md).
    With ``hashed`` (the kept statement) no merge joins and no sorts either: misjudging the cohort
    (2,244 rows estimated for 40,000 at 10,000 people), PostgreSQL sorted every person and period
    of ``at_end`` for merge joins with the shares' facts and again for the grouping, where each
    fact is a small hash table probed once per row and a period has a handful of units
    (docs/performance.md). And parallel workers for its parts even where a kept table is below
    PostgreSQL's 8 MB threshold, at a tenth of the default start-up cost: the statement's inlined
    parts (``_Statement.inline``) can use a second core (docs/performance.md). The settings are
    reset afterwards, also inside a caller's transaction; after an error the rollback undoes them
    (a RESET in an aborted transaction would hide the error)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield
        return
    settings = {"enable_nestloop": "off", "jit": "off"} | (_HASHED if hashed else {})
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        for name, value in settings.items():
            cursor.execute(f"SET LOCAL {name} = {value}")
        yield  # after an error, the rollback of this block (or its savepoint) undoes the settings
        for name in settings:
            cursor.execute(f"RESET {name}")


# The kept statement's settings besides no nested loops and no JIT (``_planned``).
_HASHED = {
    "enable_mergejoin": "off",
    "enable_sort": "off",
    "min_parallel_table_scan_size": "0",
    "parallel_setup_cost": "100",
}


def _raw(organisation, alias, units, periods, *, today, classify, kept) -> dict[Key, dict]:
    found: dict[Key, dict] = defaultdict(report.nothing)
    parts: dict[str, list[tuple]] = defaultdict(list)
    for part, instrument, kind, uid, n, *numbers in _rows(organisation, alias, periods, today, kept):
        parts[part].append((instrument, (KINDS[int(kind)], int(uid)), int(n), *numbers))
    for _i, key, n, people, plan, due, evaluated, running, kept, smi, screened in parts["shares"]:
        result = found[(key, n)]
        result["care_plan_up_to_date"] = Share(int(plan), int(people))
        result["yearly_evaluation_on_time"] = Share(int(evaluated), int(due))
        result["follow_up_on_rhythm"] = Share(int(kept), int(running))
        result["smi_screening"] = Share(int(screened), int(smi))
    for _i, key, n, goals, achieved, *_rest in parts["goals"]:
        found[(key, n)]["goal_attainment"] = Share(int(achieved), int(goals))
    _add_gas(found, parts["gas"])
    classified: dict[tuple, str | None] = {}  # the same scores recur in every unit and quarter
    for instrument, key, n, first, last, count, *_rest in parts["trajectories"]:
        kind_of = classified.get((instrument, first, last), "")
        if kind_of == "":
            kind_of = classified[(instrument, first, last)] = classify(instrument, first, last)
        counts = found[(key, n)]["questionnaire_trajectory"].counts
        if kind_of in counts:
            counts[kind_of] += int(count)
    for _i, key, n, count, positive, total, *_rest in parts["prem"]:
        result = found[(key, n)]
        result["prem_positive"] = Share(int(positive), int(count))
        result["prem_mean"] = Mean(int(count), round(total / count, 1))
    wanted = {unit.key for unit in units}
    return {key: value for key, value in found.items() if key[0] in wanted}


def _add_gas(found: dict, rows: list[tuple]) -> None:
    """The GAS part's rows: per unit and period, how many people have each set of sums of their
    goals' latest reviews (Σ weight × level, Σ weight, Σ weight², added up per person in the
    database); each set's T-score once (``koers.goals.gas.t_score_of_sums``). Weights and levels
    were checked where they are stored (the goals' and reviews' constraints)."""
    bands: dict[tuple, str] = {}
    for _i, key, n, weighted, weights, squares, people, *_rest in rows:
        sums = (int(weighted), int(weights), int(squares))
        if sums not in bands:
            bands[sums] = compute.gas_band(t_score_of_sums(*sums))
        found[(key, n)]["gas_t_score"].counts[bands[sums]] += int(people)
