#!/usr/bin/env python3
"""The population page's aggregates (issue #16) in Koers on PostgreSQL and in DuckDB, side by side
in one run, over the same people. Not a test: it measures. Read-only on the database.

    pip install -e '.[benchmark]'          # duckdb: only for this benchmark (docs/decisions.md)
    DATABASE_URL=postgres://root@127.0.0.1:5432/koers_100k .venv/bin/python benchmarks/population_duckdb.py

The population is every person with an active care-team member (at 100,000 generated people:
all of them), the case the issue's target is about ("the whole population as one organisation").
The benchmark reads it read-only, so it can run on a shared database: Koers' own selector
functions (``koers.population.selectors``) get that population as their queryset.

1. Export: the columns the aggregates need (persons, care-team rows, conditions, profiles,
   support-level decisions) are copied out of PostgreSQL (``COPY … TO STDOUT``, CSV) and written
   to Parquet by DuckDB, then loaded into DuckDB's in-memory tables. DuckDB's PostgreSQL scanner
   is an extension DuckDB downloads at run time, which this machine cannot; the issue asks for
   Parquet anyway. The export is timed but is not part of the comparison.
2. The five aggregates of the page (age band × gender, multimorbidity, conditions, every profile
   characteristic, support level before → now), each ``--repeat`` times in turn in Koers and in
   DuckDB, interleaved, so both see the same load. Koers runs as ``compose.build`` does: one
   transaction, JIT off. Every DuckDB answer is checked against Koers' before anything is timed.
3. The same five aggregates as the one statement of ``koers.population.counting.count`` (what a
   filtered page ran until the kept rows), checked against the five queries and timed in the same
   rounds; ``--explain`` keeps its EXPLAIN ANALYZE in the results.
4. The page's statement over the kept per-person rows (``koers.population.counting_kept``, what
   the page runs since December 2026), in Koers and — the same SQL text — in DuckDB over the
   kept table exported to Parquet with the rest ("all five, kept rows (issue's)": the same
   question on the same data); also against DuckDB's five answers from the base tables ("kept
   rows vs DuckDB's five"). Both checked against the five queries.

Also times the support levels as Koers counted them before (two lookups per person) beside the
set-based query that replaced them, with the same answer checked. Prints median ms per
aggregate for both and the ratio Koers / DuckDB; writes
``benchmarks/results/population-duckdb-<database>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from population_page import RESULTS, ROOT, configure

TARGET_RATIO = 3.0  # issue #16: within 3× of DuckDB

EXPORTS = {
    # table: (SELECT for COPY, DuckDB column types)
    "person": (
        "SELECT id, birth_date, gender FROM people_person",
        {"id": "BIGINT", "birth_date": "DATE", "gender": "VARCHAR"},
    ),
    "member": (
        "SELECT person_id, organisation_id, ended_at AT TIME ZONE 'UTC' AS ended_at FROM network_careteammember",
        {"person_id": "BIGINT", "organisation_id": "BIGINT", "ended_at": "TIMESTAMP"},
    ),
    "condition": (
        "SELECT person_id, clinical_status, verification_status, code_system, code FROM people_condition",
        {
            "person_id": "BIGINT",
            "clinical_status": "VARCHAR",
            "verification_status": "VARCHAR",
            "code_system": "VARCHAR",
            "code": "VARCHAR",
        },
    ),
    "decision": (
        "SELECT id, person_id, level, decided_at AT TIME ZONE 'UTC' AS decided_at FROM people_supportleveldecision",
        {"id": "BIGINT", "person_id": "BIGINT", "level": "VARCHAR", "decided_at": "TIMESTAMP"},
    ),
}


def profile_export():
    from koers.people.models import Profile
    from koers.population import selectors

    fields = [*selectors.ZZ_FIELDS, *selectors.GG_FIELDS, *selectors.YES_NO_FIELDS, *selectors.YES_NO_UNKNOWN_FIELDS]
    types = {"person_id": "BIGINT"}
    for name in fields:
        kind = Profile._meta.get_field(name).get_internal_type()
        types[name] = "BOOLEAN" if kind in ("BooleanField", "NullBooleanField") else "VARCHAR"
    return f"SELECT person_id, {', '.join(fields)} FROM people_profile", types  # nosec B608  # model field names


def kept_export():
    """The kept per-person rows (``koers.population.kept``) as the table name Koers' statement uses."""
    from koers.population.counting_kept import COLUMNS
    from koers.population.models import PersonFacts

    kinds = {"DateField": "DATE", "DateTimeField": "TIMESTAMP", "SmallIntegerField": "SMALLINT"}
    kinds |= {"PositiveSmallIntegerField": "SMALLINT"}
    fields = {column: PersonFacts._meta.get_field(column.removesuffix("_id")) for column in COLUMNS}
    types = {column: kinds.get(field.get_internal_type(), "VARCHAR") for column, field in fields.items()}
    types["person_id"] = "BIGINT"
    utc = {column: f"{column} AT TIME ZONE 'UTC' AS {column}" for column in types if types[column] == "TIMESTAMP"}
    select = ", ".join(utc.get(column, column) for column in types)
    return f"SELECT {select} FROM {PersonFacts._meta.db_table}", types  # nosec B608  # model field names


