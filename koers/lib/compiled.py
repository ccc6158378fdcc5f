"""Queries whose SQL is compiled once per process (issue #18, "Speed").

A person page runs the same dozen queries for every person: the same filters on ``person_id``,
the same ordering, the same ``select_related``. Django builds and compiles their SQL again on
every request, and that is about a third of such a page's CPU (docs/performance.md, "Where the
person pages' CPU goes"); running the SQL is a few per cent.

``compiled(build, **params)`` builds the queryset once per process, builder, parameter types and
database alias, with stand-in values ("markers") for ``params``, keeps Django's compiled SQL and
its compiler, and from then on runs that SQL with the real values, handing the rows to Django's
own iterables (``Model.from_db``, ``select_related``, annotations, values rows, database
converters such as JSON and time-zone-aware datetimes, ``prefetch_related``). It returns a list:
what ``list(build(params))`` would give.

    rows = compiled(
        lambda p: Goal.objects.filter(person_id=p.person_id).order_by("created_at", "id"),
        person_id=person.pk,
    )

What keeps it correct (each checked when the query is first compiled, so a misuse fails in the
first test that runs it, not in production):

- ``build`` is a pure function of its markers. It may use module-level names (models, choices)
  but no local variable of its caller (a closure is refused): whatever else it put in the query
  would be frozen into the stored SQL. It is built twice, with two sets of markers and under
  another language and time zone; the SQL must come out the same, every parameter that is not a
  marker must come out the same, and no date or time may be frozen in. A value that changes the
  *shape* of the query (a ``None`` that becomes ``IS NULL``, a list for ``__in``, a different
  limit) cannot be a parameter: write another lambda.
- The cache key is the lambda's code object, so two call sites never share SQL.
- Every marker must reach the SQL as itself (after the database's own adaptation of dates and
  datetimes), so the real value can take its place: a marker Django transformed (``__contains``,
  arithmetic, a date compared with a datetime) is refused.
- Parameters are ``int`` (not ``bool``), ``str``, ``datetime.datetime`` (aware),
  ``datetime.date`` or a list of ints; their types are part of the cache key. A list is accepted
  only where it reaches the SQL as ONE value, whatever its length: PostgreSQL's
  ``column = ANY(%s)`` through ``koers.lib.lookups.InArray``. Elsewhere (SQLite's
  ``IN (%s, …)``, a plain ``__in``) the list is spread over as many parameters as it has items,
  the shape depends on its length, and the query is refused. ``takes_lists(model)`` says whether
  the database the router picks for ``model`` takes a list as one value; the caller keeps the
  plain queryset where it does not.
- The stored compiler is never run itself: each call runs a shallow copy bound to this thread's
  connection of the alias the router chooses now (also part of the key).
- Model rows (the usual case) skip the queryset and Django's ``ModelIterable`` altogether: what
  that iterable works out from the compiler on every run (the model's columns, the
  ``select_related`` populators, the annotations' places; the converters per connection) is
  worked out once, and each run is the stored SQL through Django's cursor (its execute wrappers
  and query log), the converters, ``Model.from_db`` and the prefetches, as Django does them
  (``_model_rows``; ~25 % of a compiled read's CPU, docs/performance.md). Values rows keep
  Django's own iterables.
- The result is a list, never a queryset: nothing can be chained onto SQL that is already
  compiled. Related-manager shortcuts (``person.goals.all()`` setting ``goal.person``) do not
  apply; the caller sets such an attribute itself when a template needs it.

Page-building code must pass ``build`` as a lambda written in the call, so
tests/test_person_data_guard.py can read it: a query of person data inside it counts as
filtered by a person only through a marker whose parameter is named like a person
(``person=…``, ``person_id=…``) in that same call.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections, router
from django.db.models import QuerySet, prefetch_related_objects
from django.db.models.query import ModelIterable, get_related_populators
from django.utils import timezone, translation

from koers.lib.ids import MAX_ID

_KINDS = {int: "int", str: "str", datetime.datetime: "datetime", datetime.date: "date"}
_TIMES = (datetime.date, datetime.time, datetime.timedelta)
_compiled: dict[tuple, _Compiled] = {}
_targets: dict[tuple, tuple] = {}  # (code, kinds) -> (model, the alias build fixed with .using())


def compiled(build: Callable[[SimpleNamespace], QuerySet], /, **params: Any) -> list:
    """``list(build(params))``, with the SQL compiled once per process (module docstring)."""
    entry, connection, args = _prepare(build, params)
    return _rows(entry, connection, args)


class Planned:
    """A compiled query not sent yet: ``planned(build, **params)``, run by ``together``."""

    __slots__ = ("build", "params")

    def __init__(self, build, params):
        self.build, self.params = build, params


def planned(build: Callable[[SimpleNamespace], QuerySet], /, **params: Any) -> Planned:
    """``compiled(build, **params)`` to be run with others by ``together`` (same rules)."""
    return Planned(build, params)


def together(*queries: Planned) -> list[list]:
    """``[compiled(q.build, **q.params) for q in queries]``, their statements sent in one round trip.

    Each statement costs the process more than running it does (Django's cursor, the driver's
    send, wait and receive: ~65 µs of CPU for a one-row read, against ~20 µs when nine go
    together; docs/performance.md, "The person pages: reads sent together …"). PostgreSQL's simple
    query protocol takes several statements at once, and psycopg's client-side binding cursor
    (Django's default) sends them so and reads each statement's rows as a result set of its own;
    each statement still takes its own snapshot. They pass Django's cursor as one statement (its
    execute wrappers and query log see the joined SQL). Elsewhere (SQLite, server-side binding,
    queries on different databases) each runs on its own, as ``compiled`` runs it. Same rows."""
    return [read.rows() for read in fetched_together(*queries)]


class Fetched:
    """One query's rows as the database gave them (``raw``: tuples, before Django's converters),
    and ``rows()``: built as ``compiled`` gives them, on the first call. For a caller that may not
    need the built rows at all (``koers.lib.kept_html``: a part kept as HTML is found by a digest
    of the raw rows)."""

    __slots__ = ("_args", "_built", "_connection", "_entry", "raw")

    def __init__(self, entry: _Compiled, connection, args: list, raw: list):
        self._entry, self._connection, self._args, self.raw, self._built = entry, connection, args, raw, None

    def rows(self) -> list:
        if self._built is None:
            self._built = _rows(self._entry, self._connection, self._args, self.raw)
        return self._built


def fetched_together(*queries: Planned) -> list[Fetched]:
    """The statements of ``queries`` sent as ``together`` sends them, their rows not built yet."""
    prepared = [_prepare(query.build, query.params) for query in queries]
    if len(prepared) < 2 or not _several_at_once(prepared):
        return [
            Fetched(entry, connection, args, _fetch(connection, entry.sql, args))
            for entry, connection, args in prepared
        ]
    connection = prepared[0][1]
    sql = ";\n".join(entry.sql for entry, _connection, _args in prepared)
    args = [value for _entry, _connection, values in prepared for value in values]
    with connection.cursor() as cursor:
        cursor.execute(sql, tuple(args))
        results = [cursor.fetchall()]
        while cursor.nextset():
            results.append(cursor.fetchall())
    if len(results) != len(prepared):
        raise RuntimeError(f"together(): {len(prepared)} statements gave {len(results)} results")
    return [Fetched(entry, conn, args, raw) for (entry, conn, args), raw in zip(prepared, results, strict=True)]


def _fetch(connection, sql: str, args: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, tuple(args))
        return cursor.fetchall()


def first(rows: list):
    """The first row or None, as ``compiled_first`` gives it."""
    return rows[0] if rows else None


def _several_at_once(prepared) -> bool:
    connection = prepared[0][1]
    return several_statements_at_once(connection) and all(other is connection for _entry, other, _args in prepared)


def sends_together(model) -> bool:
    """Whether ``together`` sends reads of ``model`` in one round trip (its read database's
    connection takes several statements at once)."""
    return several_statements_at_once(connections[router.db_for_read(model)])


def several_statements_at_once(connection) -> bool:
    """Whether one ``execute`` on this connection may hold several statements, each giving its
    own result set (``cursor.nextset()``): PostgreSQL through psycopg's client-side binding
    cursor, Django's default, which sends them by the simple query protocol."""
    return (
        connection.vendor == "postgresql"
        and getattr(connection.Database, "__name__", "") == "psycopg"
        and connection.settings_dict.get("OPTIONS", {}).get("server_side_binding") is not True
    )


