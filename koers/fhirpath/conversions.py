"""The FHIRPath conversion functions: toInteger(), toDecimal(), toBoolean(), toString() and
their convertsTo…() checks."""

from __future__ import annotations

import re
from decimal import Decimal

from .operators import single
from .registry import simple


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
