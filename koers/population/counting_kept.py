"""The page's aggregates counted from the kept per-person rows (``koers.population.kept``).

The same counts as ``counting.count`` and ``counting.separately`` (``tests/test_counting_kept.py``
compares them on generated populations, before and after writes and deletes), from one statement
over the population's ``PersonFacts`` rows instead of the population joined with profiles,
conditions per person and ranked decisions:

- age band from the kept birth date, at the day of counting (the same ``CASE`` as
  ``counting._band``: no stored band goes stale), gender, the characteristics as the stored
  codes of their keys (``kept.KEYS``), multimorbidity from the kept number of active conditions;
- the support level now and at the period's start from the kept two newest decisions: decided
  before the start, the newest is both; decided in the period, the newest is the level now and
  the one before it (decided before the start, or none) the level at the start. Only for the
  persons where these two do not tell (two decisions after the start, or one after the end) is
  the newest decision up to each moment looked up, by a subquery in the ``CASE`` that only
  those persons evaluate (it was a ranked CTE joined to everyone: the planner estimated the
  join at 25 times the population and sorted for some grouping sets);
- the conditions per code from the kept catalogue keys of each person (``condition_keys``, one
  key per distinct catalogue code: ``counting.count``'s distinct persons per code) as one more
  grouping set: one row per distinct set of keys, split into keys when folded. It was a second
  branch joining the population with ``people_condition`` (~0.2 of 0.57 s at 100,000).

The population is read once, by the one pass (it was materialised while three parts read it:
its rows written out and read back; docs/performance.md).
"""

from __future__ import annotations

import datetime as dt

from django.db import connections

from koers.people.models import Person, SupportLevelDecision
from koers.population import counting
from koers.population.kept import CHARACTERISTICS, KEYS, LEVEL_FIELDS

# {population}: the population's kept rows (``selectors.kept_population``) with the columns
# below, read once (no part reads it again: not materialised); {fence}: on PostgreSQL ``OFFSET
# 0``, so the population is planned apart from the ``CASE`` above it: flattened, the planner
# costs the ranked persons' subqueries as if run for every row it scans and, to scan fewer,
# chose 100,000 index probes of the kept rows over a hash join (2.2 against 1.4 s under load,
# docs/performance.md); {band}, {gender}: as in
# ``counting``; {newest}: a ranked person's newest decision up to a moment; {counts}: the counts
# of ``facts`` (``_grouped``).
_SQL = """
WITH population ({columns}) AS NOT MATERIALIZED ({population}{fence}),
facts AS {facts_materialized} (
    SELECT {band} AS band, {gender} AS gender, {fields}, p.condition_keys AS condition_keys,
           CASE WHEN p.active_conditions >= 3 THEN 3 ELSE p.active_conditions END AS nc,
           CASE WHEN {ranked} THEN COALESCE(({newest}), 'none')
                WHEN p.level_decided_at > %s THEN COALESCE(NULLIF(p.previous_level, ''), 'none')
                ELSE COALESCE(NULLIF(p.level, ''), 'none') END AS level_before,
           CASE WHEN {ranked} THEN COALESCE(({newest}), 'none')
                ELSE COALESCE(NULLIF(p.level, ''), 'none') END AS level_after
    FROM population AS p
)
{counts}
"""
# A ranked person's level at a moment: the newest decision up to it (ties on time: the newest
# row), as ``selectors._TRANSITIONS`` ranks them; a subquery only evaluated for those persons.
NEWEST = """SELECT d.level FROM {decision} AS d WHERE d.person_id = p.person_id AND d.decided_at <= %s
ORDER BY d.decided_at DESC, d.id DESC LIMIT 1"""
COLUMNS = ("person_id", "birth_date", "gender", "active_conditions", "condition_keys", *LEVEL_FIELDS, *CHARACTERISTICS)
# The persons whose levels at the period's start and end the kept two newest decisions do not
# tell: a newest decision after the end, or the one before it after the start (parameters: end, start).
RANKED = "(p.level_decided_at > %s OR p.previous_decided_at > %s)"


# The counts of the page as groups of ``facts``: (what, its columns). Fewer, wider sets cost
# less than a set per count (a hash table each: ~50 ms a set at 100,000 under load 7; docs/performance.md):
# age band × gender with multimorbidity and the levels before → now (at most 6 × 4 × 4 × 5 × 5
# groups), the characteristics six by six (their small integer codes: some 2,000 groups at
# 100,000), the conditions' keys; split into the page's counts when folded.
GROUPS = (
    ("people", ("band", "gender", "nc", "level_before", "level_after")),
    ("characteristics", CHARACTERISTICS[:6]),
    ("characteristics", CHARACTERISTICS[6:]),
    ("conditions", ("condition_keys",)),
)
DIMENSIONS = tuple(dict.fromkeys(column for _name, columns in GROUPS for column in columns))


def _mask(columns) -> int:
    """``GROUPING(DIMENSIONS…)`` of a group: a 1 bit (first dimension highest) for each column not in it."""
    return sum(1 << (len(DIMENSIONS) - 1 - i) for i, column in enumerate(DIMENSIONS) if column not in columns)