def _prepare(build, params: dict) -> tuple:
    """The compiled entry for ``build``, the connection it runs on now and its arguments."""
    kinds = tuple((key, _kind(key, value)) for key, value in sorted(params.items()))
    entry = _entry(build, kinds)
    connection = connections[entry.alias]
    values = {key: _adapt(connection, kind, params[key]) for key, kind in kinds}
    args = list(entry.params)
    for index, key in entry.slots:
        args[index] = values[key]
    return entry, connection, args


def _rows(entry: _Compiled, connection, args: list, fetched: list | None = None) -> list:
    """The rows of one compiled query; ``fetched``: its rows as the database gave them, already
    read (``together``), else the statement runs now."""
    if entry.rows is not None:
        return _model_rows(entry, connection, fetched if fetched is not None else _fetch(connection, entry.sql, args))
    compiler = copy.copy(entry.compiler)
    compiler.connection = connection
    sql = entry.sql
    compiler.as_sql = lambda *_args, **_kwargs: (sql, tuple(args))
    if fetched is not None:
        if compiler.has_extra_select:  # what Django's cursor_iter cuts off each row
            fetched = [row[: compiler.col_count] for row in fetched]
        compiler.execute_sql = lambda *_args, **_kwargs: [fetched]
    queryset = QuerySet(model=entry.model, query=_Prepared(entry.query, compiler), using=entry.alias)
    queryset._iterable_class = entry.iterable_class
    queryset._fields = entry.fields
    queryset._prefetch_related_lookups = entry.prefetch
    return list(queryset)