# Koers' own table names for DuckDB's copies, so the kept rows' statement runs there word for word.
VIEWS = {
    "network_careteammember": "member",
    "people_condition": "condition",
    "people_supportleveldecision": "decision",
}


def export(duck, folder: Path) -> dict:
    """PostgreSQL → CSV → Parquet → DuckDB tables; seconds per table."""
    exports = {**EXPORTS, "profile": profile_export(), "population_personfacts": kept_export()}
    seconds = {table: export_table(duck, folder, table, select, types) for table, (select, types) in exports.items()}
    for view, table in VIEWS.items():
        duck.execute(f"CREATE VIEW {view} AS SELECT * FROM {table}")
    return seconds


def export_table(duck, folder: Path, table: str, select: str, types: dict[str, str]) -> float:
    """One ``SELECT`` on Koers' connection (so inside its transaction) → CSV → Parquet → the
    DuckDB table ``table`` with the column ``types``; seconds taken."""
    from django.db import connection

    started = time.perf_counter()
    connection.ensure_connection()
    csv_path, parquet_path = folder / f"{table}.csv", folder / f"{table}.parquet"
    with connection.connection.cursor() as cursor, csv_path.open("wb") as out:
        with cursor.copy(f"COPY ({select}) TO STDOUT (FORMAT csv, HEADER)") as copy:
            for block in copy:
                out.write(block)
    columns = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in types.items()) + "}"
    duck.execute(
        f"COPY (SELECT * FROM read_csv('{csv_path}', header = true, allow_quoted_nulls = false, "
        f"columns = {columns})) TO '{parquet_path}' (FORMAT parquet)"
    )
    duck.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet('{parquet_path}')")
    return round(time.perf_counter() - started, 2)


POPULATION = "SELECT id FROM person WHERE id IN (SELECT person_id FROM member WHERE ended_at IS NULL)"


def duck_composition(duck, today: dt.date):
    from koers.population import selectors
    from koers.population.filters import AGE_BANDS

    whens = []
    for key, low, high in AGE_BANDS:
        cond = f"birth_date <= DATE '{selectors._years_before(today, low)}'"
        if high is not None:
            cond += f" AND birth_date > DATE '{selectors._years_before(today, high + 1)}'"
        whens.append(f"WHEN {cond} THEN '{key}'")
    band = f"CASE {' '.join(whens)} ELSE 'unknown' END"
    rows = duck.execute(
        f"SELECT {band} AS band, gender, COUNT(*) FROM person WHERE id IN ({POPULATION}) GROUP BY 1, 2"
    ).fetchall()
    return fold_composition(rows)


