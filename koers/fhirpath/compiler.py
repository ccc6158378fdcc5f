"""Compile a FHIRPath syntax tree into nested Python closures.

Every compiled piece is a function ``fn(focus: list, ctx: Ctx) -> list``: it takes the input
collection and the evaluation context and returns the output collection. Parsing, name
resolution, type names and the set of functions are all checked once, when the expression is
compiled; evaluating is then only these closures calling each other.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from . import conversions, functions, numbers, strings  # noqa: F401 - importing them fills FUNCTIONS
from . import operators as ops
from .context import Collection, Ctx, Fn, to_collection
from .errors import FHIRPathError, UnsupportedError
from .model import (
    Node,
    child_info,
    child_nodes,
    is_subtype,
    is_type,
    present,
    primitive,
    resolve_type,
    to_python,
    unsupported,
)
from .operators import as_bool, describe, single
from .parser import Ast, parse
from .registry import FUNCTIONS

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
                        if is_subtype(item.type, name):
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
                            info = infos[item.path] = child_info(item.path, name)
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
            left = _present(self.compile_value(left_ast))
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
            left = _present(self.compile_value(ast.args[0]))
            right = _present(self.compile_value(ast.args[1]))
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


def _present(fn: Fn) -> Fn:
    """Leave out primitives without a value (only an extension): they are not values."""
    return lambda focus, ctx: present(fn(focus, ctx))


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
        result = present(result)
        out = Collection([to_python(item) for item in result])
        out.nodes = list(result)
        return out

    def __repr__(self):
        return f"<FHIRPath {self.text!r}>"
