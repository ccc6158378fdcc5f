"""No page reads a person's data past the guard (issue #10).

The access layer only works if every page asks it. A view (or the selector building its page)
that writes ``Goal.objects.get(pk=goal_id)`` shows any goal to anyone with its id. This test
reads the code and fails on such a query, so a new one cannot slip in unseen.

What it reads:

- **Person data** is derived from the app registry: ``people.Person`` and every model with its
  own relation to a person (the same derivation as the admin test), through any of its managers
  (``objects``, ``all_objects`` …).
- **Page-building code**: every module that defines a view of the URL configuration (found by
  unwrapping the views, so a moved view is still found) and every read module by convention
  (a module or package named ``selectors*`` or ``presenters*``, docs/conventions.md). Not
  ``koers/access/`` (the guard itself), tests or migrations.

A query there goes through the guard when

1. it is the queryset handed to ``access.object_for`` (directly, or by a name or parameter
   default that is then handed to it in the same function), or
2. it is filtered by a person: a keyword ``person=…``, ``person_id…`` or ``person__…`` anywhere
   in its chain (the person came from the guard: the view's decorator or the caller), or
3. its statement has an ``# access:`` comment saying why it is safe (for instance: filtered by
   an object the guard already fetched).

A query compiled once per process (``koers.lib.compiled``: ``compiled(lambda p: …, person_id=…)``, or
``planned(…)`` for ``together``)
is built from markers, and the real values are the call's keywords. Inside such a lambda rule 2
reads values, not names: the query must be filtered (any keyword, also ``goal__person_id=`` or
``pk=``) by a marker ``p.<name>`` whose ``<name>`` is a person's (``person…``) and which the call
passes; a builder that is not a lambda written in the call is an offender.

Anything else is an offender. ``ALLOWED`` lists today's offenders with the reason each one is
safe (or is not yet): a ratchet, so the list only shrinks. Fixing one means deleting its line.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

from tests.test_admin_scope import person_data_models
from tests.test_url_access import all_views

ROOT = Path(__file__).resolve().parents[1]
KOERS = ROOT / "koers"
READ_MODULE = re.compile(r"^(selectors|presenters)")
ACCESS_COMMENT = "# access:"
PERSON_KEYWORD = re.compile(r"^person(_|$)")

# Today's queries of person data in page-building code that the rules above cannot see are
# safe, as "module::function Model": why each is safe, or what issue #10 still has to do.
ALLOWED = {
    # Handed on to a helper that passes it to access.object_for (the rule sees one function only).
    "koers.consults.agenda_views::item_restore AgendaItem": "all_objects handed to _item(), which calls object_for",
    "koers.decisions.selectors::decision_queryset SharedDecision": "the view hands it to object_for",
    "koers.decisions.selectors::decision_queryset DecisionOption": "prefetched under decision_queryset",
    "koers.decisions.selectors::option_queryset DecisionOption": "the view hands it to object_for",
    # Filtered by an object the view fetched through the guard (object_for).
    "koers.consults.selectors::consult_detail Preparation": "by the consult the view fetched with object_for",
    "koers.questionnaires.selectors::has_open_flag AttentionItem": "by a response fetched with object_for",
    "koers.questionnaires.views::attention_handle AttentionItem": "by the response fetched with object_for",
    "koers.monitoring.selectors::summaries Observation": "by ids read from this person's own observations",
    # "Due" rules over everyone, for the worklist and the reminder sweeps, which filter by the
    # caseload's ids or send to the person's own team (issue #10: one selector per due rule).
    "koers.followup.selectors::_evaluation_bases CarePlan": "due rule; callers filter by person",
    # The user's own rows, not a person's record.
    "koers.followup.views::_recent_marks WorklistMark": "the marks this professional made (handled_by=user)",
    # The secret link is the access (Category.CALENDAR_FEED). Not yet through the guard: the feed
    # view checks allowed(SELF, …) itself and writes its own log row (issue #10 moves it).
    "koers.followup.selectors::token_lookup CalendarToken": "lookup by the secret token's hash",
}


def _model_names() -> tuple[set[str], set[str]]:
    models = person_data_models()
    return {m.__name__ for m in models}, {manager.name for m in models for manager in m._meta.managers}


def page_building_modules() -> dict[str, Path]:
    """Module name -> file of every module that builds pages (see the module docstring)."""
    modules = {}
    for _name, _pattern, view in all_views():
        module = inspect.unwrap(view).__module__
        if module.startswith("koers."):
            modules[module] = Path(inspect.getfile(inspect.unwrap(view)))
    for path in KOERS.rglob("*.py"):
        parts = path.relative_to(KOERS).with_suffix("").parts
        if {"tests", "migrations"} & set(parts) or parts[0] == "access":
            continue
        if any(READ_MODULE.match(part) for part in parts):
            modules[".".join(("koers", *parts)).removesuffix(".__init__")] = path
    return modules


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _called(call: ast.Call) -> str | None:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", None)


GUARD_LISTS = frozenset({"visible_persons", "visible_person_ids"})
COMPILED = frozenset({"compiled", "compiled_first", "planned"})


def _compiled_builder(node, parents) -> tuple[str, set[str]] | None:
    """When ``node`` lies in the lambda handed to ``compiled(…)``: the lambda's parameter and the
    person-named keywords the call passes (the markers that stand for a person)."""
    current = node
    while current in parents:
        parent = parents[current]
        if isinstance(parent, ast.Lambda) and parents.get(parent) is not None:
            call = parents[parent]
            if isinstance(call, ast.Call) and _called(call) in COMPILED and call.args[:1] == [parent]:
                persons = {k.arg for k in call.keywords if k.arg and PERSON_KEYWORD.match(k.arg)}
                return parent.args.args[0].arg, persons
        current = parent
    return None


def _filtered_by_a_person_marker(calls: list[ast.Call], builder: tuple[str, set[str]]) -> bool:
    """Inside a compiled builder: some keyword's value is ``p.<person marker>``."""
    param, persons = builder
    for call in calls:
        keywords = list(call.keywords)
        for arg in call.args:
            keywords += [k for q in ast.walk(arg) if isinstance(q, ast.Call) and _called(q) == "Q" for k in q.keywords]
        for keyword in keywords:
            value = keyword.value
            if (
                isinstance(value, ast.Attribute)
                and isinstance(value.value, ast.Name)
                and value.value.id == param
                and value.attr in persons
            ):
                return True
    return False


