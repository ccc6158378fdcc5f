"""FHIRPath operators on collections: equality, comparison, arithmetic, logic, membership, union.

Numbers follow the FHIRPath Decimal rules: Integer stays ``int``; Decimal is ``decimal.Decimal``
with 28 significant digits (the specification's range), never binary floating point. Decimal
equality and ordering are decided at 8 decimal places (the specification's step size, and what
fhirpath.js does), so ``1 / 3 * 3 = 1`` is true.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from .errors import FHIRPathError, UnsupportedError
from .model import DateTimeText, Node, node_value, unsupported

DEC = Context(prec=28)
STEP = Decimal("1e-8")
NUMBER = (int, Decimal)


def describe(item) -> str:
    cls = item.__class__
    if cls is Node:
        return f"a {item.type or 'FHIR element'}"
    if cls is bool:
        return "a Boolean"
    if cls is int:
        return "an Integer"
    if cls is Decimal:
        return "a Decimal"
    if cls is DateTimeText:
        return "a date/time"
    if cls is str:
        return "a String"
    return f"a {cls.__name__}"


def single(coll: list, what: str):
    """The one item of ``coll`` (its System value), None when empty; error when there are more."""
    n = len(coll)
    if n == 0:
        return None
    if n > 1:
        raise FHIRPathError(f"{what} needs a single item, but got {n}")
    item = coll[0]
    if item.__class__ is Node:
        return node_value(item)
    return item


def as_bool(coll: list, what: str):
    """Singleton evaluation of a collection as Boolean: None (empty), True or False.

    A single FHIR element that is not a primitive (e.g. an ``answer``) counts as true, as every
    version of FHIRPath says. A single non-Boolean *value* (``0``, ``'foo'``, an integer answer)
    is refused: FHIRPath N1 counts it as true, the later versions and the official test suite
    convert it (``(0).not()`` is true there), and fhirpath.js's ``iif()`` takes it as false; Koers
    does not pick one silently. ``iif()`` also refuses an element, for the same reason."""
    n = len(coll)
    if n == 0:
        return None
    if n > 1:
        raise FHIRPathError(f"{what} needs a single true/false, but got {n} items")
    item = coll[0]
    if item is True or item is False:
        return item
    if item.__class__ is Node:
        data = item.data
        if data is True or data is False:
            return data
        if data is None:
            return None
        if data.__class__ is dict and what != "iif()":
            return True
    raise UnsupportedError(
        f"{what} got {describe(node_value(item) if item.__class__ is Node else item)} where true/false is needed: "
        "FHIRPath's versions read a single non-Boolean differently (as true, or converted), so Koers does not guess"
    )


def is_number(v) -> bool:
    cls = v.__class__
    return cls is int or cls is Decimal


def to_decimal(v) -> Decimal:
    return v if v.__class__ is Decimal else Decimal(v)


def q8(v: Decimal) -> Decimal:
    """Round a decimal to the FHIRPath step of 10^-8 (only when it has more places)."""
    exponent = v.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -8:
        return v.quantize(STEP, rounding=ROUND_HALF_UP, context=DEC)
    return v


def _dates(a, b):
    if a.__class__ is DateTimeText or b.__class__ is DateTimeText:
        raise unsupported("comparing or calculating with dates and times")


# -- equality ----------------------------------------------------------------------------------


def item_equal(a, b) -> bool:
    if a.__class__ is Node:
        a = node_value(a)
    if b.__class__ is Node:
        b = node_value(b)
    ca = a.__class__
    cb = b.__class__
    if ca is str and cb is str:
        return a == b
    if ca is bool or cb is bool:
        return ca is cb and a == b
    if ca is int and cb is int:
        return a == b
    if (ca is int or ca is Decimal) and (cb is int or cb is Decimal):
        return q8(to_decimal(a)) == q8(to_decimal(b))
    if ca is DateTimeText or cb is DateTimeText:
        _dates(a, b)
    if ca is Node and cb is Node:
        return a.data == b.data
    return False


def equal(left: list, right: list) -> list:
    if not left or not right:
        return []
    if len(left) != len(right):
        return [False]
    for a, b in zip(left, right, strict=True):
        if not item_equal(a, b):
            return [False]
    return [True]


def not_equal(left: list, right: list) -> list:
    result = equal(left, right)
    return [not result[0]] if result else []


def _places(v: Decimal) -> int:
    exponent = v.normalize(DEC).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _normal_text(s: str) -> str:
    return "".join(" " if ch.isspace() else ch for ch in s.upper())


def item_equivalent(a, b) -> bool:
    if a.__class__ is Node:
        a = node_value(a)
    if b.__class__ is Node:
        b = node_value(b)
    ca = a.__class__
    cb = b.__class__
    if ca is str and cb is str:
        return _normal_text(a) == _normal_text(b)
    if ca is bool or cb is bool:
        return ca is cb and a == b
    if ca is int and cb is int:
        return a == b
    if (ca is int or ca is Decimal) and (cb is int or cb is Decimal):
        da, db = to_decimal(a), to_decimal(b)
        places = min(_places(da), _places(db))
        exp = Decimal(1).scaleb(-places)
        return da.quantize(exp, ROUND_HALF_UP, DEC) == db.quantize(exp, ROUND_HALF_UP, DEC)
    if ca is DateTimeText or cb is DateTimeText:
        _dates(a, b)
    if ca is Node and cb is Node:
        return a.data == b.data
    return False


def equivalent(left: list, right: list) -> list:
    if not left and not right:
        return [True]
    if len(left) != len(right):
        return [False]
    remaining = list(right)
    for a in left:
        for i, b in enumerate(remaining):
            if item_equivalent(a, b):
                del remaining[i]
                break
        else:
            return [False]
    return [True]


def not_equivalent(left: list, right: list) -> list:
    return [not equivalent(left, right)[0]]


# -- comparison --------------------------------------------------------------------------------


def _ordered(op: str, left: list, right: list):
    a = single(left, f"'{op}'")
    b = single(right, f"'{op}'")
    if a is None or b is None:
        return None
    ca, cb = a.__class__, b.__class__
    if ca is str and cb is str:
        return a, b
    if ca is not bool and cb is not bool and is_number(a) and is_number(b):
        if ca is int and cb is int:
            return a, b
        return q8(to_decimal(a)), q8(to_decimal(b))
    _dates(a, b)
    raise FHIRPathError(f"'{op}' cannot compare {describe(a)} with {describe(b)}")


def less(left, right):
    pair = _ordered("<", left, right)
    return [] if pair is None else [pair[0] < pair[1]]


def less_equal(left, right):
    pair = _ordered("<=", left, right)
    return [] if pair is None else [pair[0] <= pair[1]]


def greater(left, right):
    pair = _ordered(">", left, right)
    return [] if pair is None else [pair[0] > pair[1]]


def greater_equal(left, right):
    pair = _ordered(">=", left, right)
    return [] if pair is None else [pair[0] >= pair[1]]


# -- arithmetic --------------------------------------------------------------------------------


def _operands(op: str, left: list, right: list):
    a = single(left, f"'{op}'")
    if a is None:
        return None
    b = single(right, f"'{op}'")
    if b is None:
        return None
    if a.__class__ is bool or b.__class__ is bool or not is_number(a) or not is_number(b):
        _dates(a, b)
        if a.__class__ is Node or b.__class__ is Node:
            raise unsupported(f"'{op}' on {describe(a if a.__class__ is Node else b)}")
        raise FHIRPathError(f"'{op}' cannot be used with {describe(a)} and {describe(b)}")
    return a, b


def plus(left, right):
    a = single(left, "'+'")
    b = single(right, "'+'")
    if a is None or b is None:
        return []
    if a.__class__ is str and b.__class__ is str:
        return [a + b]
    a, b = _operands("+", [a], [b])
    if a.__class__ is int and b.__class__ is int:
        return [a + b]
    return [DEC.add(to_decimal(a), to_decimal(b))]


def minus(left, right):
    pair = _operands("-", left, right)
    if pair is None:
        return []
    a, b = pair
    if a.__class__ is int and b.__class__ is int:
        return [a - b]
    return [DEC.subtract(to_decimal(a), to_decimal(b))]


def times(left, right):
    pair = _operands("*", left, right)
    if pair is None:
        return []
    a, b = pair
    if a.__class__ is int and b.__class__ is int:
        return [a * b]
    return [DEC.multiply(to_decimal(a), to_decimal(b))]


def divide(left, right):
    pair = _operands("/", left, right)
    if pair is None:
        return []
    a, b = pair
    if b == 0:
        return []
    return [DEC.divide(to_decimal(a), to_decimal(b))]


def int_divide(left, right):
    pair = _operands("div", left, right)
    if pair is None:
        return []
    a, b = pair
    if b == 0:
        return []
    if a.__class__ is int and b.__class__ is int:
        quotient = abs(a) // abs(b)
        return [quotient if (a >= 0) == (b >= 0) else -quotient]
    return [int(DEC.divide_int(to_decimal(a), to_decimal(b)))]


def modulo(left, right):
    pair = _operands("mod", left, right)
    if pair is None:
        return []
    a, b = pair
    if b == 0:
        return []
    if a.__class__ is int and b.__class__ is int:
        rest = abs(a) % abs(b)
        return [rest if a >= 0 else -rest]
    return [DEC.remainder(to_decimal(a), to_decimal(b))]


def concatenate(left, right):
    a = single(left, "'&'")
    b = single(right, "'&'")
    a = "" if a is None else a
    b = "" if b is None else b
    if a.__class__ is not str or b.__class__ is not str:
        bad = b if a.__class__ is str else a
        raise FHIRPathError(f"'&' joins text, not {describe(bad)}")
    return [a + b]


def negate(operand: list, sign: str) -> list:
    v = single(operand, f"unary '{sign}'")
    if v is None:
        return []
    if v.__class__ is bool or not is_number(v):
        _dates(v, v)
        raise FHIRPathError(f"unary '{sign}' needs a number, not {describe(v)}")
    if sign == "+":
        return [v]
    return [-v if v.__class__ is int else DEC.minus(v)]


ARITHMETIC = {
    "+": plus,
    "-": minus,
    "*": times,
    "/": divide,
    "div": int_divide,
    "mod": modulo,
    "&": concatenate,
}
COMPARISON = {
    "=": equal,
    "!=": not_equal,
    "~": equivalent,
    "!~": not_equivalent,
    "<": less,
    "<=": less_equal,
    ">": greater,
    ">=": greater_equal,
}


# -- logic -------------------------------------------------------------------------------------


def logic(op: str, a, b) -> list:
    """Three-valued logic on operands already evaluated as Boolean (None = empty)."""
    if op == "and":
        if a is False or b is False:
            return [False]
        if a is None or b is None:
            return []
        return [True]
    if op == "or":
        if a is True or b is True:
            return [True]
        if a is None or b is None:
            return []
        return [False]
    if op == "xor":
        if a is None or b is None:
            return []
        return [a is not b]
    # implies
    if a is False:
        return [True]
    if a is None:
        return [True] if b is True else []
    if b is None:
        return []
    return [b]


# -- collections -------------------------------------------------------------------------------


def contains_item(coll: list, item) -> bool:
    for other in coll:
        if item_equal(other, item):
            return True
    return False


def member_in(left: list, right: list) -> list:
    # The checks in fhirpath.js's order: an empty collection decides before a count is checked.
    if not left:
        return []
    if not right:
        return [False]
    if len(left) > 1:
        raise FHIRPathError(f"'in' needs a single item on its left, but got {len(left)}")
    return [contains_item(right, left[0])]


def member_contains(left: list, right: list) -> list:
    if not right:
        return []
    if not left:
        return [False]
    if len(right) > 1:
        raise FHIRPathError(f"'contains' needs a single item on its right, but got {len(right)}")
    return [contains_item(left, right[0])]


def key(item):
    """A hashable key such that equal items (FHIRPath '=') have equal keys."""
    v = node_value(item) if item.__class__ is Node else item
    cls = v.__class__
    if cls is str:
        return ("s", v)
    if cls is bool:
        return ("b", v)
    if cls is int:
        return ("n", v)
    if cls is Decimal:
        return ("n", q8(v))
    if cls is DateTimeText:
        _dates(v, v)
    if cls is Node:
        try:
            return ("o", json.dumps(v.data, sort_keys=True, default=str))
        except (TypeError, ValueError):
            return ("i", id(v.data))
    return ("?", id(v))


def distinct(coll: list) -> list:
    if len(coll) < 2:
        return list(coll)
    seen = set()
    out = []
    for item in coll:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def union(left: list, right: list) -> list:
    if not right:
        return distinct(left)
    if not left:
        return distinct(right)
    return distinct(left + right)


def check_decimal(fn):
    """Turn decimal.InvalidOperation (e.g. overflow beyond 28 digits) into a FHIRPathError."""

    def wrapped(*args):
        try:
            return fn(*args)
        except InvalidOperation as exc:
            raise FHIRPathError(f"number out of range: {exc}") from None

    return wrapped