def fold_composition(rows):
    """As ``selectors.composition`` folds its rows."""
    from koers.people.models import Person
    from koers.population.filters import AGE_BANDS

    genders = [value for value, _label in Person.Gender.choices]
    table = {key: dict.fromkeys(genders, 0) for key in (*(b[0] for b in AGE_BANDS), "unknown")}
    for band, gender, n in rows:
        table[band][gender if gender in genders else Person.Gender.UNKNOWN] += n
    if not any(table["unknown"].values()):
        del table["unknown"]
    return table


def joined_multimorbidity(persons) -> dict[str, int]:
    """The multimorbidity query as it was until 5 December: every person joined to their active
    conditions, the buckets counted over that (``selectors.multimorbidity`` before ``size``)."""
    from django.db.models import Count, Q

    active = Q(conditions__clinical_status="active") & ~Q(conditions__verification_status="entered_in_error")
    result = persons.annotate(nc=Count("conditions", filter=active)).aggregate(
        **{
            "0": Count("id", filter=Q(nc=0)),
            "1": Count("id", filter=Q(nc=1)),
            "2": Count("id", filter=Q(nc=2)),
            "3+": Count("id", filter=Q(nc__gte=3)),
        }
    )
    return {key: result[key] or 0 for key in ("0", "1", "2", "3+")}


def duck_multimorbidity(duck):
    (zero, one, two, more) = duck.execute(
        f"""
        SELECT COUNT(*) FILTER (WHERE nc = 0), COUNT(*) FILTER (WHERE nc = 1),
               COUNT(*) FILTER (WHERE nc = 2), COUNT(*) FILTER (WHERE nc >= 3)
        FROM (
            SELECT p.id, COUNT(c.person_id) AS nc
            FROM ({POPULATION}) p
            LEFT JOIN condition c ON c.person_id = p.id AND c.clinical_status = 'active'
                 AND c.verification_status <> 'entered_in_error'
            GROUP BY p.id
        )"""
    ).fetchone()
    return {"0": zero, "1": one, "2": two, "3+": more}


def duck_conditions(duck):
    from koers.people import catalogue

    by_code = {(e.code_system, e.code): e.key for e in catalogue.entries() if e.code}
    codes = ", ".join(f"'{code}'" for code in sorted({c for _s, c in by_code}))
    rows = duck.execute(
        f"""
        SELECT code_system, code, COUNT(DISTINCT person_id) FROM condition
        WHERE verification_status <> 'entered_in_error' AND clinical_status = 'active'
          AND code IN ({codes}) AND person_id IN ({POPULATION})
        GROUP BY 1, 2"""
    ).fetchall()
    counts: dict[str, int] = {}
    for system, code, n in rows:
        key = by_code.get((system, code))
        if key is not None:
            counts[key] = counts.get(key, 0) + n
    return counts


def duck_characteristics(duck):
    from koers.population import selectors

    parts, names = [], []
    for field, values in {**selectors.ZZ_FIELDS, **selectors.GG_FIELDS}.items():
        for value in values:
            parts.append(f"COUNT(*) FILTER (WHERE f.{field} = '{value}')")
            names.append((field, value))
        parts.append(f"COUNT(*) FILTER (WHERE f.person_id IS NULL OR f.{field} = '')")
        names.append((field, selectors.UNKNOWN))
    for field in selectors.YES_NO_FIELDS:
        parts += [f"COUNT(*) FILTER (WHERE f.{field} IS TRUE)", f"COUNT(*) FILTER (WHERE f.{field} IS NOT TRUE)"]
        names += [(field, selectors.YES), (field, selectors.NO)]
    for field in selectors.YES_NO_UNKNOWN_FIELDS:
        parts += [
            f"COUNT(*) FILTER (WHERE f.{field} IS TRUE)",
            f"COUNT(*) FILTER (WHERE f.{field} IS FALSE)",
            f"COUNT(*) FILTER (WHERE f.{field} IS NULL)",
        ]
        names += [(field, selectors.YES), (field, selectors.NO), (field, selectors.UNKNOWN)]
    row = duck.execute(
        f"SELECT {', '.join(parts)} FROM ({POPULATION}) p LEFT JOIN profile f ON f.person_id = p.id"
    ).fetchone()
    result: dict[str, dict[str, int]] = {}
    for (field, category), value in zip(names, row, strict=True):
        result.setdefault(field, {})[category] = value
    return result


