#!/usr/bin/env python3
"""The indicators page's statement (issue #16) in Koers on PostgreSQL and in DuckDB, side by side
in one run, over the same data. Not a test: it measures.

    pip install -e '.[benchmark]'          # duckdb: only for this benchmark (docs/decisions.md)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<copy of a generated database> \\
        .venv/bin/python benchmarks/indicators_duckdb.py --repeat 7

The whole population as one organisation, as ``indicators_page.py`` (a region with one
professional in every care team, its kept cohorts refreshed, in a transaction rolled back at the
end: run it on a copy). The page's quarters (``periods.default_range``) and units.

1. The statement: ``koers.indicators.counting.raw(..., kept=True)`` (what the page runs) builds
   it; its ``_run`` is intercepted once to keep the SQL text and the parameters. The live
   statement (``kept=False``: the same questions from the base tables) is kept the same way.
2. Export: every table the statement reads, with the columns it names (``"table"."column"`` in
   the SQL; the types from PostgreSQL's catalogue), is copied out of PostgreSQL inside the same
   transaction (``COPY … TO STDOUT``, CSV), written to Parquet by DuckDB and loaded into DuckDB
   tables of the same names (``population_duckdb.export_table``). Timed, not compared.
3. DuckDB runs the same SQL text; for the page's statement the only change is the placeholder
   (``%s`` → ``?``, the parameters as they are; asserted), for the live one also its column ``at``
   quoted (``for_duckdb``). Each statement's rows must equal PostgreSQL's (sorted, numbers
   compared as numbers), and ``counting._raw`` folding DuckDB's rows (of either statement) must
   give what ``counting.raw`` gives (the counts per unit and quarter), before anything is timed.
4. ``--repeat`` rounds, interleaved: the statement in PostgreSQL (with the planner settings of
   ``counting._planned``, as the page) and in DuckDB; ``counting.raw`` whole (building the SQL,
   the statement, the Python fold) with the statement on each side; the live statement; and the
   page itself as a manager (``django.test.Client``, ≤ 1 s target). Medians, the ratio
   PostgreSQL / DuckDB, load.

Writes ``benchmarks/results/indicators-duckdb-<database>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
from pathlib import Path
from unittest import mock

import indicators_page
import population_duckdb as pd
import population_page as pp

# PostgreSQL's catalogue type → DuckDB's (the types the statement's columns have).
TYPES = {
    "bigint": "BIGINT",
    "integer": "INTEGER",
    "smallint": "SMALLINT",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "double precision": "DOUBLE",
    "real": "FLOAT",
    "character varying": "VARCHAR",
    "text": "VARCHAR",
    "timestamp with time zone": "TIMESTAMPTZ",
}


def captured(region, units, quarters, today, *, kept: bool):
    """The statement (``counting._Statement``) built by ``counting.raw`` and not run: the page's
    (``kept``) or the live one from the base tables."""
    from koers.indicators import counting, selectors

    found = []
    with mock.patch.object(counting, "_run", lambda statement, alias: found.append(statement) or []):
        counting.raw(region, units, quarters, today=today, classify=selectors.classify, kept=kept)
    return found[0]


def sql_of(statement) -> str:
    return "\n".join(statement.parts)


def tables_read(sql: str) -> dict[str, list[str]]:
    """Every ``"table"."column"`` the SQL names, per table (Django qualifies every column)."""
    found: dict[str, list[str]] = {}
    for table, column in re.findall(r'"(\w+)"\."(\w+)"', sql):
        if column not in found.setdefault(table, []):
            found[table].append(column)
    return found


def column_types(table: str, columns: list[str]) -> dict[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s", [table])
        types = dict(cursor.fetchall())
    return {column: TYPES[types[column]] for column in columns}


def export(duck, folder: Path, sql: str) -> dict[str, float]:
    """The tables the statement reads, the columns it names, into DuckDB; seconds per table."""
    seconds = {}
    for table, columns in tables_read(sql).items():
        quoted = ", ".join(f'"{column}"' for column in columns)
        select = f'SELECT {quoted} FROM "{table}"'  # nosec B608  # names from the statement, checked in the catalogue
        seconds[table] = pd.export_table(duck, folder, table, select, column_types(table, columns))
    return seconds


def check_days(duck, sql: str, zone: str) -> dict[str, int]:
    """Every timestamp column exported gives the same days in both engines (``AT TIME ZONE``, then
    ``::date``, as Django's ``TruncDate``): the statement casts some, and the generated data may
    have none of the rows it casts (no agreed plans, no PREM). Rows with a day, per column."""
    from django.db import connection

    checked = {}
    for table, columns in tables_read(sql).items():
        for column, kind in column_types(table, columns).items():
            if kind != "TIMESTAMPTZ":
                continue
            days = f'SELECT ("{column}" AT TIME ZONE %s)::date, COUNT(*) FROM "{table}" GROUP BY 1'  # nosec B608  # as above
            with connection.cursor() as cursor:
                cursor.execute(days, [zone])
                pg_days = sorted(cursor.fetchall(), key=repr)
            duck_days = sorted(duck.execute(days.replace("%s", "?"), [zone]).fetchall(), key=repr)
            assert pg_days == duck_days, f"{table}.{column}: the days differ between PostgreSQL and DuckDB"
            checked[f"{table}.{column}"] = sum(n for day, n in pg_days if day is not None)
    return checked


# ``at`` is a reserved word in DuckDB, not in PostgreSQL: the live statement's facts name a column
# ``at`` (``decision``, ``review``, ``score``); quoted for DuckDB. The page's statement has none.
AT = re.compile(r"(?<=[ .(,])at(?=[,) ])")


def for_duckdb(sql: str) -> str:
    """The SQL text for DuckDB: ``%s`` → ``?``, and a column named ``at`` quoted."""
    assert "%%" not in sql and "?" not in sql, "a literal % or ? would change with the placeholders"
    return AT.sub('"at"', sql.replace("%s", "?"))


def duck_run(duck):
    """A stand-in for ``counting._run``: the same SQL text on DuckDB (``for_duckdb``)."""

    def run(statement, alias):
        return duck.execute(for_duckdb(sql_of(statement)), statement.params).fetchall()

    return run


def plain(rows) -> list[tuple]:
    """Rows comparable across the two engines: integral numbers as int, others as float."""

    def value(v):
        if isinstance(v, bool) or v is None or isinstance(v, str):
            return v
        return int(v) if float(v).is_integer() else round(float(v), 9)

    return sorted((tuple(value(v) for v in row) for row in rows), key=repr)


KEPT, RAW, LIVE = "kept statement (the page's)", "counting.raw (SQL built, statement, fold)", "live statement"


def cases(duck, region, units, quarters, today, statements: dict) -> dict:
    """Per name, (PostgreSQL, DuckDB): the page's statement alone, ``counting.raw`` whole, and the
    live statement (the same questions from the base tables: care-team rows, scores, agreements,
    goal status changes and reviews)."""
    from django.db import router

    from koers.indicators import counting, selectors
    from koers.network.models import CareTeamMember

    alias = router.db_for_read(CareTeamMember)
    on_duck = duck_run(duck)

    def pg(kept: bool):
        def run():
            with counting._planned(alias, hashed=kept):  # as counting.raw
                return counting._run(statements[kept], alias)

        return run

    def raw(duckdb: bool, kept: bool = True):
        def run():
            given = {"today": today, "classify": selectors.classify, "kept": kept}
            if not duckdb:
                return counting.raw(region, units, quarters, **given)
            with mock.patch.object(counting, "_run", on_duck):  # as raw, without PostgreSQL's planner settings
                return counting._raw(region, alias, units, quarters, **given)

        return run

    return {
        KEPT: (pg(True), lambda: on_duck(statements[True], alias)),
        RAW: (raw(False), raw(True)),
        LIVE: (pg(False), lambda: on_duck(statements[False], alias)),
        "live, folded": (raw(False, kept=False), raw(True, kept=False)),  # checked, not timed
    }


def check_agreement(ways: dict) -> dict:
    """Both engines give the same rows and the same indicators per unit and quarter, from the kept
    rows and from the base tables alike."""
    pg_rows, duck_rows = (plain(run()) for run in ways[KEPT])
    assert pg_rows == duck_rows, "the statement's rows differ between PostgreSQL and DuckDB"
    pg_raw, duck_raw = (run() for run in ways[RAW])
    assert pg_raw == duck_raw, "the indicators per unit and quarter differ between PostgreSQL and DuckDB"
    pg_live, duck_live = (plain(run()) for run in ways[LIVE])
    assert pg_live == duck_live, "the live statement's rows differ between PostgreSQL and DuckDB"
    for run in ways.pop("live, folded"):
        assert run() == pg_raw, "the live statement's indicators differ from the page's"
    parts: dict[str, int] = {}
    for row in pg_rows:
        parts[row[0]] = parts.get(row[0], 0) + 1
    return {"rows": len(pg_rows), "rows_per_part": parts, "unit_quarters": len(pg_raw)}


def compare(duck, folder: Path, repeat: int) -> dict:
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from koers.indicators import periods, selectors

    with transaction.atomic():
        region, people = indicators_page.region_with_kept_cohorts()
        today, zone = timezone.localdate(), timezone.get_current_timezone_name()
        quarters = periods.quarters(*periods.default_range(today))
        units = selectors.units(region, None)
        statements = {kept: captured(region, units, quarters, today, kept=kept) for kept in (True, False)}
        page_sql = sql_of(statements[True])
        assert for_duckdb(page_sql) == page_sql.replace("%s", "?"), "the page's statement needs more than placeholders"
        sql = "\n".join(sql_of(statement) for statement in statements.values())
        exported = export(duck, folder, sql)
        ways = cases(duck, region, units, quarters, today, statements)
        agreed = check_agreement(ways) | {"timestamps_cast_alike": check_days(duck, sql, zone)}
        client = Client()
        client.force_login(pp.manager_of(region))
        url = reverse("indicators:indicators")
        indicators_page.page(client, url)  # warm-up
        runs = {
            (name, side): run for name, pair in ways.items() for side, run in zip(("pg", "duckdb"), pair, strict=True)
        }
        ms = pd.medians({**runs, ("page", "pg"): lambda: indicators_page.page(client, url)}, repeat)
        transaction.set_rollback(True)
    rows = {name: pd.ratio_row(ms[name, "pg"], ms[name, "duckdb"]) for name in ways}
    rows["page's statement vs DuckDB's live one"] = pd.ratio_row(ms[KEPT, "pg"], ms[LIVE, "duckdb"])
    return {
        "database": connection.settings_dict["NAME"],
        "people": people,
        "quarters": len(quarters),
        "units": len(units),
        "agreement": agreed,
        "tables": tables_read(sql),
        "export_seconds": exported,
        "comparisons": rows,
        "page_p50_ms": round(ms["page", "pg"], 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--threads", type=int, default=0, help="DuckDB threads (0: DuckDB's default)")
    args = parser.parse_args()
    pp.configure()
    import duckdb

    duck = pd.duck_connection(args.threads)
    if duck is None:
        return 2
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="koers-duckdb-") as folder:
        result = compare(duck, Path(folder), args.repeat)
    result |= {
        "duckdb": duckdb.__version__,
        "duckdb_threads": duck.execute("SELECT current_setting('threads')").fetchone()[0],
        "repeat": args.repeat,
        "load_average_before_after": [round(load_before[0], 1), round(os.getloadavg()[0], 1)],
    }
    report(result)
    pp.RESULTS.mkdir(exist_ok=True)
    out = pp.RESULTS / f"indicators-duckdb-{result['database']}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"\nwritten to {out.relative_to(pp.ROOT)}")
    return 0


def report(result: dict) -> None:
    exported = sum(result["export_seconds"].values())
    print(f"{result['people']:,} people, {result['quarters']} quarters, {result['units']} unit(s) · "
          f"DuckDB {result['duckdb']} ({result['duckdb_threads']} threads) · "
          f"load {result['load_average_before_after']} · export {exported:.1f} s")  # fmt: skip
    print(f"same answer: {result['agreement']}")
    print(f"{'what':42} {'PostgreSQL':>12} {'DuckDB':>10} {'ratio':>7}  within 3×")
    for name, row in result["comparisons"].items():
        ok = "yes" if row["ratio"] <= pd.TARGET_RATIO else "no"
        print(f"{name:42} {row['koers_ms']:9.1f} ms {row['duckdb_ms']:7.1f} ms {row['ratio']:6.1f}×  {ok}")
    ok = "yes" if result["page_p50_ms"] <= pp.TARGET_MS else "no"
    print(f"{'indicators page (PostgreSQL), p50':42} {result['page_p50_ms']:9.1f} ms  ≤ 1 s: {ok}")


if __name__ == "__main__":
    raise SystemExit(main())
