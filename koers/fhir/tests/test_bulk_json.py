"""``bulk_rows.line`` (orjson where it gives the same bytes) against ``bulk_rows.standard_line``
(the standard encoder, the definition of a line): byte for byte, or the same error (issue #15)."""

from __future__ import annotations

import math
import random
import struct
from collections import OrderedDict
from decimal import Decimal

import pytest
from django.db import models
from django.utils.safestring import SafeString

from koers.fhir import bulk_rows
from koers.questionnaires.models import Response

pytest.importorskip("orjson")


class _Level(models.IntegerChoices):
    ONE = 1, "one"
    TWO = 2, "two"


def _outcome(encode, resource):
    try:
        return encode(resource)
    except Exception as exc:  # noqa: BLE001 - the kind of error is what is compared
        return type(exc)


def _same(resource):
    assert _outcome(bulk_rows.line, resource) == _outcome(bulk_rows.standard_line, resource), resource


FLOATS = [0.0, -0.0, 0.1, 2.5, 1e-4, 1e-5, 1.5e-7, 1e-10, 5e-324, 1e15, 1e16, 1.5e16, 1e22, 1.7976931348623157e308]
ODD = [math.nan, math.inf, -math.inf, 2**63, 2**64, -(2**63) - 1, Decimal("1.50"), Decimal("2"), Decimal("NaN")]
TEXTS = ["", "é ü ß", "\x00\x1f\x7f", "\u2028\u2029", '"\\/', "\t\n\r\b\f", "null", "1e-5", "0.00001", "\ud800", "😀"]


def test_the_same_bytes_on_numbers_texts_and_odd_values():
    for value in [*FLOATS, *ODD, *TEXTS, True, False, None, [], {}, (1, "a")]:
        _same({"resourceType": "Observation", "value": value, "list": [value, {"v": value}]})
    _same({1: "a"})  # a key that is not text
    _same({"status": Response.Status.COMPLETED, "mode": Response.Mode.PORTAL, "n": _Level.TWO})  # choices
    _same(OrderedDict(b=1, a=[OrderedDict(c=None)]))  # dict subclasses, in their own order
    _same({"text": SafeString("<b>é</b>"), "deep": [[[[{"x": [1.5, "y"]}]]]]})
    _same({"when": __import__("datetime").date(2026, 12, 6)})  # not JSON for either


def test_the_same_bytes_on_random_floats_and_nested_resources():
    rnd = random.Random(15)
    for _ in range(20000):
        exponent = rnd.uniform(-330, 308)
        value = rnd.choice([1, -1]) * rnd.random() * 10**exponent
        raw = struct.unpack("d", struct.pack("Q", rnd.getrandbits(64)))[0]
        _same({"a": value, "b": [raw, round(rnd.uniform(-1e3, 1e3), rnd.randint(0, 6))]})

    def draw(depth):
        if depth > 3 or rnd.random() < 0.3:
            return rnd.choice([*FLOATS, *TEXTS[:-2], 0, 17, True, None, "x"])
        if rnd.random() < 0.5:
            return {f"k{i}": draw(depth + 1) for i in range(rnd.randint(0, 4))}
        return [draw(depth + 1) for _ in range(rnd.randint(0, 4))]

    for _ in range(5000):
        _same({f"k{i}": draw(0) for i in range(rnd.randint(0, 5))})
