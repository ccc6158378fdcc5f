"""The FHIRPath functions on collections: existence, filtering and projection, types,
subsetting, combining, tree navigation, FHIR's extension() and SDC's weight()/ordinal().

Text, number and conversion functions are in :mod:`.strings`, :mod:`.numbers` and
:mod:`.conversions`.
"""

from __future__ import annotations

from . import operators as ops
from .errors import FHIRPathError
from .model import DATE_TYPES, Node, child_info, children, is_type, node_value, present, resolve_type, system_type
from .operators import as_bool
from .parser import Ast
from .registry import FUNCTIONS, bools, function, int_arg, simple, str_arg
from .sdc import weight

# existence
simple("empty", lambda c: [not c])
simple("count", lambda c: [len(c)])
simple("distinct", ops.distinct)
simple("isDistinct", lambda c: [len(ops.distinct(c)) == len(c)])
# An item that is not a Boolean is neither true nor false (the suite: (true | 'foo').allTrue() is false).
simple("allTrue", lambda c: [all(v is True for v in bools(c))])
simple("anyTrue", lambda c: [any(v is True for v in bools(c))])
simple("allFalse", lambda c: [all(v is False for v in bools(c))])
simple("anyFalse", lambda c: [any(v is False for v in bools(c))])


def _not(c):
    b = as_bool(c, "not()")
    return [] if b is None else [not b]


simple("not", _not)


@function("exists", 0, 1)
def _exists(compiler, inp, args, asts):
    if not args:
        return lambda focus, ctx: [len(inp(focus, ctx)) > 0]
    where = _where(compiler, inp, args, asts)
    return lambda focus, ctx: [len(where(focus, ctx)) > 0]


@function("where", 1)
def _where(compiler, inp, args, asts):
    criterion = args[0]
    by_key = _by_key(compiler, asts[0])

    def where(focus, ctx):
        coll = inp(focus, ctx)
        if not coll:
            return []
        saved_this, saved_index = ctx.this, ctx.index
        out = []
        for i, item in enumerate(coll):
            if by_key is not None:
                found = by_key(item)
                if found is not None:
                    if found:
                        out.append(item)
                    continue
            one = [item]
            ctx.this = one
            ctx.index = i
            result = criterion(one, ctx)
            if result and ((result[0] is True and len(result) == 1) or as_bool(result, "where()") is True):
                out.append(item)
        ctx.this, ctx.index = saved_this, saved_index
        return out

    return where


def _by_key(compiler, ast: Ast):
    """For a criterion ``<name> in <constant>`` (an SDC score's ``linkId in ('1' | '2' …)``): a
    function giving, for one item, whether it passes when that is plain to see (the item's
    ``name`` is one text, no ``_name`` companion), else None (the criterion is evaluated as
    written). The same answer as the criterion: a missing ``name`` is empty (the item is left
    out), a text is compared by its key (``operators.key``) with the constant's keys, as the
    compiled ``in`` does. Only when the compiler optimises (``Compiler.optimize``)."""
    if ast.kind != "binary" or ast.value != "in" or ast.args[0].kind != "name":
        return None
    keys = compiler._constant_keys(ast.args[1])
    if keys is None:
        return None
    name, companion = ast.args[0].value, "_" + ast.args[0].value

    def by_key(item):
        if item.__class__ is not Node:
            return None
        data = item.data
        if data.__class__ is not dict or "resourceType" in data or companion in data:
            return None
        kind, key, _path, type_ = child_info(item.path, name)
        if kind == "choice" or key != name or type_ in DATE_TYPES:
            return None
        value = data.get(name)
        if value is None:
            return False
        if value.__class__ is not str:
            return None
        return ("s", value) in keys

    return by_key


@function("all", 1)
def _all(compiler, inp, args, asts):
    criterion = args[0]

    def all_(focus, ctx):
        coll = inp(focus, ctx)
        saved_this, saved_index = ctx.this, ctx.index
        answer = True
        for i, item in enumerate(coll):
            one = [item]
            ctx.this = one
            ctx.index = i
            if as_bool(criterion(one, ctx), "all()") is not True:
                answer = False
                break
        ctx.this, ctx.index = saved_this, saved_index
        return [answer]

    return all_


@function("select", 1)
def _select(compiler, inp, args, asts):
    projection = args[0]

    def select(focus, ctx):
        coll = inp(focus, ctx)
        if not coll:
            return []
        saved_this, saved_index = ctx.this, ctx.index
        out = []
        for i, item in enumerate(coll):
            one = [item]
            ctx.this = one
            ctx.index = i
            out.extend(projection(one, ctx))
        ctx.this, ctx.index = saved_this, saved_index
        return out

    return select


@function("repeat", 1)
def _repeat(compiler, inp, args, asts):
    projection = args[0]

    def repeat(focus, ctx):
        queue = inp(focus, ctx)
        saved_this, saved_index = ctx.this, ctx.index
        out = []
        seen = set()
        while queue:
            new = []
            for i, item in enumerate(queue):
                one = [item]
                ctx.this = one
                ctx.index = i
                for found in projection(one, ctx):
                    k = ops.key(found)
                    if k not in seen:
                        seen.add(k)
                        out.append(found)
                        new.append(found)
            queue = new
        ctx.this, ctx.index = saved_this, saved_index
        return out

    return repeat


@function("aggregate", 1, 2)
def _aggregate(compiler, inp, args, asts):
    aggregator = args[0]
    init = args[1] if len(args) > 1 else None

    def aggregate(focus, ctx):
        coll = inp(focus, ctx)
        total = init(ctx.this, ctx) if init is not None else []
        saved = ctx.this, ctx.index, ctx.total
        for i, item in enumerate(coll):
            one = [item]
            ctx.this = one
            ctx.index = i
            ctx.total = total
            total = aggregator(one, ctx)
        ctx.this, ctx.index, ctx.total = saved
        return total

    return aggregate


