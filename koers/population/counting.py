"""The population's five aggregates (issue #16), in one statement or in five grouped queries.

``count`` asks the database once for everything ``compose.build`` shows: age band × gender,
multimorbidity, the coded conditions, every profile characteristic and the support level before
→ now (whose column totals are the risk pyramid). Each person's row (age band, gender, profile
keys, number of active conditions, level before and now) is built once (``facts``, from hash or
merge joins of the population with profiles, conditions counted per person and the ranked
decisions) and counted in one pass with ``COUNT(*) FILTER``; the conditions per code are a second
branch of the same statement. The same SQL runs on PostgreSQL and SQLite (CTE hints: PostgreSQL
12+, SQLite 3.35+; ``FILTER``: SQLite 3.30+).

``separately`` gives the same counts by the five queries of ``koers.population.selectors``.
Which is faster depends on the population (docs/performance.md, 5 December 2026): with a filter
the one statement runs the filter once instead of five times (the level filter is a window over
all of the population's decisions); over a whole unit at 100,000 people PostgreSQL runs the five
queries faster (its row-by-row join and a hundred conditional counts cost more than the
population's four extra semi-joins). ``compose._count_live`` chooses — the page itself counts
from the kept per-person rows since December 2026 (``koers.population.counting_kept``), and these
live counts are the reference its tests compare with; ``tests/test_counting.py``
checks both give the same on generated populations, and ``benchmarks/population_duckdb.py`` and
``benchmarks/population_page.py`` time both in one run.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import connections

from koers.people import catalogue
from koers.people.models import Condition, Person, Profile, SupportLevelDecision
from koers.population import selectors
from koers.population.filters import AGE_BANDS

CHARACTERISTICS = (*selectors.ZZ_FIELDS, *selectors.GG_FIELDS, *selectors.YES_NO_FIELDS,
                   *selectors.YES_NO_UNKNOWN_FIELDS)  # fmt: skip


@dataclass(frozen=True)
class Counts:
    """Raw counts (not suppressed: ``koers.population.report`` does that)."""

    size: int
    composition: dict[str, dict[str, int]]
    multimorbidity: dict[str, int]
    conditions: dict[str, int]
    characteristics: dict[str, dict[str, int]]
    transitions: dict[str, dict[str, int]]


# {population}: the population's query (id, birth_date, gender); {materialized}: whether it is
# computed once (``count``'s ``once``); {band}, {gender}, {fields}: a
# person's keys; {aggregates}: every count but the conditions' as ``COUNT(*) FILTER``, one row;
# {padding}: NULLs, so the conditions' rows fit that row; {codes}: the catalogue's codes.
# Decisions are ranked as in ``selectors._TRANSITIONS``.
_SQL = """
WITH population (id, birth_date, gender) AS {materialized} ({population}),
active AS NOT MATERIALIZED (
    SELECT c.person_id, c.code_system, c.code FROM {condition} AS c
    WHERE c.clinical_status = 'active' AND NOT (c.verification_status = 'entered_in_error')
      AND c.person_id IN (SELECT id FROM population)
),
per_person AS (SELECT person_id, COUNT(*) AS n FROM active GROUP BY person_id),
ranked AS (
    SELECT d.person_id, d.level,
           ROW_NUMBER() OVER (PARTITION BY d.person_id ORDER BY d.decided_at DESC, d.id DESC) AS n,
           SUM(CASE WHEN d.decided_at > %s THEN 1 ELSE 0 END) OVER (PARTITION BY d.person_id) AS later
    FROM {decision} AS d
    WHERE d.decided_at <= %s AND d.person_id IN (SELECT id FROM population)
),
levels AS (
    SELECT person_id, MAX(CASE WHEN n = later + 1 THEN level END) AS level_before,
           MAX(CASE WHEN n = 1 THEN level END) AS level_after
    FROM ranked GROUP BY person_id
),
facts AS MATERIALIZED (
    SELECT {band} AS band, {gender} AS gender, {fields},
           CASE WHEN m.n >= 3 THEN 3 ELSE COALESCE(m.n, 0) END AS nc,
           COALESCE(l.level_before, 'none') AS level_before, COALESCE(l.level_after, 'none') AS level_after
    FROM population AS p
    LEFT JOIN {profile} AS f ON f.person_id = p.id
    LEFT JOIN per_person AS m ON m.person_id = p.id
    LEFT JOIN levels AS l ON l.person_id = p.id
)
SELECT 'counts', NULL, NULL, {aggregates} FROM facts
UNION ALL
SELECT 'conditions', code_system, code, COUNT(DISTINCT person_id), {padding} FROM active
WHERE code IN ({codes}) GROUP BY code_system, code
"""
SAFE = re.compile(r"^[\w+-]*$")  # the literals written into the SQL: choices and keys of the code


def _band() -> tuple[str, list]:
    """The age band of ``p.birth_date`` as ``selectors._age_band_case``, and the years before
    today its bounds are (they become dates in ``statement``)."""
    whens, params = [], []
    for key, low, high in AGE_BANDS:
        condition = "p.birth_date <= %s"
        params.append(low)
        if high is not None:
            condition += " AND p.birth_date > %s"
            params.append(high + 1)
        whens.append(f"WHEN {condition} THEN '{key}'")
    return f"CASE {' '.join(whens)} ELSE 'unknown' END", params


def _field_key(field: str) -> str:
    """A characteristic as the key it is counted under, as ``selectors.characteristics`` does."""
    column = f"f.{field}"
    if field in selectors.YES_NO_FIELDS:
        return f"CASE WHEN {column} IS TRUE THEN 'yes' ELSE 'no' END"
    if field in selectors.YES_NO_UNKNOWN_FIELDS:
        return f"CASE WHEN {column} IS TRUE THEN 'yes' WHEN {column} IS FALSE THEN 'no' ELSE 'unknown' END"
    # a value outside the choices (none today) is not counted, as before; NULL only if the column allows it
    return f"CASE WHEN f.person_id IS NULL OR {column} = '' THEN 'unknown' ELSE {column} END"


def _cells() -> list[tuple[str, str, str, str]]:
    """Every count of the page as (aggregate, first key, second key, condition on ``facts``)."""
    genders = [value for value, _label in Person.Gender.choices]
    cells = [("size", "", "", "")]
    for band in (*(b[0] for b in AGE_BANDS), "unknown"):
        cells += [("composition", band, g, f"band = '{band}' AND gender = '{g}'") for g in genders]
    cells += [("multimorbidity", key, "", f"nc = {i}") for i, key in enumerate(selectors.MULTIMORBIDITY)]
    for field, values in _empty_characteristics().items():
        cells += [(field, value, "", f"{field} = '{value}'") for value in values]
    keys = (*selectors._levels(), selectors.NONE)
    cells += [("transitions", b, a, f"level_before = '{b}' AND level_after = '{a}'") for b in keys for a in keys]
    assert all(SAFE.match(cell[1] + cell[2]) for cell in cells)  # nosec B101  # literals of the code, never input
    return cells


def _by_code() -> dict[tuple[str, str], str]:
    return {(e.code_system, e.code): e.key for e in catalogue.entries() if e.code}


def statement(persons, *, today: dt.date, start: dt.datetime, end: dt.datetime, once: bool = False) -> tuple[str, list]:
    """The SQL and its parameters, for ``count`` and for EXPLAIN in the benchmark."""
    connection = connections[persons.db]
    ops = connection.ops
    population_sql, population_params = (
        persons.values("id", "birth_date", "gender").query.get_compiler(persons.db).as_sql()
    )
    band, band_years = _band()
    codes = sorted({code for _system, code in _by_code()})
    cells = _cells()
    for field in CHARACTERISTICS:
        Profile._meta.get_field(field)  # a typo fails here, not as SQL
    genders = ", ".join(f"'{value}'" for value, _label in Person.Gender.choices)
    sql = _SQL.format(
        population=population_sql,
        materialized="MATERIALIZED" if once else "NOT MATERIALIZED",
        condition=ops.quote_name(Condition._meta.db_table),
        profile=ops.quote_name(Profile._meta.db_table),
        decision=ops.quote_name(SupportLevelDecision._meta.db_table),
        codes=", ".join(["%s"] * len(codes)),
        padding=", ".join(["NULL"] * (len(cells) - 1)),
        band=band,
        gender=f"CASE WHEN p.gender IN ({genders}) THEN p.gender ELSE 'unknown' END",
        fields=", ".join(f"{_field_key(field)} AS {field}" for field in CHARACTERISTICS),
        aggregates=", ".join(f"COUNT(*) FILTER (WHERE {c[3]})" if c[3] else "COUNT(*)" for c in cells),
    )
    dates = [ops.adapt_datefield_value(selectors._years_before(today, years)) for years in band_years]
    moments = [ops.adapt_datetimefield_value(moment) for moment in (start, end)]
    return sql, [*population_params, *moments, *dates, *codes]


def count(persons, *, today: dt.date, start: dt.datetime, end: dt.datetime, once: bool = False) -> Counts:
    """Every aggregate of the page for ``persons`` (``selectors.population``), in one statement.

    ``once``: the population is computed once (a materialised CTE) instead of inlined into each
    of the four parts that read it. Worth it when computing it is dear and it is narrow — the
    level filter, a window over the decisions: 1.8–1.9 s → 0.7–0.9 s at 100,000 people filtered
    to 4,790 — and a loss for a wide, cheap one: 5.9–6.3 → 7.9–8.3 s for the whole population
    (no statistics for a materialised CTE, nested loops; docs/performance.md)."""
    sql, params = statement(persons, today=today, start=start, end=end, once=once)
    with connections[persons.db].cursor() as cursor:
        cursor.execute(sql, params)  # nosec B608  # model table and field names; values are parameters
        rows = cursor.fetchall()
    return _fold(rows)


def separately(persons, *, today: dt.date, start: dt.datetime, end: dt.datetime) -> Counts:
    """The same counts by the five grouped queries of ``selectors`` (the page's way until
    December 2026, and still for an unfiltered unit: ``compose._count``)."""
    composition = selectors.composition(persons, today=today)
    size = sum(sum(by_gender.values()) for by_gender in composition.values())
    return Counts(
        size=size,
        composition=composition,
        multimorbidity=selectors.multimorbidity(persons, size),
        conditions=selectors.conditions(persons),
        characteristics=selectors.characteristics(persons),
        transitions=selectors.transitions(persons, start=start, end=end),
    )


def _fold(rows) -> Counts:
    genders = [value for value, _label in Person.Gender.choices]
    composition = {key: dict.fromkeys(genders, 0) for key in (*(b[0] for b in AGE_BANDS), "unknown")}
    multimorbidity = dict.fromkeys(selectors.MULTIMORBIDITY, 0)
    conditions: dict[str, int] = {}
    by_code = _by_code()
    for kind, system, code, n, *_padding in rows:
        key = by_code.get((system, code))
        if kind == "conditions" and key is not None:  # as selectors.conditions
            conditions[key] = conditions.get(key, 0) + n
    (counts,) = (row[3:] for row in rows if row[0] == "counts")
    characteristics = _empty_characteristics()
    level_keys = (*selectors._levels(), selectors.NONE)
    transitions = {before: dict.fromkeys(level_keys, 0) for before in level_keys}
    size = 0
    for (aggregate, first, second, _where), n in zip(_cells(), counts, strict=True):
        if aggregate == "size":
            size = n
        elif aggregate == "composition":
            composition[first][second] += n
        elif aggregate == "multimorbidity":
            multimorbidity[first] += n
        elif aggregate == "transitions":
            transitions[first][second] += n
        else:
            characteristics[aggregate][first] += n
    if not any(composition["unknown"].values()):
        del composition["unknown"]  # as selectors.composition
    return Counts(size, composition, multimorbidity, conditions, characteristics, transitions)


def _empty_characteristics() -> dict[str, dict[str, int]]:
    found = {field: {**dict.fromkeys(values, 0), selectors.UNKNOWN: 0} for field, values in
             {**selectors.ZZ_FIELDS, **selectors.GG_FIELDS}.items()}  # fmt: skip
    found |= {field: {selectors.YES: 0, selectors.NO: 0} for field in selectors.YES_NO_FIELDS}
    found |= {field: dict.fromkeys((selectors.YES, selectors.NO, selectors.UNKNOWN), 0)
              for field in selectors.YES_NO_UNKNOWN_FIELDS}  # fmt: skip
    return found