def _grouped(vendor: str) -> str:
    """Every count of the page as one row per group and key: one pass of ``GROUPING SETS`` on
    PostgreSQL (a hash table per set; a hundred ``COUNT(*) FILTER`` per person cost ~9 µs a
    person, docs/performance.md), the same rows by a ``UNION ALL`` of ``GROUP BY``s on SQLite."""
    listed = ", ".join(DIMENSIONS)
    if vendor == "postgresql":
        sets = ", ".join(f"({', '.join(columns)})" for _name, columns in GROUPS)
        return f"SELECT GROUPING({listed}), {listed}, COUNT(*) FROM facts GROUP BY GROUPING SETS ({sets})"  # noqa: S608  # nosec B608  # the code's column names
    parts = []
    for _name, columns in GROUPS:
        shown = ", ".join(column if column in columns else "NULL" for column in DIMENSIONS)
        grouped = ", ".join(columns)
        parts.append(f"SELECT {_mask(columns)}, {shown}, COUNT(*) FROM facts GROUP BY {grouped}")  # noqa: S608  # nosec B608  # the code's column names
    return "\nUNION ALL\n".join(parts)


def statement(facts, *, today: dt.date, start: dt.datetime, end: dt.datetime) -> tuple[str, list]:
    """The SQL and its parameters, for ``count`` and for EXPLAIN in the benchmark."""
    connection = connections[facts.db]
    ops = connection.ops
    population_sql, population_params = facts.values(*COLUMNS).query.get_compiler(facts.db).as_sql()
    band, band_years = counting._band()
    genders = ", ".join(f"'{value}'" for value, _label in Person.Gender.choices)
    sql = _SQL.format(
        columns=", ".join(COLUMNS),
        population=population_sql,
        facts_materialized="MATERIALIZED" if connection.vendor != "postgresql" else "NOT MATERIALIZED",
        fence=" OFFSET 0" if connection.vendor == "postgresql" else "",
        newest=NEWEST.format(decision=ops.quote_name(SupportLevelDecision._meta.db_table)),
        counts=_grouped(connection.vendor),
        band=band,
        ranked=RANKED,
        gender=f"CASE WHEN p.gender IN ({genders}) THEN p.gender ELSE 'unknown' END",
        fields=", ".join(f"p.{field} AS {field}" for field in CHARACTERISTICS),
    )
    start_value, end_value = (ops.adapt_datetimefield_value(moment) for moment in (start, end))
    dates = [ops.adapt_datefield_value(counting.selectors._years_before(today, years)) for years in band_years]
    ranked = [end_value, start_value]
    params = [*population_params, *dates, *ranked, start_value, start_value, *ranked, end_value]
    return sql, params


def count(facts, *, today: dt.date, start: dt.datetime, end: dt.datetime) -> counting.Counts:
    """Every aggregate of the page for ``facts`` (``selectors.kept_population``), in one statement."""
    sql, params = statement(facts, today=today, start=start, end=end)
    with connections[facts.db].cursor() as cursor:
        cursor.execute(sql, params)  # nosec B608  # model table and field names; values are parameters
        rows = cursor.fetchall()
    return _fold(rows)


def _fold(rows) -> counting.Counts:
    """The rows as ``counting.Counts``: a key outside the page's (a value not among the choices)
    is counted nowhere, as ``counting.count``'s conditional counts leave it out."""
    empty = counting._fold([("counts", None, None, *[0] * len(counting._cells()))])
    composition = {band: dict(by_gender) for band, by_gender in empty.composition.items()}
    composition.setdefault("unknown", dict.fromkeys(next(iter(composition.values())), 0))
    multimorbidity, characteristics = dict(empty.multimorbidity), {k: dict(v) for k, v in empty.characteristics.items()}
    transitions, conditions = {k: dict(v) for k, v in empty.transitions.items()}, {}
    by_mask = {_mask(columns): (name, columns) for name, columns in GROUPS}
    for mask, *keys, n in rows:
        name, columns = by_mask[mask]
        row = dict(zip(DIMENSIONS, keys, strict=True))
        if name == "people":
            _add(composition.get(row["band"]), row["gender"], n)
            _add(multimorbidity, counting.selectors.MULTIMORBIDITY[row["nc"]], n)
            _add(transitions.get(row["level_before"]), row["level_after"], n)
        elif name == "conditions":
            for key in (row["condition_keys"] or "").split():
                conditions[key] = conditions.get(key, 0) + n
        else:
            for field in columns:  # a code is the key's position in ``kept.KEYS``; NULL: counted nowhere
                if row[field] is not None:
                    _add(characteristics[field], KEYS[field][row[field]], n)
    size = sum(sum(by_gender.values()) for by_gender in composition.values())
    if not any(composition["unknown"].values()):
        del composition["unknown"]  # as selectors.composition
    return counting.Counts(size, composition, multimorbidity, conditions, characteristics, transitions)


def _add(table: dict | None, key, n: int) -> None:
    if table is not None and key in table:
        table[key] += n
