"""The table of FHIRPath functions and the helpers their implementations share.

A function is registered under its FHIRPath name with its number of arguments and a builder
``builder(compiler, inp, args, asts) -> Fn`` that is called once, when an expression is
compiled: ``inp`` is the compiled input, ``args`` the compiled arguments and ``asts`` their
syntax trees. The modules :mod:`.functions`, :mod:`.conversions`, :mod:`.strings` and
:mod:`.numbers` fill the table when they are imported (:mod:`.compiler` imports them all).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from . import operators as ops
from .context import Ctx, Fn
from .errors import FHIRPathError
from .model import Node, node_value
from .operators import describe, single

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


# -- helpers used by the functions ------------------------------------------------------------


def int_arg(fn: Fn, ctx: Ctx, what: str):
    v = single(fn(ctx.this, ctx), what)
    if v is None:
        return None
    if v.__class__ is Decimal and v == v.to_integral_value():
        return int(v)
    if v.__class__ is not int:
        raise FHIRPathError(f"{what} needs a whole number, not {describe(v)}")
    return v


def str_arg(fn: Fn, ctx: Ctx, what: str):
    v = single(fn(ctx.this, ctx), what)
    if v is not None and not isinstance(v, str):
        raise FHIRPathError(f"{what} needs text, not {describe(v)}")
    return v


def str_input(coll: list, what: str):
    v = single(coll, what)
    if v is not None and not isinstance(v, str):
        raise FHIRPathError(f"{what} works on text, not {describe(v)}")
    return v


def num_input(coll: list, what: str):
    v = single(coll, what)
    if v is not None and (v.__class__ is bool or not ops.is_number(v)):
        raise FHIRPathError(f"{what} works on numbers, not {describe(v)}")
    return v


def bools(coll: list):
    """The System values of the items (a Boolean element as True/False)."""
    return [node_value(item) if item.__class__ is Node else item for item in coll]