def takes_lists(model) -> bool:
    """Whether a list parameter (``InArray``) reaches this model's read database as one value."""
    return connections[router.db_for_read(model)].vendor == "postgresql"


def compiled_first(build: Callable[[SimpleNamespace], QuerySet], /, **params: Any):
    """The first row of ``compiled`` or None: ``build`` must order and slice (``[:1]``) itself."""
    rows = compiled(build, **params)
    return rows[0] if rows else None


def clear() -> None:
    """Forget every compiled query (tests that change the schema or the settings)."""
    _compiled.clear()
    _targets.clear()


class _Compiled:
    __slots__ = (
        "alias",
        "compiler",
        "converters",
        "fields",
        "iterable_class",
        "model",
        "params",
        "prefetch",
        "query",
        "rows",
        "slots",
        "sql",
    )


class _ModelRows:
    """What Django's ``ModelIterable`` works out from the compiler on every run, worked out once:
    the model's columns (``init_list`` and their place in the row), the ``select_related``
    populators and the annotations' places. Only the database converters depend on the connection
    (``_Compiled.converters``, per connection)."""

    __slots__ = ("annotations", "end", "expressions", "init_list", "populators", "start")


def _model_rows_of(compiler, iterable_class, alias: str) -> _ModelRows | None:
    """The model rows of a query ``_model_rows`` can run as ``ModelIterable`` would, else None
    (values rows, extra select, composite fields, known related objects: Django's own path)."""
    if iterable_class is not ModelIterable or compiler.has_extra_select:
        return None
    expressions = [s[0] for s in compiler.select[0 : compiler.col_count]]
    if compiler.has_composite_fields(expressions):
        return None
    klass_info, select = compiler.klass_info, compiler.select
    rows = _ModelRows()
    rows.start, rows.end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    rows.init_list = [f[0].target.attname for f in select[rows.start : rows.end]]
    rows.populators = get_related_populators(klass_info, select, alias)
    rows.annotations = tuple(compiler.annotation_col_map.items()) if compiler.annotation_col_map else ()
    rows.expressions = expressions
    return rows


def _converters(entry: _Compiled, compiler, connection) -> list:
    """The database converters of the entry's columns on this connection (``get_converters``)."""
    known = entry.converters.get(connection.alias)
    if known is not None and known[0] is connection:
        return known[1]
    bound = copy.copy(compiler)
    bound.connection = connection
    found = list(bound.get_converters(entry.rows.expressions).items())
    entry.converters[connection.alias] = (connection, found)
    return found