@function("iif", 2, 3)
def _iif(compiler, inp, args, asts):
    criterion, when_true = args[0], args[1]
    otherwise = args[2] if len(args) > 2 else None

    def iif(focus, ctx):
        coll = inp(focus, ctx)
        saved = ctx.this
        ctx.this = coll
        if as_bool(criterion(coll, ctx), "iif()") is True:
            result = when_true(coll, ctx)
        elif otherwise is not None:
            result = otherwise(coll, ctx)
        else:
            result = []
        ctx.this = saved
        return result

    return iif


def _type_name(ast: Ast) -> str:
    if ast.kind == "name":
        return ast.value
    if ast.kind == "invoke" and ast.args[1].kind == "member":
        return _type_name(ast.args[0]) + "." + ast.args[1].value
    raise FHIRPathError("expected a type name")


def _type_check(name: str, single_item: bool):
    def builder(compiler, inp, args, asts):
        namespace, type_name = resolve_type(_type_name(asts[0]))
        if name == "ofType":
            return lambda focus, ctx: [x for x in inp(focus, ctx) if is_type(x, namespace, type_name, True)]

        def check(focus, ctx):
            coll = inp(focus, ctx)
            if not coll:
                return []
            if len(coll) > 1:
                raise FHIRPathError(f"{name}() needs a single item, but got {len(coll)}")
            matches = is_type(coll[0], namespace, type_name)
            if name == "is":
                return [matches]
            return [coll[0]] if matches else []

        return check

    return builder


for _name in ("ofType", "is", "as"):
    FUNCTIONS[_name] = (1, 1, _type_check(_name, _name != "ofType"))


# subsetting
def _single(c):
    if len(c) > 1:
        raise FHIRPathError(f"single() found {len(c)} items")
    return list(c)


simple("single", _single)
simple("first", lambda c: c[:1])
simple("last", lambda c: c[-1:])
simple("tail", lambda c: c[1:])


@function("skip", 1)
def _skip(compiler, inp, args, asts):
    def skip(focus, ctx):
        coll = inp(focus, ctx)
        n = int_arg(args[0], ctx, "skip()")
        if n is None:
            return []
        return list(coll) if n <= 0 else coll[n:]

    return skip


@function("take", 1)
def _take(compiler, inp, args, asts):
    def take(focus, ctx):
        coll = inp(focus, ctx)
        n = int_arg(args[0], ctx, "take()")
        if n is None or n <= 0:
            return []
        return coll[:n]

    return take


def _collection_op(impl):
    def builder(compiler, inp, args, asts):
        other = args[0]
        return lambda focus, ctx: impl(inp(focus, ctx), other(ctx.this, ctx))

    return builder


def _intersect(a, b):
    return [x for x in ops.distinct(a) if ops.contains_item(b, x)]


def _exclude(a, b):
    return [x for x in a if not ops.contains_item(b, x)]


for _name, _impl in {
    "union": ops.union,
    "combine": lambda a, b: a + b,
    "intersect": _intersect,
    "exclude": _exclude,
    "subsetOf": lambda a, b: [all(ops.contains_item(b, x) for x in a)],
    "supersetOf": lambda a, b: [all(ops.contains_item(a, x) for x in b)],
}.items():
    FUNCTIONS[_name] = (1, 1, _collection_op(_impl))


# tree navigation and FHIR
def _children(coll):
    out = []
    for item in coll:
        if item.__class__ is Node:
            out.extend(children(item))
    return out


def _descendants(coll):
    out = []
    level = _children(coll)
    while level:
        out.extend(level)
        level = _children(level)
    return out


simple("children", _children)
simple("descendants", _descendants)


def _type_info(item) -> Node:
    """type(): the item's type as a (namespace, name) element (FHIRPath's SimpleTypeInfo/ClassInfo,
    navigated like FHIR data: ``.namespace``, ``.name``)."""
    if item.__class__ is Node and item.type:
        namespace, _, name = item.type.rpartition(".")
        info = {"namespace": namespace or "FHIR", "name": name}
    else:
        info = {"namespace": "System", "name": system_type(node_value(item) if item.__class__ is Node else item)}
    return Node(info, None, None)


simple("type", lambda c: [_type_info(item) for item in present(c)])


def _has_value(coll):
    if len(coll) != 1:
        return [False]
    item = coll[0]
    if item.__class__ is Node:
        data = item.data
        return [data is not None and data.__class__ is not dict]
    return [True]


simple("hasValue", _has_value)


@function("extension", 1)
def _extension(compiler, inp, args, asts):
    def extension(focus, ctx):
        coll = inp(focus, ctx)
        url = str_arg(args[0], ctx, "extension()")
        if url is None:
            return []
        out = []
        for item in coll:
            if item.__class__ is not Node:
                continue
            data = item.data
            extensions = data.get("extension") if data.__class__ is dict else None
            if extensions is None and item.ext.__class__ is dict:  # a primitive's `_name` companion
                extensions = item.ext.get("extension")
            if extensions.__class__ is list:
                for ext in extensions:
                    if ext.__class__ is dict and ext.get("url") == url:
                        out.append(Node(ext, "Extension", "Extension", item, None))
        return out

    return extension


@function("trace", 1, 2)
def _trace(compiler, inp, args, asts):
    return inp


def _weight(compiler, inp, args, asts):
    return lambda focus, ctx: weight(inp(focus, ctx), ctx.questionnaire())


FUNCTIONS["weight"] = (0, 0, _weight)
FUNCTIONS["ordinal"] = (0, 0, _weight)