def _chain_top(node: ast.AST, parents) -> tuple[ast.AST, list[ast.Call]]:
    """Climb ``Model.objects.filter(...).select_related(...)…``: its outermost expression and
    the calls on the way."""
    calls, current = [], node
    while current in parents and isinstance(parents[current], ast.Attribute | ast.Call):
        parent = parents[current]
        if isinstance(parent, ast.Call):
            if parent.func is not current:
                break  # the chain is an argument of this call, not its receiver
            calls.append(parent)
        current = parent
    return current, calls


def _filtered_by_a_person(calls: list[ast.Call]) -> bool:
    """A ``person…=`` keyword (also inside ``Q(…)``), or a value taken from the guard's lists."""
    for call in calls:
        keywords = list(call.keywords)
        for arg in call.args:
            keywords += [k for q in ast.walk(arg) if isinstance(q, ast.Call) and _called(q) == "Q" for k in q.keywords]
        for keyword in keywords:
            if keyword.arg and PERSON_KEYWORD.match(keyword.arg):
                return True
            if any(isinstance(n, ast.Call) and _called(n) in GUARD_LISTS for n in ast.walk(keyword.value)):
                return True
    return False


def _object_for_names(function: ast.AST) -> set[str]:
    """Names used in the queryset argument of an ``object_for`` call in this function."""
    names = set()
    for call in ast.walk(function):
        if isinstance(call, ast.Call) and _called(call) == "object_for" and len(call.args) >= 2:
            names |= {n.id for n in ast.walk(call.args[1]) if isinstance(n, ast.Name)}
    return names