def duck_transitions(duck, start: dt.datetime, end: dt.datetime):
    from koers.population import selectors

    keys = (*selectors._levels(), selectors.NONE)
    table = {before: dict.fromkeys(keys, 0) for before in keys}
    naive = [moment.astimezone(dt.UTC).replace(tzinfo=None) for moment in (start, end)]
    rows = duck.execute(
        f"""
        WITH population AS ({POPULATION}),
        ranked AS (
            SELECT person_id, level,
                   ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY decided_at DESC, id DESC) AS n,
                   SUM(CASE WHEN decided_at > $1 THEN 1 ELSE 0 END) OVER (PARTITION BY person_id) AS later
            FROM decision WHERE decided_at <= $2 AND person_id IN (SELECT id FROM population)
        ),
        levels AS (
            SELECT person_id, MAX(CASE WHEN n = later + 1 THEN level END) AS level_before,
                   MAX(CASE WHEN n = 1 THEN level END) AS level_after
            FROM ranked GROUP BY person_id
        )
        SELECT level_before, level_after, COUNT(*) FROM population LEFT JOIN levels ON levels.person_id = population.id
        GROUP BY 1, 2""",
        naive,
    ).fetchall()
    for before, after, n in rows:
        table[before or selectors.NONE][after or selectors.NONE] += n
    return table


def duck_kept(duck, facts, today, start, end):
    """``counting_kept.count``'s statement, the same SQL text, on DuckDB's copy of the kept rows
    (and of the conditions and decisions it still reads), its answer folded the same way."""
    from koers.population import counting_kept

    sql, params = counting_kept.statement(facts, today=today, start=start, end=end)
    naive = [p.astimezone(dt.UTC).replace(tzinfo=None) if isinstance(p, dt.datetime) else p for p in params]
    return counting_kept._fold(duck.execute(sql.replace("%s", "?"), naive).fetchall())


def lookups_per_person(persons, *, start, end):
    """The transitions as Koers counted them before (5 December 2026): two correlated ``LIMIT 1``
    subqueries per person. Kept here to time the set-based query against it in the same run."""
    from django.db.models import Count, OuterRef, Subquery

    from koers.people.models import SupportLevelDecision
    from koers.population import selectors

    def level(on):
        decisions = SupportLevelDecision.objects.filter(person=OuterRef("pk"), decided_at__lte=on)
        return Subquery(decisions.order_by("-decided_at", "-id").values("level")[:1])

    keys = (*selectors._levels(), selectors.NONE)
    table = {before: dict.fromkeys(keys, 0) for before in keys}
    rows = persons.annotate(before=level(start), after=level(end)).values("before", "after").annotate(n=Count("id"))
    for row in rows:
        table[row["before"] or selectors.NONE][row["after"] or selectors.NONE] += row["n"]
    return table


def koers_cases(persons, today, start, now, size):
    from koers.population import selectors

    return {
        "age band × gender": lambda: selectors.composition(persons, today=today),
        "multimorbidity": lambda: selectors.multimorbidity(persons, size),  # size: from the composition
        "conditions": lambda: selectors.conditions(persons),
        "profile characteristics": lambda: selectors.characteristics(persons),
        "support level before → now": lambda: selectors.transitions(persons, start=start, end=now),
    }


