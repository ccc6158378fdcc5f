"""Queries compiled once per process give what the plain queryset gives (issue #18, "Speed").

Each kind of row the helper hands back (model instances with ``select_related`` and
``prefetch_related``, values dicts, flat values, JSON and aware datetimes through the database's
converters) is compared with ``list(queryset)`` on the same data, on the engine the suite runs on
(SQLite by default, PostgreSQL with DATABASE_URL). Then the misuses it must refuse.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count, F, Prefetch, Value
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext_lazy

from koers.careplans.models import CarePlan, CarePlanVersion
from koers.goals.models import Action, Goal
from koers.lib.compiled import compiled, compiled_first, takes_lists
from koers.lib.lookups import InArray
from tests.support.testing import make_person


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.fixture
def people(cast):
    other = make_person(actor=cast.noor, given_name="Otto", family_name="Anders")
    for person, count in ((cast.anna, 3), (other, 2)):
        for n in range(count):
            goal = Goal.objects.create(
                person=person,
                description=f"Doel {n} van {person.given_name}",
                start_date=datetime.date(2026, 1, 1 + n),
                created_by=cast.noor,
            )
            for m in range(n + 1):
                Action.objects.create(person=person, goal=goal, what=f"Actie {m}", created_by=cast.noor)
    return cast.anna, other


def goals_of(p):
    return Goal.objects.filter(person_id=p.person_id).select_related("person", "created_by").order_by("id")


def test_model_rows_with_select_related_are_the_querysets(people):
    anna, other = people
    for person in (anna, other, anna):
        got = compiled(goals_of, person_id=person.pk)
        expected = list(goals_of(type("P", (), {"person_id": person.pk})))
        assert [_fields(g) for g in got] == [_fields(g) for g in expected]
        assert [_fields(g.person) for g in got] == [_fields(g.person) for g in expected]
        assert [g.created_by.username for g in got] == [g.created_by.username for g in expected]
        assert all(not g._state.adding and g._state.db == "default" for g in got)
    assert len(compiled(goals_of, person_id=anna.pk)) == 3


def test_one_query_per_call_and_prefetch_as_the_queryset_does(people):
    anna, _ = people
    build = lambda p: (  # noqa: E731
        Goal.objects.filter(person_id=p.person_id)
        .prefetch_related(Prefetch("actions", queryset=Action.objects.order_by("-id")))
        .order_by("id")
    )
    compiled(build, person_id=anna.pk)  # compile first, then count
    with CaptureQueriesContext(connection) as queries:
        got = compiled(build, person_id=anna.pk)
        assert [[a.what for a in g.actions.all()] for g in got] == [
            ["Actie 0"],
            ["Actie 1", "Actie 0"],
            ["Actie 2", "Actie 1", "Actie 0"],
        ]
    assert len(queries) == 2, "the goals and their actions: no query per goal"


def test_values_annotations_and_flat_values(people):
    anna, other = people
    counted = lambda p: (  # noqa: E731
        Goal.objects.filter(person_id=p.person_id).annotate(n=Count("actions")).values("id", "n").order_by("id")
    )
    flat = lambda p: Action.objects.filter(person_id=p.person_id).order_by("-id").values_list("id", flat=True)  # noqa: E731
    for person in (anna, other):
        ns = type("P", (), {"person_id": person.pk})
        assert compiled(counted, person_id=person.pk) == list(counted(ns))
        assert compiled(flat, person_id=person.pk) == list(flat(ns))
    assert [row["n"] for row in compiled(counted, person_id=anna.pk)] == [1, 2, 3]


def test_json_and_aware_datetimes_through_the_databases_converters(people, cast):
    anna, _ = people
    plan = CarePlan.objects.create(person=anna)
    made = timezone.now().replace(microsecond=123456)
    CarePlanVersion.objects.create(
        care_plan=plan,
        number=1,
        created_at=made,
        created_by=cast.noor,
        snapshot={"goals": [{"id": 1, "tekst": "één"}]},
        changes=[],
    )
    build = lambda p: CarePlanVersion.objects.filter(care_plan__person_id=p.person_id).order_by("-number")[:1]  # noqa: E731
    version = compiled_first(build, person_id=anna.pk)
    assert version.snapshot == {"goals": [{"id": 1, "tekst": "één"}]}
    assert version.created_at == made and timezone.is_aware(version.created_at)
    assert compiled_first(build, person_id=anna.pk + 10_000) is None


def test_date_and_datetime_parameters_take_the_real_value(people):
    anna, _ = people
    since = lambda p: Goal.objects.filter(person_id=p.person_id, start_date__gte=p.day).order_by("id")  # noqa: E731
    assert [g.start_date.day for g in compiled(since, person_id=anna.pk, day=datetime.date(2026, 1, 2))] == [2, 3]
    assert [g.start_date.day for g in compiled(since, person_id=anna.pk, day=datetime.date(2026, 1, 3))] == [3]
    made = lambda p: Goal.objects.filter(person_id=p.person_id, created_at__lt=p.now).order_by("id")  # noqa: E731
    assert len(compiled(made, person_id=anna.pk, now=timezone.now() + datetime.timedelta(hours=1))) == 3
    assert compiled(made, person_id=anna.pk, now=timezone.now() - datetime.timedelta(days=1)) == []


def _outside_build(person):
    return compiled(lambda p: Goal.objects.filter(person_id=person.pk), person_id=person.pk)


def test_refuses_what_it_would_freeze_or_could_not_replace(people):
    anna, _ = people
    with pytest.raises(ImproperlyConfigured, match="only its markers"):
        _outside_build(anna)  # a closure: the first person would be frozen in
    with pytest.raises(ImproperlyConfigured, match="date or time"):  # "now" in build
        compiled(lambda p: Goal.objects.filter(person_id=p.person_id, created_at__lt=timezone.now()), person_id=1)
    with pytest.raises(ImproperlyConfigured, match="SQL depends|frozen|derived"):
        compiled(
            lambda p: Goal.objects.filter(person_id=p.person_id).annotate(w=Value(str(gettext_lazy("doel")))),
            person_id=1,
        )
    with pytest.raises(ImproperlyConfigured, match="derived from a|do not reach"):
        compiled(
            lambda p: Goal.objects.filter(person_id=p.person_id, description__icontains=p.text), person_id=1, text="x"
        )
    for wrong in (None, True, [1, True], [1, "2"], (1, 2), datetime.datetime(2026, 1, 1)):
        with pytest.raises(TypeError):
            compiled(goals_of, person_id=wrong)


def test_two_call_sites_never_share_sql(people):
    anna, _ = people
    first = compiled(lambda p: Goal.objects.filter(person_id=p.person_id).order_by("id"), person_id=anna.pk)
    last = compiled(lambda p: Goal.objects.filter(person_id=p.person_id).order_by("-id"), person_id=anna.pk)
    assert [g.pk for g in first] == [g.pk for g in reversed(last)]


def test_a_list_is_one_array_parameter_on_postgresql_and_refused_elsewhere(people):
    """A list of ints reaches PostgreSQL as one value (``= ANY(%s)``), whatever its length; on
    SQLite ``InArray`` spreads it over one parameter per item, so the query is refused there."""
    ids = list(Goal.objects.order_by("id").values_list("pk", flat=True))
    chosen = [[], ids[:1], ids[1:4], ids, [*ids, 2_000_000_000]]

    def by_ids(values):
        return compiled(lambda p: Goal.objects.filter(InArray(F("pk"), p.ids)).order_by("-id"), ids=values)

    assert takes_lists(Goal) is (connection.vendor == "postgresql")
    if not takes_lists(Goal):
        with pytest.raises(ImproperlyConfigured, match="as one value"):
            by_ids(ids)
        return
    for values in chosen:
        expected = list(Goal.objects.filter(pk__in=values).order_by("-id"))
        assert [_fields(g) for g in by_ids(values)] == [_fields(g) for g in expected]
    with pytest.raises(ImproperlyConfigured, match="as one value"):  # a plain __in spreads the list
        compiled(lambda p: Goal.objects.filter(pk__in=p.ids), ids=ids)


def test_model_rows_with_annotations_through_the_lean_path_are_the_querysets(people):
    """Model rows skip Django's queryset and iterable (``_model_rows``): the same objects, the
    annotations and ``select_related`` objects set, one logged statement with the same SQL."""
    import koers.lib.compiled as module

    anna, other = people
    build = lambda p: (  # noqa: E731
        Goal.objects.filter(person_id=p.person_id)
        .select_related("created_by")
        .annotate(n=Count("actions"), label=Value("x"))
        .order_by("-id")
    )
    for person in (anna, other):
        expected = list(build(type("P", (), {"person_id": person.pk})))
        with CaptureQueriesContext(connection) as queries:
            got = compiled(build, person_id=person.pk)
        assert len(queries) == 1
        assert [(_fields(g), g.n, g.label, g.created_by.username) for g in got] == [
            (_fields(g), g.n, g.label, g.created_by.username) for g in expected
        ]
        assert all(type(g) is Goal and not g._state.adding and g._state.db == "default" for g in got)
    entries = [e for e in module._compiled.values() if e.model is Goal and e.rows is not None]
    assert entries, "model rows take the lean path"
    flat = lambda p: Goal.objects.filter(person_id=p.person_id).values_list("id", flat=True)  # noqa: E731
    compiled(flat, person_id=anna.pk)
    assert all(e.rows is None for e in module._compiled.values() if e.fields), "values rows keep Django's iterable"


def test_together_gives_what_each_query_gives_alone_in_one_statement_where_it_can(people):
    """``together``: the rows of each query as ``compiled`` gives them (models with
    ``select_related``, values rows, flat values, an empty result, a first row), in one statement
    on PostgreSQL and one statement per query elsewhere."""
    from koers.lib.compiled import first, planned, several_statements_at_once, together

    anna, other = people
    for person in (anna, other):
        queries = [
            planned(goals_of, person_id=person.pk),
            planned(
                lambda p: Goal.objects.filter(person_id=p.person_id).values("id", "description").order_by("id"),
                person_id=person.pk,
            ),
            planned(
                lambda p: Action.objects.filter(person_id=p.person_id).order_by("-id").values_list("id", flat=True),
                person_id=person.pk,
            ),
            planned(lambda p: Goal.objects.filter(person_id=p.person_id, pk__lt=0), person_id=person.pk),
            planned(lambda p: Action.objects.filter(person_id=p.person_id).order_by("id")[:1], person_id=person.pk),
        ]
        alone = [compiled(query.build, **query.params) for query in queries]
        with CaptureQueriesContext(connection) as captured:
            rows = together(*queries)
        assert len(captured) == (1 if several_statements_at_once(connection) else len(queries))
        assert [_fields(g) for g in rows[0]] == [_fields(g) for g in alone[0]]
        assert [_fields(g.created_by) for g in rows[0]] == [_fields(g.created_by) for g in alone[0]]
        assert rows[1:3] == alone[1:3] and rows[3] == [] and alone[3] == []
        assert _fields(first(rows[4])) == _fields(first(alone[4]))
    assert together() == []
    assert len(together(planned(goals_of, person_id=anna.pk))[0]) == 3


def test_fetched_together_keeps_the_raw_rows_and_builds_them_once_on_demand(people):
    """``fetched_together``: each query's rows as the database gave them (what a digest of a
    kept page is taken of), the statements sent as ``together`` sends them; ``rows()`` builds them
    as ``compiled`` does, once, without asking the database again."""
    from koers.lib.compiled import fetched_together, planned, several_statements_at_once

    anna, _other = people
    queries = [
        planned(goals_of, person_id=anna.pk),
        planned(
            lambda p: Goal.objects.filter(person_id=p.person_id).values("id", "description").order_by("id"),
            person_id=anna.pk,
        ),
    ]
    with CaptureQueriesContext(connection) as captured:
        fetched = fetched_together(*queries)
    assert len(captured) == (1 if several_statements_at_once(connection) else len(queries))
    with connection.cursor() as cursor:  # the raw rows are the statement's own
        sql, params = goals_of(SimpleNamespace(person_id=anna.pk)).query.sql_with_params()
        cursor.execute(sql, params)
        assert [tuple(row) for row in fetched[0].raw] == [tuple(row) for row in cursor.fetchall()]
    with CaptureQueriesContext(connection) as building:
        goals, again = fetched[0].rows(), fetched[0].rows()
        values = fetched[1].rows()
    assert building.captured_queries == [] and goals is again
    assert [_fields(g) for g in goals] == [_fields(g) for g in compiled(goals_of, person_id=anna.pk)]
    assert [_fields(g.created_by) for g in goals] == [
        _fields(g.created_by) for g in goals_of(SimpleNamespace(person_id=anna.pk))
    ]
    assert values == list(Goal.objects.filter(person=anna).values("id", "description").order_by("id"))
