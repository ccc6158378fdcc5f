"""EXPLAIN (ANALYZE, BUFFERS) of every statement the population's counts run (issue #16).

Not a test: it shows the plans. Read-only on the database (the plans run in a transaction that is
rolled back). The population is every person with an active care-team member, as in
``population_duckdb.py``; ``--filtered`` counts it with the page's filter (diabetes, chain care)
in one statement, as ``compose._count_live`` does for a filtered page; ``--kept`` runs the page's
statement over the kept per-person rows (``counting_kept``) instead.

    DATABASE_URL=postgres://root@127.0.0.1:5432/<db> .venv/bin/python benchmarks/population_explain.py [--filtered]
"""

from __future__ import annotations

import argparse
import datetime as dt

from population_page import configure


def filtered(persons):
    """``persons`` narrowed as ``selectors.population`` does for ?condition=dm2&level=chain_care."""
    from django.db.models import Exists, OuterRef

    from koers.people import catalogue
    from koers.people.models import Condition
    from koers.population import selectors

    entry = catalogue.by_key("dm2")
    codes = Condition.objects.recorded().filter(  # access: benchmark, aggregate only
        person=OuterRef("pk"), clinical_status="active", code_system=entry.code_system, code=entry.code
    )
    return selectors._with_current_level(persons.filter(Exists(codes)), "chain_care")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--filtered", action="store_true", help="the filtered page's one statement")
    parser.add_argument("--kept", action="store_true", help="the page's statement over the kept per-person rows")
    parser.add_argument("--summary", action="store_true", help="only each statement's execution time")
    args = parser.parse_args()
    configure()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from koers.network.models import CareTeamMember
    from koers.people.models import Person
    from koers.population import counting, counting_kept
    from koers.population.models import PersonFacts

    now = timezone.now()
    today = timezone.localdate(now)
    start = now - dt.timedelta(days=round(12 * 30.44))
    members = CareTeamMember.objects.filter(ended_at__isnull=True).values("person_id")  # access: benchmark
    persons = Person.objects.filter(pk__in=members).order_by()  # access: benchmark, aggregate only
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")  # as compose.build
            cursor.execute("SET LOCAL work_mem = '64MB'")
        with CaptureQueriesContext(connection) as captured:
            if args.kept:
                facts = PersonFacts.objects.filter(person_id__in=members).order_by()  # access: benchmark
                if args.filtered:
                    facts = facts.filter(level="chain_care", person_id__in=filtered(persons).values("pk"))
                counting_kept.count(facts, today=today, start=start, end=now)
            elif args.filtered:
                counting.count(filtered(persons), today=today, start=start, end=now)
            else:
                counting.separately(persons, today=today, start=start, end=now)
        statements = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith("SET")]
        for sql in statements:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                lines = [line for (line,) in cursor.fetchall()]
            print("=" * 100)
            print(sql[:300] + (" …" if len(sql) > 300 else ""))
            print("\n".join(lines[-2:] if args.summary else lines))
        transaction.set_rollback(True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