def duck_cases(duck, today, start, now):
    return {
        "age band × gender": lambda: duck_composition(duck, today),
        "multimorbidity": lambda: duck_multimorbidity(duck),
        "conditions": lambda: duck_conditions(duck),
        "profile characteristics": lambda: duck_characteristics(duck),
        "support level before → now": lambda: duck_transitions(duck, start, now),
    }


def timed(run) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def selection():
    """What the page counts by default: everyone in care now (and the kept rows of the same
    persons), over the page's default period of twelve months up to now."""
    from django.utils import timezone

    from koers.network.models import CareTeamMember
    from koers.people.models import Person
    from koers.population.models import PersonFacts

    now = timezone.now()
    members = CareTeamMember.objects.filter(ended_at__isnull=True).values("person_id")
    persons = Person.objects.filter(pk__in=members).order_by()
    facts = PersonFacts.objects.filter(person_id__in=members).order_by()
    return persons, facts, timezone.localdate(now), now - dt.timedelta(days=round(12 * 30.44)), now


def other_ways(duck, persons, facts, today, start, now) -> dict:
    """The same counts another way: in one statement, from the kept rows (in PostgreSQL and in
    DuckDB), and the two earlier query shapes kept to time against (transitions, multimorbidity)."""
    from koers.population import counting, counting_kept

    return {
        "one statement": lambda: counting.count(persons, today=today, start=start, end=now),
        "kept": lambda: counting_kept.count(facts, today=today, start=start, end=now),
        "kept in DuckDB": lambda: duck_kept(duck, facts, today, start, now),
        "lookups per person": lambda: lookups_per_person(persons, start=start, end=now),
        "every person joined": lambda: joined_multimorbidity(persons),
    }


def check_agreement(ours: dict, theirs: dict, other: dict) -> None:
    """Every way gives the same answer before anything is timed."""
    answers = {name: ours[name]() for name in ours}
    for name in ours:
        assert answers[name] == theirs[name](), f"{name}: DuckDB and Koers disagree"
    found = other["one statement"]()
    assert [found.composition, found.multimorbidity, found.conditions, found.characteristics,
            found.transitions] == list(answers.values()), "one statement and the five queries disagree"  # fmt: skip
    assert other["kept"]() == found, "the kept rows and the five queries disagree"
    assert other["kept in DuckDB"]() == found, "DuckDB on the kept rows and Koers disagree"
    assert other["lookups per person"]() == answers["support level before → now"], "old and new transitions disagree"
    assert other["every person joined"]() == answers["multimorbidity"], "the two multimorbidity queries disagree"


def medians(runs: dict, repeat: int) -> dict:
    """Each run timed ``repeat`` times, in turns (one of each per round, so the load is shared
    alike); the median in ms."""
    times: dict = {key: [] for key in runs}
    for _round in range(repeat):
        for key, run in runs.items():
            times[key].append(timed(run))
    return {key: statistics.median(found) for key, found in times.items()}


def ratio_row(koers_ms: float, duck_ms: float) -> dict:
    return {"koers_ms": round(koers_ms, 1), "duckdb_ms": round(duck_ms, 1), "ratio": round(koers_ms / duck_ms, 1)}