def _bound_to(top, parents) -> set[str]:
    """The names this expression is assigned to, or the parameter it is the default of."""
    parent = parents.get(top)
    if isinstance(parent, ast.Assign):
        return {t.id for t in parent.targets if isinstance(t, ast.Name)}
    if isinstance(parent, ast.AnnAssign) and isinstance(parent.target, ast.Name):
        return {parent.target.id}
    if isinstance(parent, ast.arguments):
        params = parent.posonlyargs + parent.args
        pairs = list(zip(params[len(params) - len(parent.defaults) :], parent.defaults, strict=True))
        pairs += [(a, d) for a, d in zip(parent.kwonlyargs, parent.kw_defaults, strict=True) if d is not None]
        return {a.arg for a, d in pairs if d is top}
    return set()


def _commented(node, parents, lines) -> bool:
    """An ``# access:`` comment on the query's statement or on the line just above it."""
    statement = node
    while statement in parents and not isinstance(statement, ast.stmt):
        statement = parents[statement]
    first, last = getattr(statement, "lineno", 1), getattr(statement, "end_lineno", len(lines))
    return any(ACCESS_COMMENT in lines[n - 1] for n in range(max(first - 1, 1), last + 1))


class Query:
    """One use of a person-data model's manager, with what is needed to judge it."""

    def __init__(self, node, parents):
        self.node = node
        self.top, self.calls = _chain_top(node, parents)
        self.function = _enclosing_function(node, parents)
        self.names = _bound_to(self.top, parents)
        self.used = {n.id for n in ast.walk(self.top) if isinstance(n, ast.Name)}
        self.builder = _compiled_builder(node, parents)


def guarded_queries(queries: list[Query], parents, lines) -> set[Query]:
    """The queries that go through the guard (rules in the module docstring), found by growing
    the set: a query nested in a guarded one, or bound to a name a guarded one uses, is guarded."""
    guarded = set()
    for q in queries:
        parent = parents.get(q.top)
        handed = isinstance(parent, ast.Call) and _called(parent) == "object_for" and parent.args[1:2] == [q.top]
        named = q.function is not None and q.names & _object_for_names(q.function)
        if q.builder is not None:
            by_person = _filtered_by_a_person_marker(q.calls, q.builder)
        else:
            by_person = _filtered_by_a_person(q.calls)
        if handed or named or by_person or _commented(q.node, parents, lines):
            guarded.add(q)
    grown = True
    while grown:
        grown = False
        for q in queries:
            if q in guarded:
                continue
            for g in guarded:
                inside = q.top is not g.top and any(n is q.top for n in ast.walk(g.top))
                if inside or (q.function is g.function and q.names & g.used):
                    guarded.add(q)
                    grown = True
                    break
    return guarded


def find_queries(tree, parents, model_names, managers) -> list[Query]:
    queries = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in managers:
            base = node.value
            model = base.id if isinstance(base, ast.Name) else getattr(base, "attr", None)
            if model in model_names:
                query = Query(node, parents)
                query.model = model
                queries.append(query)
    return queries


def _enclosing_function(node, parents):
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return node
    return None


def _qualified(function, parents) -> str:
    names, node = [], function
    while node is not None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.append(node.name)
        node = parents.get(node)
    return ".".join(reversed(names)) or "<module>"


def unguarded_queries() -> set[str]:
    model_names, managers = _model_names()
    found = set()
    for module, path in sorted(page_building_modules().items()):
        source = path.read_text(encoding="utf-8")
        tree, lines = ast.parse(source), source.splitlines()
        parents = _parents(tree)
        queries = find_queries(tree, parents, model_names, managers)
        guarded = guarded_queries(queries, parents, lines)
        for q in queries:
            if q not in guarded:
                where = _qualified(q.function, parents) if q.function else "<module>"
                found.add(f"{module}::{where} {q.model}")
        for where in builders_not_lambdas(tree, parents):
            found.add(f"{module}::{where} compiled() with a builder that is not a lambda")
    return found