def _model_rows(entry: _Compiled, connection, fetched: list) -> list:
    """``list(queryset)`` for a model query, from the rows its statement gave (run through
    Django's cursor: its execute wrappers and query logging see the statement): each row
    converted and handed to ``Model.from_db``, the ``select_related`` objects and annotations set,
    and the prefetches done, as ``ModelIterable`` and ``QuerySet._fetch_all`` do them."""
    rows = entry.rows
    converters = _converters(entry, entry.compiler, connection)
    model, alias, init_list = entry.model, entry.alias, rows.init_list
    start, end, populators, annotations = rows.start, rows.end, rows.populators, rows.annotations
    result = []
    for row in fetched:
        if converters:
            row = list(row)
            for position, (functions, expression) in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
        obj = model.from_db(alias, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        for name, position in annotations:
            setattr(obj, name, row[position])
        result.append(obj)
    if entry.prefetch and result:
        prefetch_related_objects(result, *entry.prefetch)
    return result


class _Prepared:
    """Stands in for the queryset's ``Query``: hands out the prepared compiler, forwards the rest
    (the iterables read the names of values rows from it)."""

    __slots__ = ("_compiler", "_query")

    def __init__(self, query, compiler):
        self._query = query
        self._compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler

    def __getattr__(self, name):
        return getattr(self._query, name)


def _kind(key: str, value) -> str:
    if type(value) is list:
        for item in value:
            if type(item) is not int:
                raise TypeError(f"compiled(): list parameter {key} holds {item!r}, not an int")
            _kind(key, item)
        return "ints"
    kind = _KINDS.get(type(value))
    if kind == "int" and not -MAX_ID - 1 <= value <= MAX_ID:
        raise TypeError(f"compiled(): parameter {key}={value!r} is beyond a 64-bit integer")
    if kind is None or (kind == "datetime" and timezone.is_naive(value)):
        raise TypeError(
            f"compiled(): parameter {key}={value!r} must be an int, a str, an aware datetime or a date; "
            "a value that changes the query's shape (None, a list, a bool) belongs in its name"
        )
    return kind


def _adapt(connection, kind: str, value):
    """The value as Django hands it to the driver for a model field of this kind."""
    if kind == "datetime":
        return connection.ops.adapt_datetimefield_value(value)
    if kind == "date":
        return connection.ops.adapt_datefield_value(value)
    if kind == "ints":
        return list(value)
    return value


def _markers(kinds, variant: int) -> dict:
    out = {}
    for number, (key, kind) in enumerate(kinds):
        n = variant * 1000 + number + 1
        out[key] = {
            # Inside a 32-bit integer column's range (Django refuses out-of-range lookups), never an id.
            "int": -2_000_000_000 - n,
            "str": f"koers-compiled-marker-{variant}-{key}",
            "datetime": datetime.datetime(1901 + variant, 2, 3, 4, 5, 6, n, tzinfo=datetime.UTC),
            "date": datetime.date(1901 + variant, 2, 1 + number),
            # Two items: a list spread over one parameter per item cannot pass for the marker.
            "ints": [-2_000_000_000 - n, -2_100_000_000 - n],
        }[kind]
    return out


def _entry(build, kinds) -> _Compiled:
    """The compiled query for this builder, parameter types and the alias the router picks now.
    Only the first call of a builder builds a queryset (to learn its model); later calls build nothing."""
    code = build.__code__
    target = _targets.get((code, kinds))
    probe = None
    if target is None:
        if build.__closure__:
            names = ", ".join(code.co_freevars)
            raise ImproperlyConfigured(f"compiled({_where(build)}): build may use only its markers, not {names}")
        probe = build(SimpleNamespace(**_markers(kinds, 0)))
        target = _targets[(code, kinds)] = (probe.model, probe._db)
    model, fixed = target
    alias = fixed or router.db_for_read(model)
    key = (code, kinds, alias, connections[alias].vendor)
    entry = _compiled.get(key)
    if entry is None:
        probe = probe if probe is not None else build(SimpleNamespace(**_markers(kinds, 0)))
        entry = _compiled[key] = _compile(_where(build), build, kinds, probe, alias)
    return entry


def _where(build) -> str:
    code = build.__code__
    return f"{code.co_filename.rsplit('/koers/', 1)[-1]}:{code.co_firstlineno}"


def _compile(name, build, kinds, probe: QuerySet, alias: str) -> _Compiled:
    connection = connections[alias]
    markers = [_markers(kinds, 0), _markers(kinds, 1)]
    language = translation.get_language() or "nl"
    with translation.override("en" if language != "en" else "nl"), timezone.override("Pacific/Chatham"):
        other = build(SimpleNamespace(**markers[1]))
    compilers, statements = [], []
    for queryset in (probe, other):
        if queryset._result_cache is not None or queryset._known_related_objects or queryset._hints:
            raise ImproperlyConfigured(f"compiled({name!r}): build from Model.objects, not a related manager")
        compiler = queryset.query.get_compiler(using=alias)
        try:
            statements.append(compiler.as_sql())
        except EmptyResultSet as exc:
            raise ImproperlyConfigured(f"compiled({name!r}): the query is empty for its markers") from exc
        compilers.append(compiler)
    (sql, params), (sql_b, params_b) = statements
    if not sql or sql != sql_b or len(params) != len(params_b):
        raise ImproperlyConfigured(f"compiled({name!r}): the SQL depends on more than its parameters")
    adapted = [{key: _adapt(connection, kind, m[key]) for key, kind in kinds} for m in markers]
    slots = []
    for index, (a, b) in enumerate(zip(params, params_b, strict=True)):
        found = [key for key, _kind in kinds if _same(a, adapted[0][key]) and _same(b, adapted[1][key])]
        if found:
            slots.append((index, found[0]))
        elif any(kind == "ints" and a in adapted[0][key] for key, kind in kinds):
            raise ImproperlyConfigured(
                f"compiled({name!r}): a list parameter must reach the SQL as one value (InArray on "
                "PostgreSQL), not one parameter per item: check takes_lists() and keep the plain queryset"
            )
        elif not _same(a, b):
            raise ImproperlyConfigured(
                f"compiled({name!r}): parameter {index} ({a!r}) changed between two builds: derived from a "
                "marker, or computed in build (a date or time, the language)"
            )
        elif isinstance(a, _TIMES) or _looks_like_time(a):
            raise ImproperlyConfigured(f"compiled({name!r}): a date or time ({a!r}) would be frozen into the SQL")
    missing = {key for key, _kind in kinds} - {key for _index, key in slots}
    if missing:
        raise ImproperlyConfigured(f"compiled({name!r}): parameters {sorted(missing)} do not reach the SQL as given")
    entry = _Compiled()
    entry.alias, entry.compiler, entry.model, entry.query = alias, compilers[0], probe.model, probe.query
    entry.sql, entry.params, entry.slots = sql, tuple(params), tuple(slots)
    entry.iterable_class, entry.fields = probe._iterable_class, probe._fields
    entry.prefetch = probe._prefetch_related_lookups
    entry.converters = {}
    entry.rows = _model_rows_of(compilers[0], entry.iterable_class, alias)
    return entry


def _same(a, b) -> bool:
    return type(a) is type(b) and a == b


def _looks_like_time(value) -> bool:
    """SQLite gets dates and datetimes as ISO strings: refuse a frozen one there too."""
    if not isinstance(value, str) or len(value) < 10:
        return False
    try:
        datetime.date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def attach(
    parents: list, children: list, *, field: str, to_attr: str | None = None, related: str | None = None
) -> None:
    """Hand each parent its children, as ``prefetch_related`` would, from two compiled lists.

    ``field`` is the children's foreign key to the parents (its cache is set to the parent, no
    query on ``child.goal``). ``to_attr`` gives each parent a plain list (``Prefetch(to_attr=…)``);
    ``related`` fills the related manager's prefetch cache (``goal.gas_levels.all()``), in the
    children's order. Children whose parent is not in ``parents`` are left out.
    """
    by_parent: dict = {parent.pk: [] for parent in parents}
    model = type(children[0]) if children else None
    attname = model._meta.get_field(field).attname if model else None
    for child in children:
        siblings = by_parent.get(getattr(child, attname))
        if siblings is not None:
            siblings.append(child)
    for parent in parents:
        mine = by_parent[parent.pk]
        for child in mine:
            child._state.fields_cache[field] = parent
        if to_attr:
            setattr(parent, to_attr, mine)
        if related:
            queryset = getattr(parent, related).get_queryset()
            queryset._result_cache, queryset._prefetch_done = mine, True
            if not hasattr(parent, "_prefetched_objects_cache"):
                parent._prefetched_objects_cache = {}
            parent._prefetched_objects_cache[related] = queryset
