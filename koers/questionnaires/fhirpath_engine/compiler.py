"""Compile a FHIRPath syntax tree into nested Python closures.

Every compiled piece is a function ``fn(focus: list, ctx: Ctx) -> list``: it takes the input
collection and the evaluation context and returns the output collection. Parsing, name
resolution, type names and the set of functions are all checked once, when the expression is
compiled; evaluating is then only these closures calling each other.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from . import operators as ops
from .errors import FHIRPathError, UnsupportedError
from .model import (
    DateTimeText,
    Node,
    _child_info,
    _is_subtype,
    child_nodes,
    children,
    is_type,
    node_value,
    primitive,
    resolve_type,
    to_python,
    unsupported,
)
from .operators import DEC, as_bool, describe, single
from .parser import Ast, parse
from .sdc import weight

Fn = Callable[[list, "Ctx"], list]

CONSTANTS = {
    "ucum": "http://unitsofmeasure.org",
    "sct": "http://snomed.info/sct",
    "loinc": "http://loinc.org",
}


class Collection(list):
    """A FHIRPath result: a plain list of Python values (elements as their JSON dicts, decimals as
    ``Decimal``). It also remembers the engine's own items in ``nodes``, so that passing it back
    in as an environment variable (an SDC ``variable``) keeps each element's type and parent,
    which ``weight()`` needs."""

    __slots__ = ("nodes",)


def to_collection(value) -> list:
    """An environment value (or the resource) as an engine collection."""
    if value is None:
        return []
    if value.__class__ is Collection:
        return value.nodes
    if isinstance(value, (list, tuple)):
        return [_item(v) for v in value if v is not None]
    return [_item(value)]


def _item(value):
    cls = value.__class__
    if cls is dict:
        return Node(value, None, None)
    if cls is float:
        return Decimal(repr(value))
    if cls in (int, bool, str, Decimal, Node, DateTimeText):
        return value
    if isinstance(value, dict):
        return Node(dict(value), None, None)
    raise FHIRPathError(f"cannot use a {cls.__name__} as a FHIRPath value")


class Ctx:
    __slots__ = ("env", "cache", "this", "index", "total", "root")

    def __init__(self, env, root):
        self.env = env
        self.cache = {}
        self.this = root
        self.index = None
        self.total = []
        self.root = root

    def var(self, name: str) -> list:
        cache = self.cache
        found = cache.get(name)
        if found is not None:
            return found
        env = self.env
        if env is not None and name in env:
            found = to_collection(env[name])
        elif name in ("context", "resource", "rootResource"):
            found = self.root
        elif name in CONSTANTS:
            found = [CONSTANTS[name]]
        elif name.startswith("vs-"):
            found = ["http://hl7.org/fhir/ValueSet/" + name[3:]]
        elif name.startswith("ext-"):
            found = ["http://hl7.org/fhir/StructureDefinition/" + name[4:]]
        else:
            raise FHIRPathError(f"the variable %{name} is not defined")
        cache[name] = found
        return found

    def questionnaire(self):
        env = self.env
        value = env.get("questionnaire") if env is not None else None
        if value.__class__ is Collection:
            value = value.nodes
        if isinstance(value, (list, tuple)):
            value = value[0] if len(value) == 1 else None
        if value.__class__ is Node:
            value = value.data
        return value if isinstance(value, dict) else None


# -- helpers used by the functions ------------------------------------------------------------


def _int_arg(fn: Fn, ctx: Ctx, what: str):
    v = single(fn(ctx.this, ctx), what)
    if v is None:
        return None
    if v.__class__ is Decimal and v == v.to_integral_value():
        return int(v)
    if v.__class__ is not int:
        raise FHIRPathError(f"{what} needs a whole number, not {describe(v)}")
    return v


def _str_arg(fn: Fn, ctx: Ctx, what: str):
    v = single(fn(ctx.this, ctx), what)
    if v is not None and not isinstance(v, str):
        raise FHIRPathError(f"{what} needs text, not {describe(v)}")
    return v


def _str_input(coll: list, what: str):
    v = single(coll, what)
    if v is not None and not isinstance(v, str):
        raise FHIRPathError(f"{what} works on text, not {describe(v)}")
    return v


def _num_input(coll: list, what: str):
    v = single(coll, what)
    if v is not None and (v.__class__ is bool or not ops.is_number(v)):
        raise FHIRPathError(f"{what} works on numbers, not {describe(v)}")
    return v


def _bools(coll: list, what: str):
    out = []
    for item in coll:
        v = node_value(item) if item.__class__ is Node else item
        if v is not True and v is not False:
            raise FHIRPathError(f"{what} works on true/false values, not {describe(v)}")
        out.append(v)
    return out


def decimal_text(v: Decimal) -> str:
    text = format(v, "f")
    return "0" if text in ("-0", "") else text


_INT_TEXT = re.compile(r"[+-]?\d+")
_DEC_TEXT = re.compile(r"[+-]?\d+(\.\d+)?")
_TRUE = {"true", "t", "yes", "y", "1", "1.0"}
_FALSE = {"false", "f", "no", "n", "0", "0.0"}


def _to_integer(v):
    cls = v.__class__
    if cls is bool:
        return 1 if v else 0
    if cls is int:
        return v
    if cls is str and _INT_TEXT.fullmatch(v):
        return int(v)
    return None


def _to_decimal(v):
    cls = v.__class__
    if cls is bool:
        return Decimal("1.0") if v else Decimal("0.0")
    if cls is int:
        return Decimal(v)
    if cls is Decimal:
        return v
    if cls is str and _DEC_TEXT.fullmatch(v):
        return Decimal(v)
    return None


def _to_boolean(v):
    cls = v.__class__
    if cls is bool:
        return v
    if cls is int:
        return {1: True, 0: False}.get(v)
    if cls is Decimal:
        return True if v == 1 else False if v == 0 else None
    if cls is str:
        low = v.lower()
        return True if low in _TRUE else False if low in _FALSE else None
    return None


def _to_string(v):
    cls = v.__class__
    if cls is bool:
        return "true" if v else "false"
    if cls is int:
        return str(v)
    if cls is Decimal:
        return decimal_text(v)
    if isinstance(v, str):
        return str(v)
    return None


CONVERSIONS = {
    "Integer": _to_integer,
    "Decimal": _to_decimal,
    "Boolean": _to_boolean,
    "String": _to_string,
}


def _js_replacement(substitution: str):
    """FHIRPath (like JavaScript) writes group references as $1 or ${name} in replaceMatches()."""

    def expand(match: re.Match) -> str:
        out = []
        i = 0
        text = substitution
        while i < len(text):
            ch = text[i]
            if ch == "$" and i + 1 < len(text):
                nxt = text[i + 1]
                if nxt == "$":
                    out.append("$")
                    i += 2
                    continue
                if nxt.isdigit():
                    j = i + 1
                    while j < len(text) and text[j].isdigit():
                        j += 1
                    out.append(match.group(int(text[i + 1 : j])) or "")
                    i = j
                    continue
                if nxt == "{":
                    end = text.find("}", i)
                    if end > 0:
                        out.append(match.group(text[i + 2 : end]) or "")
                        i = end + 1
                        continue
            out.append(ch)
            i += 1
        return "".join(out)

    return expand


def _regex(pattern: str):
    # FHIRPath allows (?<name>...) named groups; Python spells them (?P<name>...).
    pattern = re.sub(r"\(\?<([A-Za-z_][A-Za-z0-9_]*)>", r"(?P<\1>", pattern)
    try:
        return re.compile(pattern, re.DOTALL)
    except re.error as exc:
        raise FHIRPathError(f"invalid regular expression {pattern!r}: {exc}") from None


# -- function table ---------------------------------------------------------------------------
# name -> (min args, max args, builder(compiler, input fn, arg fns, arg asts) -> Fn)
FUNCTIONS: dict[str, tuple[int, int, Callable]] = {}


def function(name: str, min_args: int = 0, max_args: int | None = None):
    def register(builder):
        FUNCTIONS[name] = (min_args, min_args if max_args is None else max_args, builder)
        return builder

    return register


def simple(name: str, impl: Callable[[list], list]):
    """A function without arguments computed from its input collection alone."""

    def builder(compiler, inp, args, asts):
        def fn(focus, ctx):
            return impl(inp(focus, ctx))

        return fn

    FUNCTIONS[name] = (0, 0, builder)


# existence
simple("empty", lambda c: [not c])
simple("count", lambda c: [len(c)])
simple("distinct", ops.distinct)
simple("isDistinct", lambda c: [len(ops.distinct(c)) == len(c)])
simple("allTrue", lambda c: [all(_bools(c, "allTrue()"))])
simple("anyTrue", lambda c: [any(_bools(c, "anyTrue()"))])
simple("allFalse", lambda c: [not any(_bools(c, "allFalse()"))])
simple("anyFalse", lambda c: [not all(_bools(c, "anyFalse()"))])


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

    def where(focus, ctx):
        coll = inp(focus, ctx)
        if not coll:
            return []
        saved_this, saved_index = ctx.this, ctx.index
        out = []
        for i, item in enumerate(coll):
            one = [item]
            ctx.this = one
            ctx.index = i
            result = criterion(one, ctx)
            if result and ((result[0] is True and len(result) == 1) or as_bool(result, "where()") is True):
                out.append(item)
        ctx.this, ctx.index = saved_this, saved_index
        return out

    return where


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
        n = _int_arg(args[0], ctx, "skip()")
        if n is None:
            return []
        return list(coll) if n <= 0 else coll[n:]

    return skip


@function("take", 1)
def _take(compiler, inp, args, asts):
    def take(focus, ctx):
        coll = inp(focus, ctx)
        n = _int_arg(args[0], ctx, "take()")
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


# conversion
def _conversion(kind: str, converts: bool):
    convert = CONVERSIONS[kind]
    label = ("convertsTo" if converts else "to") + kind + "()"

    def impl(coll):
        v = single(coll, label)
        if v is None:
            return []
        result = convert(v)
        if converts:
            return [result is not None]
        return [] if result is None else [result]

    return impl


for _kind in CONVERSIONS:
    simple("to" + _kind, _conversion(_kind, False))
    simple("convertsTo" + _kind, _conversion(_kind, True))


# strings
def _string_fn(name: str, arg_count: int, impl, max_args: int | None = None):
    label = name + "()"

    def builder(compiler, inp, args, asts):
        def fn(focus, ctx):
            s = _str_input(inp(focus, ctx), label)
            if s is None:
                return []
            values = []
            for arg in args:
                v = _int_arg(arg, ctx, label) if name == "substring" else _str_arg(arg, ctx, label)
                if v is None:
                    return []
                values.append(v)
            return impl(s, *values)

        return fn

    FUNCTIONS[name] = (arg_count, arg_count if max_args is None else max_args, builder)


def _substring(s, start, length=None):
    if start < 0 or start >= len(s):
        return []
    if length is None:
        return [s[start:]]
    return [s[start : start + max(length, 0)]]


_string_fn("indexOf", 1, lambda s, sub: [s.find(sub)])
_string_fn("substring", 1, _substring, 2)
_string_fn("startsWith", 1, lambda s, prefix: [s.startswith(prefix)])
_string_fn("endsWith", 1, lambda s, suffix: [s.endswith(suffix)])
_string_fn("contains", 1, lambda s, sub: [sub in s])
_string_fn("upper", 0, lambda s: [s.upper()])
_string_fn("lower", 0, lambda s: [s.lower()])
_string_fn("replace", 2, lambda s, pattern, sub: [s.replace(pattern, sub)])
_string_fn("matches", 1, lambda s, regex: [_regex(regex).search(s) is not None])
_string_fn("replaceMatches", 2, lambda s, regex, sub: [_regex(regex).sub(_js_replacement(sub), s)])
_string_fn("length", 0, lambda s: [len(s)])
_string_fn("toChars", 0, lambda s: list(s))
_string_fn("trim", 0, lambda s: [s.strip()])
_string_fn("split", 1, lambda s, sep: s.split(sep) if sep else list(s))


@function("join", 0, 1)
def _join(compiler, inp, args, asts):
    def join(focus, ctx):
        coll = inp(focus, ctx)
        separator = _str_arg(args[0], ctx, "join()") if args else ""
        texts = []
        for item in coll:
            v = node_value(item) if item.__class__ is Node else item
            if not isinstance(v, str):
                raise FHIRPathError(f"join() works on text, not {describe(v)}")
            texts.append(v)
        return [(separator or "").join(texts)]

    return join


# math
def _math_fn(name: str, impl, arg_count: int = 0):
    label = name + "()"

    def builder(compiler, inp, args, asts):
        def fn(focus, ctx):
            v = _num_input(inp(focus, ctx), label)
            if v is None:
                return []
            values = []
            for arg in args:
                a = single(arg(ctx.this, ctx), label)
                if a is None:
                    return []
                if a.__class__ is bool or not ops.is_number(a):
                    raise FHIRPathError(f"{label} needs a number, not {describe(a)}")
                values.append(a)
            try:
                return impl(v, *values)
            except InvalidOperation:
                return []

        return fn

    FUNCTIONS[name] = (0 if name == "round" else arg_count, arg_count, builder)


def _round(v, precision=0):
    if precision.__class__ is Decimal:
        if precision != precision.to_integral_value():
            raise FHIRPathError("round() needs a whole number of decimal places")
        precision = int(precision)
    if precision < 0:
        raise FHIRPathError("round() needs 0 or more decimal places")
    d = ops.to_decimal(v)
    return [d.quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP, context=DEC)]


def _power(v, exponent):
    if v.__class__ is int and exponent.__class__ is int and exponent >= 0:
        return [v**exponent]
    result = DEC.power(ops.to_decimal(v), ops.to_decimal(exponent))
    return [result]


def _to_int(v, rounding):
    if v.__class__ is int:
        return [v]
    return [int(v.to_integral_value(rounding=rounding, context=DEC))]


_math_fn("abs", lambda v: [abs(v)])
_math_fn("ceiling", lambda v: _to_int(v, ROUND_CEILING))
_math_fn("floor", lambda v: _to_int(v, ROUND_FLOOR))
_math_fn("truncate", lambda v: _to_int(v, ROUND_DOWN))
_math_fn("round", _round, 1)
_math_fn("sqrt", lambda v: [] if v < 0 else [DEC.sqrt(ops.to_decimal(v))])
_math_fn("exp", lambda v: [DEC.exp(ops.to_decimal(v))])
_math_fn("ln", lambda v: [] if v <= 0 else [DEC.ln(ops.to_decimal(v))])
_math_fn(
    "log",
    lambda v, base: (
        []
        if v <= 0 or base <= 0 or base == 1
        else [DEC.divide(DEC.ln(ops.to_decimal(v)), DEC.ln(ops.to_decimal(base)))]
    ),
    1,
)
_math_fn("power", _power, 1)


# aggregates
def _numbers(coll: list, what: str) -> list:
    out = []
    for item in coll:
        v = node_value(item) if item.__class__ is Node else item
        if v.__class__ is Node and v.data is None:
            continue
        if v.__class__ is bool or not ops.is_number(v):
            raise FHIRPathError(f"{what} works on numbers, not {describe(v)}")
        out.append(v)
    return out


def _sum(coll):
    values = _numbers(coll, "sum()")
    if not values:
        return []
    if all(v.__class__ is int for v in values):
        return [sum(values)]
    total = Decimal(0)
    for v in values:
        total = DEC.add(total, ops.to_decimal(v))
    return [total]


def _avg(coll):
    values = _numbers(coll, "avg()")
    if not values:
        return []
    total = Decimal(0)
    for v in values:
        total = DEC.add(total, ops.to_decimal(v))
    return [DEC.divide(total, Decimal(len(values)))]


def _extreme(name: str, pick_greater: bool):
    def impl(coll):
        if not coll:
            return []
        best = coll[0]
        for item in coll[1:]:
            pair = ops.greater([item], [best]) if pick_greater else ops.less([item], [best])
            if pair and pair[0]:
                best = item
        ops.greater([best], [best])  # type check even for a single item
        return [best]

    return impl


simple("sum", _sum)
simple("avg", _avg)
simple("min", _extreme("min", False))
simple("max", _extreme("max", True))


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
        url = _str_arg(args[0], ctx, "extension()")
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

NOT_SUPPORTED_HINTS = {
    "today": "dates and times",
    "now": "dates and times",
    "timeOfDay": "dates and times",
    "resolve": "resolving references",
    "memberOf": "terminology services",
}


# -- the compiler -----------------------------------------------------------------------------


class Compiler:
    """``optimize=False`` turns off constant folding and value-only navigation: the tests compare
    both ways on many expressions to show the optimisations never change a result."""

    def __init__(self, expression: str, optimize: bool = True):
        self.expression = expression
        self.optimize = optimize

    def compile(self, ast: Ast) -> Fn:
        fn = getattr(self, "c_" + ast.kind)(ast)
        if self.optimize and ast.kind != "literal" and is_constant(ast):
            # Evaluate parts that do not depend on the data once, now (e.g. ('1' | '2' | '3')).
            try:
                value = fn([], Ctx(None, []))
            except FHIRPathError:
                return fn  # e.g. 1 + 'a': let it fail when (and if) it is evaluated
            return lambda focus, ctx: value
        return fn

    def c_literal(self, ast: Ast) -> Fn:
        kind, text = ast.value
        if kind == "empty":
            return lambda focus, ctx: []
        if kind == "bool":
            value = text == "true"
        elif kind == "string":
            value = text
        elif kind == "integer":
            value = int(text)
        elif kind == "decimal":
            value = Decimal(text)
        elif kind in ("date", "datetime", "time"):
            raise unsupported(f"the date/time literal {text}")
        elif kind == "quantity":
            raise unsupported(f"the quantity {text}")
        else:
            raise unsupported(f"the Long number {text}")
        return lambda focus, ctx: [value]

    def c_name(self, ast: Ast, values: bool = False) -> Fn:
        name = ast.value

        def name_fn(focus, ctx):
            out = []
            for item in focus:
                if item.__class__ is Node:
                    if item.type is not None and item.data.__class__ is dict and "resourceType" in item.data:
                        if _is_subtype(item.type, name):
                            out.append(item)
                            continue
                    child_nodes(item, name, out, values)
            return out

        return name_fn

    def member(self, inp: Fn, name: str, values: bool = False) -> Fn:
        companion = "_" + name
        infos: dict = {}

        def member_fn(focus, ctx):
            out = []
            for item in inp(focus, ctx):
                if item.__class__ is not Node:
                    continue
                data = item.data
                if data.__class__ is dict:
                    # Fast path for the common shape (a list of objects, e.g. item or answer).
                    found = data.get(name)
                    if found.__class__ is list and companion not in data:
                        info = infos.get(item.path)
                        if info is None:
                            info = infos[item.path] = _child_info(item.path, name)
                        if info[0] != "choice":
                            path, type_ = info[2], info[3]
                            for element in found:
                                if element.__class__ is dict:
                                    out.append(Node(element, path, type_, item, None))
                                elif element is not None:
                                    if values:
                                        v = primitive(element, type_)
                                        out.append(v if v is not None else Node(element, path, type_, item, None))
                                    else:
                                        out.append(Node(element, path, type_, item, None))
                            continue
                child_nodes(item, name, out, values)
            return out

        return member_fn

    def compile_value(self, ast: Ast) -> Fn:
        """Compile an operand whose consumer only looks at values (an operator, count(), sum()…):
        a path then yields primitives as System values without wrapping each in a Node. The
        result is the same as with Nodes, only faster."""
        if not self.optimize:
            return self.compile(ast)
        if ast.kind == "name":
            return self.c_name(ast, values=True)
        if ast.kind == "invoke" and ast.args[1].kind == "member":
            return self.member(self.compile(ast.args[0]), ast.args[1].value, values=True)
        return self.compile(ast)

    def c_this(self, ast: Ast) -> Fn:
        return lambda focus, ctx: ctx.this

    def c_index(self, ast: Ast) -> Fn:
        return lambda focus, ctx: [] if ctx.index is None else [ctx.index]

    def c_total(self, ast: Ast) -> Fn:
        return lambda focus, ctx: ctx.total

    def c_var(self, ast: Ast) -> Fn:
        name = ast.value
        return lambda focus, ctx: ctx.var(name)

    def c_function(self, ast: Ast, inp: Fn | None = None) -> Fn:
        name = ast.value
        spec = FUNCTIONS.get(name)
        if spec is None:
            hint = NOT_SUPPORTED_HINTS.get(name)
            raise UnsupportedError(
                f"the function {name}() is not supported" + (f" (Koers does not evaluate {hint})" if hint else "")
            )
        min_args, max_args, builder = spec
        n = len(ast.args)
        if not min_args <= n <= max_args:
            expected = str(min_args) if min_args == max_args else f"{min_args} to {max_args}"
            raise FHIRPathError(f"{name}() takes {expected} argument(s), not {n}")
        if inp is None:
            inp = _identity
        if name in ("ofType", "is", "as"):
            args = []
        else:
            args = [self.compile(arg) for arg in ast.args]
        return builder(self, inp, args, ast.args)

    def c_invoke(self, ast: Ast) -> Fn:
        left_ast, right = ast.args
        if right.kind == "function" and right.value in VALUE_INPUT and not (right.value == "exists" and right.args):
            left = self.compile_value(left_ast)
        else:
            left = self.compile(left_ast)
        if right.kind == "member":
            return self.member(left, right.value)
        if right.kind == "function":
            return self.c_function(right, left)
        return self.compile(right)  # $this, $index, $total after a dot

    def c_indexer(self, ast: Ast) -> Fn:
        coll_fn = self.compile(ast.args[0])
        index_fn = self.compile(ast.args[1])

        def indexer(focus, ctx):
            coll = coll_fn(focus, ctx)
            i = single(index_fn(focus, ctx), "[]")
            if i is None:
                return []
            if i.__class__ is not int:
                raise FHIRPathError(f"an index needs a whole number, not {describe(i)}")
            return [coll[i]] if 0 <= i < len(coll) else []

        return indexer

    def c_unary(self, ast: Ast) -> Fn:
        operand = self.compile(ast.args[0])
        sign = ast.value
        return lambda focus, ctx: ops.negate(operand(focus, ctx), sign)

    def c_type(self, ast: Ast) -> Fn:
        op, spec = ast.value
        namespace, type_name = resolve_type(spec)
        left = self.compile(ast.args[0])

        def type_op(focus, ctx):
            coll = left(focus, ctx)
            if not coll:
                return []
            if len(coll) > 1:
                raise FHIRPathError(f"'{op}' needs a single item, but got {len(coll)}")
            matches = is_type(coll[0], namespace, type_name)
            if op == "is":
                return [matches]
            return [coll[0]] if matches else []

        return type_op

    def _constant_keys(self, ast: Ast) -> frozenset | None:
        """The membership keys of a constant, non-empty collection of primitives, else None."""
        if not self.optimize or not is_constant(ast):
            return None
        try:
            values = self.compile(ast)([], Ctx(None, []))
        except FHIRPathError:
            return None
        if not values or not all(v.__class__ in (str, int, bool, Decimal) for v in values):
            return None
        return frozenset(ops.key(v) for v in values)

    def c_binary(self, ast: Ast) -> Fn:
        op = ast.value
        if op == "|":
            left = self.compile(ast.args[0])
            right = self.compile(ast.args[1])
        else:
            left = self.compile_value(ast.args[0])
            right = self.compile_value(ast.args[1])
        if op in ("and", "or", "xor", "implies"):

            def logic(focus, ctx):
                a = as_bool(left(focus, ctx), f"'{op}'")
                b = as_bool(right(focus, ctx), f"'{op}'")
                return ops.logic(op, a, b)

            return logic
        if op == "|":
            return lambda focus, ctx: ops.union(left(focus, ctx), right(focus, ctx))
        if op == "in":
            keys = self._constant_keys(ast.args[1])
            if keys is not None:

                def member_in(focus, ctx):
                    coll = left(focus, ctx)
                    if not coll:
                        return []
                    if len(coll) > 1:  # (the right side is a constant, never empty)
                        raise FHIRPathError(f"'in' needs a single item on its left, but got {len(coll)}")
                    return [ops.key(coll[0]) in keys]

                return member_in
            return lambda focus, ctx: ops.member_in(left(focus, ctx), right(focus, ctx))
        if op == "contains":
            return lambda focus, ctx: ops.member_contains(left(focus, ctx), right(focus, ctx))
        impl = ops.COMPARISON.get(op) or ops.check_decimal(ops.ARITHMETIC[op])
        return lambda focus, ctx: impl(left(focus, ctx), right(focus, ctx))


IMPURE_FUNCTIONS = {"weight", "ordinal"}
# Functions that only look at the values of their input (see Compiler.compile_value).
VALUE_INPUT = {
    "empty",
    "exists",
    "count",
    "not",
    "allTrue",
    "anyTrue",
    "allFalse",
    "anyFalse",
    "sum",
    "avg",
    "toInteger",
    "toDecimal",
    "toString",
    "toBoolean",
    "convertsToInteger",
    "convertsToDecimal",
    "convertsToString",
    "convertsToBoolean",
    "indexOf",
    "substring",
    "startsWith",
    "endsWith",
    "contains",
    "upper",
    "lower",
    "replace",
    "matches",
    "replaceMatches",
    "length",
    "toChars",
    "trim",
    "split",
    "join",
    "abs",
    "ceiling",
    "floor",
    "truncate",
    "round",
    "sqrt",
    "exp",
    "ln",
    "log",
    "power",
}


def is_constant(ast: Ast) -> bool:
    """Whether the value of ``ast`` is the same for every resource and environment."""
    kind = ast.kind
    if kind == "literal":
        return True
    if kind in ("unary", "binary", "indexer", "type"):
        return all(is_constant(arg) for arg in ast.args)
    if kind == "function":
        return False  # without an explicit input it works on the focus
    if kind == "invoke":
        left, right = ast.args
        if right.kind != "function" or right.value in IMPURE_FUNCTIONS or right.value not in FUNCTIONS:
            return False
        if right.value in ("ofType", "is", "as"):
            return is_constant(left)
        return is_constant(left) and all(is_constant(arg) for arg in right.args)
    return False


def _identity(focus, ctx):
    return focus


class Expression:
    """A compiled FHIRPath expression. Call it with a resource (a FHIR JSON dict, or a list of
    them) and optionally an environment of %variables; it returns a :class:`Collection`."""

    __slots__ = ("text", "_fn")

    def __init__(self, text: str, optimize: bool = True):
        self.text = text
        try:
            self._fn = Compiler(text, optimize).compile(parse(text))
        except FHIRPathError as exc:
            if exc.expression is None:
                raise type(exc)(exc.message, text) from None
            raise
        except RecursionError:
            raise FHIRPathError("the expression is nested too deeply", text) from None

    def __call__(self, resource, env: dict | None = None) -> Collection:
        root = to_collection(resource)
        ctx = Ctx(env, root)
        try:
            result = self._fn(root, ctx)
        except FHIRPathError as exc:
            if exc.expression is None:
                raise type(exc)(exc.message, self.text) from None
            raise
        except (InvalidOperation, RecursionError) as exc:
            raise FHIRPathError(f"evaluation failed: {type(exc).__name__}", self.text) from None
        out = Collection([to_python(item) for item in result])
        out.nodes = list(result)
        return out

    def __repr__(self):
        return f"<FHIRPath {self.text!r}>"