def builders_not_lambdas(tree, parents) -> list[str]:
    """``compiled(build, …)`` with ``build`` a name: the guard cannot read it."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called(node) in COMPILED and not isinstance(node.args[0], ast.Lambda):
            function = _enclosing_function(node, parents)
            out.append(_qualified(function, parents) if function else "<module>")
    return out


def test_page_building_code_reads_person_data_only_through_the_guard():
    found = unguarded_queries()
    new = sorted(found - set(ALLOWED))
    stale = sorted(set(ALLOWED) - found)
    assert not new, (
        f"Queries of person data for a page that do not go through the guard: {new}. Fetch the object "
        "with access.object_for(user, Model.objects, pk, person=person), filter by the person the guard "
        f"gave you, or say on the line why it is safe ('{ACCESS_COMMENT} …')."
    )
    assert not stale, f"No longer unguarded (delete these lines from ALLOWED, it only shrinks): {stale}"


def test_the_check_sees_what_it_must():
    """Not vacuous: the derivation finds the views and selectors of every app and the models
    that hold person data, and a bare query by id is caught while a guarded one is not."""
    modules = page_building_modules()
    for expected in ("koers.goals.views", "koers.goals.selectors", "koers.workspace.selectors"):
        assert expected in modules, sorted(modules)
    model_names, managers = _model_names()
    assert {"Person", "Goal", "Observation", "CareTeamMember"} <= model_names
    assert "objects" in managers

    def offenders(code: str) -> list[str]:
        tree = ast.parse(code)
        parents = _parents(tree)
        queries = find_queries(tree, parents, {"Goal", "Action"}, {"objects"})
        guarded = guarded_queries(queries, parents, code.splitlines())
        return [_qualified(q.function, parents) for q in queries if q not in guarded]

    code = """
def bare(request, goal_id):
    return Goal.objects.get(pk=goal_id)

def scoped(request, person):
    return Goal.objects.filter(person=person).order_by("-id")

def fetched(request, person, goal_id):
    return access.object_for(request.user, Goal.objects.select_related("decision"), goal_id, person=person)

def by_name(request, person, goal_id):
    qs = Goal.objects.all()
    return access.object_for(request.user, qs, goal_id, person=person)

def by_default(request, person, goal_id, manager=Goal.objects):
    return access.object_for(request.user, manager.all(), goal_id, person=person)

def explained(goal):
    return Action.objects.filter(goal=goal)  # access: the goal came from object_for

def passed_on(request, goal_id):
    return helper(Goal.objects.all(), goal_id)

def nested(person):
    actions = Action.objects.order_by("id")
    return Goal.objects.filter(Q(person=person)).prefetch_related(Prefetch("actions", queryset=actions))

def listed(user):
    return Goal.objects.filter(person_id__in=access.visible_person_ids(user))

def unscoped_prefetch(goal_id):
    return Goal.objects.filter(pk=goal_id).prefetch_related(Prefetch("actions", queryset=Action.objects.all()))

def compiled_by_person(person):
    return compiled(lambda p: Goal.objects.filter(person_id=p.person_id), person_id=person.pk)

def compiled_by_join(person):
    return compiled_first(lambda p: Action.objects.filter(goal__person_id=p.person_id)[:1], person_id=person.pk)

def compiled_by_another_id(request, goal_id):
    return compiled(lambda p: Goal.objects.filter(person_id=p.goal_id), goal_id=goal_id)

def compiled_by_a_constant(person):
    return compiled(lambda p: Goal.objects.filter(person_id=1, pk=p.person_id), goal_id=person.pk)
"""
    assert sorted(offenders(code)) == [
        "bare",
        "compiled_by_a_constant",
        "compiled_by_another_id",
        "passed_on",
        "unscoped_prefetch",
        "unscoped_prefetch",
    ]
    tree = ast.parse("def hidden(person):\n    return compiled(build, person_id=person.pk)\n")
    assert builders_not_lambdas(tree, _parents(tree)) == ["hidden"]
