"""The FHIRPath math functions (abs() … power()) and the aggregates sum(), avg(), min(), max().

Arithmetic is ``Decimal`` in the context of :mod:`.operators` (28 significant digits)."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from . import operators as ops
from .errors import FHIRPathError
from .model import Node, node_value
from .operators import DEC, describe, single
from .registry import FUNCTIONS, num_input, simple


# math
def _math_fn(name: str, impl, arg_count: int = 0):
    label = name + "()"

    def builder(compiler, inp, args, asts):
        def fn(focus, ctx):
            v = num_input(inp(focus, ctx), label)
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