def compare(repeat: int, duck, *, explain_too: bool = False) -> dict:
    from django.db import connection, transaction

    persons, facts, today, start, now = selection()
    size = persons.count()
    ours, theirs = koers_cases(persons, today, start, now, size), duck_cases(duck, today, start, now)
    other = other_ways(duck, persons, facts, today, start, now)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")  # as compose.build
            cursor.execute("SET LOCAL work_mem = '64MB'")
        check_agreement(ours, theirs, other)
        runs = {(side, n): cases[n] for n in ours for side, cases in (("koers", ours), ("duckdb", theirs))}
        ms = medians({**runs, **{("other", n): f for n, f in other.items()}}, repeat)  # Koers, DuckDB, Koers …
        plan = explain(persons, today, start, now) if explain_too else None
    rows = {name: ratio_row(ms["koers", name], ms["duckdb", name]) for name in ours}
    duck_total = sum(ms["duckdb", name] for name in ours)
    rows["all five, five queries"] = ratio_row(sum(ms["koers", name] for name in ours), duck_total)
    rows["all five, one statement"] = ratio_row(ms["other", "one statement"], duck_total)
    rows["all five, kept rows (issue's)"] = ratio_row(ms["other", "kept"], ms["other", "kept in DuckDB"])
    rows["all five, kept rows vs DuckDB's five"] = ratio_row(ms["other", "kept"], duck_total)
    new_ms = rows["support level before → now"]["koers_ms"]
    old_ms, joined_ms = ms["other", "lookups per person"], ms["other", "every person joined"]
    return {
        "people": size,
        "aggregates": rows,
        "support level, two lookups per person (before)": {
            "koers_ms": round(old_ms, 1),
            "set_based_ms": new_ms,
            "ratio_old_to_new": round(old_ms / new_ms, 1),
        },
        "multimorbidity, every person joined (before)": {
            "koers_ms": round(joined_ms, 1),
            "ratio_old_to_new": round(joined_ms / rows["multimorbidity"]["koers_ms"], 1),
        },
        "explain_one_statement": plan,
    }


def explain(persons, today, start, now) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the one statement, in the caller's transaction."""
    from django.db import connection

    from koers.population import counting

    sql, params = counting.statement(persons, today=today, start=start, end=now)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return [line for (line,) in cursor.fetchall()]


def duck_connection(threads: int):
    """An in-memory DuckDB with ``threads`` (0: DuckDB's default), or None (and why) when Koers'
    database is not PostgreSQL."""
    import duckdb
    from django.db import connection

    if connection.vendor != "postgresql":
        print("This benchmark compares PostgreSQL with DuckDB: set DATABASE_URL to a PostgreSQL database.")
        return None
    duck = duckdb.connect()
    if threads:
        duck.execute(f"SET threads = {int(threads)}")
    return duck


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--threads", type=int, default=0, help="DuckDB threads (0: DuckDB's default)")
    parser.add_argument("--explain", action="store_true", help="keep EXPLAIN ANALYZE of the one statement")
    args = parser.parse_args()
    configure()
    import duckdb
    from django.db import connection

    duck = duck_connection(args.threads)
    if duck is None:
        return 2
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="koers-duckdb-") as folder:
        exported = export(duck, Path(folder))
        result = compare(args.repeat, duck, explain_too=args.explain)
    result |= {
        "database": connection.settings_dict["NAME"],
        "duckdb": duckdb.__version__,
        "duckdb_threads": duck.execute("SELECT current_setting('threads')").fetchone()[0],
        "export_seconds": exported,
        "repeat": args.repeat,
        "load_average_before_after": [round(load_before[0], 1), round(os.getloadavg()[0], 1)],
    }
    print(f"{result['people']:,} people · DuckDB {result['duckdb']} ({result['duckdb_threads']} threads) · "
          f"load {result['load_average_before_after']} · export {sum(exported.values()):.1f} s")  # fmt: skip
    print(f"{'aggregate':32} {'Koers (PostgreSQL)':>18} {'DuckDB':>10} {'ratio':>7}  within 3×")
    for name, row in result["aggregates"].items():
        ok = "yes" if row["ratio"] <= TARGET_RATIO else "no"
        print(f"{name:32} {row['koers_ms']:15.1f} ms {row['duckdb_ms']:7.1f} ms {row['ratio']:6.1f}×  {ok}")
    old = result["support level, two lookups per person (before)"]
    print(f"support level before → now with two lookups per person (the old query): {old['koers_ms']:.1f} ms, "
          f"{old['ratio_old_to_new']}× the set-based query in this run")  # fmt: skip
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"population-duckdb-{result['database']}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
